#include "app/webhook_signature.hpp"

#include <stdexcept>

namespace imagesprint {
namespace {

std::string_view strip_prefix(std::string_view secret) {
  if (secret.starts_with(WEBHOOK_SECRET_PREFIX)) secret.remove_prefix(WEBHOOK_SECRET_PREFIX.size());
  return secret;
}

}  // namespace

std::string generate_webhook_secret(const Secrets& secrets) {
  return std::string(WEBHOOK_SECRET_PREFIX) +
         secrets.base64_encode(secrets.random_bytes(WEBHOOK_SECRET_BYTES));
}

std::optional<std::string> webhook_secret_key(const Secrets& secrets, std::string_view secret) {
  auto key = secrets.base64_decode(strip_prefix(secret));
  if (!key || key->size() < WEBHOOK_SECRET_MIN_BYTES || key->size() > WEBHOOK_SECRET_MAX_BYTES) {
    return std::nullopt;
  }
  return key;
}

std::optional<std::string> validate_webhook_secret(const Secrets& secrets,
                                                   std::string_view secret) {
  const std::string_view encoded = strip_prefix(secret);
  if (encoded.empty()) return "secret must be \"whsec_\" followed by base64, and is empty";
  const auto key = secrets.base64_decode(encoded);
  if (!key) return "secret must be \"whsec_\" followed by standard base64 (with padding)";
  if (key->size() < WEBHOOK_SECRET_MIN_BYTES || key->size() > WEBHOOK_SECRET_MAX_BYTES) {
    return "secret must hold " + std::to_string(WEBHOOK_SECRET_MIN_BYTES) + " to " +
           std::to_string(WEBHOOK_SECRET_MAX_BYTES) + " bytes of key, not " +
           std::to_string(key->size());
  }
  return std::nullopt;
}

std::string normalize_webhook_secret(std::string_view secret) {
  return std::string(WEBHOOK_SECRET_PREFIX) + std::string(strip_prefix(secret));
}

std::string new_webhook_message_id(const Secrets& secrets) {
  return "msg_" + secrets.random_token(16);
}

std::string sign_webhook(const Secrets& secrets, std::string_view secret, std::string_view msg_id,
                         std::int64_t timestamp_seconds, std::string_view body) {
  const auto key = webhook_secret_key(secrets, secret);
  if (!key) throw std::invalid_argument("sign_webhook: not a valid webhook secret");
  if (msg_id.empty() || msg_id.find('.') != std::string_view::npos) {
    throw std::invalid_argument("sign_webhook: the message id must be non-empty and without '.'");
  }
  std::string content;
  content.reserve(msg_id.size() + 22 + body.size());
  content.append(msg_id).append(".").append(std::to_string(timestamp_seconds)).append(".");
  content.append(body);
  return "v1," + secrets.base64_encode(secrets.hmac_sha256(*key, content));
}

std::string signature_header(const Secrets& secrets, std::string_view secret,
                             std::string_view previous_secret, std::string_view msg_id,
                             std::int64_t timestamp_seconds, std::string_view body) {
  std::string header = sign_webhook(secrets, secret, msg_id, timestamp_seconds, body);
  if (!previous_secret.empty()) {
    header += ' ';
    header += sign_webhook(secrets, previous_secret, msg_id, timestamp_seconds, body);
  }
  return header;
}

std::vector<std::pair<std::string, std::string>> standard_webhook_headers(const Secrets& secrets,
                                                                          const Webhook& webhook,
                                                                          std::string_view msg_id,
                                                                          UnixMillis now,
                                                                          std::string_view body) {
  const std::int64_t seconds = now / 1000;
  const bool in_grace =
      !webhook.previous_secret.empty() && webhook.previous_until && now < *webhook.previous_until;
  return {
      {"webhook-id", std::string(msg_id)},
      {"webhook-timestamp", std::to_string(seconds)},
      {"webhook-signature",
       signature_header(secrets, webhook.secret, in_grace ? webhook.previous_secret : "", msg_id,
                        seconds, body)},
  };
}

}  // namespace imagesprint
