// Hardening: the requests of the hardening review, sent as they were to a real `imagesprint
// serve`. Each test fails on the code before its fix: the process crashed, buffered bodies for
// clients that were not signed in, served a smuggled request, broke on invalid UTF-8, accepted
// outputs of gigabytes, ignored --request-timeout, let one user take every connection, or
// accepted any number of webhooks.
#include <arpa/inet.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <unistd.h>

#include <gtest/gtest.h>

#include <chrono>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <thread>
#include <vector>

#include "job_checks.hpp"
#include "raw_connection.hpp"
#include "serve_process.hpp"
#include "support/corpus.hpp"

namespace imagesprint {
namespace {

using nlohmann::json;
using test::FilePart;
using test::multipart;
using test::port_of;
using test::RawConnection;
using test::ServeProcess;
using Clock = std::chrono::steady_clock;

std::size_t count(const std::string& text, const std::string& what) {
  std::size_t n = 0;
  for (auto at = text.find(what); at != std::string::npos; at = text.find(what, at + 1)) ++n;
  return n;
}

FilePart small_png(const std::string& filename) {
  const auto bytes = test::read_bytes(test::corpus("edge/with-alpha.png"));
  return {"files", filename, std::string(bytes.begin(), bytes.end())};
}

std::string error_field(const std::string& body) {
  const auto j = json::parse(body, nullptr, false);
  if (j.is_discarded() || !j.contains("error"))
    return "<no JSON error: " + body.substr(0, 200) + ">";
  return j["error"].value("field", "");
}

bool healthy(ServeProcess& server) {
  return server.get("/healthz").status == 200;
}

// 1. A deeply nested options part crashed the process (stack overflow while quoting it).
TEST(Hardening, DeeplyNestedPreviewOptionsAreRefusedNotACrash) {
  ServeProcess server;
  const std::string token = server.signup("nest@example.com");
  const auto png = small_png("a.png");
  const std::string deep = std::string(100'000, '[') + std::string(100'000, ']');
  auto r = server.post_multipart("/v1/preview", {{"file", "a.png", png.bytes}}, {{"options", deep}},
                                 token);
  EXPECT_GE(r.status, 400);
  EXPECT_LT(r.status, 500);
  EXPECT_EQ(error_field(r.body), "options") << r.body;
  // Within the 64 KiB part cap, the nesting limit answers.
  const std::string nested = std::string(1000, '[') + std::string(1000, ']');
  r = server.post_multipart("/v1/preview", {{"file", "a.png", png.bytes}}, {{"options", nested}},
                            token);
  EXPECT_EQ(r.status, 422) << r.body;
  EXPECT_EQ(error_field(r.body), "options") << r.body;
  // And in a job's options and a JSON body.
  r = server.post_multipart("/v1/jobs", {png}, {{"options", nested}}, token);
  EXPECT_EQ(r.status, 422) << r.body;
  r = server.post_json("/v1/webhooks", std::string(1000, '[') + std::string(1000, ']'), token);
  EXPECT_EQ(r.status, 400) << r.body;
  EXPECT_TRUE(healthy(server));
}

// 1b. The preview's box is a number of pixels in the documented range, all of it, or a 400.
TEST(Hardening, PreviewBoxIsCheckedNamingTheField) {
  ServeProcess server;
  const std::string token = server.signup("box@example.com");
  const auto png = small_png("a.png");
  for (const std::string box : {"12abc", "-5", "15", "1601", "99999999999", "0x40", " 64"}) {
    const auto r =
        server.post_multipart("/v1/preview", {{"file", "a.png", png.bytes}}, {{"box", box}}, token);
    EXPECT_EQ(r.status, 400) << box << ": " << r.body;
    EXPECT_EQ(error_field(r.body), "box") << box << ": " << r.body;
  }
  for (const std::string box : {"16", "64", "1600"}) {
    const auto r =
        server.post_multipart("/v1/preview", {{"file", "a.png", png.bytes}}, {{"box", box}}, token);
    EXPECT_EQ(r.status, 200) << box << ": " << r.body;
  }
  EXPECT_TRUE(healthy(server));
}

// A cursor that no page gave was read as "from the newest": a client with a broken cursor got the
// first page again and again, its next_cursor leading back to where it was.
TEST(Hardening, ACursorThatNoPageGaveIsRefusedNamingIt) {
  ServeProcess server({"--webhook-allow-private"});
  const std::string token = server.signup("cursor@example.com");
  const auto hook = json::parse(
      server.post_json("/v1/webhooks", R"({"type":"generic","url":"http://127.0.0.1:9/h"})", token)
          .body);
  const std::string deliveries =
      "/v1/webhooks/" + std::to_string(hook.value("id", 0)) + "/deliveries";
  for (const std::string& list :
       {std::string("/v1/jobs"), std::string("/v1/notifications"), deliveries}) {
    for (const std::string cursor : {"abc", "-1", "0", "1x", "%20%31", "1:", ":j", "1:a%20b"}) {
      const auto r = server.get(list + "?cursor=" + cursor, token);
      EXPECT_EQ(r.status, 400) << list << " " << cursor << ": " << r.body;
      EXPECT_EQ(error_field(r.body), "cursor") << list << " " << cursor << ": " << r.body;
    }
    const auto first = server.get(list + "?cursor=", token);  // empty: the first page
    EXPECT_EQ(first.status, 200) << list << ": " << first.body;
  }
  // The forms each list's own pages give continue it.
  EXPECT_EQ(server.get("/v1/jobs?cursor=1764748800000:aZ-_9", token).status, 200);
  EXPECT_EQ(server.get("/v1/notifications?cursor=12", token).status, 200);
  EXPECT_EQ(server.get(deliveries + "?cursor=12", token).status, 200);
  EXPECT_TRUE(healthy(server));
}

// A misspelt field was dropped without a word: {"evnets": [...]} made a webhook for every event,
// and the OpenAPI schemas, which say additionalProperties: false, promised otherwise. A field
// given twice counted the last time.
TEST(Hardening, UnknownOrRepeatedBodyFieldsAreRefusedNamingThem) {
  ServeProcess server({"--webhook-allow-private"});
  const std::string password = R"("password":"correct horse battery")";
  auto r = server.post_json("/v1/auth/signup",
                            R"({"email":"f@example.com",)" + password + R"(,"nmae":"F"})", "");
  EXPECT_EQ(r.status, 400) << r.body;
  EXPECT_EQ(error_field(r.body), "nmae");
  const std::string token = server.signup("f@example.com");  // the refused sign-up made nothing
  r = server.post_json("/v1/auth/login",
                       R"({"email":"f@example.com",)" + password + R"(,"remember":true})", "");
  EXPECT_EQ(r.status, 400) << r.body;
  EXPECT_EQ(error_field(r.body), "remember");
  r = server.post_json("/v1/api-keys", R"({"name":"ci","expires":"never"})", token);
  EXPECT_EQ(r.status, 400) << r.body;
  EXPECT_EQ(error_field(r.body), "expires");
  r = server.post_json("/v1/api-keys", R"({"name":"ci","":"x"})", token);
  EXPECT_EQ(r.status, 400) << r.body;
  EXPECT_NE(r.body.find("a field without a name"), std::string::npos) << r.body;
  // A name given twice: which one counts would depend on the reader. The job of uploads reads
  // its body apart from the others (as it streams in), through the same parser.
  r = server.post_json("/v1/api-keys", R"({"name":"ci","name":"admin"})", token);
  EXPECT_EQ(r.status, 400) << r.body;
  EXPECT_NE(r.body.find(R"(the name \"name\" is given twice)"), std::string::npos) << r.body;
  r = server.post_json("/v1/jobs", R"({"options":{},"uploads":["a"],"uploads":["b"]})", token);
  EXPECT_EQ(r.status, 400) << r.body;
  EXPECT_NE(r.body.find(R"(the name \"uploads\" is given twice)"), std::string::npos) << r.body;
  r = server.post_json(
      "/v1/jobs", R"({"options":{},"uploads":)" + std::string(40, '[') + std::string(40, ']') + "}",
      token);
  EXPECT_EQ(r.status, 400) << r.body;
  EXPECT_NE(r.body.find("nested more than"), std::string::npos) << r.body;
  r = server.post_json("/v1/webhooks",
                       R"({"type":"generic","url":"http://127.0.0.1:9/h","evnets":["job.failed"]})",
                       token);
  EXPECT_EQ(r.status, 400) << r.body;
  EXPECT_EQ(error_field(r.body), "evnets");
  EXPECT_NE(r.body.find("expected type, url, events, secret"), std::string::npos) << r.body;
  EXPECT_EQ(json::parse(server.get("/v1/webhooks", token).body).at("items").size(), 0u);
  r = server.post_json("/v1/presets", R"({"name":"p","options":{},"colour":"red"})", token);
  EXPECT_EQ(r.status, 400) << r.body;
  EXPECT_EQ(error_field(r.body), "colour");
  EXPECT_NE(r.body.find("expected name, options"), std::string::npos) << r.body;
  EXPECT_EQ(server.get("/v1/api-keys", token).body.find("\"ci\""), std::string::npos);
  // The same bodies without the stray fields are taken.
  EXPECT_EQ(server.post_json("/v1/auth/login", R"({"email":"f@example.com",)" + password + "}", "")
                .status,
            200);
  EXPECT_EQ(server.post_json("/v1/api-keys", R"({"name":"ci"})", token).status, 201);
  EXPECT_EQ(
      server
          .post_json("/v1/webhooks",
                     R"({"type":"generic","url":"http://127.0.0.1:9/h","events":["job.failed"]})",
                     token)
          .status,
      201);
}

// 2. A client that is not signed in is answered on its headers, before any body byte.
// A query parameter no route reads was ignored: "?statuss=done" listed every job, and of
// "?limit=1&limit=100" the first counted, where other readers take the last.
TEST(Hardening, UnknownOrRepeatedQueryParametersAreRefusedNamingThem) {
  ServeProcess server;
  const std::string token = server.signup("query@example.com");
  const auto refused = [&](const std::string& target, const std::string& field,
                           const std::string& words) {
    const auto r = server.get(target, token);
    EXPECT_EQ(r.status, 400) << target << ": " << r.body;
    EXPECT_EQ(error_field(r.body), field) << target << ": " << r.body;
    EXPECT_NE(r.body.find(words), std::string::npos) << target << ": " << r.body;
  };
  refused("/v1/jobs?statuss=done", "statuss", "expected status, cursor, limit");
  refused("/v1/jobs?limit=1&limit=100", "limit", "given more than once");
  refused("/v1/jobs?limit=1&%6cimit=100", "limit", "given more than once");  // decoded names
  refused("/v1/notifications?unread=true&unread=false", "unread", "given more than once");
  refused("/v1/me?verbose", "verbose", "this route takes none");
  refused("/v1/jobs/1/images/0?sise=256", "sise", "expected size");
  const auto korean = server.get("/v1/jobs?statuss=done", token, {"Accept-Language: ko"});
  EXPECT_EQ(korean.status, 400);
  EXPECT_NE(korean.body.find("statuss: 알 수 없는 쿼리 매개변수입니다 (받는 매개변수: status, "
                             "cursor, limit)"),
            std::string::npos)
      << korean.body;
  // Sign-in comes first: a stranger learns nothing about the route's parameters.
  EXPECT_EQ(server.get("/v1/jobs?statuss=done", "").status, 401);
  // Before the body: a POST with a stray parameter is answered on its headers alone.
  RawConnection c(port_of(server));
  ASSERT_TRUE(c.connected());
  c.send("POST /v1/api-keys?dry_run=1 HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Bearer " +
         token + "\r\nContent-Type: application/json\r\nContent-Length: 1000\r\n\r\n");
  const std::string reply = c.read(10, "\r\n\r\n");
  EXPECT_TRUE(reply.starts_with("HTTP/1.1 400")) << reply.substr(0, 200);
  // The parameters each route documents are taken.
  EXPECT_EQ(server.get("/v1/jobs?status=done&limit=5&cursor=", token).status, 200);
  EXPECT_EQ(server.get("/v1/notifications?unread=1&limit=5", token).status, 200);
  EXPECT_EQ(server.get("/v1/me", token).status, 200);
  EXPECT_TRUE(healthy(server));
}

// A field that takes one value, on two lines, was read from the first: a proxy in front that
// reads the last (two Hosts, two Authorizations) would then act on another request than ours.
// An HTTP/1.1 request without Host was served although RFC 9112 says 400.
TEST(Hardening, OneValueFieldsOnTwoLinesAndAMissingHostAreRefused) {
  ServeProcess server;
  const std::string token = server.signup("lines@example.com");
  const auto answer = [&](const std::string& head) {
    RawConnection c(port_of(server));
    EXPECT_TRUE(c.connected());
    c.send(head + "\r\n");
    return c.read(10, "}");
  };
  const std::string host = "Host: 127.0.0.1\r\n";
  const std::string bearer = "Authorization: Bearer " + token + "\r\n";
  std::string reply = answer("GET /v1/me HTTP/1.1\r\n" + host + host + bearer);
  EXPECT_TRUE(reply.starts_with("HTTP/1.1 400")) << reply;
  EXPECT_NE(reply.find(R"("field":"Host")"), std::string::npos) << reply;
  EXPECT_NE(reply.find("Connection: close"), std::string::npos) << reply;
  reply = answer("GET /v1/me HTTP/1.1\r\n" + host + bearer + "Authorization: Bearer x\r\n");
  EXPECT_TRUE(reply.starts_with("HTTP/1.1 400")) << reply;
  EXPECT_NE(reply.find(R"("field":"Authorization")"), std::string::npos) << reply;
  reply = answer("GET /v1/me HTTP/1.1\r\n" + bearer);
  EXPECT_TRUE(reply.starts_with("HTTP/1.1 400")) << reply;
  EXPECT_NE(reply.find(R"("field":"Host")"), std::string::npos) << reply;
  // A list-valued field may take several lines, read as one list; HTTP/1.0 has no Host to
  // require.
  reply = answer("GET /v1/me?x HTTP/1.1\r\n" + host + bearer +
                 "Accept-Language: fr\r\nAccept-Language: ko\r\n");
  EXPECT_TRUE(reply.starts_with("HTTP/1.1 400")) << reply;
  EXPECT_NE(reply.find("알 수 없는 쿼리 매개변수입니다"), std::string::npos) << reply;
  reply = answer("GET /v1/me HTTP/1.0\r\n" + bearer);
  EXPECT_EQ(reply.substr(0, 4) + reply.substr(8, 4), "HTTP 200") << reply;
  EXPECT_TRUE(healthy(server));
}

TEST(Hardening, UnauthenticatedBodiesAreRefusedBeforeTheyAreRead) {
  ServeProcess server;
  RawConnection c(port_of(server));
  ASSERT_TRUE(c.connected());
  c.send(
      "POST /v1/preview HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: multipart/form-data; "
      "boundary=x\r\nContent-Length: 25165824\r\n\r\n");
  // Not one body byte is sent: the answer must come on the headers alone.
  const std::string reply = c.read(10, "\r\n\r\n");
  EXPECT_TRUE(reply.starts_with("HTTP/1.1 401")) << reply.substr(0, 200);
  EXPECT_NE(reply.find("Connection: close"), std::string::npos) << reply;
  EXPECT_TRUE(healthy(server));
}

// 2b. Previews run a few at a time per user; the next one is refused before its body is read.
TEST(Hardening, PreviewConcurrencyIsLimitedPerUser) {
  ServeProcess server({"--previews-per-user", "1"});
  const std::string token = server.signup("busy@example.com");
  RawConnection first(port_of(server));
  ASSERT_TRUE(first.connected());
  // The first preview is admitted and is still sending its body.
  first.send("POST /v1/preview HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Bearer " + token +
             "\r\nContent-Type: multipart/form-data; boundary=x\r\nContent-Length: 100000\r\n\r\n"
             "--x\r\n");
  std::this_thread::sleep_for(std::chrono::milliseconds(300));
  RawConnection second(port_of(server));
  second.send(
      "POST /v1/preview HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Bearer " + token +
      "\r\nContent-Type: multipart/form-data; boundary=x\r\nContent-Length: 100000\r\n\r\n");
  const std::string reply = second.read(10, "\r\n\r\n");
  EXPECT_TRUE(reply.starts_with("HTTP/1.1 429")) << reply.substr(0, 300);
  EXPECT_NE(reply.find("Retry-After"), std::string::npos) << reply;
}

// 3. Transfer codings that do not end in chunked: 400, and the connection closes, so the
// request hidden behind it is never served.
TEST(Hardening, SmuggledRequestsAreNeverServed) {
  ServeProcess server;
  for (const char* coding : {"gzip", "xchunked", "chunked, gzip"}) {
    RawConnection c(port_of(server));
    ASSERT_TRUE(c.connected());
    c.send(std::string("POST /v1/auth/login HTTP/1.1\r\nHost: 127.0.0.1\r\nTransfer-Encoding: ") +
           coding + "\r\n\r\nGET /healthz HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n");
    const std::string reply = c.read(10);
    EXPECT_TRUE(c.closed()) << coding;
    EXPECT_TRUE(reply.starts_with("HTTP/1.1 400")) << coding << ": " << reply.substr(0, 200);
    EXPECT_EQ(count(reply, "HTTP/1.1 "), 1u) << coding << ": " << reply;
  }
  // Content-Length and Transfer-Encoding together are refused too.
  RawConnection c(port_of(server));
  c.send(
      "POST /v1/auth/login HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Length: 5\r\n"
      "Transfer-Encoding: chunked\r\n\r\n0\r\n\r\nGET /healthz HTTP/1.1\r\nHost: "
      "127.0.0.1\r\n\r\n");
  const std::string reply = c.read(10);
  EXPECT_EQ(count(reply, "HTTP/1.1 "), 1u) << reply;
  EXPECT_TRUE(reply.starts_with("HTTP/1.1 400")) << reply.substr(0, 200);
}

// 4. Names that are not valid UTF-8, or long names cut in a character, must not break the job
// or the user's event stream.
TEST(Hardening, InvalidUtf8NamesNeitherStickAJobNorBreakEvents) {
  ServeProcess server;
  const std::string token = server.signup("utf8@example.com");
  auto r = server.post_multipart("/v1/jobs", {small_png("a.png")}, {{"name", "bad \xff\xfe name"}},
                                 token);
  EXPECT_EQ(r.status, 400) << r.body;
  EXPECT_EQ(error_field(r.body), "name");

  const std::string long_name = std::string(199, 'a') + "\xc3\xa9.png";  // "é" at bytes 199-200
  for (const std::string& filename : {long_name, std::string("broken-\xff\xfe.png")}) {
    r = server.post_multipart("/v1/jobs", {small_png(filename)}, {}, token);
    ASSERT_EQ(r.status, 201) << r.body;
    const std::string id = json::parse(r.body)["id"];
    const auto deadline = Clock::now() + std::chrono::seconds(60);
    std::string status = "queued";
    while (Clock::now() < deadline && (status == "queued" || status == "processing")) {
      const auto job = server.get("/v1/jobs/" + id, token);
      ASSERT_EQ(job.status, 200) << job.body;
      status = json::parse(job.body)["status"];
      std::this_thread::sleep_for(std::chrono::milliseconds(100));
    }
    EXPECT_EQ(status, "done") << filename;
  }
  // The event stream still opens and sends its snapshot.
  const std::string events = server.read_events("/v1/events", token, "event: snapshot", 10);
  EXPECT_NE(events.find("event: snapshot"), std::string::npos) << events.substr(0, 300);
  EXPECT_EQ(server.get("/v1/jobs", token).status, 200);
}

// 5. Two tiny PNGs asking for 16384x16384 outputs: refused at submit, naming the option.
TEST(Hardening, OutputsOverThePixelLimitAreRefusedAtSubmit) {
  ServeProcess server;
  const std::string token = server.signup("pixels@example.com");
  const std::string options = R"({"width":16384,"height":16384,"enlarge":true,"fit":"fill"})";
  auto r = server.post_multipart("/v1/jobs", {small_png("a.png"), small_png("b.png")},
                                 {{"options", options}}, token);
  EXPECT_EQ(r.status, 413) << r.body;
  EXPECT_EQ(error_field(r.body), "width") << r.body;
  // The preview too (the engine checks the same limit).
  r = server.post_multipart("/v1/preview", {{"file", "a.png", small_png("a.png").bytes}},
                            {{"options", options}}, token);
  EXPECT_EQ(r.status, 413) << r.body;
  EXPECT_TRUE(healthy(server));
}

// 6. Sign-ups are rate-limited per client address, with Retry-After.
TEST(Hardening, SignupsAreLimitedPerAddress) {
  ServeProcess server({"--signups-per-hour", "2"});
  server.signup("one@example.com");
  server.signup("two@example.com");
  const auto r = server.post_json("/v1/auth/signup",
                                  R"({"email":"three@example.com","password":"long enough pw"})");
  EXPECT_EQ(r.status, 429) << r.body;
  EXPECT_FALSE(r.headers.count("retry-after") == 0);
}

// Behind a load balancer (a trusted proxy), the address counted is the client's it names in
// X-Forwarded-For, not the balancer's: one client at its limit does not lock out the others.
// From any other peer the header is ignored. (Documentation addresses, RFC 5737.)
TEST(Hardening, SignupLimitsCountTheClientATrustedProxyNames) {
  const auto signup = [](ServeProcess& server, const std::string& email,
                         const std::string& forwarded_for) {
    const std::string body = R"({"email":")" + email + R"(","password":"long enough pw"})";
    RawConnection c(port_of(server));
    c.send("POST /v1/auth/signup HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Forwarded-For: " + forwarded_for +
           "\r\nContent-Type: application/json\r\nContent-Length: " + std::to_string(body.size()) +
           "\r\nConnection: close\r\n\r\n" + body);
    const std::string answer = c.read(20);
    return answer.substr(0, answer.find("\r\n"));
  };
  ServeProcess proxied({"--signups-per-hour", "1", "--trusted-proxies", "127.0.0.1,::1"});
  EXPECT_EQ(signup(proxied, "a1@example.com", "127.0.0.11"), "HTTP/1.1 201 Created");
  EXPECT_EQ(signup(proxied, "b1@example.com", "127.0.0.12"), "HTTP/1.1 201 Created");
  EXPECT_EQ(signup(proxied, "a2@example.com", "127.0.0.11"), "HTTP/1.1 429 Too Many Requests");
  // A client cannot escape its limit by writing its own header before the proxy's.
  EXPECT_EQ(signup(proxied, "a3@example.com", "127.0.0.19, 127.0.0.11"),
            "HTTP/1.1 429 Too Many Requests");

  ServeProcess direct({"--signups-per-hour", "1"});
  EXPECT_EQ(signup(direct, "c1@example.com", "127.0.0.11"), "HTTP/1.1 201 Created");
  EXPECT_EQ(signup(direct, "c2@example.com", "127.0.0.12"), "HTTP/1.1 429 Too Many Requests");
}

// 7. --request-timeout bounds a whole body: a client that stops sending is cut off.
TEST(Hardening, RequestTimeoutCutsOffAStalledUpload) {
  ServeProcess server({"--request-timeout", "2"});
  const std::string token = server.signup("slow@example.com");
  RawConnection c(port_of(server));
  c.send("POST /v1/jobs HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Bearer " + token +
         "\r\nContent-Type: multipart/form-data; boundary=x\r\nContent-Length: 100000\r\n\r\n"
         "--x\r\n");
  // The body read timeout is 30 s; the request timeout of 2 s must end it well before that.
  c.read(20);
  EXPECT_TRUE(c.closed());
  EXPECT_TRUE(healthy(server));
}

// 8. One user's event streams cannot take every connection, and health checks always answer.
TEST(Hardening, OneUserCannotTakeEveryConnection) {
  ServeProcess server({"--max-connections", "6", "--event-streams-per-user", "3"});
  const std::string token = server.signup("streams@example.com");
  const int port = port_of(server);
  std::vector<std::unique_ptr<RawConnection>> streams;
  const std::string open =
      "GET /v1/events HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Bearer " + token + "\r\n\r\n";
  for (int i = 0; i < 3; ++i) {
    streams.push_back(std::make_unique<RawConnection>(port));
    streams.back()->send(open);
    EXPECT_TRUE(streams.back()->read(10, "event: snapshot").starts_with("HTTP/1.1 200"));
  }
  RawConnection fourth(port);
  fourth.send(open);
  EXPECT_TRUE(fourth.read(10, "\r\n\r\n").starts_with("HTTP/1.1 429"));
  // Fill the rest of the connections with idle ones: health checks still answer.
  std::vector<std::unique_ptr<RawConnection>> idle;
  for (int i = 0; i < 4; ++i) idle.push_back(std::make_unique<RawConnection>(port));
  std::this_thread::sleep_for(std::chrono::milliseconds(200));
  EXPECT_EQ(server.get("/healthz").status, 200);
  EXPECT_EQ(server.get("/readyz").status, 200);
  EXPECT_EQ(server.get("/v1/me", token).status, 503);
}

TEST(Hardening, ConnectionsPerAddressAreCapped) {
  ServeProcess server({"--max-connections-per-address", "2"});
  const int port = port_of(server);
  RawConnection a(port), b(port);
  std::this_thread::sleep_for(std::chrono::milliseconds(200));
  EXPECT_EQ(server.get("/openapi.json").status, 503);
  EXPECT_EQ(server.get("/healthz").status, 200);
}

// 9. Webhooks per user and URL length are capped.
TEST(Hardening, WebhooksAreCapped) {
  ServeProcess server({"--max-webhooks", "2", "--webhook-allow-private"});
  const std::string token = server.signup("hooks@example.com");
  const std::string hook = R"({"type":"generic","url":"http://127.0.0.1:9/hook"})";
  EXPECT_EQ(server.post_json("/v1/webhooks", hook, token).status, 201);
  EXPECT_EQ(server.post_json("/v1/webhooks", hook, token).status, 201);
  auto r = server.post_json("/v1/webhooks", hook, token);
  EXPECT_EQ(r.status, 429) << r.body;
  EXPECT_EQ(error_field(r.body), "webhooks");
  r = server.post_json(
      "/v1/webhooks",
      R"({"type":"generic","url":"http://127.0.0.1:9/)" + std::string(3000, 'a') + R"("})", token);
  EXPECT_EQ(r.status, 400) << r.body;
  EXPECT_EQ(error_field(r.body), "url");
}

// Cross-site requests: a cookie-authenticated change from another origin is refused.
TEST(Hardening, CookieChangesFromAnotherOriginAreRefused) {
  ServeProcess server;
  const std::string token = server.signup("csrf@example.com");
  const int port = port_of(server);
  const std::string body = multipart("x", {{"options", "{}"}}, {small_png("a.png")});
  const auto post = [&](const std::string& origin) {
    RawConnection c(port);
    c.send("POST /v1/jobs HTTP/1.1\r\nHost: 127.0.0.1:" + std::to_string(port) +
           "\r\nCookie: imagesprint_session=" + token + "\r\nOrigin: " + origin +
           "\r\nContent-Type: multipart/form-data; boundary=x\r\nContent-Length: " +
           std::to_string(body.size()) + "\r\nConnection: close\r\n\r\n" + body);
    return c.read(30);
  };
  EXPECT_TRUE(post("https://evil.example").starts_with("HTTP/1.1 403"));
  EXPECT_TRUE(post("http://127.0.0.1:" + std::to_string(port)).starts_with("HTTP/1.1 201"));
}

// /metrics: only this machine's clients, or the bearer of the metrics token.
TEST(Hardening, MetricsNeedTheTokenWhenOneIsSet) {
  ServeProcess server({"--metrics-token", "s3cret-metrics-token"});
  EXPECT_EQ(server.get("/metrics").status, 403);
  EXPECT_EQ(server.get("/metrics", "s3cret-metrics-token").status, 200);
  ServeProcess open_server;
  EXPECT_EQ(open_server.get("/metrics").status, 200);  // from loopback
}

// Quotas: stored bytes per user; the 429 names the limit.
TEST(Hardening, QuotasRefuseWithTheLimitNamed) {
  ServeProcess server({"--max-stored-bytes", "1000"});
  const std::string token = server.signup("quota@example.com");
  const auto r = server.post_multipart("/v1/jobs", {small_png("a.png")}, {}, token);
  EXPECT_EQ(r.status, 429) << r.body;
  EXPECT_EQ(error_field(r.body), "max_stored_bytes");
}

// signing.key is created owner-only.
TEST(Hardening, SigningKeyIsOwnerOnly) {
  ServeProcess server;
  struct stat info {};
  ASSERT_EQ(::stat((server.data() / "signing.key").c_str(), &info), 0);
  EXPECT_EQ(info.st_mode & 0777, 0600u);
}

// A storage that refuses a write (a file grown past `ulimit -f`, as a disk full refuses it)
// ended the process: SIGXFSZ's default action. Now the write fails and the request is a 503 with
// Retry-After (a multipart job or a tus PATCH), nothing of it is kept, and the next job that fits
// is converted.
TEST(Hardening, AStorageThatRefusesAWriteFailsTheRequestNotTheProcess) {
  // The limit is set in this process while the server is started (a child inherits it), then
  // put back: 3 MiB holds the database, not the 4.6 MB photo.
  rlimit before{};
  ASSERT_EQ(::getrlimit(RLIMIT_FSIZE, &before), 0);
  rlimit limited = before;
  limited.rlim_cur = 3 << 20;
  ASSERT_EQ(::setrlimit(RLIMIT_FSIZE, &limited), 0);
  std::optional<ServeProcess> started;
  try {
    started.emplace();
  } catch (...) {
    ::setrlimit(RLIMIT_FSIZE, &before);
    throw;
  }
  ASSERT_EQ(::setrlimit(RLIMIT_FSIZE, &before), 0);
  ServeProcess& server = *started;
  const std::string token = server.signup("storage@example.com");

  const auto photo = test::read_bytes(test::corpus("photos/volna-5120x2880.jpg"));
  const auto refused = server.post_multipart(
      "/v1/jobs",
      {small_png("a.png"), {"files", "big.jpg", std::string(photo.begin(), photo.end())}},
      {{"options", R"({"width": 64, "format": "webp"})"}}, token);
  EXPECT_EQ(refused.status, 503) << refused.body;
  const auto error = json::parse(refused.body, nullptr, false);
  ASSERT_FALSE(error.is_discarded()) << refused.body;
  EXPECT_EQ(error["error"]["code"], "unavailable") << refused.body;
  EXPECT_EQ(refused.body.find(server.data().string()), std::string::npos) << refused.body;
  EXPECT_TRUE(refused.headers.contains("retry-after"));
  ASSERT_TRUE(healthy(server));
  EXPECT_EQ(json::parse(server.get("/v1/jobs", token).body)["items"].size(), 0u);
  EXPECT_EQ(server.stored_objects(), 0);

  // A resumable upload's PATCH: the same 503 (it was a 500: the route committed the failed
  // writer), and the upload keeps nothing of it, so the client resumes from offset 0.
  const std::string tus = "Tus-Resumable: 1.0.0";
  const auto created = server.send("POST", "/v1/uploads", token,
                                   {tus, "Upload-Length: " + std::to_string(photo.size())});
  ASSERT_EQ(created.status, 201) << created.body;
  const std::string location = created.headers.at("location");
  const std::string upload = location.substr(location.find("/v1/uploads/"));
  const auto patched =
      server.send("PATCH", upload, token,
                  {tus, "Content-Type: application/offset+octet-stream", "Upload-Offset: 0"},
                  std::string(photo.begin(), photo.end()));
  EXPECT_EQ(patched.status, 503) << patched.body;
  EXPECT_TRUE(patched.headers.contains("retry-after"));
  EXPECT_TRUE(patched.headers.contains("tus-resumable"));
  const auto offset = server.send("HEAD", upload, token, {tus});
  EXPECT_EQ(offset.status, 200);
  EXPECT_EQ(offset.headers.at("upload-offset"), "0");
  EXPECT_EQ(server.stored_objects(), 0);

  const auto fits = server.post_multipart(
      "/v1/jobs", {small_png("a.png")}, {{"options", R"({"width": 64, "format": "webp"})"}}, token);
  ASSERT_EQ(fits.status, 201) << fits.body;
  const auto finished = test::wait_finished(server, json::parse(fits.body)["id"], token, 60);
  EXPECT_EQ(finished["status"], "done") << finished.dump();
}

}  // namespace
}  // namespace imagesprint
