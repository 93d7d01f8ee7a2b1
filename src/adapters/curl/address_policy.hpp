#pragma once
// Which IP addresses a webhook may connect to (the SSRF guard). Pure functions over parsed
// addresses: the libcurl transport calls them on the exact socket address it is about to
// connect to, and on every address a host resolves to when a URL is registered.
#include <sys/socket.h>

#include <array>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace imagesprint::curl {

/// An IPv4 or IPv6 address in network byte order (IPv4 in the first 4 bytes).
struct IpAddress {
  enum class Family { v4, v6 };
  Family family = Family::v4;
  std::array<std::uint8_t, 16> bytes{};

  static IpAddress v4(std::uint8_t a, std::uint8_t b, std::uint8_t c, std::uint8_t d);
  friend bool operator==(const IpAddress&, const IpAddress&) = default;
};

/// A literal address ("192.0.2.1", "::1", "[::1]", "fe80::1%eth0"), or nullopt when `text` is not
/// one in the standard notation (inet_pton: no "127.1", "0x7f.0.0.1" or "2130706433" — a host
/// written like that is resolved, and the resolved address is what gets judged).
std::optional<IpAddress> parse_ip_address(std::string_view text);
/// The address in an AF_INET or AF_INET6 socket address, or nullopt for any other family.
std::optional<IpAddress> from_sockaddr(const sockaddr* address, socklen_t length);
/// The standard notation (inet_ntop).
std::string to_string(const IpAddress& address);

/// What an address is, most specific first (cloud_metadata before link_local ...).
enum class AddressKind {
  public_unicast,
  loopback,        // 127.0.0.0/8, ::1
  private_use,     // 10/8, 172.16/12, 192.168/16, fc00::/7, fec0::/10, 64:ff9b:1::/48
  shared_cgnat,    // 100.64.0.0/10 (carrier-grade NAT)
  link_local,      // 169.254.0.0/16, fe80::/10
  cloud_metadata,  // 169.254.169.254, 169.254.170.2, 100.100.100.200, fd00:ec2::254
  multicast,       // 224.0.0.0/4, ff00::/8
  unspecified,     // 0.0.0.0/8, ::
  broadcast,       // 255.255.255.255
  documentation,   // 192.0.2/24, 198.51.100/24, 203.0.113/24, 2001:db8::/32
  reserved,        // 240/4, 192.0.0/24, 198.18/15, 100::/64, Teredo 2001::/32 ...
};

/// The kind of an address. IPv6 forms that carry an IPv4 address (IPv4-mapped ::ffff:a.b.c.d,
/// IPv4-compatible ::a.b.c.d, NAT64 64:ff9b::/96, 6to4 2002::/16) are judged as that IPv4 address,
/// since that is where the packets go.
AddressKind classify(const IpAddress& address);

/// A short name for messages: "loopback", "private", "cloud metadata" ...
std::string_view describe(AddressKind kind);

/// Whether the `webhook_allow_private` switch makes this kind acceptable: loopback, private,
/// CGNAT and link-local, for tests and receivers on one's own network. Cloud metadata,
/// multicast, unspecified, broadcast, documentation and reserved addresses are refused always:
/// nothing legitimate listens there and a metadata endpoint holds credentials.
bool allowed_when_private_allowed(AddressKind kind);

/// Why a webhook must not connect to `address` ("127.0.0.1 is a loopback address"), or nullopt
/// when it may.
std::optional<std::string> refuse_address(const IpAddress& address, bool allow_private);

}  // namespace imagesprint::curl
