#pragma once
// Standard Webhooks signatures (github.com/standard-webhooks/standard-webhooks,
// spec/standard-webhooks.md), so receivers can verify our generic webhooks with that project's
// published libraries: HMAC-SHA256 over "{msg_id}.{timestamp}.{body}", sent as
// "webhook-signature: v1,<base64>", one entry per secret while a rotated-out secret is still in
// its grace period (space separated).
#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "domain/webhook.hpp"
#include "ports/secrets.hpp"

namespace imagesprint {

/// How a symmetric secret is shown to users: "whsec_" + standard base64 of the key.
inline constexpr std::string_view WEBHOOK_SECRET_PREFIX = "whsec_";
/// Bytes of key in a secret we generate.
inline constexpr std::size_t WEBHOOK_SECRET_BYTES = 32;
/// The specification's bounds on a key's length (192 to 512 bits), for secrets users bring.
inline constexpr std::size_t WEBHOOK_SECRET_MIN_BYTES = 24;
inline constexpr std::size_t WEBHOOK_SECRET_MAX_BYTES = 64;

/// A fresh secret: "whsec_" + base64 of WEBHOOK_SECRET_BYTES random bytes.
std::string generate_webhook_secret(const Secrets& secrets);

/// The key inside a secret, or nullopt when it is not one. As in the specification's libraries
/// the "whsec_" prefix is optional (stripped when present); the rest must be standard padded
/// base64 of WEBHOOK_SECRET_MIN_BYTES to WEBHOOK_SECRET_MAX_BYTES bytes.
std::optional<std::string> webhook_secret_key(const Secrets& secrets, std::string_view secret);

/// Why `secret` cannot be used (naming what is wrong), or nullopt when it can.
std::optional<std::string> validate_webhook_secret(const Secrets& secrets, std::string_view secret);

/// A valid secret as we store and show it: with the "whsec_" prefix.
std::string normalize_webhook_secret(std::string_view secret);

/// A new delivery id (the `webhook-id`): "msg_" + 16 random bytes, URL-safe base64. Never
/// contains '.', which the signed content uses as its delimiter.
std::string new_webhook_message_id(const Secrets& secrets);

/// "v1,<base64 HMAC-SHA256(key, msg_id + '.' + timestamp + '.' + body)>". Throws
/// std::invalid_argument for an invalid secret, or a msg_id that is empty or contains '.'.
std::string sign_webhook(const Secrets& secrets, std::string_view secret, std::string_view msg_id,
                         std::int64_t timestamp_seconds, std::string_view body);

/// The `webhook-signature` value: the signature with `secret`, then, when `previous_secret` is
/// not empty (a rotation's grace period), a space and the signature with that one.
std::string signature_header(const Secrets& secrets, std::string_view secret,
                             std::string_view previous_secret, std::string_view msg_id,
                             std::int64_t timestamp_seconds, std::string_view body);

/// The three Standard Webhooks headers for one attempt of a delivery to `webhook`, signed at
/// `now` (webhook-timestamp is its unix seconds; a retry is signed anew with its own time). The
/// previous secret signs too while `now` is before `webhook.previous_until`.
std::vector<std::pair<std::string, std::string>> standard_webhook_headers(const Secrets& secrets,
                                                                          const Webhook& webhook,
                                                                          std::string_view msg_id,
                                                                          UnixMillis now,
                                                                          std::string_view body);

}  // namespace imagesprint
