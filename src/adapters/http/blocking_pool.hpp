#pragma once
// Runs blocking work (SQLite, disk, CPU) on its own threads so the IO threads never block:
//   auto job = co_await pool.run([&] { return store.find_job(id); });
// The coroutine suspends, the function runs on the pool, and the coroutine resumes on its own
// executor (the connection's strand) with the result, or with the exception the function threw.
#include "adapters/http/http_types.hpp"

#include <boost/asio/async_result.hpp>
#include <boost/asio/execution/outstanding_work.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/prefer.hpp>
#include <boost/asio/this_coro.hpp>
#include <boost/asio/thread_pool.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <cstddef>
#include <exception>
#include <optional>
#include <type_traits>
#include <variant>

namespace imagesprint::http {

class BlockingPool {
 public:
  /// `threads`: how many functions may block at once; 0 means max(4, 2 x cores).
  explicit BlockingPool(std::size_t threads = 0);
  /// Waits for the functions already queued to finish.
  ~BlockingPool();
  BlockingPool(const BlockingPool&) = delete;
  BlockingPool& operator=(const BlockingPool&) = delete;

  std::size_t size() const { return size_; }

  /// Runs `fn()` on the pool and resumes the calling coroutine with its result (or exception).
  /// `fn` is moved onto the pool: capture by value whatever must outlive a cancelled caller.
  template <typename F>
  net::awaitable<std::invoke_result_t<F&>> run(F fn);

  /// Waits for queued work and stops the threads; run() must not be called afterwards.
  void join();

 private:
  std::size_t size_;
  net::thread_pool pool_;
};

template <typename F>
net::awaitable<std::invoke_result_t<F&>> BlockingPool::run(F fn) {
  using R = std::invoke_result_t<F&>;
  // A void result travels as monostate: the completion signature needs a value to carry.
  using Value = std::conditional_t<std::is_void_v<R>, std::monostate, R>;
  using Signature = void(std::exception_ptr, std::optional<Value>);

  const auto caller = co_await net::this_coro::executor;
  auto initiation = [this, caller](auto handler, F work) {
    // Tracked: the io_context must not run out of work (and return from run()) while the
    // function is away on the pool.
    auto back = net::prefer(caller, net::execution::outstanding_work.tracked);
    net::post(pool_.get_executor(), [handler = std::move(handler), back = std::move(back),
                                     work = std::move(work)]() mutable {
      std::exception_ptr error;
      std::optional<Value> value;
      try {
        if constexpr (std::is_void_v<R>) {
          work();
          value.emplace();
        } else {
          value.emplace(work());
        }
      } catch (...) {
        error = std::current_exception();
      }
      net::post(back, [handler = std::move(handler), error, value = std::move(value)]() mutable {
        handler(error, std::move(value));
      });
    });
  };
  auto result = co_await net::async_initiate<const net::use_awaitable_t<>&, Signature>(
      std::move(initiation), net::use_awaitable, std::move(fn));
  if constexpr (!std::is_void_v<R>) co_return std::move(*result);
}

}  // namespace imagesprint::http
