#include "app/webhook_signature.hpp"

#include <gtest/gtest.h>
#include <sys/wait.h>

#include <chrono>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <set>

#include "adapters/sodium/sodium_secrets.hpp"
#include "app/clock.hpp"

namespace imagesprint {
namespace {

const SodiumSecrets SECRETS(PasswordCost{1, 8192});

// The Standard Webhooks test vector (standard-webhooks/standard-webhooks,
// libraries/javascript/src/webhook.test.ts, "sign function works"; the same in the other
// libraries' tests).
constexpr std::string_view VECTOR_SECRET = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw";
constexpr std::string_view VECTOR_ID = "msg_p5jXN8AQM9LWM0D4loKWxJek";
constexpr std::int64_t VECTOR_TIMESTAMP = 1614265330;
constexpr std::string_view VECTOR_BODY = R"({"test": 2432232314})";
constexpr std::string_view VECTOR_SIGNATURE = "v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=";

TEST(WebhookSignature, MatchesTheSpecificationsTestVector) {
  EXPECT_EQ(sign_webhook(SECRETS, VECTOR_SECRET, VECTOR_ID, VECTOR_TIMESTAMP, VECTOR_BODY),
            VECTOR_SIGNATURE);
  // The libraries accept the secret without its prefix too.
  EXPECT_EQ(
      sign_webhook(SECRETS, VECTOR_SECRET.substr(6), VECTOR_ID, VECTOR_TIMESTAMP, VECTOR_BODY),
      VECTOR_SIGNATURE);
}

TEST(WebhookSignature, EverySignedPartMatters) {
  const std::string base =
      sign_webhook(SECRETS, VECTOR_SECRET, VECTOR_ID, VECTOR_TIMESTAMP, VECTOR_BODY);
  EXPECT_NE(sign_webhook(SECRETS, VECTOR_SECRET, "msg_other", VECTOR_TIMESTAMP, VECTOR_BODY), base);
  EXPECT_NE(sign_webhook(SECRETS, VECTOR_SECRET, VECTOR_ID, VECTOR_TIMESTAMP + 1, VECTOR_BODY),
            base);
  EXPECT_NE(
      sign_webhook(SECRETS, VECTOR_SECRET, VECTOR_ID, VECTOR_TIMESTAMP, R"({"test": 2432232315})"),
      base);
  EXPECT_NE(sign_webhook(SECRETS, generate_webhook_secret(SECRETS), VECTOR_ID, VECTOR_TIMESTAMP,
                         VECTOR_BODY),
            base);
}

TEST(WebhookSignature, RefusesBadInputs) {
  EXPECT_THROW(sign_webhook(SECRETS, "whsec_c2hvcnQ=", VECTOR_ID, 1, "{}"), std::invalid_argument);
  EXPECT_THROW(sign_webhook(SECRETS, VECTOR_SECRET, "msg.1", 1, "{}"), std::invalid_argument);
  EXPECT_THROW(sign_webhook(SECRETS, VECTOR_SECRET, "", 1, "{}"), std::invalid_argument);
}

TEST(WebhookSignature, RotationSignsWithBothSecretsSpaceSeparated) {
  const std::string next = generate_webhook_secret(SECRETS);
  const std::string header =
      signature_header(SECRETS, next, VECTOR_SECRET, VECTOR_ID, VECTOR_TIMESTAMP, VECTOR_BODY);
  EXPECT_EQ(header, sign_webhook(SECRETS, next, VECTOR_ID, VECTOR_TIMESTAMP, VECTOR_BODY) + " " +
                        std::string(VECTOR_SIGNATURE));
  EXPECT_EQ(signature_header(SECRETS, VECTOR_SECRET, "", VECTOR_ID, VECTOR_TIMESTAMP, VECTOR_BODY),
            VECTOR_SIGNATURE);
}

TEST(WebhookSignature, HeadersSignWithThePreviousSecretOnlyDuringItsGrace) {
  Webhook webhook;
  webhook.secret = generate_webhook_secret(SECRETS);
  webhook.previous_secret = std::string(VECTOR_SECRET);
  webhook.previous_until = VECTOR_TIMESTAMP * 1000 + 60'000;
  const UnixMillis now = VECTOR_TIMESTAMP * 1000 + 999;  // milliseconds are dropped

  auto headers = standard_webhook_headers(SECRETS, webhook, VECTOR_ID, now, VECTOR_BODY);
  ASSERT_EQ(headers.size(), 3u);
  EXPECT_EQ(headers[0],
            (std::pair<std::string, std::string>{"webhook-id", std::string(VECTOR_ID)}));
  EXPECT_EQ(headers[1], (std::pair<std::string, std::string>{"webhook-timestamp", "1614265330"}));
  EXPECT_EQ(headers[2].first, "webhook-signature");
  EXPECT_TRUE(headers[2].second.ends_with(" " + std::string(VECTOR_SIGNATURE)))
      << headers[2].second;

  webhook.previous_until = now;  // the grace period is over
  headers = standard_webhook_headers(SECRETS, webhook, VECTOR_ID, now, VECTOR_BODY);
  EXPECT_EQ(headers[2].second.find(' '), std::string::npos);
  EXPECT_EQ(headers[2].second,
            sign_webhook(SECRETS, webhook.secret, VECTOR_ID, VECTOR_TIMESTAMP, VECTOR_BODY));
}

TEST(WebhookSecret, GeneratedSecretsAreWhsecAnd32RandomBytes) {
  std::set<std::string> seen;
  for (int i = 0; i < 50; ++i) {
    const std::string secret = generate_webhook_secret(SECRETS);
    EXPECT_TRUE(secret.starts_with("whsec_")) << secret;
    EXPECT_EQ(secret.size(), 6u + 44u);  // base64 of 32 bytes, padded
    const auto key = webhook_secret_key(SECRETS, secret);
    ASSERT_TRUE(key) << secret;
    EXPECT_EQ(key->size(), 32u);
    EXPECT_FALSE(validate_webhook_secret(SECRETS, secret)) << secret;
    seen.insert(secret);
  }
  EXPECT_EQ(seen.size(), 50u);
}

TEST(WebhookSecret, ValidationFollowsTheSpecification) {
  const auto b64 = [](std::size_t bytes) { return SECRETS.base64_encode(std::string(bytes, 'k')); };
  EXPECT_FALSE(validate_webhook_secret(SECRETS, VECTOR_SECRET));            // 24 bytes
  EXPECT_FALSE(validate_webhook_secret(SECRETS, VECTOR_SECRET.substr(6)));  // prefix optional
  EXPECT_FALSE(validate_webhook_secret(SECRETS, "whsec_" + b64(64)));
  const struct {
    std::string secret;
    const char* says;
  } bad[] = {
      {"", "empty"},
      {"whsec_", "empty"},
      {"whsec_" + b64(23), "24 to 64 bytes of key, not 23"},
      {"whsec_" + b64(65), "not 65"},
      {"whsec_not base64!", "standard base64"},
      {"whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaS", "standard base64"},  // cut short
      {"whsec_" + SECRETS.random_token(32), "standard base64"},      // URL-safe, unpadded
      {"whsk_" + b64(32), "standard base64"},                        // an asymmetric key's prefix
  };
  for (const auto& [secret, says] : bad) {
    const auto error = validate_webhook_secret(SECRETS, secret);
    ASSERT_TRUE(error) << secret;
    EXPECT_NE(error->find(says), std::string::npos) << secret << ": " << *error;
    EXPECT_FALSE(webhook_secret_key(SECRETS, secret)) << secret;
  }
  EXPECT_EQ(normalize_webhook_secret(VECTOR_SECRET.substr(6)), VECTOR_SECRET);
  EXPECT_EQ(normalize_webhook_secret(VECTOR_SECRET), VECTOR_SECRET);
}

TEST(WebhookSecret, MessageIdsAreUniqueAndDotless) {
  std::set<std::string> seen;
  for (int i = 0; i < 100; ++i) {
    const std::string id = new_webhook_message_id(SECRETS);
    EXPECT_TRUE(id.starts_with("msg_")) << id;
    EXPECT_EQ(id.find('.'), std::string::npos) << id;
    seen.insert(id);
  }
  EXPECT_EQ(seen.size(), 100u);
}

// The independent check: the specification's own JavaScript library verifies what we sign.
class StandardWebhooksLibrary : public ::testing::Test {
 protected:
  void SetUp() override {
    if (std::string_view(IMAGESPRINT_NODE).empty()) {
      GTEST_SKIP() << "node not found at configure time: cannot run the npm standardwebhooks check";
    }
    folder_ =
        std::filesystem::temp_directory_path() / ("imagesprint-swh-" + SECRETS.random_token(8));
    std::filesystem::create_directories(folder_);
  }
  void TearDown() override {
    if (!folder_.empty()) std::filesystem::remove_all(folder_);
  }

