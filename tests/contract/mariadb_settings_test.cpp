// The `database` setting's mysql:// URL (adapters/mariadb/mariadb_settings.hpp): parsed into the
// pool's settings, refused with the setting's name, and never echoing the password.
#include <gtest/gtest.h>

#include <stdexcept>

#include "adapters/mariadb/mariadb_settings.hpp"

namespace imagesprint::test {
namespace {

std::string refusal(std::string_view url) {
  try {
    parse_mysql_url(url);
  } catch (const std::invalid_argument& e) {
    return e.what();
  }
  return "";
}

TEST(MysqlUrl, ParsesEveryPart) {
  const MariaDbSettings s = parse_mysql_url("mysql://app:s3cret@db.internal:3307/imagesprint");
  EXPECT_EQ(s.user, "app");
  EXPECT_EQ(s.password, "s3cret");
  EXPECT_EQ(s.host, "db.internal");
  EXPECT_EQ(s.port, 3307);
  EXPECT_EQ(s.database, "imagesprint");
  EXPECT_EQ(s.connections, MariaDbSettings::DEFAULT_CONNECTIONS);
  EXPECT_EQ(s.describe(), "mysql://app@db.internal:3307/imagesprint") << "no password";
}

TEST(MysqlUrl, DefaultsThePortAndAcceptsNoPasswordMariadbAndIpv6) {
  const MariaDbSettings s = parse_mysql_url("mariadb://app@127.0.0.1/records");
  EXPECT_EQ(s.port, MariaDbSettings::DEFAULT_PORT);
  EXPECT_EQ(s.password, "");
  EXPECT_EQ(s.host, "127.0.0.1");
  const MariaDbSettings v6 = parse_mysql_url("mysql://app:pw@[::1]:3310/records");
  EXPECT_EQ(v6.host, "::1");
  EXPECT_EQ(v6.port, 3310);
  EXPECT_EQ(v6.describe(), "mysql://app@[::1]:3310/records");
}

TEST(MysqlUrl, DecodesPercentEscapesAndKeepsRawAtSignsInThePassword) {
  const MariaDbSettings s = parse_mysql_url("mysql://us%65r:p%40ss%2Fw%3Ard@host/db");
  EXPECT_EQ(s.user, "user");
  EXPECT_EQ(s.password, "p@ss/w:rd");
  EXPECT_EQ(parse_mysql_url("mysql://user:p@ss@host/db").password, "p@ss");
}

TEST(MysqlUrl, RefusesWhatIsMissingOrMalformedNamingTheSettingButNotThePassword) {
  EXPECT_NE(refusal("postgres://u:p@h/db").find("database: expected mysql://"), std::string::npos);
  EXPECT_NE(refusal("mysql://h/db").find("no USER@"), std::string::npos);
  EXPECT_NE(refusal("mysql://u:p@h").find("no /DB"), std::string::npos);
  EXPECT_NE(refusal("mysql://u:p@h/").find("no database name"), std::string::npos);
  EXPECT_NE(refusal("mysql://u:p@:3306/db").find("no host"), std::string::npos);
  EXPECT_NE(refusal("mysql://u:p@h:port/db").find("'port' is not a number"), std::string::npos);
  EXPECT_NE(refusal("mysql://u:p@h:70000/db").find("1-65535"), std::string::npos);
  EXPECT_NE(refusal("mysql://u:p@[::1/db").find("']'"), std::string::npos);
  const std::string bad_escape = refusal("mysql://u:topsecret%zz@h/db");
  EXPECT_NE(bad_escape.find("password"), std::string::npos);
  EXPECT_EQ(bad_escape.find("topsecret"), std::string::npos) << bad_escape;
}

}  // namespace
}  // namespace imagesprint::test
