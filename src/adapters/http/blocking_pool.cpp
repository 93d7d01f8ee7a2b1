#include "adapters/http/blocking_pool.hpp"

#include <algorithm>
#include <thread>

namespace imagesprint::http {
namespace {

std::size_t default_threads() {
  // Blocking work mostly waits (disk, SQLite locks), so more threads than cores pay off.
  return std::max<std::size_t>(4, 2 * std::max(1u, std::thread::hardware_concurrency()));
}

}  // namespace

BlockingPool::BlockingPool(std::size_t threads)
    : size_(threads == 0 ? default_threads() : threads), pool_(size_) {}

BlockingPool::~BlockingPool() {
  join();
}

void BlockingPool::join() {
  pool_.join();
}

}  // namespace imagesprint::http