  static std::string quote(std::string_view arg) {
    std::string out = "'";
    for (const char c : arg) {
      if (c == '\'') {
        out += "'\\''";
      } else {
        out += c;
      }
    }
    return out + "'";
  }

  /// The script's exit code (0 verified, 1 rejected) and what it printed.
  std::pair<int, std::string> verify(std::string_view secret, std::string_view id,
                                     std::int64_t timestamp, std::string_view signature,
                                     std::string_view body) {
    const auto body_file = folder_ / ("body-" + std::to_string(++files_));
    std::ofstream(body_file, std::ios::binary)
        .write(body.data(), static_cast<std::streamsize>(body.size()));
    const std::string command = quote(IMAGESPRINT_NODE) + " " +
                                quote(IMAGESPRINT_VERIFY_WEBHOOK_SCRIPT) + " " + quote(secret) +
                                " " + quote(id) + " " + quote(std::to_string(timestamp)) + " " +
                                quote(signature) + " " + quote(body_file.string()) + " 2>&1";
    std::FILE* pipe = popen(command.c_str(), "r");
    if (pipe == nullptr) return {-1, "popen failed"};
    std::string output;
    char buffer[512];
    while (std::fgets(buffer, sizeof buffer, pipe) != nullptr) output += buffer;
    const int status = pclose(pipe);
    return {WIFEXITED(status) ? WEXITSTATUS(status) : -1, output};
  }

