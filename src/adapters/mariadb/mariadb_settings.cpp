#include "adapters/mariadb/mariadb_settings.hpp"

#include <charconv>
#include <stdexcept>

namespace imagesprint {
namespace {

[[noreturn]] void bad(const std::string& what) {
  throw std::invalid_argument("database: " + what);
}

int hex_digit(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

/// Percent-decoding of a URL's user or password. `part` names it in errors (the text itself is
/// not repeated: it may be a password).
std::string decode(std::string_view text, const char* part) {
  std::string out;
  out.reserve(text.size());
  for (std::size_t i = 0; i < text.size(); ++i) {
    if (text[i] != '%') {
      out += text[i];
      continue;
    }
    const int high = i + 2 < text.size() ? hex_digit(text[i + 1]) : -1;
    const int low = i + 2 < text.size() ? hex_digit(text[i + 2]) : -1;
    if (high < 0 || low < 0) {
      bad(std::string("the ") + part + " in the URL has a '%' not followed by two hex digits");
    }
    out += static_cast<char>(high * 16 + low);
    i += 2;
  }
  return out;
}

}  // namespace

FieldErrors MariaDbSettings::validate() const {
  FieldErrors errors;
  const auto refuse_field = [&errors](std::string what) {
    errors.push_back({"database", std::move(what)});
  };

  if (host.empty()) refuse_field("no host in the mysql:// URL");
  if (port < 1 || port > 65535) refuse_field("port must be 1-65535, got " + std::to_string(port));
  if (user.empty()) refuse_field("no user in the mysql:// URL");
  if (database.empty())
    refuse_field("no database name in the mysql:// URL (mysql://USER:PASS@HOST/DB)");
  if (connections < 1) refuse_field("connections must be at least 1, got 0");
  if (connect_timeout.count() < 1) refuse_field("connect timeout must be at least 1 s");
  if (io_timeout.count() < 1) refuse_field("I/O timeout must be at least 1 s");
  if (lock_wait_timeout.count() < 1) refuse_field("lock wait timeout must be at least 1 s");
  return errors;
}

std::string MariaDbSettings::describe() const {
  const bool ipv6 = host.find(':') != std::string::npos;
  return "mysql://" + user + "@" + (ipv6 ? "[" + host + "]" : host) + ":" + std::to_string(port) +
         "/" + database;
}

MariaDbSettings parse_mysql_url(std::string_view url) {
  std::string_view rest;
  for (const std::string_view scheme : {"mysql://", "mariadb://"}) {
    if (url.starts_with(scheme)) rest = url.substr(scheme.size());
  }
  if (rest.data() == nullptr) bad("expected mysql://USER:PASS@HOST:PORT/DB");
  MariaDbSettings settings;
  // The credentials end at the last '@' (host and database names have none), so a password may
  // hold a raw '@' or '/' as well as their %40 and %2F.
  const auto at = rest.rfind('@');
  if (at == std::string_view::npos) bad("no USER@ in the mysql:// URL");
  const std::string_view credentials = rest.substr(0, at);
  const auto colon = credentials.find(':');
  settings.user = decode(credentials.substr(0, colon), "user");
  if (colon != std::string_view::npos) {
    settings.password = decode(credentials.substr(colon + 1), "password");
  }
  rest = rest.substr(at + 1);
  const auto slash = rest.find('/');
  if (slash == std::string_view::npos) bad("no /DB at the end of the mysql:// URL");
  std::string_view authority = rest.substr(0, slash);
  settings.database = std::string(rest.substr(slash + 1));
  if (settings.database.find_first_of("/?#") != std::string::npos) {
    bad("the database name '" + settings.database + "' holds '/', '?' or '#'");
  }
  std::string_view port_text;
  if (authority.starts_with('[')) {
    const auto close = authority.find(']');
    if (close == std::string_view::npos) bad("an IPv6 host in the mysql:// URL lacks its ']'");
    settings.host = std::string(authority.substr(1, close - 1));
    const std::string_view after = authority.substr(close + 1);
    if (!after.empty() && !after.starts_with(':')) bad("unexpected text after the IPv6 host");
    if (!after.empty()) port_text = after.substr(1);
  } else {
    const auto port_colon = authority.find(':');
    settings.host = std::string(authority.substr(0, port_colon));
    if (port_colon != std::string_view::npos) port_text = authority.substr(port_colon + 1);
  }
  if (!port_text.empty()) {
    int port = 0;
    const auto [end, ec] =
        std::from_chars(port_text.data(), port_text.data() + port_text.size(), port);
    if (ec != std::errc() || end != port_text.data() + port_text.size()) {
      bad("the port '" + std::string(port_text) + "' is not a number");
    }
    settings.port = port;
  }
  if (const FieldErrors errors = settings.validate(); !errors.empty()) {
    std::string what;
    for (const FieldError& error : errors) what += (what.empty() ? "" : "; ") + error.message;
    bad(what);  // "database: ...", every problem, never the password
  }
  return settings;
}

}  // namespace imagesprint
