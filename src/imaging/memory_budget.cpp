#include "imaging/memory_budget.hpp"

#include <algorithm>

namespace imagesprint {

MemoryBudget::Reservation& MemoryBudget::Reservation::operator=(Reservation&& other) noexcept {
  if (this != &other) {
    release();
    budget_ = std::exchange(other.budget_, nullptr);
    bytes_ = other.bytes_;
  }
  return *this;
}

void MemoryBudget::Reservation::release() {
  if (budget_) std::exchange(budget_, nullptr)->give_back(bytes_);
}

MemoryBudget::Reservation MemoryBudget::reserve(std::uint64_t bytes, bool* waited) {
  std::unique_lock lock(mutex_);
  if (waited) *waited = false;
  for (;;) {
    if (total_ == 0) return {};
    const std::uint64_t take = std::min(bytes, total_);
    if (used_ + take <= total_) {
      used_ += take;
      return Reservation(this, take);
    }
    if (waited) *waited = true;
    ++waiting_;
    freed_.wait(lock);
    --waiting_;
  }
}

void MemoryBudget::give_back(std::uint64_t bytes) {
  {
    const std::lock_guard lock(mutex_);
    used_ -= std::min(bytes, used_);
  }
  freed_.notify_all();
}

void MemoryBudget::resize(std::uint64_t bytes) {
  {
    const std::lock_guard lock(mutex_);
    total_ = bytes;
  }
  freed_.notify_all();
}

std::uint64_t MemoryBudget::total() const {
  const std::lock_guard lock(mutex_);
  return total_;
}

std::uint64_t MemoryBudget::in_use() const {
  const std::lock_guard lock(mutex_);
  return used_;
}

std::size_t MemoryBudget::waiting() const {
  const std::lock_guard lock(mutex_);
  return waiting_;
}

MemoryBudget& conversion_memory_budget() {
  static MemoryBudget budget;
  return budget;
}

}  // namespace imagesprint