  static std::int64_t now_seconds() { return system_now() / 1000; }

  std::filesystem::path folder_;
  int files_ = 0;
};

TEST_F(StandardWebhooksLibrary, AcceptsOurSignatures) {
  std::string large = R"({"data":")";
  while (large.size() < 300'000) large += "ImageSprint 이미지 \xF0\x9F\x93\xB7 ";
  large += R"("})";
  const std::string bodies[] = {
      R"({"type":"webhook.test"})",
      R"({"name":"사진 모음 \"여름\" 📷","emoji":"✅⚠️❌","path":"a\\b/c","nul":"\u0000"})",
      std::string(VECTOR_BODY),
      large,
  };
  const std::string secret = generate_webhook_secret(SECRETS);
  for (const auto& body : bodies) {
    const std::string id = new_webhook_message_id(SECRETS);
    const std::int64_t now = now_seconds();
    const auto [code, output] =
        verify(secret, id, now, sign_webhook(SECRETS, secret, id, now, body), body);
    EXPECT_EQ(code, 0) << output << " body of " << body.size() << " bytes";
  }
}

TEST_F(StandardWebhooksLibrary, AcceptsEitherSecretDuringARotation) {
  const std::string old_secret = generate_webhook_secret(SECRETS);
  const std::string new_secret = generate_webhook_secret(SECRETS);
  const std::string body = R"({"type":"job.completed"})";
  const std::int64_t now = now_seconds();
  const std::string header =
      signature_header(SECRETS, new_secret, old_secret, "msg_rot", now, body);
  // A receiver still configured with the old secret, and one already on the new one.
  EXPECT_EQ(verify(old_secret, "msg_rot", now, header, body).first, 0);
  EXPECT_EQ(verify(new_secret, "msg_rot", now, header, body).first, 0);
  EXPECT_EQ(verify(generate_webhook_secret(SECRETS), "msg_rot", now, header, body).first, 1);
}

TEST_F(StandardWebhooksLibrary, RejectsTamperingAWrongSecretAndStaleTimestamps) {
  const std::string secret = generate_webhook_secret(SECRETS);
  const std::string body = R"({"type":"job.completed","data":{"job":{"done":12}}})";
  const std::int64_t now = now_seconds();
  const std::string signature = sign_webhook(SECRETS, secret, "msg_1", now, body);
  ASSERT_EQ(verify(secret, "msg_1", now, signature, body).first, 0);

  const std::string tampered = R"({"type":"job.completed","data":{"job":{"done":13}}})";
  auto [code, output] = verify(secret, "msg_1", now, signature, tampered);
  EXPECT_EQ(code, 1) << output;
  std::tie(code, output) = verify(generate_webhook_secret(SECRETS), "msg_1", now, signature, body);
  EXPECT_EQ(code, 1) << output;
  std::tie(code, output) = verify(secret, "msg_2", now, signature, body);
  EXPECT_EQ(code, 1) << output;
  std::tie(code, output) = verify(secret, "msg_1", now + 1, signature, body);
  EXPECT_EQ(code, 1) << output;

  // Outside the library's five-minute tolerance, even when correctly signed.
  const std::int64_t stale = now - 6 * 60;
  std::tie(code, output) =
      verify(secret, "msg_1", stale, sign_webhook(SECRETS, secret, "msg_1", stale, body), body);
  EXPECT_EQ(code, 1) << output;
  EXPECT_NE(output.find("too old"), std::string::npos) << output;
  const std::int64_t future = now + 6 * 60;
  std::tie(code, output) =
      verify(secret, "msg_1", future, sign_webhook(SECRETS, secret, "msg_1", future, body), body);
  EXPECT_EQ(code, 1) << output;
}

}  // namespace
}  // namespace imagesprint
