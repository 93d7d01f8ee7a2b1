#include "adapters/memory/in_process_event_bus.hpp"

#include <gtest/gtest.h>

#include <atomic>
#include <thread>

namespace imagesprint {
namespace {

TEST(InProcessEventBus, UsersSeeOnlyTheirOwnEvents) {
  InProcessEventBus bus;
  std::vector<Event> alice, bob;
  auto a = bus.subscribe(1, [&](const Event& e) { alice.push_back(e); });
  auto b = bus.subscribe(2, [&](const Event& e) { bob.push_back(e); });
  bus.publish(1, "job-a", "progress", R"({"done":1})");
  bus.publish(2, "job-b", "progress", R"({"done":1})");
  bus.publish(1, "job-a", "job.completed", "{}");
  ASSERT_EQ(alice.size(), 2u);
  ASSERT_EQ(bob.size(), 1u);
  EXPECT_EQ(alice[0].job_id, "job-a");
  EXPECT_EQ(alice[1].type, "job.completed");
  EXPECT_EQ(bob[0].job_id, "job-b");
  EXPECT_LT(std::stoull(alice[0].id), std::stoull(alice[1].id));  // ids increase
  EXPECT_EQ(bus.subscriber_count(), 2u);
}

TEST(InProcessEventBus, DroppingTheSubscriptionStopsDelivery) {
  InProcessEventBus bus;
  int calls = 0;
  auto sub = bus.subscribe(1, [&](const Event&) { ++calls; });
  bus.publish(1, "", "notification", "{}");
  sub.reset();
  bus.publish(1, "", "notification", "{}");
  EXPECT_EQ(calls, 1);
  EXPECT_EQ(bus.subscriber_count(), 0u);
}

TEST(InProcessEventBus, ReplaysWhatAReconnectMissed) {
  InProcessEventBus bus(3);
  const Event first = bus.publish(1, "j", "progress", "1");
  bus.publish(2, "k", "progress", "other user");
  const Event second = bus.publish(1, "j", "progress", "2");
  const Event third = bus.publish(1, "j", "progress", "3");
  auto missed = bus.replay_after(1, first.id);
  ASSERT_TRUE(missed.has_value());
  ASSERT_EQ(missed->size(), 2u);
  EXPECT_EQ((*missed)[0].id, second.id);
  EXPECT_EQ((*missed)[1].id, third.id);
  EXPECT_TRUE(bus.replay_after(1, third.id)->empty());
  // Two more push `first` and `second` out of the 3-event history: resuming after `first`
  // would miss `second`, so the caller must send a snapshot instead.
  bus.publish(1, "j", "progress", "4");
  bus.publish(1, "j", "progress", "5");
  EXPECT_FALSE(bus.replay_after(1, first.id).has_value());
  EXPECT_TRUE(bus.replay_after(1, third.id).has_value());
  EXPECT_FALSE(bus.replay_after(1, "not-a-number").has_value());
  EXPECT_TRUE(bus.replay_after(99, "1")->empty());
}

TEST(InProcessEventBus, ConcurrentPublishersAndSubscribers) {
  InProcessEventBus bus;
  std::atomic<int> received{0};
  auto sub = bus.subscribe(7, [&](const Event&) { ++received; });
  std::vector<std::thread> threads;
  for (int t = 0; t < 4; ++t) {
    threads.emplace_back([&] {
      for (int i = 0; i < 500; ++i) {
        bus.publish(7, "j", "progress", "{}");
        auto churn = bus.subscribe(7, [](const Event&) {});
      }
    });
  }
  for (auto& t : threads) t.join();
  EXPECT_EQ(received.load(), 2000);
  EXPECT_EQ(bus.subscriber_count(), 1u);
}

}  // namespace
}  // namespace imagesprint
