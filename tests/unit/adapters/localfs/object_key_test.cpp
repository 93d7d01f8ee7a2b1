// The key rules of every ObjectStore (ports/object_key.cpp), against nasty keys.
#include <gtest/gtest.h>

#include <filesystem>
#include <random>
#include <string>
#include <vector>

#include "ports/object_store.hpp"

namespace imagesprint {
namespace {

using namespace std::string_literals;

TEST(ObjectKey, AcceptsTheKeysTheApplicationBuilds) {
  for (const std::string& key : std::vector<std::string>{
           "a", "jobs/Zx9_-/in/0", "jobs/abc/out/photo.final.webp", "archives/abc.zip", "a/b/c/d/e",
           "x..y", "name.", "-dash/_under", std::string(255, 'k'),
           std::string(255, 'a') + "/" + std::string(255, 'b')}) {
    EXPECT_EQ(object_key_error(key), std::nullopt) << key;
  }
  std::string longest;
  while (longest.size() + 3 <= MAX_OBJECT_KEY_BYTES) longest += "a/";
  longest += std::string(MAX_OBJECT_KEY_BYTES - longest.size(), 'z');
  ASSERT_EQ(longest.size(), MAX_OBJECT_KEY_BYTES);
  EXPECT_EQ(object_key_error(longest), std::nullopt);
}

struct Nasty {
  std::string key;
  std::string reason;  // a part of the expected message
};

TEST(ObjectKey, RefusesEveryWayOutOfTheRootWithAReason) {
  const Nasty cases[] = {
      {"", "empty"},
      {"/etc/passwd", "absolute"},
      {"//server/share", "absolute"},
      {"..", "starting with '.'"},
      {".", "starting with '.'"},
      {"../x", "starting with '.'"},
      {"a/../b", "starting with '.'"},
      {"a/..", "starting with '.'"},
      {"a/./b", "starting with '.'"},
      {".hidden", "starting with '.'"},
      {"jobs/.tmp-1234", "starting with '.'"},
      {"a//b", "empty segment"},
      {"a/", "ends with '/'"},
      {"a\\b", "backslash"},
      {"..\\..\\windows", "backslash"},
      {"a\0b"s, "NUL"},
      {"a\0/../../etc"s, "NUL"},
      {"C:/x", "':'"},
      {"a b", "' '"},
      {"%2e%2e/x", "'%'"},
      {"a\nb", "0x0A"},
      {"a\rb", "0x0D"},
      {"\x7f", "0x7F"},
      {"caf\xc3\xa9", "0xC3"},
      {"\xef\xbc\x8e\xef\xbc\x8e/x", "0xEF"},  // fullwidth dots: never normalised into ".."
      {"~/x", "'~'"},
      {"a?b", "'?'"},
      {"a#b", "'#'"},
      {std::string(MAX_OBJECT_KEY_BYTES + 1, 'a'), "longer than 1024"},
      {std::string(256, 's'), "segment longer than 255"},
  };
  for (const Nasty& nasty : cases) {
    const auto error = object_key_error(nasty.key);
    ASSERT_TRUE(error.has_value()) << "accepted: " << nasty.key;
    EXPECT_NE(error->find(nasty.reason), std::string::npos)
        << "key " << testing::PrintToString(nasty.key) << ": " << *error;
  }
}

TEST(ObjectKey, PrefixesMayBeEmptyOrEndInASlash) {
  for (const std::string& prefix :
       std::vector<std::string>{"", "jobs/", "jobs/ab", "jobs/abc/in/", "a"}) {
    EXPECT_EQ(object_prefix_error(prefix), std::nullopt) << prefix;
  }
  for (const std::string& prefix :
       std::vector<std::string>{"/", "//", "../", "a//", "/jobs/", "jobs/../", "a\\", ".x/"}) {
    EXPECT_TRUE(object_prefix_error(prefix).has_value()) << prefix;
  }
}

// Whatever the input, a key that passes names a path strictly inside the root that no lexical
// normalisation moves: the property the local store relies on.
TEST(ObjectKey, EveryAcceptedKeyStaysInsideTheRoot) {
  const std::filesystem::path root = "/srv/objects";
  const std::string alphabet = std::string("a./\\-_%~:") + '\0';
  std::mt19937 random(12345);
  int accepted = 0;
  for (int i = 0; i < 200'000; ++i) {
    std::string key(1 + random() % 8, 'a');
    for (char& c : key) c = alphabet[random() % alphabet.size()];
    if (object_key_error(key)) continue;
    ++accepted;
    const std::filesystem::path path = root / key;
    ASSERT_EQ(path.lexically_normal(), path) << key;
    const auto relative = path.lexically_relative(root);
    ASSERT_FALSE(relative.empty()) << key;
    ASSERT_NE(*relative.begin(), "..") << key;
    ASSERT_EQ(relative.generic_string(), key);
  }
  EXPECT_GT(accepted, 1000) << "the generator should also produce valid keys";
}

TEST(ObjectKey, MethodNames) {
  EXPECT_EQ(to_string(PresignMethod::get), "GET");
  EXPECT_EQ(to_string(PresignMethod::put), "PUT");
}

}  // namespace
}  // namespace imagesprint
