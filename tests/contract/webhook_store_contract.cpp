// The WebhookStore contract (ports/webhook_store.hpp): each user's webhooks apart, subscribers
// per event, rotated secrets, deliveries claimed most overdue first under a lease (and by many
// dispatchers at once, each delivery by one), attempts logged, pages newest first.
#include <latch>
#include <set>
#include <thread>

#include "record_stores_contract.hpp"

namespace imagesprint::test {
namespace {

Webhook make_webhook(WebhookStore& store, std::int64_t user, std::vector<std::string> events,
                     WebhookType type = WebhookType::generic) {
  Webhook w;
  w.user_id = user;
  w.type = type;
  w.url = "https://example.com/hook";
  w.events = std::move(events);
  w.secret = "whsec_c2VjcmV0c2VjcmV0c2VjcmV0c2VjcmV0";
  w.created_at = 1000;
  return store.create(w);
}

WebhookDelivery delivery_of(const Webhook& w, const std::string& id, UnixMillis due) {
  return WebhookDelivery{
      id, w.id, w.user_id, "job.completed", R"({"id":")" + id + R"("})", DeliveryStatus::pending,
      0,  due,  due};
}

TEST_P(WebhookStoreContract, KeepsEachUsersWebhooksApart) {
  const auto a = make_webhook(webhooks(), 1, {"job.completed", "job.failed"});
  const auto b = make_webhook(webhooks(), 2, {"job.completed"}, WebhookType::slack);
  EXPECT_EQ(webhooks().list(1).size(), 1u);
  EXPECT_EQ(webhooks().list(1)[0].events,
            (std::vector<std::string>{"job.completed", "job.failed"}));
  EXPECT_EQ(webhooks().find(2, b.id)->type, WebhookType::slack);
  EXPECT_FALSE(webhooks().find(1, b.id));  // another user's is "no such"
  EXPECT_FALSE(webhooks().remove(1, b.id));
  Webhook stolen = b;
  stolen.user_id = 1;
  stolen.enabled = false;
  EXPECT_FALSE(webhooks().update(stolen));
  EXPECT_TRUE(webhooks().find(2, b.id)->enabled);
  EXPECT_TRUE(webhooks().remove(1, a.id));
  EXPECT_TRUE(webhooks().list(1).empty());
}

TEST_P(WebhookStoreContract, SubscribersAreTheEnabledOnesForThatEvent) {
  const auto both = make_webhook(webhooks(), 1, {"job.completed", "job.failed"});
  const auto failed_only = make_webhook(webhooks(), 1, {"job.failed"});
  auto disabled = make_webhook(webhooks(), 1, {"job.completed"});
  disabled.enabled = false;
  disabled.disabled_reason = "by the user";
  ASSERT_TRUE(webhooks().update(disabled));
  make_webhook(webhooks(), 2, {"job.completed"});
  const auto completed = webhooks().subscribers(1, "job.completed");
  ASSERT_EQ(completed.size(), 1u);
  EXPECT_EQ(completed[0].id, both.id);
  EXPECT_EQ(webhooks().subscribers(1, "job.failed").size(), 2u);
  EXPECT_EQ(webhooks().find(1, disabled.id)->disabled_reason, "by the user");
  (void)failed_only;
}

TEST_P(WebhookStoreContract, UpdateKeepsRotatedSecretsAndFailureCount) {
  auto w = make_webhook(webhooks(), 1, {"job.completed"});
  w.previous_secret = w.secret;
  w.secret = "whsec_bmV3c2VjcmV0bmV3c2VjcmV0bmV3c2VjcmV0";
  w.previous_until = 99'000;
  w.consecutive_failures = 3;
  ASSERT_TRUE(webhooks().update(w));
  const auto read = webhooks().find(1, w.id);
  EXPECT_EQ(read->secret, w.secret);
  EXPECT_EQ(read->previous_secret, w.previous_secret);
  EXPECT_EQ(read->previous_until, 99'000);
  EXPECT_EQ(read->consecutive_failures, 3);
}

TEST_P(WebhookStoreContract, ClaimTakesTheMostOverdueAndLeasesIt) {
  const auto w = make_webhook(webhooks(), 1, {"job.completed"});
  webhooks().add_deliveries({delivery_of(w, "msg_late", 500), delivery_of(w, "msg_early", 100),
                             delivery_of(w, "msg_future", 5000)});
  EXPECT_EQ(webhooks().next_due(), 100);
  auto first = webhooks().claim_due(1000, 61'000);
  ASSERT_TRUE(first);
  EXPECT_EQ(first->id, "msg_early");
  EXPECT_EQ(first->body, R"({"id":"msg_early"})");
  auto second = webhooks().claim_due(1000, 61'000);
  ASSERT_TRUE(second);
  EXPECT_EQ(second->id, "msg_late");
  EXPECT_FALSE(webhooks().claim_due(1000, 61'000));  // the future one is not due; leased ones wait
  // A dispatcher that died: its lease runs out and the delivery is due again.
  auto again = webhooks().claim_due(61'000, 121'000);
  ASSERT_TRUE(again);
  EXPECT_EQ(again->id, "msg_future");
  auto redelivered = webhooks().claim_due(61'001, 121'000);
  ASSERT_TRUE(redelivered);
  EXPECT_EQ(redelivered->id, "msg_late");  // same lease end as msg_early: first written first
}

TEST_P(WebhookStoreContract, DispatchersOnTheirOwnConnectionsClaimDisjointDeliveries) {
  // Three dispatchers, each with stores of its own (its own connections, as separate processes),
  // claim due deliveries at the same time until none is left: each delivery goes to one of them.
  constexpr int DELIVERIES = 36;
  constexpr int DISPATCHERS = 3;
  const auto w = make_webhook(webhooks(), 1, {"job.completed"});
  std::vector<WebhookDelivery> many;
  for (int i = 0; i < DELIVERIES; ++i) {
    many.push_back(delivery_of(w, "msg_" + std::to_string(i), 100 + i % 4));
  }
  many.push_back(delivery_of(w, "msg_future", 5000));  // not due: nobody takes it
  webhooks().add_deliveries(many);
  std::vector<std::unique_ptr<RecordStoresUnderTest>> dispatchers;
  for (int d = 0; d < DISPATCHERS; ++d) dispatchers.push_back(open_another());
  std::vector<std::vector<std::string>> claimed(DISPATCHERS);
  std::vector<std::string> errors(DISPATCHERS);
  std::latch start(DISPATCHERS);
  std::vector<std::thread> threads;
  for (int d = 0; d < DISPATCHERS; ++d) {
    threads.emplace_back([&, d] {
      WebhookStore& store = dispatchers[static_cast<std::size_t>(d)]->webhooks();
      start.arrive_and_wait();
      try {
        // Bounded: a correct store hands out at most DELIVERIES claims in all.
        for (int i = 0; i <= DELIVERIES; ++i) {
          const auto delivery = store.claim_due(1000, 61'000);
          if (!delivery) break;
          claimed[static_cast<std::size_t>(d)].push_back(delivery->id);
        }
      } catch (const std::exception& e) {
        errors[static_cast<std::size_t>(d)] = e.what();
      }
    });
  }
  for (auto& t : threads) t.join();
  for (int d = 0; d < DISPATCHERS; ++d) EXPECT_EQ(errors[static_cast<std::size_t>(d)], "") << d;
  std::multiset<std::string> all;
  for (const auto& ids : claimed) all.insert(ids.begin(), ids.end());
  EXPECT_EQ(all.size(), static_cast<std::size_t>(DELIVERIES));
  for (int i = 0; i < DELIVERIES; ++i) {
    EXPECT_EQ(all.count("msg_" + std::to_string(i)), 1u) << "msg_" << i;
  }
  EXPECT_EQ(all.count("msg_future"), 0u);
  EXPECT_FALSE(webhooks().claim_due(1000, 61'000));
}

TEST_P(WebhookStoreContract, AttemptsAreLoggedAndSettleTheDelivery) {
  const auto w = make_webhook(webhooks(), 1, {"job.completed"});
  webhooks().add_deliveries({delivery_of(w, "msg_1", 100)});
  ASSERT_TRUE(webhooks().claim_due(100, 60'100));
  webhooks().record_attempt({"msg_1", 1, 100, 500, 12, "HTTP 500", 5100}, DeliveryStatus::pending,
                            5100);
  EXPECT_EQ(webhooks().next_due(), 5100);
  ASSERT_TRUE(webhooks().claim_due(5100, 65'100));
  webhooks().record_attempt({"msg_1", 2, 5100, 200, 8, "", std::nullopt}, DeliveryStatus::delivered,
                            std::nullopt);
  EXPECT_FALSE(webhooks().next_due());
  const auto page = webhooks().deliveries(1, w.id, "", 10);
  ASSERT_EQ(page.items.size(), 1u);
  EXPECT_EQ(page.items[0].status, DeliveryStatus::delivered);
  EXPECT_EQ(page.items[0].attempts, 2);
  const auto log = webhooks().attempts("msg_1");
  ASSERT_EQ(log.size(), 2u);
  EXPECT_EQ(log[0].status_code, 500);
  EXPECT_EQ(log[0].next_retry_at, 5100);
  EXPECT_EQ(log[1].status_code, 200);
  EXPECT_FALSE(log[1].next_retry_at);
  EXPECT_TRUE(webhooks().deliveries(2, w.id, "", 10).items.empty());  // not another user's
}

TEST_P(WebhookStoreContract, AnAttemptRecordedAgainReplacesItsLogEntry) {
  const auto w = make_webhook(webhooks(), 1, {"job.completed"});
  webhooks().add_deliveries({delivery_of(w, "msg_1", 100)});
  ASSERT_TRUE(webhooks().claim_due(100, 60'100));
  webhooks().record_attempt({"msg_1", 1, 100, 500, 12, "HTTP 500", 5100}, DeliveryStatus::pending,
                            5100);
  // The same attempt written again (a dispatcher that retried its own write): one entry, the
  // latest.
  webhooks().record_attempt({"msg_1", 1, 120, 503, 20, "HTTP 503", 6100}, DeliveryStatus::pending,
                            6100);
  const auto log = webhooks().attempts("msg_1");
  ASSERT_EQ(log.size(), 1u);
  EXPECT_EQ(log[0].at, 120);
  EXPECT_EQ(log[0].status_code, 503);
  EXPECT_EQ(log[0].latency_ms, 20);
  EXPECT_EQ(log[0].error, "HTTP 503");
  EXPECT_EQ(log[0].next_retry_at, 6100);
  EXPECT_EQ(webhooks().next_due(), 6100);
}

TEST_P(WebhookStoreContract, DeliveriesPageNewestFirstAndGoWithTheirWebhook) {
  const auto w = make_webhook(webhooks(), 1, {"job.completed"});
  std::vector<WebhookDelivery> many;
  for (int i = 0; i < 5; ++i) many.push_back(delivery_of(w, "msg_" + std::to_string(i), 100 + i));
  webhooks().add_deliveries(many);
  auto page = webhooks().deliveries(1, w.id, "", 2);
  ASSERT_EQ(page.items.size(), 2u);
  EXPECT_EQ(page.items[0].id, "msg_4");
  EXPECT_EQ(page.items[1].id, "msg_3");
  ASSERT_FALSE(page.next_cursor.empty());
  page = webhooks().deliveries(1, w.id, page.next_cursor, 10);
  ASSERT_EQ(page.items.size(), 3u);
  EXPECT_EQ(page.items[2].id, "msg_0");
  EXPECT_TRUE(page.next_cursor.empty());
  ASSERT_TRUE(webhooks().remove(1, w.id));
  EXPECT_FALSE(webhooks().next_due());
}

TEST_P(WebhookStoreContract, ADeliveriesCursorThatNoPageGaveIsRefused) {
  const auto w = make_webhook(webhooks(), 1, {"job.completed"});
  webhooks().add_deliveries({delivery_of(w, "msg_0", 100), delivery_of(w, "msg_1", 101)});
  for (const std::string cursor : {"abc", "0", "-1", "+1", "1x", "msg_1"}) {
    EXPECT_THROW(webhooks().deliveries(1, w.id, cursor, 1), InvalidCursor) << cursor;
  }
  const auto first = webhooks().deliveries(1, w.id, "", 1);
  EXPECT_EQ(webhooks().deliveries(1, w.id, first.next_cursor, 1).items.size(), 1u);
}

}  // namespace
}  // namespace imagesprint::test
