#pragma once
// The composition root's way in: the `objects` setting ("s3://BUCKET[/PREFIX]?endpoint=URL&
// region=R&path_style=true") and credentials to a ready S3ObjectStore.
#include <functional>
#include <memory>
#include <string_view>

#include "adapters/s3/s3_config.hpp"
#include "ports/object_store.hpp"

namespace imagesprint::s3 {

/// Credentials given as settings (s3_access_key_id, s3_secret_access_key); empty fields fall
/// back to AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY and AWS_SESSION_TOKEN.
struct S3CredentialSettings {
  std::string access_key_id;
  std::string secret_access_key;
  std::string session_token;
};

/// The config the setting and credentials describe, validated (std::invalid_argument naming the
/// setting; never a secret). `clock` as in S3ObjectStoreConfig (empty: system clock).
S3ObjectStoreConfig s3_config_from_settings(std::string_view setting,
                                            const S3CredentialSettings& credentials = {},
                                            std::function<UnixMillis()> clock = {});

/// An S3ObjectStore for the setting; makes no request (call check_bucket() on the result's
/// concrete type, or let the first request fail with StorageError).
std::unique_ptr<ObjectStore> make_s3_object_store(std::string_view setting,
                                                  const S3CredentialSettings& credentials = {},
                                                  std::function<UnixMillis()> clock = {});

}  // namespace imagesprint::s3
