#include "adapters/curl/address_policy.hpp"

#include <arpa/inet.h>
#include <gtest/gtest.h>
#include <netinet/in.h>

#include <cstring>

namespace imagesprint::curl {
namespace {

struct Case {
  const char* address;
  AddressKind kind;
};

void expect_kinds(std::initializer_list<Case> cases) {
  for (const auto& c : cases) {
    const auto ip = parse_ip_address(c.address);
    ASSERT_TRUE(ip) << c.address;
    EXPECT_EQ(describe(classify(*ip)), describe(c.kind)) << c.address;
  }
}

TEST(AddressPolicy, Ipv4Kinds) {
  expect_kinds({
      {"8.8.8.8", AddressKind::public_unicast},
      {"1.1.1.1", AddressKind::public_unicast},
      {"93.184.216.34", AddressKind::public_unicast},
      {"0.0.0.0", AddressKind::unspecified},
      {"0.255.255.255", AddressKind::unspecified},
      {"127.0.0.1", AddressKind::loopback},
      {"127.255.255.254", AddressKind::loopback},
      {"10.0.0.1", AddressKind::private_use},
      {"10.255.255.255", AddressKind::private_use},
      {"11.0.0.1", AddressKind::public_unicast},
      {"172.15.255.255", AddressKind::public_unicast},
      {"172.16.0.0", AddressKind::private_use},
      {"172.31.255.255", AddressKind::private_use},
      {"172.32.0.0", AddressKind::public_unicast},
      {"192.168.0.1", AddressKind::private_use},
      {"192.169.0.1", AddressKind::public_unicast},
      {"100.63.255.255", AddressKind::public_unicast},
      {"100.64.0.0", AddressKind::shared_cgnat},
      {"100.127.255.255", AddressKind::shared_cgnat},
      {"100.128.0.0", AddressKind::public_unicast},
      {"169.254.0.1", AddressKind::link_local},
      {"169.254.169.254", AddressKind::cloud_metadata},
      {"169.254.170.2", AddressKind::cloud_metadata},
      {"100.100.100.200", AddressKind::cloud_metadata},
      {"224.0.0.1", AddressKind::multicast},
      {"239.255.255.250", AddressKind::multicast},
      {"240.0.0.1", AddressKind::reserved},
      {"255.255.255.254", AddressKind::reserved},
      {"255.255.255.255", AddressKind::broadcast},
      {"192.0.0.8", AddressKind::reserved},
      {"192.0.2.10", AddressKind::documentation},
      {"198.51.100.7", AddressKind::documentation},
      {"203.0.113.200", AddressKind::documentation},
      {"198.18.0.1", AddressKind::reserved},
      {"198.19.255.255", AddressKind::reserved},
      {"198.20.0.0", AddressKind::public_unicast},
      {"223.255.255.255", AddressKind::public_unicast},
  });
}

TEST(AddressPolicy, Ipv6Kinds) {
  expect_kinds({
      {"2606:4700:4700::1111", AddressKind::public_unicast},
      {"2a00:1450:4001:82a::200e", AddressKind::public_unicast},
      {"::", AddressKind::unspecified},
      {"::1", AddressKind::loopback},
      {"fc00::1", AddressKind::private_use},
      {"fd12:3456:789a::1", AddressKind::private_use},
      {"fd00:ec2::254", AddressKind::cloud_metadata},
      {"fd00:ec2::253", AddressKind::private_use},
      {"fe80::1", AddressKind::link_local},
      {"febf:ffff::1", AddressKind::link_local},
      {"fec0::1", AddressKind::private_use},
      {"ff02::1", AddressKind::multicast},
      {"ff05::1:3", AddressKind::multicast},
      {"2001:db8::1", AddressKind::documentation},
      {"2001:0:4136:e378:8000:63bf:3fff:fdd2", AddressKind::reserved},  // Teredo
      {"2001:2::1", AddressKind::reserved},
      {"100::1", AddressKind::reserved},
      {"64:ff9b:1::1", AddressKind::private_use},
      {"::2:1", AddressKind::unspecified},  // IPv4-compatible 0.2.0.1
  });
}

TEST(AddressPolicy, Ipv6FormsCarryingIpv4AreJudgedAsThatAddress) {
  expect_kinds({
      {"::ffff:127.0.0.1", AddressKind::loopback},
      {"::ffff:7f00:1", AddressKind::loopback},
      {"::ffff:10.1.2.3", AddressKind::private_use},
      {"::ffff:169.254.169.254", AddressKind::cloud_metadata},
      {"::ffff:8.8.8.8", AddressKind::public_unicast},
      {"::ffff:0.0.0.0", AddressKind::unspecified},
      {"::127.0.0.1", AddressKind::loopback},  // IPv4-compatible (deprecated)
      {"::8.8.8.8", AddressKind::public_unicast},
      {"64:ff9b::192.168.1.1", AddressKind::private_use},  // NAT64
      {"64:ff9b::a9fe:a9fe", AddressKind::cloud_metadata},
      {"64:ff9b::8.8.8.8", AddressKind::public_unicast},
      {"2002:7f00:1::", AddressKind::loopback},  // 6to4 of 127.0.0.1
      {"2002:a9fe:a9fe::1", AddressKind::cloud_metadata},
      {"2002:0808:0808::1", AddressKind::public_unicast},
  });
}

TEST(AddressPolicy, ParsesOnlyStandardLiterals) {
  EXPECT_EQ(parse_ip_address("[::1]"), parse_ip_address("::1"));
  EXPECT_EQ(parse_ip_address("fe80::1%eth0"), parse_ip_address("fe80::1"));
  EXPECT_EQ(parse_ip_address("[fe80::1%25eth0]"), parse_ip_address("fe80::1"));
  EXPECT_EQ(*parse_ip_address("192.0.2.1"), IpAddress::v4(192, 0, 2, 1));
  // Shorthands that resolvers accept are not literals here: a host written so is resolved, and
  // the resolved address is what the policy judges.
  for (const char* text : {"127.1", "0x7f.0.0.1", "2130706433", "0177.0.0.1", "localhost", "", "[]",
                           "1.2.3.4.5", "::g", "256.0.0.1", "[::1"}) {
    EXPECT_FALSE(parse_ip_address(text)) << text;
  }
}

TEST(AddressPolicy, ReadsSocketAddresses) {
  sockaddr_in in{};
  in.sin_family = AF_INET;
  in.sin_port = htons(80);
  inet_pton(AF_INET, "10.0.0.7", &in.sin_addr);
  auto ip = from_sockaddr(reinterpret_cast<const sockaddr*>(&in), sizeof in);
  ASSERT_TRUE(ip);
  EXPECT_EQ(*ip, IpAddress::v4(10, 0, 0, 7));
  EXPECT_EQ(to_string(*ip), "10.0.0.7");

  sockaddr_in6 in6{};
  in6.sin6_family = AF_INET6;
  inet_pton(AF_INET6, "::ffff:169.254.169.254", &in6.sin6_addr);
  ip = from_sockaddr(reinterpret_cast<const sockaddr*>(&in6), sizeof in6);
  ASSERT_TRUE(ip);
  EXPECT_EQ(ip->family, IpAddress::Family::v6);
  EXPECT_EQ(classify(*ip), AddressKind::cloud_metadata);
  EXPECT_EQ(to_string(*ip), "::ffff:169.254.169.254");

  // Too short for its family, or another family: not an address.
  EXPECT_FALSE(from_sockaddr(reinterpret_cast<const sockaddr*>(&in6), sizeof(sockaddr_in)));
  sockaddr other{};
  other.sa_family = AF_UNIX;
  EXPECT_FALSE(from_sockaddr(&other, sizeof other));
  EXPECT_FALSE(from_sockaddr(nullptr, 0));
}

TEST(AddressPolicy, RefusesWithAReason) {
  struct Row {
    const char* address;
    bool allow_private;
    const char* reason;  // nullptr: allowed
  };
  const Row rows[] = {
      {"8.8.8.8", false, nullptr},
      {"8.8.8.8", true, nullptr},
      {"127.0.0.1", false, "127.0.0.1 is a loopback address"},
      {"127.0.0.1", true, nullptr},
      {"::1", true, nullptr},
      {"10.0.0.1", false, "10.0.0.1 is a private address"},
      {"10.0.0.1", true, nullptr},
      {"100.64.1.1", false, "100.64.1.1 is a carrier-grade NAT address"},
      {"100.64.1.1", true, nullptr},
      {"fe80::1", false, "fe80::1 is a link-local address"},
      {"fe80::1", true, nullptr},
      // Refused whatever the switch says.
      {"169.254.169.254", true, "169.254.169.254 is a cloud metadata address"},
      {"fd00:ec2::254", true, "fd00:ec2::254 is a cloud metadata address"},
      {"0.0.0.0", true, "0.0.0.0 is an unspecified address"},
      {"::", true, ":: is an unspecified address"},
      {"224.0.0.1", true, "224.0.0.1 is a multicast address"},
      {"255.255.255.255", true, "255.255.255.255 is a broadcast address"},
      {"240.0.0.1", true, "240.0.0.1 is a reserved address"},
      {"192.0.2.1", true, "192.0.2.1 is a documentation address"},
  };
  for (const auto& row : rows) {
    const auto reason = refuse_address(*parse_ip_address(row.address), row.allow_private);
    if (row.reason == nullptr) {
      EXPECT_FALSE(reason) << row.address << ": " << reason.value_or("");
    } else {
      EXPECT_EQ(reason.value_or("(allowed)"), row.reason)
          << row.address << " allow_private=" << row.allow_private;
    }
  }
}

}  // namespace
}  // namespace imagesprint::curl
