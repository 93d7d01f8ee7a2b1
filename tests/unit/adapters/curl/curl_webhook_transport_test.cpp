#include "adapters/curl/curl_webhook_transport.hpp"

#include <gtest/gtest.h>

#include <ctime>
#include <future>
#include <map>

#include "local_receiver.hpp"

namespace imagesprint::curl {
namespace {

using testing::LocalReceiver;
using testing::ReceivedRequest;
using Failure = OutboundResponse::Failure;
using namespace std::chrono_literals;

CurlTransportConfig test_config(bool allow_private = true) {
  CurlTransportConfig config;
  config.allow_private = allow_private;
  config.connect_timeout = 2s;
  config.total_timeout = 5s;
  return config;
}

LocalReceiver::Handler answer(std::string response) {
  return [response](const ReceivedRequest&) { return response; };
}

OutboundRequest request_to(std::string url, std::string body = R"({"ok":true})") {
  OutboundRequest request;
  request.url = std::move(url);
  request.body = std::move(body);
  return request;
}

TEST(CurlWebhookTransport, PostsHeadersAndBodyExactly) {
  LocalReceiver receiver(answer(LocalReceiver::response(204)));
  CurlWebhookTransport transport(test_config());
  OutboundRequest request = request_to(receiver.url("/hook?user=1"));
  request.body = "{\"name\":\"사진 \\\"one\\\"\",\"emoji\":\"\xF0\x9F\x93\xB7\",\"n\":1}";
  request.headers = {{"webhook-id", "msg_abc"},
                     {"webhook-timestamp", "1700000000"},
                     {"webhook-signature", "v1,AAAA v1,BBBB"}};

  const OutboundResponse response = transport.post(request);
  EXPECT_EQ(response.failure, Failure::none) << response.error;
  EXPECT_EQ(response.status, 204);
  EXPECT_TRUE(response.body.empty());
  EXPECT_FALSE(response.retry_after);
  EXPECT_GE(response.latency.count(), 0);

  const auto received = receiver.requests();
  ASSERT_EQ(received.size(), 1u);
  const auto& r = received[0];
  EXPECT_EQ(r.method, "POST");
  EXPECT_EQ(r.target, "/hook?user=1");
  EXPECT_EQ(r.body, request.body);
  EXPECT_EQ(r.header("content-type"), "application/json");
  EXPECT_EQ(r.header("content-length"), std::to_string(request.body.size()));
  EXPECT_EQ(r.header("user-agent"), "ImageSprint-Webhooks/1");
  EXPECT_EQ(r.header("webhook-id"), "msg_abc");
  EXPECT_EQ(r.header("webhook-timestamp"), "1700000000");
  EXPECT_EQ(r.header("webhook-signature"), "v1,AAAA v1,BBBB");
  EXPECT_FALSE(r.header("expect"));
}

TEST(CurlWebhookTransport, ReturnsTheStatusAndBodyOfAnyAnswer) {
  LocalReceiver receiver(answer(LocalReceiver::response(500, "", "database down")));
  CurlWebhookTransport transport(test_config());
  const OutboundResponse response = transport.post(request_to(receiver.url()));
  EXPECT_EQ(response.failure, Failure::none) << response.error;
  EXPECT_EQ(response.status, 500);
  EXPECT_EQ(response.body, "database down");
}

TEST(CurlWebhookTransport, ReadsRetryAfterInSeconds) {
  LocalReceiver receiver(answer(LocalReceiver::response(429, "Retry-After: 120\r\n")));
  CurlWebhookTransport transport(test_config());
  const OutboundResponse response = transport.post(request_to(receiver.url()));
  EXPECT_EQ(response.status, 429);
  ASSERT_TRUE(response.retry_after);
  EXPECT_EQ(*response.retry_after, 120s);
}

std::string http_date(std::time_t when) {
  std::tm parts{};
  gmtime_r(&when, &parts);
  char text[64];
  std::strftime(text, sizeof text, "%a, %d %b %Y %H:%M:%S GMT", &parts);
  return text;
}

TEST(CurlWebhookTransport, ReadsRetryAfterAsAnHttpDate) {
  const std::string date = http_date(std::time(nullptr) + 300);
  LocalReceiver receiver(answer(LocalReceiver::response(503, "retry-after: " + date + "\r\n")));
  CurlWebhookTransport transport(test_config());
  const OutboundResponse response = transport.post(request_to(receiver.url()));
  EXPECT_EQ(response.status, 503);
  ASSERT_TRUE(response.retry_after) << date;
  EXPECT_GE(*response.retry_after, 295s);
  EXPECT_LE(*response.retry_after, 300s);
}

TEST(CurlWebhookTransport, RetryAfterInThePastIsZeroAndGarbageIsIgnored) {
  {
    LocalReceiver receiver(answer(LocalReceiver::response(
        429, "Retry-After: " + http_date(std::time(nullptr) - 3600) + "\r\n")));
    const auto response = CurlWebhookTransport(test_config()).post(request_to(receiver.url()));
    ASSERT_TRUE(response.retry_after);
    EXPECT_EQ(*response.retry_after, 0s);
  }
  {
    LocalReceiver receiver(answer(LocalReceiver::response(429, "Retry-After: soon\r\n")));
    const auto response = CurlWebhookTransport(test_config()).post(request_to(receiver.url()));
    EXPECT_EQ(response.status, 429);
    EXPECT_FALSE(response.retry_after);
  }
}

TEST(CurlWebhookTransport, GivesUpOnASilentReceiverWithinTheTotalTimeout) {
  LocalReceiver receiver([](const ReceivedRequest&) { return std::nullopt; });
  CurlTransportConfig config = test_config();
  config.connect_timeout = 300ms;
  config.total_timeout = 700ms;
  CurlWebhookTransport transport(config);
  // The receiver never answers: without the total timeout the post would wait for ever, and the
  // bounded wait below would give up.
  auto posted =
      std::async(std::launch::async, [&] { return transport.post(request_to(receiver.url())); });
  ASSERT_EQ(posted.wait_for(20s), std::future_status::ready);
  const OutboundResponse response = posted.get();
  EXPECT_EQ(response.failure, Failure::timeout);
  EXPECT_EQ(response.status, 0);
  EXPECT_TRUE(response.error.starts_with("timeout: ")) << response.error;
  EXPECT_GE(response.latency, 650ms);  // it waited out the total timeout, not the connect one
  EXPECT_EQ(receiver.requests().size(), 1u);  // it did arrive; the answer never came
}

TEST(CurlWebhookTransport, ReadsOnlyTheStartOfALargeResponse) {
  const std::string big(1 << 20, 'x');
  LocalReceiver receiver(answer(LocalReceiver::response(200, "", big)));
  CurlTransportConfig config = test_config();
  config.max_response_bytes = 1000;
  const OutboundResponse response = CurlWebhookTransport(config).post(request_to(receiver.url()));
  // The receiver answered: its status counts; only the first bytes of its body are kept.
  EXPECT_EQ(response.failure, Failure::none) << response.error;
  EXPECT_EQ(response.status, 200);
  EXPECT_EQ(response.body, big.substr(0, 1000));
}

TEST(CurlWebhookTransport, KeepsABodyOfExactlyTheCap) {
  LocalReceiver receiver(answer(LocalReceiver::response(200, "", std::string(1000, 'y'))));
  CurlTransportConfig config = test_config();
  config.max_response_bytes = 1000;
  const OutboundResponse response = CurlWebhookTransport(config).post(request_to(receiver.url()));
  EXPECT_EQ(response.failure, Failure::none) << response.error;
  EXPECT_EQ(response.body, std::string(1000, 'y'));
}

TEST(CurlWebhookTransport, DoesNotFollowRedirects) {
  int calls = 0;
  std::string elsewhere;
  LocalReceiver receiver([&](const ReceivedRequest&) -> std::optional<std::string> {
    ++calls;
    return LocalReceiver::response(307, "Location: " + elsewhere + "\r\n");
  });
  elsewhere = receiver.url("/elsewhere");
  const OutboundResponse response =
      CurlWebhookTransport(test_config()).post(request_to(receiver.url()));
  EXPECT_EQ(response.failure, Failure::none) << response.error;
  EXPECT_EQ(response.status, 307);
  const auto received = receiver.requests();
  ASSERT_EQ(received.size(), 1u);
  EXPECT_EQ(received[0].target, "/hook");
}

TEST(CurlWebhookTransport, RefusesLoopbackUnlessPrivateTargetsAreAllowed) {
  LocalReceiver receiver(answer(LocalReceiver::response(200)));
  const OutboundResponse refused =
      CurlWebhookTransport(test_config(false)).post(request_to(receiver.url()));
  EXPECT_EQ(refused.failure, Failure::refused_address);
  EXPECT_EQ(refused.status, 0);
  EXPECT_EQ(refused.error, "refused address: 127.0.0.1 is a loopback address");
  EXPECT_EQ(receiver.connections(), 0);  // not even a TCP connection

  const OutboundResponse allowed =
      CurlWebhookTransport(test_config(true)).post(request_to(receiver.url()));
  EXPECT_EQ(allowed.failure, Failure::none) << allowed.error;
  EXPECT_EQ(allowed.status, 200);
  EXPECT_EQ(receiver.connections(), 1);
}

TEST(CurlWebhookTransport, ChecksTheAddressConnectedToNotTheName) {
  // "localhost" and the decimal form of 127.0.0.1 are names, not literals: only the connect-time
  // check on the resolved address can catch them.
  LocalReceiver receiver(answer(LocalReceiver::response(200)));
  const std::string port = std::to_string(receiver.port());
  for (const std::string& url :
       {"http://localhost:" + port + "/hook", "http://2130706433:" + port + "/hook",
        "http://[::ffff:127.0.0.1]:" + port + "/hook"}) {
    const OutboundResponse response =
        CurlWebhookTransport(test_config(false)).post(request_to(url));
    EXPECT_EQ(response.failure, Failure::refused_address) << url << ": " << response.error;
    EXPECT_NE(response.error.find("loopback"), std::string::npos) << response.error;
  }
  EXPECT_EQ(receiver.connections(), 0);

  const OutboundResponse allowed = CurlWebhookTransport(test_config(true))
                                       .post(request_to("http://localhost:" + port + "/hook"));
  EXPECT_EQ(allowed.status, 200) << allowed.error;
}

TEST(CurlWebhookTransport, NamesOtherFailures) {
  CurlWebhookTransport transport(test_config());
  const auto closed = transport.post(
      request_to("http://127.0.0.1:" + std::to_string(testing::unused_port()) + "/"));
  EXPECT_EQ(closed.failure, Failure::connect);
  EXPECT_TRUE(closed.error.starts_with("connect: ")) << closed.error;

  for (const char* url : {"ftp://127.0.0.1/", "file:///etc/passwd", "gopher://127.0.0.1/",
                          "http://user:pw@127.0.0.1/", "not a url", ""}) {
    const auto response = transport.post(request_to(url));
    EXPECT_EQ(response.failure, Failure::bad_url) << url << ": " << response.error;
    EXPECT_FALSE(response.error.empty());
  }
}

TEST(CurlWebhookTransport, RefusesHeaderInjection) {
  LocalReceiver receiver(answer(LocalReceiver::response(200)));
  OutboundRequest request = request_to(receiver.url());
  request.headers = {{"webhook-id", "msg_1\r\nX-Injected: yes"}};
  const auto response = CurlWebhookTransport(test_config()).post(request);
  EXPECT_EQ(response.failure, Failure::bad_url);
  EXPECT_EQ(receiver.connections(), 0);
}

TEST(CurlWebhookTransport, IgnoresProxiesFromTheEnvironment) {
  // A proxy would connect for us, out of reach of the address check.
  LocalReceiver receiver(answer(LocalReceiver::response(200)));
  const std::string unused = "http://127.0.0.1:" + std::to_string(testing::unused_port());
  setenv("http_proxy", unused.c_str(), 1);
  setenv("HTTPS_PROXY", unused.c_str(), 1);
  setenv("ALL_PROXY", unused.c_str(), 1);
  const auto response = CurlWebhookTransport(test_config()).post(request_to(receiver.url()));
  unsetenv("http_proxy");
  unsetenv("HTTPS_PROXY");
  unsetenv("ALL_PROXY");
  EXPECT_EQ(response.status, 200) << response.error;
}

TEST(CurlTransportConfig, ValidateNamesTheSetting) {
  const auto message = [](CurlTransportConfig config) { return describe(config.validate()); };
  EXPECT_EQ(message({}), "");
  CurlTransportConfig config;
  config.connect_timeout = 0ms;
  EXPECT_EQ(message(config), "setting webhook.connect_timeout: must be positive");
  config = {};
  config.total_timeout = 1s;
  EXPECT_EQ(message(config), "setting webhook.total_timeout: must be at least connect_timeout");
  // Every bad setting at once.
  config.max_response_bytes = 0;
  EXPECT_EQ(config.validate().size(), 2u);
  config = {};
  config.max_response_bytes = 0;
  EXPECT_NE(message(config).find("webhook.max_response_bytes"), std::string::npos);
  config = {};
  config.user_agent = "a\r\nb: c";
  EXPECT_NE(message(config).find("webhook.user_agent"), std::string::npos);
  EXPECT_THROW(CurlWebhookTransport{config}, std::invalid_argument);

  const CurlTransportConfig defaults;
  EXPECT_EQ(defaults.connect_timeout, 5s);
  EXPECT_EQ(defaults.total_timeout, 10s);
  EXPECT_EQ(defaults.max_response_bytes, 64u * 1024u);
  EXPECT_FALSE(defaults.allow_private);
  EXPECT_EQ(defaults.user_agent, "ImageSprint-Webhooks/1");
}

// refuse_url, with a fake DNS so no test needs the network.
std::vector<IpAddress> fake_dns(const std::string& host) {
  static const std::map<std::string, std::vector<const char*>> ZONE = {
      {"hooks.slack.com", {"54.230.1.1"}},
      {"discord.com", {"162.159.128.233", "2606:4700::6810:1"}},
      {"discordapp.com", {"162.159.129.233"}},
      {"canary.discord.com", {"162.159.130.233"}},
      {"ptb.discordapp.com", {"162.159.131.233"}},
      {"example.com", {"93.184.216.34", "2606:2800:220:1:248:1893:25c8:1946"}},
      {"rebind.example", {"10.0.0.5"}},
      {"mixed.example", {"93.184.216.34", "127.0.0.1"}},
      {"metadata.example", {"169.254.169.254"}},
      {"lan.example", {"192.168.1.20"}},
      {"localhost", {"127.0.0.1", "::1"}},
  };
  std::vector<IpAddress> out;
  if (auto it = ZONE.find(host); it != ZONE.end()) {
    for (const char* address : it->second) out.push_back(*parse_ip_address(address));
  }
  return out;
}

struct UrlCase {
  WebhookType type;
  const char* url;
  const char* refusal;  // a part of the reason, or nullptr when accepted
};

void expect_refusals(bool allow_private, std::initializer_list<UrlCase> cases) {
  const CurlWebhookTransport transport(test_config(allow_private), fake_dns);
  for (const auto& c : cases) {
    const auto reason = transport.refuse_url(c.url, c.type);
    if (c.refusal == nullptr) {
      EXPECT_FALSE(reason) << to_string(c.type) << " " << c.url << ": " << reason.value_or("");
    } else {
      ASSERT_TRUE(reason) << to_string(c.type) << " " << c.url << " was accepted";
      EXPECT_NE(reason->find(c.refusal), std::string::npos)
          << to_string(c.type) << " " << c.url << ": " << *reason;
    }
  }
}

TEST(CurlWebhookTransportUrls, RefusesWhatIsNotAPlainHttpUrl) {
  const auto generic = WebhookType::generic;
  for (const bool allow_private : {false, true}) {
    expect_refusals(allow_private,
                    {
                        {generic, "https://example.com/hooks/imagesprint", nullptr},
                        {generic, "http://example.com:8080/x?y=1", nullptr},
                        {generic, "HTTPS://EXAMPLE.COM/x", nullptr},
                        {generic, "ftp://example.com/x", "http or https, not ftp"},
                        {generic, "file:///etc/passwd", "http or https"},
                        {generic, "javascript:alert(1)", "malformed"},
                        {generic, "example.com/x", "malformed"},
                        {generic, "", "empty"},
                        {generic, "https://user:pass@example.com/", "user name or password"},
                        {generic, "https://user@example.com/", "user name or password"},
                        {generic, "https://:pass@example.com/", "user name or password"},
                        {generic, "http://nowhere.example/", "does not resolve"},
                        {generic, "http://metadata.example/", "cloud metadata"},
                        {generic, "http://169.254.169.254/latest/meta-data/", "cloud metadata"},
                        {generic, "http://[fd00:ec2::254]/", "cloud metadata"},
                        {generic, "http://0.0.0.0:8080/", "unspecified"},
                        {generic, "http://224.0.0.1/", "multicast"},
                    });
  }
}

TEST(CurlWebhookTransportUrls, RefusesPrivateTargetsUnlessAllowed) {
  const auto generic = WebhookType::generic;
  expect_refusals(false, {
                             {generic, "http://127.0.0.1:8080/", "127.0.0.1 is a loopback address"},
                             {generic, "http://[::1]/", "loopback"},
                             {generic, "http://[::ffff:10.0.0.1]/", "private"},
                             {generic, "http://10.1.2.3/", "private"},
                             {generic, "http://172.20.0.1/", "private"},
                             {generic, "http://192.168.0.10/", "private"},
                             {generic, "http://100.64.0.1/", "carrier-grade NAT"},
                             {generic, "http://[fe80::1]/", "link-local"},
                             {generic, "http://rebind.example/", "rebind.example is not allowed"},
                             {generic, "http://mixed.example/", "127.0.0.1 is a loopback"},
                             {generic, "http://lan.example/", "private"},
                         });
  expect_refusals(true, {
                            {generic, "http://127.0.0.1:8080/", nullptr},
                            {generic, "http://[::1]/", nullptr},
                            {generic, "http://10.1.2.3/", nullptr},
                            {generic, "http://rebind.example/", nullptr},
                            {generic, "http://mixed.example/", nullptr},
                            {generic, "http://lan.example/", nullptr},
                        });
}

TEST(CurlWebhookTransportUrls, ResolvesNamesWithTheSystemResolver) {
  const CurlWebhookTransport transport(test_config(false));
  for (const char* url : {"http://localhost/", "http://2130706433/", "http://127.1/"}) {
    const auto reason = transport.refuse_url(url, WebhookType::generic);
    ASSERT_TRUE(reason) << url;
    EXPECT_NE(reason->find("loopback"), std::string::npos) << url << ": " << *reason;
  }
  EXPECT_FALSE(CurlWebhookTransport(test_config(true))
                   .refuse_url("http://localhost:9/x", WebhookType::generic));
}

TEST(CurlWebhookTransportUrls, SlackAndDiscordOnlyOnTheirOfficialHosts) {
  const auto slack = WebhookType::slack;
  const auto discord = WebhookType::discord;
  expect_refusals(
      false,
      {
          {slack, "https://hooks.slack.com/services/T000/B000/XXXX", nullptr},
          {slack, "https://hooks.slack.com:443/services/T000/B000/XXXX", nullptr},
          {slack, "https://HOOKS.SLACK.COM/services/T000/B000/XXXX", nullptr},
          {slack, "http://hooks.slack.com/services/T000/B000/XXXX", "hooks.slack.com/services"},
          {slack, "https://hooks.slack.com:8443/services/T/B/X", "Slack webhook URLs must"},
          {slack, "https://hooks.slack.com/other/T/B/X", "Slack"},
          {slack, "https://example.com/services/T/B/X", "Slack"},
          {slack, "https://hooks.slack.com.example.com/services/T/B/X", "Slack"},
          {slack, "https://discord.com/api/webhooks/1/abc", "Slack"},
          {discord, "https://discord.com/api/webhooks/123/abc", nullptr},
          {discord, "https://discordapp.com/api/webhooks/123/abc", nullptr},
          {discord, "https://canary.discord.com/api/v10/webhooks/123/abc", nullptr},
          {discord, "https://ptb.discordapp.com/api/webhooks/123/abc", nullptr},
          {discord, "http://discord.com/api/webhooks/123/abc", "discord.com/api/webhooks"},
          {discord, "https://discord.com/api/vX/webhooks/123/abc", "Discord"},
          {discord, "https://discord.com/api/users/123", "Discord"},
          {discord, "https://discord.com.example.com/api/webhooks/1/a", "Discord"},
          {discord, "https://evil.discord.com/api/webhooks/1/a", "Discord"},
          {discord, "https://hooks.slack.com/services/T/B/X", "Discord"},
          {discord, "https://127.0.0.1/api/webhooks/1/a", "Discord"},
      });
  // With the switch on (tests, self-hosting), a local stand-in may play Slack or Discord.
  expect_refusals(true, {
                            {slack, "http://127.0.0.1:8080/slack", nullptr},
                            {discord, "http://localhost:8080/discord", nullptr},
                        });
}

}  // namespace
}  // namespace imagesprint::curl
