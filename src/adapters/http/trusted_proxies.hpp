#pragma once
// Who the client is behind a load balancer. A proxy in front of the service (haproxy in the
// cluster) opens every connection itself, so the peer address is the proxy's: per-address limits
// (sign-ups, log-ins) would count all clients as one. The proxy names the client in
// X-Forwarded-For, which anyone can also send; so it is read only from peers listed as trusted
// proxies, and read from the right: each trusted proxy appends the address it saw, and the first
// address from the right that is not a trusted proxy is the client (an address a client wrote
// further left is never believed).
#include <boost/asio/ip/address.hpp>
#include <boost/asio/ip/network_v4.hpp>
#include <boost/asio/ip/network_v6.hpp>
#include <string>
#include <string_view>
#include <vector>

namespace imagesprint::http {

class TrustedProxies {
 public:
  TrustedProxies() = default;
  /// Addresses ("127.0.0.1", "::1") or networks in CIDR form ("10.0.0.0/8", "fd00::/8").
  /// Throws std::invalid_argument naming the entry that is neither.
  explicit TrustedProxies(const std::vector<std::string>& entries);

  bool empty() const { return v4_.empty() && v6_.empty(); }
  bool contains(const boost::asio::ip::address& address) const;

  /// The client's address for a request from `peer` carrying `x_forwarded_for` (empty when
  /// absent): the peer itself unless it is a trusted proxy; else the rightmost address of the
  /// header that is not a trusted proxy, or the leftmost when all are; the peer when the header
  /// is missing or holds something that is not an address where one is needed.
  std::string client_address(const boost::asio::ip::address& peer,
                             std::string_view x_forwarded_for) const;

 private:
  std::vector<boost::asio::ip::network_v4> v4_;
  std::vector<boost::asio::ip::network_v6> v6_;
};

}  // namespace imagesprint::http
