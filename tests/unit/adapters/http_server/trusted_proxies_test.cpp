// Who the client is behind a trusted proxy (TrustedProxies): address literals only, nothing is
// connected to. The clients are documentation addresses (RFC 5737, RFC 3849).
#include "adapters/http/trusted_proxies.hpp"

#include <gtest/gtest.h>

namespace imagesprint::http {
namespace {

namespace ip = boost::asio::ip;

TEST(TrustedProxies, AddressesAndNetworksOfBothFamilies) {
  const TrustedProxies proxies({"127.0.0.1", " 198.51.100.0/24 ", "::1", "2001:db8:1::/48"});
  EXPECT_TRUE(proxies.contains(ip::make_address("127.0.0.1")));
  EXPECT_FALSE(proxies.contains(ip::make_address("127.0.0.2")));
  EXPECT_TRUE(proxies.contains(ip::make_address("198.51.100.254")));
  EXPECT_FALSE(proxies.contains(ip::make_address("198.51.101.1")));
  EXPECT_TRUE(proxies.contains(ip::make_address("::1")));
  EXPECT_TRUE(proxies.contains(ip::make_address("2001:db8:1:ffff::5")));
  EXPECT_FALSE(proxies.contains(ip::make_address("2001:db8:2::5")));
  // An IPv4 peer on a dual-stack socket arrives IPv4-mapped.
  EXPECT_TRUE(proxies.contains(ip::make_address("::ffff:127.0.0.1")));
  EXPECT_TRUE(TrustedProxies().empty());
  EXPECT_TRUE(TrustedProxies({"", " "}).empty());
}

TEST(TrustedProxies, BadEntriesAreRefusedByName) {
  for (const std::string bad :
       {"localhost", "127.0.0.1/33", "300.1.1.1", "::1/129", "10.0.0.0/x"}) {
    try {
      TrustedProxies proxies({bad});
      ADD_FAILURE() << bad << " was accepted";
    } catch (const std::invalid_argument& e) {
      EXPECT_NE(std::string(e.what()).find("trusted_proxies"), std::string::npos) << e.what();
      EXPECT_NE(std::string(e.what()).find(bad), std::string::npos) << e.what();
    }
  }
}

TEST(TrustedProxies, TheClientIsTheRightmostAddressThatIsNoTrustedProxy) {
  const TrustedProxies proxies({"127.0.0.1", "198.51.100.0/24"});
  const auto proxy = ip::make_address("127.0.0.1");
  EXPECT_EQ(proxies.client_address(proxy, "203.0.113.7"), "203.0.113.7");
  // A client that writes its own X-Forwarded-For is not believed: the proxy appends what it saw.
  EXPECT_EQ(proxies.client_address(proxy, "192.0.2.1, 203.0.113.7"), "203.0.113.7");
  // Through two trusted proxies: the nearest untrusted hop from the right.
  EXPECT_EQ(proxies.client_address(proxy, "192.0.2.1,203.0.113.7, 198.51.100.3"), "203.0.113.7");
  EXPECT_EQ(proxies.client_address(proxy, "2001:db8::7"), "2001:db8::7");
  EXPECT_EQ(proxies.client_address(proxy, "::ffff:203.0.113.9"), "203.0.113.9");
  // Every hop a trusted proxy: the leftmost.
  EXPECT_EQ(proxies.client_address(proxy, "198.51.100.9, 198.51.100.3"), "198.51.100.9");
  // No header, or garbage where an address belongs: the peer.
  EXPECT_EQ(proxies.client_address(proxy, ""), "127.0.0.1");
  EXPECT_EQ(proxies.client_address(proxy, "192.0.2.1, unknown"), "127.0.0.1");
  EXPECT_EQ(proxies.client_address(proxy, "203.0.113.7:4711"), "127.0.0.1");
}

TEST(TrustedProxies, FromAnyOtherPeerTheHeaderIsIgnored) {
  const TrustedProxies proxies({"127.0.0.1"});
  EXPECT_EQ(proxies.client_address(ip::make_address("::1"), "203.0.113.7"), "::1");
  EXPECT_EQ(TrustedProxies().client_address(ip::make_address("127.0.0.1"), "203.0.113.7"),
            "127.0.0.1");
}

}  // namespace
}  // namespace imagesprint::http
