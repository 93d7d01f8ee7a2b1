#include "adapters/sodium/sodium_secrets.hpp"

#include <gtest/gtest.h>

#include <set>

namespace imagesprint {
namespace {

// The lowest libsodium allows, so the suite stays fast; production uses the interactive cost.
const SodiumSecrets SECRETS(PasswordCost{1, 8192});

TEST(SodiumSecrets, PasswordsAreArgon2idAndVerify) {
  const std::string hash = SECRETS.hash_password("correct horse 배터리");
  EXPECT_TRUE(hash.starts_with("$argon2id$")) << hash;
  EXPECT_TRUE(SECRETS.verify_password("correct horse 배터리", hash));
  EXPECT_FALSE(SECRETS.verify_password("correct horse", hash));
  EXPECT_FALSE(SECRETS.verify_password("", hash));
  EXPECT_FALSE(SECRETS.verify_password("x", "not a hash"));
  // Salted: the same password never hashes the same twice.
  EXPECT_NE(SECRETS.hash_password("pw"), SECRETS.hash_password("pw"));
}

TEST(SodiumSecrets, DefaultCostIsInteractive) {
  const std::string hash = SodiumSecrets().hash_password("pw");
  EXPECT_NE(hash.find("m=65536,t=2"), std::string::npos) << hash;
}

TEST(SodiumSecrets, TokensAreRandomAndUrlSafe) {
  std::set<std::string> seen;
  for (int i = 0; i < 100; ++i) {
    const std::string t = SECRETS.random_token(32);
    EXPECT_EQ(t.size(), 43u);
    EXPECT_EQ(
        t.find_first_not_of("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_"),
        std::string::npos);
    seen.insert(t);
  }
  EXPECT_EQ(seen.size(), 100u);
}

TEST(SodiumSecrets, RandomBytesAreRaw) {
  const std::string a = SECRETS.random_bytes(32);
  EXPECT_EQ(a.size(), 32u);
  EXPECT_NE(a, SECRETS.random_bytes(32));
  EXPECT_TRUE(SECRETS.random_bytes(0).empty());
}

TEST(SodiumSecrets, KnownAnswers) {
  EXPECT_EQ(SECRETS.sha256_hex("abc"),
            "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
  // RFC 4231 test case 2.
  EXPECT_EQ(base64_encode(SECRETS.hmac_sha256("Jefe", "what do ya want for nothing?")),
            "W9zBRr9gdU5qBCQmCJV1x1oAPwidJzmDnexYuWTsOEM=");
  EXPECT_EQ(base64url_encode(std::string("\xfb\xff", 2)), "-_8");
}

TEST(SodiumSecrets, Base64IsStandardAndPadded) {
  // RFC 4648 section 10.
  const std::pair<const char*, const char*> vectors[] = {
      {"", ""},
      {"f", "Zg=="},
      {"fo", "Zm8="},
      {"foo", "Zm9v"},
      {"foob", "Zm9vYg=="},
      {"fooba", "Zm9vYmE="},
      {"foobar", "Zm9vYmFy"},
  };
  for (const auto& [bytes, text] : vectors) {
    EXPECT_EQ(SECRETS.base64_encode(bytes), text);
    EXPECT_EQ(SECRETS.base64_decode(text), bytes) << text;
  }
  std::string all;
  for (int i = 0; i < 256; ++i) all += static_cast<char>(i);
  EXPECT_EQ(SECRETS.base64_encode("\xfb\xff"), "+/8=");
  EXPECT_EQ(SECRETS.base64_decode(SECRETS.base64_encode(all)), all);
}

TEST(SodiumSecrets, Base64DecodeRefusesAnythingElse) {
  for (const char* text : {"Zg", "Zg=", "Zg===", "Zm9v!", "Zm9v Yg==", "Zm9vYg==\n",
                           "-_8=", "Zm9vYg==x", "=Zm9", "whsec_Zm9v"}) {
    EXPECT_FALSE(SECRETS.base64_decode(text)) << text;
  }
}

TEST(SodiumSecrets, ConstantTimeEquality) {
  EXPECT_TRUE(SECRETS.equal("secret-token", "secret-token"));
  EXPECT_FALSE(SECRETS.equal("secret-token", "secret-tokeN"));
  EXPECT_FALSE(SECRETS.equal("secret", "secret-token"));
  EXPECT_TRUE(SECRETS.equal("", ""));
}

}  // namespace
}  // namespace imagesprint
