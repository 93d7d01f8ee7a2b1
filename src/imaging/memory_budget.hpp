#pragma once
// Admission by memory: every conversion reserves its estimated peak (memory_estimate.hpp) from
// one process-wide budget before it decodes, and waits while the budget is spent. So the
// conversions of a process together stay within the budget however many run at once and
// whatever they are, and one that needs more than the whole budget runs alone. (Counting
// images, as a worker pool does, bounds the number of conversions, not their memory: two 100 MP
// WebP outputs at once would take 3 GB.)
#include <condition_variable>
#include <cstddef>
#include <cstdint>
#include <mutex>
#include <utility>

namespace imagesprint {

class MemoryBudget {
 public:
  /// `bytes` 0: no budget (reservations never wait).
  explicit MemoryBudget(std::uint64_t bytes = 0) : total_(bytes) {}

  /// Holds its bytes until destroyed.
  class Reservation {
   public:
    Reservation() = default;
    Reservation(MemoryBudget* budget, std::uint64_t bytes) : budget_(budget), bytes_(bytes) {}
    Reservation(Reservation&& other) noexcept
        : budget_(std::exchange(other.budget_, nullptr)), bytes_(other.bytes_) {}
    Reservation& operator=(Reservation&& other) noexcept;
    ~Reservation() { release(); }
    std::uint64_t bytes() const { return bytes_; }

   private:
    void release();
    MemoryBudget* budget_ = nullptr;
    std::uint64_t bytes_ = 0;
  };

  /// Waits until `bytes` (at most the whole budget) are free, then takes them. `waited` is set
  /// when it had to wait.
  Reservation reserve(std::uint64_t bytes, bool* waited = nullptr);

  /// Changes the budget; reservations held keep their bytes.
  void resize(std::uint64_t bytes);
  std::uint64_t total() const;
  std::uint64_t in_use() const;
  /// Conversions waiting for their share now.
  std::size_t waiting() const;

 private:
  void give_back(std::uint64_t bytes);

  mutable std::mutex mutex_;
  std::condition_variable freed_;
  std::uint64_t total_;
  std::uint64_t used_ = 0;
  std::size_t waiting_ = 0;
};

/// The budget every conversion of this process reserves from (sized by init_engine's
/// EngineConfig::memory_budget).
MemoryBudget& conversion_memory_budget();

}  // namespace imagesprint
