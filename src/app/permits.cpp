#include "app/permits.hpp"

#include <stdexcept>

namespace imagesprint {

Permits::Permits(int per_key, int total) : per_key_(per_key), total_(total) {
  if (per_key < 1 || total < 1) throw std::invalid_argument("Permits: limits must be at least 1");
}

std::shared_ptr<void> Permits::try_acquire(std::int64_t key) {
  {
    const std::lock_guard lock(mutex_);
    if (all_ >= total_) return nullptr;
    int& mine = held_[key];
    if (mine >= per_key_) return nullptr;
    ++mine;
    ++all_;
  }
  // The pointer carries no object: its deleter is the permit's return.
  return std::shared_ptr<void>(static_cast<void*>(this),
                               [key](void* owner) { static_cast<Permits*>(owner)->release(key); });
}

void Permits::release(std::int64_t key) {
  const std::lock_guard lock(mutex_);
  --all_;
  const auto it = held_.find(key);
  if (it != held_.end() && --it->second <= 0) held_.erase(it);
}

int Permits::in_use(std::int64_t key) const {
  const std::lock_guard lock(mutex_);
  const auto it = held_.find(key);
  return it == held_.end() ? 0 : it->second;
}

int Permits::in_use() const {
  const std::lock_guard lock(mutex_);
  return all_;
}

}  // namespace imagesprint
