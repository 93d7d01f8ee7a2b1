// The S3 store's settings: the "objects" setting string, validate(), the AWS credential
// variables, and that no secret reaches a message.
#include <gtest/gtest.h>

#include <cstdlib>

#include "adapters/s3/make_s3_object_store.hpp"
#include "adapters/s3/s3_config.hpp"

namespace imagesprint::s3 {
namespace {

S3ObjectStoreConfig valid() {
  S3ObjectStoreConfig config;
  config.bucket = "images";
  config.credentials = {"AKIAEXAMPLE", "secret/with+chars", ""};
  return config;
}

std::string error_of(const std::function<void()>& action) {
  try {
    action();
  } catch (const std::invalid_argument& error) {
    return error.what();
  }
  return "";
}

TEST(S3Setting, BucketOnly) {
  const S3ObjectStoreConfig config = parse_s3_setting("s3://images");
  EXPECT_EQ(config.bucket, "images");
  EXPECT_EQ(config.prefix, "");
  EXPECT_EQ(config.endpoint, "");
  EXPECT_EQ(config.region, "us-east-1");
  EXPECT_FALSE(config.path_style);
  EXPECT_EQ(config.effective_endpoint(), "https://s3.us-east-1.amazonaws.com");
}

TEST(S3Setting, EverythingGiven) {
  const S3ObjectStoreConfig config = parse_s3_setting(
      "s3://my-bucket/tenant/a/?endpoint=http://127.0.0.1:9000&region=eu-west-3&path_style=true");
  EXPECT_EQ(config.bucket, "my-bucket");
  EXPECT_EQ(config.prefix, "tenant/a");
  EXPECT_EQ(config.endpoint, "http://127.0.0.1:9000");
  EXPECT_EQ(config.region, "eu-west-3");
  EXPECT_TRUE(config.path_style);
}

TEST(S3Setting, PercentEncodedValuesAndOrder) {
  const S3ObjectStoreConfig config =
      parse_s3_setting("s3://b12?path_style=0&region=auto&endpoint=https%3A%2F%2Fr2.example.com");
  EXPECT_EQ(config.endpoint, "https://r2.example.com");
  EXPECT_EQ(config.region, "auto");
  EXPECT_FALSE(config.path_style);
  EXPECT_EQ(config.effective_endpoint(), "https://r2.example.com");
}

TEST(S3Setting, ErrorsNameTheSettingAndTheFault) {
  const auto parse = [](std::string_view text) {
    return error_of([&] { parse_s3_setting(text); });
  };
  EXPECT_NE(parse("file:/tmp/x").find("setting objects: expected s3://BUCKET"), std::string::npos);
  EXPECT_NE(parse("s3://").find("bucket"), std::string::npos);
  EXPECT_NE(parse("s3://Upper_Case").find("bucket"), std::string::npos);
  EXPECT_NE(parse("s3://ok-bucket/../x").find("prefix"), std::string::npos);
  EXPECT_NE(parse("s3://ok-bucket/a//b").find("prefix"), std::string::npos);
  EXPECT_NE(parse("s3://ok-bucket?endpoint=ftp://x").find("endpoint"), std::string::npos);
  EXPECT_NE(parse("s3://ok-bucket?endpoint=http://h/path").find("no path"), std::string::npos);
  EXPECT_NE(parse("s3://ok-bucket?endpoint=http://user:pw@h").find("endpoint"), std::string::npos);
  EXPECT_NE(parse("s3://ok-bucket?path_style=yes").find("path_style: expected true or false"),
            std::string::npos);
  EXPECT_NE(parse("s3://ok-bucket?region=").find("region"), std::string::npos);
  EXPECT_NE(parse("s3://ok-bucket?secret=x").find("unknown parameter 'secret'"), std::string::npos);
  EXPECT_NE(parse("s3://ok-bucket?region=a&region=b").find("given twice"), std::string::npos);
}

TEST(S3Config, ValidateNamesTheField) {
  EXPECT_TRUE(valid().validate().empty());
  auto config = valid();
  config.bucket = "x";
  EXPECT_NE(error_of([&] { refuse(config.validate()); }).find("S3ObjectStoreConfig.bucket"),
            std::string::npos);
  config = valid();
  config.credentials.access_key_id.clear();
  EXPECT_NE(error_of([&] { refuse(config.validate()); }).find("AWS_ACCESS_KEY_ID"),
            std::string::npos);
  config = valid();
  config.credentials.secret_access_key.clear();
  EXPECT_NE(error_of([&] { refuse(config.validate()); }).find("AWS_SECRET_ACCESS_KEY"),
            std::string::npos);
  config = valid();
  config.part_size = S3ObjectStoreConfig::MIN_PART_SIZE - 1;
  EXPECT_NE(error_of([&] { refuse(config.validate()); }).find("part_size"), std::string::npos);
  config = valid();
  config.max_attempts = 0;
  EXPECT_NE(error_of([&] { refuse(config.validate()); }).find("max_attempts"), std::string::npos);
  config = valid();
  config.prefix = "/abs";
  EXPECT_NE(error_of([&] { refuse(config.validate()); }).find("prefix"), std::string::npos);
  config = valid();
  config.region = "EU West";
  EXPECT_NE(error_of([&] { refuse(config.validate()); }).find("region"), std::string::npos);
  config = valid();
  config.connect_timeout = std::chrono::milliseconds(0);
  EXPECT_NE(error_of([&] { refuse(config.validate()); }).find("connect_timeout"),
            std::string::npos);
}

TEST(S3Config, DescribeShowsNoSecret) {
  auto config = valid();
  config.credentials.session_token = "token-value";
  config.prefix = "p";
  const std::string text = config.describe();
  EXPECT_EQ(text,
            "s3://images/p at https://s3.us-east-1.amazonaws.com (virtual-hosted, us-east-1, "
            "key id AKIA...)");
  EXPECT_EQ(text.find("secret"), std::string::npos);
  EXPECT_EQ(text.find("token-value"), std::string::npos);
}

class EnvironmentCredentials : public ::testing::Test {
 protected:
  void SetUp() override {
    for (const char* name : {"AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY", "AWS_SESSION_TOKEN"}) {
      if (const char* value = std::getenv(name)) saved_.emplace_back(name, value);
      unsetenv(name);
    }
  }
  void TearDown() override {
    for (const char* name : {"AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY", "AWS_SESSION_TOKEN"}) {
      unsetenv(name);
    }
    for (const auto& [name, value] : saved_) setenv(name.c_str(), value.c_str(), 1);
  }
  std::vector<std::pair<std::string, std::string>> saved_;
};

TEST_F(EnvironmentCredentials, ComeFromTheStandardVariables) {
  setenv("AWS_ACCESS_KEY_ID", "AKIAENV", 1);
  setenv("AWS_SECRET_ACCESS_KEY", "env-secret", 1);
  setenv("AWS_SESSION_TOKEN", "env-token", 1);
  const Credentials credentials = credentials_from_environment();
  EXPECT_EQ(credentials.access_key_id, "AKIAENV");
  EXPECT_EQ(credentials.secret_access_key, "env-secret");
  EXPECT_EQ(credentials.session_token, "env-token");

  const S3ObjectStoreConfig config =
      s3_config_from_settings("s3://images?endpoint=http://127.0.0.1:9000&path_style=true");
  EXPECT_EQ(config.credentials.access_key_id, "AKIAENV");
  EXPECT_EQ(config.credentials.session_token, "env-token");

  // Settings win over the environment.
  const S3ObjectStoreConfig given =
      s3_config_from_settings("s3://images", {"AKIASETTING", "setting-secret", ""});
  EXPECT_EQ(given.credentials.access_key_id, "AKIASETTING");
  EXPECT_EQ(given.credentials.secret_access_key, "setting-secret");
  EXPECT_NE(make_s3_object_store("s3://images"), nullptr) << "no request at construction";
}

TEST_F(EnvironmentCredentials, MissingOnesAreNamedWithoutSecrets) {
  setenv("AWS_SECRET_ACCESS_KEY", "do-not-print-me", 1);
  const std::string error = error_of([] { make_s3_object_store("s3://images"); });
  EXPECT_NE(error.find("setting objects"), std::string::npos) << error;
  EXPECT_NE(error.find("AWS_ACCESS_KEY_ID"), std::string::npos) << error;
  EXPECT_EQ(error.find("do-not-print-me"), std::string::npos) << error;
}

}  // namespace
}  // namespace imagesprint::s3
