// A job request awaiting its uploads sleeps between looks; a PATCH of the same user in this
// process wakes it (adapters/http/api/upload_arrivals.hpp).
#include "adapters/http/api/upload_arrivals.hpp"

#include <gtest/gtest.h>

#include <optional>
#include <thread>

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/strand.hpp>

namespace imagesprint::api {
namespace {

namespace net = boost::asio;
using std::chrono::milliseconds;

/// Far longer than any test runs: a sleep that returns "woken" was cut short by a move.
constexpr milliseconds LONG{30'000};

/// Sleeps once on `watch`'s waiter, the io_context running on its own thread while `during`
/// runs here; what the sleep returned.
template <typename During>
std::optional<bool> sleep_once(net::io_context& io, UploadArrivals::Watch& watch, milliseconds most,
                               During during) {
  std::optional<bool> woken;
  net::co_spawn(
      io, [&]() -> net::awaitable<void> { woken = co_await watch.waiter().sleep(most); },
      net::detached);
  std::thread loop([&io] { io.run(); });
  during();
  loop.join();
  return woken;
}

TEST(UploadArrivals, AMoveOfTheUsersUploadsWakesItsSleepingRequest) {
  UploadArrivals arrivals;
  net::io_context io;
  const auto watch = arrivals.watch(7, net::make_strand(io));
  const auto woken = sleep_once(io, *watch, LONG, [&] {
    std::this_thread::sleep_for(milliseconds(20));  // most likely asleep by now; either way works
    arrivals.moved(7);
  });
  EXPECT_EQ(woken, true);
}

TEST(UploadArrivals, AMoveBeforeTheSleepIsNotLost) {
  UploadArrivals arrivals;
  net::io_context io;
  const auto watch = arrivals.watch(7, net::make_strand(io));
  arrivals.moved(7);  // between the request's look and its sleep
  const auto woken = sleep_once(io, *watch, LONG, [] {});
  EXPECT_EQ(woken, true);
}

TEST(UploadArrivals, AnotherUsersMoveLetsItSleepOn) {
  UploadArrivals arrivals;
  net::io_context io;
  const auto watch = arrivals.watch(7, net::make_strand(io));
  const auto woken = sleep_once(io, *watch, milliseconds(50), [&] { arrivals.moved(8); });
  EXPECT_EQ(woken, false);
}

TEST(UploadArrivals, EveryWaiterOfTheUserWakesAndAnEndedWatchIsForgotten) {
  UploadArrivals arrivals;
  net::io_context io;
  auto ended = arrivals.watch(7, net::make_strand(io));
  ended.reset();
  EXPECT_EQ(arrivals.watching(7), 0u);
  const auto first = arrivals.watch(7, net::make_strand(io));
  const auto second = arrivals.watch(7, net::make_strand(io));
  EXPECT_EQ(arrivals.watching(7), 2u);
  std::optional<bool> a, b;
  for (auto [watch, out] : {std::pair{first.get(), &a}, std::pair{second.get(), &b}}) {
    net::co_spawn(
        io, [watch, out]() -> net::awaitable<void> { *out = co_await watch->waiter().sleep(LONG); },
        net::detached);
  }
  std::thread loop([&io] { io.run(); });
  std::this_thread::sleep_for(milliseconds(20));
  arrivals.moved(7);
  loop.join();
  EXPECT_EQ(a, true);
  EXPECT_EQ(b, true);
}

}  // namespace
}  // namespace imagesprint::api
