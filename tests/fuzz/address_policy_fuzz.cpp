// Fuzzes the webhook SSRF guard (src/adapters/curl/address_policy.*) and the URL check in front
// of it (CurlWebhookTransport::refuse_url, libcurl's URL parser). Never touches the network: the
// transport gets a fake resolver that answers from a fixed table, and post() is never called.
//
// Input: the first byte picks the webhook type; the rest is the URL, checked with and without
// allow_private, and is also tried as an address literal and as raw socket-address bytes.
#include <netinet/in.h>
#include <sys/socket.h>

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <cstring>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "adapters/curl/address_policy.hpp"
#include "adapters/curl/curl_webhook_transport.hpp"
#include "fuzz_support.hpp"

namespace {

using namespace imagesprint::curl;
using imagesprint::WebhookType;

IpAddress must_parse(std::string_view text) {
  const auto address = parse_ip_address(text);
  FUZZ_CHECK(address.has_value());
  return *address;
}

/// What the fake resolver answers, by a hash of the host name: public and refused addresses of
/// both families, mixed lists, and no answer at all.
std::vector<IpAddress> fake_answer(const std::string& host) {
  std::uint32_t h = 2166136261u;
  for (const char c : host) h = (h ^ static_cast<unsigned char>(c)) * 16777619u;
  switch (h % 8) {
    case 0:
      return {};
    case 1:
      return {must_parse("93.184.216.34")};
    case 2:
      return {must_parse("2606:2800:220:1:248:1893:25c8:1946")};
    case 3:
      return {must_parse("93.184.216.34"), must_parse("10.1.2.3")};
    case 4:
      return {must_parse("127.0.0.1")};
    case 5:
      return {must_parse("169.254.169.254")};
    case 6:
      return {must_parse("::ffff:192.168.1.1")};
    default:
      return {must_parse("fd00:ec2::254"), must_parse("93.184.216.34")};
  }
}

struct Resolutions {
  std::vector<std::string> hosts;  // what the transport asked to resolve
  std::vector<IpAddress> last;     // the last answer
};

void check_address(const IpAddress& address) {
  const AddressKind kind = classify(address);
  FUZZ_CHECK(!describe(kind).empty());
  const auto strict = refuse_address(address, false);
  const auto lenient = refuse_address(address, true);
  FUZZ_CHECK(strict.has_value() == (kind != AddressKind::public_unicast));
  // The switch only ever lets more through, and only the kinds it names.
  if (!strict) FUZZ_CHECK(!lenient);
  FUZZ_CHECK(lenient.has_value() != allowed_when_private_allowed(kind));
  // The notation round-trips.
  FUZZ_CHECK(parse_ip_address(to_string(address)) == address);
  if (address.family == IpAddress::Family::v4) {
    // The IPv6 forms that carry an IPv4 address are judged as that address.
    IpAddress mapped;
    mapped.family = IpAddress::Family::v6;
    mapped.bytes[10] = 0xff;
    mapped.bytes[11] = 0xff;
    std::copy_n(address.bytes.begin(), 4, mapped.bytes.begin() + 12);
    FUZZ_CHECK(classify(mapped) == kind);
    IpAddress six_to_four;
    six_to_four.family = IpAddress::Family::v6;
    six_to_four.bytes[0] = 0x20;
    six_to_four.bytes[1] = 0x02;
    std::copy_n(address.bytes.begin(), 4, six_to_four.bytes.begin() + 2);
    FUZZ_CHECK(classify(six_to_four) == kind);
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  if (size == 0) return 0;
  const std::uint8_t selector = data[0];  // the webhook type
  const std::string_view text = imagesprint::fuzz::as_text(data + 1, size - 1);

  if (const auto address = parse_ip_address(text)) check_address(*address);

  sockaddr_storage storage{};
  const std::size_t copied = std::min(text.size(), sizeof storage);
  std::memcpy(&storage, text.data(), copied);
  if (const auto address = from_sockaddr(reinterpret_cast<const sockaddr*>(&storage),
                                         static_cast<socklen_t>(copied))) {
    check_address(*address);
  }

  static const WebhookType TYPES[] = {WebhookType::generic, WebhookType::slack,
                                      WebhookType::discord, WebhookType::generic};
  const WebhookType type = TYPES[selector % 4];
  Resolutions resolutions;
  const HostResolver resolver = [&resolutions](const std::string& host) {
    resolutions.hosts.push_back(host);
    resolutions.last = fake_answer(host);
    return resolutions.last;
  };
  CurlTransportConfig strict_config;
  strict_config.allow_private = false;
  CurlTransportConfig lenient_config;
  lenient_config.allow_private = true;
  const CurlWebhookTransport strict(strict_config, resolver);
  const CurlWebhookTransport lenient(lenient_config, resolver);
  const std::string url(text);

  const auto strict_reason = strict.refuse_url(url, type);
  if (!strict_reason) {
    // Accepted without private targets: the host was a public literal, or everything it
    // resolved to is public.
    if (!resolutions.hosts.empty()) {
      FUZZ_CHECK(!resolutions.last.empty());
      for (const IpAddress& address : resolutions.last) {
        FUZZ_CHECK(classify(address) == AddressKind::public_unicast);
      }
    }
  } else {
    FUZZ_CHECK(!strict_reason->empty());
  }
  resolutions.hosts.clear();
  const auto lenient_reason = lenient.refuse_url(url, type);
  // allow_private only ever lets more through.
  if (!strict_reason) FUZZ_CHECK(!lenient_reason);
  return 0;
}
