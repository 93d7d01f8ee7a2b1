// The EventBus contract; see event_bus_contract.hpp and ports/event_bus.hpp.
#include "event_bus_contract.hpp"

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <mutex>
#include <thread>
#include <vector>

namespace imagesprint::test {
namespace {

/// What a subscriber received, safe to read while the bus delivers from another thread.
class Inbox {
 public:
  EventBus::Handler handler() {
    return [this](const Event& e) {
      const std::lock_guard lock(mutex_);
      events_.push_back(e);
      changed_.notify_all();
    };
  }
  /// Waits (boundedly) until `count` events arrived; returns what arrived.
  std::vector<Event> wait_for(std::size_t count) {
    std::unique_lock lock(mutex_);
    changed_.wait_for(lock, std::chrono::seconds(10), [&] { return events_.size() >= count; });
    return events_;
  }
  std::vector<Event> now() {
    const std::lock_guard lock(mutex_);
    return events_;
  }

 private:
  std::mutex mutex_;
  std::condition_variable changed_;
  std::vector<Event> events_;
};

TEST_P(EventBusContract, UsersSeeOnlyTheirOwnEventsInOrder) {
  auto bus = make();
  Inbox alice, bob;
  auto a = bus->subscribe(1, alice.handler());
  auto b = bus->subscribe(2, bob.handler());
  const Event first = bus->publish(1, "job-a", "progress", R"({"done":1})");
  bus->publish(2, "job-b", "progress", R"({"done":1})");
  const Event last = bus->publish(1, "job-a", "job.completed", "{}");
  EXPECT_FALSE(first.id.empty());
  EXPECT_NE(first.id, last.id);
  // The SSE layer drops an event it replayed already by this number, so it must increase.
  EXPECT_GT(event_sequence(first.id), 0u) << first.id;
  EXPECT_GT(event_sequence(last.id), event_sequence(first.id)) << first.id << " " << last.id;

  const auto got = alice.wait_for(2);
  ASSERT_EQ(got.size(), 2u);
  EXPECT_EQ(got[0].id, first.id);
  EXPECT_EQ(got[0].user_id, 1);
  EXPECT_EQ(got[0].job_id, "job-a");
  EXPECT_EQ(got[0].type, "progress");
  EXPECT_EQ(got[0].data, R"({"done":1})");
  EXPECT_EQ(got[1].id, last.id);
  EXPECT_EQ(got[1].type, "job.completed");
  const auto other = bob.wait_for(1);
  ASSERT_EQ(other.size(), 1u);
  EXPECT_EQ(other[0].job_id, "job-b");
  EXPECT_EQ(other[0].user_id, 2);
}

TEST_P(EventBusContract, DroppingTheSubscriptionStopsDelivery) {
  auto bus = make();
  Inbox inbox, witness;
  auto sub = bus->subscribe(1, inbox.handler());
  auto watching = bus->subscribe(1, witness.handler());
  bus->publish(1, "", "notification", "{}");
  ASSERT_EQ(inbox.wait_for(1).size(), 1u);
  sub.reset();
  bus->publish(1, "", "notification", "{}");
  ASSERT_EQ(witness.wait_for(2).size(), 2u) << "the second event was delivered";
  EXPECT_EQ(inbox.now().size(), 1u) << "but not to the dropped subscription";
}

TEST_P(EventBusContract, AReconnectReplaysWhatItMissed) {
  auto bus = make(/*history=*/3);
  const Event first = bus->publish(1, "j", "progress", "1");
  bus->publish(2, "k", "progress", "other user");
  const Event second = bus->publish(1, "j", "progress", "2");
  const Event third = bus->publish(1, "j", "progress", "3");
  auto missed = bus->replay_after(1, first.id);
  ASSERT_TRUE(missed.has_value());
  ASSERT_EQ(missed->size(), 2u);
  EXPECT_EQ((*missed)[0].id, second.id);
  EXPECT_EQ((*missed)[0].data, "2");
  EXPECT_EQ((*missed)[1].id, third.id);
  EXPECT_TRUE(bus->replay_after(1, third.id)->empty());
  // Two more push `first` and `second` out of a 3-event history: resuming after `first` would
  // miss `second`, so the caller must send a snapshot instead.
  bus->publish(1, "j", "progress", "4");
  bus->publish(1, "j", "progress", "5");
  EXPECT_FALSE(bus->replay_after(1, first.id).has_value());
  EXPECT_TRUE(bus->replay_after(1, third.id).has_value());
  EXPECT_FALSE(bus->replay_after(1, "not-an-id").has_value());
}

TEST_P(EventBusContract, ConcurrentPublishersAndSubscribersLoseNothing) {
  auto bus = make();
  Inbox inbox;
  auto sub = bus->subscribe(7, inbox.handler());
  std::vector<std::thread> threads;
  for (int t = 0; t < 4; ++t) {
    threads.emplace_back([&] {
      for (int i = 0; i < 250; ++i) {
        bus->publish(7, "j", "progress", "{}");
        auto churn = bus->subscribe(7, [](const Event&) {});
      }
    });
  }
  for (auto& t : threads) t.join();
  EXPECT_EQ(inbox.wait_for(1000).size(), 1000u);
}

}  // namespace
}  // namespace imagesprint::test
