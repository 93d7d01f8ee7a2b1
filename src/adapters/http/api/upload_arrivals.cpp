#include "adapters/http/api/upload_arrivals.hpp"

#include <boost/asio/post.hpp>
#include <boost/asio/redirect_error.hpp>
#include <boost/asio/use_awaitable.hpp>

namespace imagesprint::api {

namespace net = boost::asio;

net::awaitable<bool> UploadArrivals::Waiter::sleep(std::chrono::milliseconds most) {
  // A move between the last look and now set the flag: no sleep. One after this check cancels
  // the wait below, its cancel being posted to this strand, which is running this code.
  if (woken_.exchange(false)) co_return true;
  timer_.expires_after(most);
  boost::system::error_code ec;
  co_await timer_.async_wait(net::redirect_error(net::use_awaitable, ec));
  woken_.store(false);  // a move as the time ran out: the caller looks now anyway
  co_return ec == net::error::operation_aborted;
}

void UploadArrivals::Waiter::wake() {
  woken_.store(true);
  // The timer is the strand's alone; the waiter outlives the posted cancel through this copy.
  net::post(timer_.get_executor(), [self = shared_from_this()] { self->timer_.cancel(); });
}

UploadArrivals::Watch::Watch(UploadArrivals& arrivals, std::int64_t user,
                             std::shared_ptr<Waiter> waiter)
    : arrivals_(arrivals), user_(user), waiter_(std::move(waiter)) {
  const std::lock_guard lock(arrivals_.mutex_);
  arrivals_.waiting_.emplace(user_, waiter_);
}

UploadArrivals::Watch::~Watch() {
  const std::lock_guard lock(arrivals_.mutex_);
  const auto [first, last] = arrivals_.waiting_.equal_range(user_);
  for (auto it = first; it != last; ++it) {
    if (it->second == waiter_) {
      arrivals_.waiting_.erase(it);
      break;
    }
  }
}

std::unique_ptr<UploadArrivals::Watch> UploadArrivals::watch(std::int64_t user,
                                                             const net::any_io_executor& strand) {
  return std::make_unique<Watch>(*this, user, std::make_shared<Waiter>(strand));
}

std::size_t UploadArrivals::watching(std::int64_t user) {
  const std::lock_guard lock(mutex_);
  return waiting_.count(user);
}

void UploadArrivals::moved(std::int64_t user) {
  const std::lock_guard lock(mutex_);
  const auto [first, last] = waiting_.equal_range(user);
  for (auto it = first; it != last; ++it) it->second->wake();
}

}  // namespace imagesprint::api
