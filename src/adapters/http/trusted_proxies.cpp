#include "adapters/http/trusted_proxies.hpp"

#include <optional>
#include <stdexcept>

namespace imagesprint::http {
namespace {

namespace ip = boost::asio::ip;

/// IPv4-mapped IPv6 (a dual-stack socket's IPv4 peer) as the IPv4 address it is.
ip::address unmapped(const ip::address& address) {
  if (address.is_v6() && address.to_v6().is_v4_mapped()) {
    return ip::make_address_v4(ip::v4_mapped, address.to_v6());
  }
  return address;
}

/// An address as proxies write it in X-Forwarded-For.
std::optional<ip::address> parse_address(std::string_view text) {
  boost::system::error_code ec;
  const ip::address address = ip::make_address(std::string(text), ec);
  if (ec) return std::nullopt;
  return unmapped(address);
}

std::string_view trim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) s.remove_suffix(1);
  return s;
}

}  // namespace

TrustedProxies::TrustedProxies(const std::vector<std::string>& entries) {
  for (const std::string& raw : entries) {
    const std::string entry(trim(raw));
    if (entry.empty()) continue;
    boost::system::error_code ec;
    if (entry.find('/') == std::string::npos) {
      const auto address = parse_address(entry);
      if (!address)
        throw std::invalid_argument("trusted_proxies: not an address: \"" + entry + "\"");
      if (address->is_v4()) {
        v4_.emplace_back(address->to_v4(), 32);
      } else {
        v6_.emplace_back(address->to_v6(), 128);
      }
      continue;
    }
    if (entry.find(':') == std::string::npos) {
      v4_.push_back(ip::make_network_v4(entry, ec));
    } else {
      v6_.push_back(ip::make_network_v6(entry, ec));
    }
    if (ec) throw std::invalid_argument("trusted_proxies: not a network: \"" + entry + "\"");
  }
}

bool TrustedProxies::contains(const ip::address& given) const {
  const ip::address address = unmapped(given);
  if (address.is_v4()) {
    for (const auto& network : v4_) {
      // A network's canonical form: the address with the host bits cleared.
      if (ip::network_v4(address.to_v4(), network.prefix_length()).canonical() ==
          network.canonical())
        return true;
    }
    return false;
  }
  for (const auto& network : v6_) {
    if (ip::network_v6(address.to_v6(), network.prefix_length()).canonical() == network.canonical())
      return true;
  }
  return false;
}

std::string TrustedProxies::client_address(const ip::address& peer,
                                           std::string_view x_forwarded_for) const {
  if (x_forwarded_for.empty() || !contains(peer)) return peer.to_string();
  // From the right: the nearest hop first.
  std::string leftmost;
  std::string_view rest = x_forwarded_for;
  while (!rest.empty()) {
    const auto comma = rest.rfind(',');
    const std::string_view item =
        trim(comma == std::string_view::npos ? rest : rest.substr(comma + 1));
    rest = comma == std::string_view::npos ? std::string_view() : rest.substr(0, comma);
    const auto address = parse_address(item);
    if (!address) return peer.to_string();  // garbage where an address belongs: believe no one
    if (!contains(*address)) return address->to_string();
    leftmost = address->to_string();
  }
  return leftmost.empty() ? peer.to_string() : leftmost;
}

}  // namespace imagesprint::http
