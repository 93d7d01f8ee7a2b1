// The WebhookStore contract, redelivery (ports/webhook_store.hpp): a delivery keeps the job it
// is about, is found by its owner only, and a finished one is made pending again with a fresh
// budget of tries, while a pending one (maybe in a dispatcher's hands) is left alone.
#include "record_stores_contract.hpp"

namespace imagesprint::test {
namespace {

TEST_P(WebhookStoreContract, ADeliveryNamesItsJobAndOnlyAFinishedOneIsRequeued) {
  Webhook hook;
  hook.user_id = 1;
  hook.url = "https://example.com/hook";
  hook.events = {"job.completed"};
  hook.secret = "whsec_c2VjcmV0c2VjcmV0c2VjcmV0c2VjcmV0";
  hook.created_at = 1000;
  const Webhook w = webhooks().create(hook);
  WebhookDelivery d{
      "msg_r", w.id, 1, "job.completed", R"({"id":"msg_r"})", DeliveryStatus::pending, 0, 100, 100};
  d.job_id = "job_1";
  d.job_name = "웨딩 사진";
  webhooks().add_deliveries({d});

  const auto found = webhooks().delivery(1, w.id, "msg_r");
  ASSERT_TRUE(found);
  EXPECT_EQ(found->job_id, "job_1");
  EXPECT_EQ(found->job_name, "웨딩 사진");
  EXPECT_EQ(found->attempt_base, 0);
  EXPECT_EQ(webhooks().deliveries(1, w.id, "", 10).items.at(0).job_name, "웨딩 사진");
  EXPECT_FALSE(webhooks().delivery(2, w.id, "msg_r"));      // not another user's
  EXPECT_FALSE(webhooks().delivery(1, w.id + 1, "msg_r"));  // not through another webhook
  EXPECT_FALSE(webhooks().delivery(1, w.id, "msg_other"));

  // Pending (perhaps leased right now): not requeued.
  ASSERT_TRUE(webhooks().claim_due(100, 60'100));
  EXPECT_FALSE(webhooks().requeue("msg_r", 200));
  webhooks().record_attempt({"msg_r", 1, 100, 400, 9, "HTTP 400", std::nullopt},
                            DeliveryStatus::failed, std::nullopt);
  EXPECT_FALSE(webhooks().next_due());

  // Finished: pending again, due at once, tries counted from here; the log is kept.
  EXPECT_TRUE(webhooks().requeue("msg_r", 5000));
  EXPECT_EQ(webhooks().next_due(), 5000);
  const auto again = webhooks().claim_due(5000, 65'000);
  ASSERT_TRUE(again);
  EXPECT_EQ(again->id, "msg_r");
  EXPECT_EQ(again->attempts, 1);
  EXPECT_EQ(again->attempt_base, 1);
  EXPECT_EQ(again->body, d.body);
  EXPECT_EQ(webhooks().attempts("msg_r").size(), 1u);
  EXPECT_FALSE(webhooks().requeue("msg_missing", 5000));
}

}  // namespace
}  // namespace imagesprint::test
