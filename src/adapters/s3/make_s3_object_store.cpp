#include "adapters/s3/make_s3_object_store.hpp"

#include <stdexcept>

#include "adapters/s3/s3_object_store.hpp"

namespace imagesprint::s3 {

S3ObjectStoreConfig s3_config_from_settings(std::string_view setting,
                                            const S3CredentialSettings& credentials,
                                            std::function<UnixMillis()> clock) {
  S3ObjectStoreConfig config = parse_s3_setting(setting, "objects");
  const Credentials environment = credentials_from_environment();
  const auto pick = [](const std::string& given, const std::string& fallback) {
    return given.empty() ? fallback : given;
  };
  config.credentials.access_key_id = pick(credentials.access_key_id, environment.access_key_id);
  config.credentials.secret_access_key =
      pick(credentials.secret_access_key, environment.secret_access_key);
  config.credentials.session_token = pick(credentials.session_token, environment.session_token);
  config.clock = std::move(clock);
  if (const FieldErrors errors = config.validate(); !errors.empty()) {
    std::string what;
    for (const FieldError& error : errors) {
      what += (what.empty() ? "" : "; ") + error.field + ": " + error.message;
    }
    throw std::invalid_argument("setting objects: " + what +
                                " (credentials: s3_access_key_id / s3_secret_access_key or "
                                "AWS_ACCESS_KEY_ID / AWS_SECRET_ACCESS_KEY)");
  }
  return config;
}

std::unique_ptr<ObjectStore> make_s3_object_store(std::string_view setting,
                                                  const S3CredentialSettings& credentials,
                                                  std::function<UnixMillis()> clock) {
  return std::make_unique<S3ObjectStore>(
      s3_config_from_settings(setting, credentials, std::move(clock)));
}

}  // namespace imagesprint::s3
