#include "adapters/curl/address_policy.hpp"

#include <arpa/inet.h>
#include <netinet/in.h>

#include <algorithm>
#include <cstring>

namespace imagesprint::curl {
namespace {

/// An IPv4 prefix in host byte order.
struct Range4 {
  std::uint32_t network;
  int prefix;
  AddressKind kind;
};

constexpr std::uint32_t ip4(std::uint32_t a, std::uint32_t b, std::uint32_t c, std::uint32_t d) {
  return a << 24 | b << 16 | c << 8 | d;
}

// Most specific first: the first range that contains the address decides.
constexpr Range4 IPV4_RANGES[] = {
    {ip4(169, 254, 169, 254), 32, AddressKind::cloud_metadata},  // AWS, GCP, Azure, OCI ...
    {ip4(169, 254, 170, 2), 32, AddressKind::cloud_metadata},    // AWS ECS task metadata
    {ip4(100, 100, 100, 200), 32, AddressKind::cloud_metadata},  // Alibaba Cloud
    {ip4(255, 255, 255, 255), 32, AddressKind::broadcast},
    {ip4(0, 0, 0, 0), 8, AddressKind::unspecified},  // "this network"; 0.0.0.0 reaches localhost
    {ip4(10, 0, 0, 0), 8, AddressKind::private_use},
    {ip4(100, 64, 0, 0), 10, AddressKind::shared_cgnat},
    {ip4(127, 0, 0, 0), 8, AddressKind::loopback},
    {ip4(169, 254, 0, 0), 16, AddressKind::link_local},
    {ip4(172, 16, 0, 0), 12, AddressKind::private_use},
    {ip4(192, 0, 0, 0), 24, AddressKind::reserved},  // IETF protocol assignments
    {ip4(192, 0, 2, 0), 24, AddressKind::documentation},
    {ip4(192, 88, 99, 0), 24, AddressKind::reserved},  // former 6to4 relay anycast
    {ip4(192, 168, 0, 0), 16, AddressKind::private_use},
    {ip4(198, 18, 0, 0), 15, AddressKind::reserved},  // benchmarking
    {ip4(198, 51, 100, 0), 24, AddressKind::documentation},
    {ip4(203, 0, 113, 0), 24, AddressKind::documentation},
    {ip4(224, 0, 0, 0), 4, AddressKind::multicast},
    {ip4(240, 0, 0, 0), 4, AddressKind::reserved},
};

AddressKind classify_v4(std::uint32_t address) {
  for (const auto& range : IPV4_RANGES) {
    const std::uint32_t mask = range.prefix == 0 ? 0 : ~std::uint32_t{0} << (32 - range.prefix);
    if ((address & mask) == range.network) return range.kind;
  }
  return AddressKind::public_unicast;
}

std::uint32_t v4_at(const std::array<std::uint8_t, 16>& b, std::size_t offset) {
  return std::uint32_t{b[offset]} << 24 | std::uint32_t{b[offset + 1]} << 16 |
         std::uint32_t{b[offset + 2]} << 8 | std::uint32_t{b[offset + 3]};
}

/// Whether the first `bits` bits of `b` equal those of `prefix` (given as 16 bytes).
bool has_prefix(const std::array<std::uint8_t, 16>& b, const std::array<std::uint8_t, 16>& prefix,
                int bits) {
  const auto whole = static_cast<std::size_t>(bits / 8);
  if (!std::equal(b.begin(), b.begin() + static_cast<std::ptrdiff_t>(whole), prefix.begin())) {
    return false;
  }
  const int rest = bits % 8;
  if (rest == 0) return true;
  const auto mask = static_cast<std::uint8_t>(0xff << (8 - rest));
  return (b[whole] & mask) == (prefix[whole] & mask);
}

constexpr std::array<std::uint8_t, 16> v6(std::initializer_list<std::uint16_t> groups) {
  std::array<std::uint8_t, 16> out{};
  std::size_t i = 0;
  for (const auto g : groups) {
    out[i++] = static_cast<std::uint8_t>(g >> 8);
    out[i++] = static_cast<std::uint8_t>(g & 0xff);
  }
  return out;
}

AddressKind classify_v6(const std::array<std::uint8_t, 16>& b) {
  static constexpr std::array<std::uint8_t, 16> ZERO{};
  static constexpr auto LOOPBACK = v6({0, 0, 0, 0, 0, 0, 0, 1});
  if (b == ZERO) return AddressKind::unspecified;
  if (b == LOOPBACK) return AddressKind::loopback;
  if (b == v6({0xfd00, 0x0ec2, 0, 0, 0, 0, 0, 0x0254})) return AddressKind::cloud_metadata;

  // Forms that carry an IPv4 address: judged as that address.
  if (has_prefix(b, v6({0, 0, 0, 0, 0, 0xffff}), 96)) return classify_v4(v4_at(b, 12));  // mapped
  if (has_prefix(b, ZERO, 96)) return classify_v4(v4_at(b, 12));  // IPv4-compatible (deprecated)
  if (has_prefix(b, v6({0x64, 0xff9b}), 96)) return classify_v4(v4_at(b, 12));  // NAT64
  if (has_prefix(b, v6({0x2002}), 16)) return classify_v4(v4_at(b, 2));         // 6to4

  struct Range6 {
    std::array<std::uint8_t, 16> network;
    int prefix;
    AddressKind kind;
  };
  static constexpr Range6 RANGES[] = {
      {v6({0x64, 0xff9b, 1}), 48, AddressKind::private_use},  // local-use NAT64
      {v6({0x100}), 64, AddressKind::reserved},               // discard-only
      {v6({0x2001, 0xdb8}), 32, AddressKind::documentation},
      {v6({0x2001, 0}), 32, AddressKind::reserved},     // Teredo: the real peer is hidden in it
      {v6({0x2001, 2, 0}), 48, AddressKind::reserved},  // benchmarking
      {v6({0xfc00}), 7, AddressKind::private_use},      // unique local
      {v6({0xfe80}), 10, AddressKind::link_local},
      {v6({0xfec0}), 10, AddressKind::private_use},  // site-local (deprecated)
      {v6({0xff00}), 8, AddressKind::multicast},
      {ZERO, 8, AddressKind::reserved},  // the rest of ::/8
  };
  for (const auto& range : RANGES) {
    if (has_prefix(b, range.network, range.prefix)) return range.kind;
  }
  return AddressKind::public_unicast;
}

}  // namespace

IpAddress IpAddress::v4(std::uint8_t a, std::uint8_t b, std::uint8_t c, std::uint8_t d) {
  IpAddress out;
  out.bytes[0] = a;
  out.bytes[1] = b;
  out.bytes[2] = c;
  out.bytes[3] = d;
  return out;
}

std::optional<IpAddress> parse_ip_address(std::string_view text) {
  if (text.size() >= 2 && text.front() == '[' && text.back() == ']') {
    text = text.substr(1, text.size() - 2);
  }
  // A zone ("%eth0") only says which interface; the address alone decides.
  if (const auto zone = text.find('%'); zone != std::string_view::npos) text = text.substr(0, zone);
  if (text.empty() || text.size() > INET6_ADDRSTRLEN) return std::nullopt;
  const std::string copy(text);  // inet_pton wants a terminated string
  IpAddress out;
  if (inet_pton(AF_INET, copy.c_str(), out.bytes.data()) == 1) return out;
  out.family = IpAddress::Family::v6;
  if (inet_pton(AF_INET6, copy.c_str(), out.bytes.data()) == 1) return out;
  return std::nullopt;
}

std::optional<IpAddress> from_sockaddr(const sockaddr* address, socklen_t length) {
  if (address == nullptr) return std::nullopt;
  IpAddress out;
  if (address->sa_family == AF_INET && length >= static_cast<socklen_t>(sizeof(sockaddr_in))) {
    sockaddr_in in{};
    std::memcpy(&in, address, sizeof in);
    std::memcpy(out.bytes.data(), &in.sin_addr, 4);
    return out;
  }
  if (address->sa_family == AF_INET6 && length >= static_cast<socklen_t>(sizeof(sockaddr_in6))) {
    sockaddr_in6 in6{};
    std::memcpy(&in6, address, sizeof in6);
    out.family = IpAddress::Family::v6;
    std::memcpy(out.bytes.data(), &in6.sin6_addr, 16);
    return out;
  }
  return std::nullopt;
}

std::string to_string(const IpAddress& address) {
  char text[INET6_ADDRSTRLEN] = {};
  const int family = address.family == IpAddress::Family::v4 ? AF_INET : AF_INET6;
  if (inet_ntop(family, address.bytes.data(), text, sizeof text) == nullptr) return "?";
  return text;
}

AddressKind classify(const IpAddress& address) {
  return address.family == IpAddress::Family::v4 ? classify_v4(v4_at(address.bytes, 0))
                                                 : classify_v6(address.bytes);
}

std::string_view describe(AddressKind kind) {
  switch (kind) {
    case AddressKind::public_unicast:
      return "public";
    case AddressKind::loopback:
      return "loopback";
    case AddressKind::private_use:
      return "private";
    case AddressKind::shared_cgnat:
      return "carrier-grade NAT";
    case AddressKind::link_local:
      return "link-local";
    case AddressKind::cloud_metadata:
      return "cloud metadata";
    case AddressKind::multicast:
      return "multicast";
    case AddressKind::unspecified:
      return "unspecified";
    case AddressKind::broadcast:
      return "broadcast";
    case AddressKind::documentation:
      return "documentation";
    case AddressKind::reserved:
      return "reserved";
  }
  return "reserved";
}

bool allowed_when_private_allowed(AddressKind kind) {
  switch (kind) {
    case AddressKind::public_unicast:
    case AddressKind::loopback:
    case AddressKind::private_use:
    case AddressKind::shared_cgnat:
    case AddressKind::link_local:
      return true;
    default:
      return false;
  }
}

std::optional<std::string> refuse_address(const IpAddress& address, bool allow_private) {
  const AddressKind kind = classify(address);
  if (kind == AddressKind::public_unicast) return std::nullopt;
  if (allow_private && allowed_when_private_allowed(kind)) return std::nullopt;
  const std::string_view name = describe(kind);
  const char* article = kind == AddressKind::unspecified ? " is an " : " is a ";
  return to_string(address) + article + std::string(name) + " address";
}

}  // namespace imagesprint::curl
