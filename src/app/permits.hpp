#pragma once
// Work in progress counted per key (a user) and in all, refusing past either limit instead of
// queueing: the preview renders per user and in all, the event streams per user, the password
// hashes in flight. A refusal is cheap and immediate (the caller answers 429 or 503), so memory
// and threads stay bounded whatever clients do.
#include <cstddef>
#include <cstdint>
#include <memory>
#include <mutex>
#include <unordered_map>

namespace imagesprint {

class Permits {
 public:
  /// `per_key`: permits one key may hold at once; `total`: all keys together.
  Permits(int per_key, int total);
  Permits(const Permits&) = delete;
  Permits& operator=(const Permits&) = delete;

  /// A permit, given back when its last copy is dropped; null when a limit is reached.
  /// The Permits object must outlive every permit it gave.
  std::shared_ptr<void> try_acquire(std::int64_t key);

  int in_use(std::int64_t key) const;
  int in_use() const;
  int per_key() const { return per_key_; }
  int total() const { return total_; }

 private:
  void release(std::int64_t key);

  int per_key_;
  int total_;
  mutable std::mutex mutex_;
  std::unordered_map<std::int64_t, int> held_;
  int all_ = 0;
};

}  // namespace imagesprint
