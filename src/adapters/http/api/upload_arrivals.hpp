#pragma once
// Wakes the job requests awaiting a user's uploads (POST /v1/jobs with await_uploads) as soon as
// one of that user's uploads takes bytes in this process, instead of at their next look. A PATCH
// that another process took is still found by the waiting request's own look, every
// `AWAIT_POLL` (upload_routes.cpp).
#include <atomic>
#include <chrono>
#include <cstddef>
#include <cstdint>
#include <map>
#include <memory>
#include <mutex>
#include <utility>

#include <boost/asio/any_io_executor.hpp>
#include <boost/asio/awaitable.hpp>
#include <boost/asio/steady_timer.hpp>

namespace imagesprint::api {

class UploadArrivals {
 public:
  /// One waiting request's sleep, on its connection's strand.
  class Waiter : public std::enable_shared_from_this<Waiter> {
   public:
    explicit Waiter(const boost::asio::any_io_executor& strand) : timer_(strand) {}
    /// Returns when the user's uploads moved since the last sleep (at once if they already
    /// did), or after `most`: true when a move cut it short.
    boost::asio::awaitable<bool> sleep(std::chrono::milliseconds most);
    /// From any thread, while the waiter is registered (owned by a shared_ptr).
    void wake();

   private:
    boost::asio::steady_timer timer_;  // touched on the strand only
    std::atomic<bool> woken_{false};
  };

  /// Registered while the returned handle lives.
  class Watch {
   public:
    Watch(UploadArrivals& arrivals, std::int64_t user, std::shared_ptr<Waiter> waiter);
    ~Watch();
    Watch(const Watch&) = delete;
    Watch& operator=(const Watch&) = delete;
    Waiter& waiter() { return *waiter_; }

   private:
    UploadArrivals& arrivals_;
    std::int64_t user_;
    std::shared_ptr<Waiter> waiter_;
  };

  /// A waiter for `user`'s uploads, sleeping on `strand`.
  std::unique_ptr<Watch> watch(std::int64_t user, const boost::asio::any_io_executor& strand);

  /// Bytes of one of `user`'s uploads were stored (its last ones, perhaps): wakes the user's
  /// waiters.
  void moved(std::int64_t user);

  /// The user's waiters now.
  std::size_t watching(std::int64_t user);

 private:
  std::mutex mutex_;
  std::multimap<std::int64_t, std::shared_ptr<Waiter>> waiting_;
};

}  // namespace imagesprint::api
