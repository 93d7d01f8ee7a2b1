// Server-Sent Events over a real connection: headers, ordered events with ids, retry, heartbeat,
// the end of a stream (producer, client, server stop), and many idle streams on two threads.
#include <gtest/gtest.h>

#include <mutex>
#include <thread>
#include <vector>

#include "adapters/http/server.hpp"
#include "test_client.hpp"

namespace imagesprint::http {
namespace {

using namespace testing;
using namespace std::chrono_literals;

/// Stands in for the EventBus: keeps the channels handlers open, feeds them from test threads.
class Hub {
 public:
  void add(std::shared_ptr<EventChannel> channel) {
    std::lock_guard lock(mutex_);
    channels_.push_back(std::move(channel));
  }
  std::size_t size() {
    std::lock_guard lock(mutex_);
    return channels_.size();
  }
  std::shared_ptr<EventChannel> at(std::size_t i) {
    std::lock_guard lock(mutex_);
    return channels_.at(i);
  }

 private:
  std::mutex mutex_;
  std::vector<std::shared_ptr<EventChannel>> channels_;
};

Router make_router(Hub& hub) {
  Router router;
  router.get("/events", [&hub](Request& request) -> net::awaitable<Response> {
    auto channel = std::make_shared<EventChannel>();
    // What a reconnecting browser asks for; a real handler would replay from there.
    if (const auto last = request.header("Last-Event-ID"); !last.empty()) {
      channel->push({std::string(last), "resumed", "from " + std::string(last)});
    }
    hub.add(channel);
    co_return Response::sse(channel);
  });
  router.get("/hello", [](Request&) -> net::awaitable<Response> {
    co_return Response::text(Status::ok, "hi");
  });
  return router;
}

ServerConfig sse_config(std::chrono::milliseconds heartbeat = 10s) {
  auto config = test_config();
  config.sse_heartbeat = heartbeat;
  config.sse_retry = 2500ms;
  return config;
}

std::unique_ptr<Connection> open_stream(std::uint16_t port, std::string_view last_event_id = {}) {
  auto connection = std::make_unique<Connection>(port);
  auto request = make_request(Verb::get, "/events");
  request.set(Field::accept, "text/event-stream");
  if (!last_event_id.empty()) request.set("Last-Event-ID", to_beast(last_event_id));
  EXPECT_FALSE(connection->send(request));
  EXPECT_TRUE(connection->read_header());
  return connection;
}

TEST(HttpSse, StreamsOrderedEventsWithIdsAfterRetry) {
  Hub hub;
  TestServer server(make_router(hub), sse_config());
  auto stream = open_stream(server.port());
  const auto& header = stream->parser().get();
  EXPECT_EQ(header.result(), Status::ok);
  EXPECT_EQ(header[Field::content_type], "text/event-stream; charset=utf-8");
  EXPECT_EQ(header[Field::cache_control], "no-cache");
  EXPECT_EQ(header["X-Accel-Buffering"], "no");
  EXPECT_EQ(header["X-Request-Id"].size(), 32u);
  ASSERT_TRUE(stream->read_until("retry: 2500\n\n", 3s));

  ASSERT_TRUE(eventually([&] { return hub.size() == 1; }));
  std::thread producer([channel = hub.at(0)] {  // events come from another thread
    for (int i = 1; i <= 3; ++i) {
      EXPECT_TRUE(
          channel->push({std::to_string(i), "progress", "{\"done\":" + std::to_string(i) + "}"}));
    }
    EXPECT_TRUE(channel->push({"4", "notification", "line one\nline two"}));
  });
  producer.join();
  ASSERT_TRUE(stream->read_until("line two\n\n", 3s)) << stream->body();
  EXPECT_EQ(stream->body(),
            "retry: 2500\n\n"
            "id: 1\nevent: progress\ndata: {\"done\":1}\n\n"
            "id: 2\nevent: progress\ndata: {\"done\":2}\n\n"
            "id: 3\nevent: progress\ndata: {\"done\":3}\n\n"
            "id: 4\nevent: notification\ndata: line one\ndata: line two\n\n");
  EXPECT_EQ(server.server().metrics().open_sse_streams(), 1);
}

TEST(HttpSse, BurstOfEventsArrivesWholeAndInOrder) {
  Hub hub;
  TestServer server(make_router(hub), sse_config());
  auto stream = open_stream(server.port());
  ASSERT_TRUE(eventually([&] { return hub.size() == 1; }));
  std::string expected = "retry: 2500\n\n";
  for (int i = 0; i < 500; ++i) {  // queued faster than written: coalesced into few writes
    const SseEvent event{std::to_string(i), "progress", std::string(200, 'a' + i % 26)};
    ASSERT_TRUE(hub.at(0)->push(event));
    expected += format_sse_event(event);
  }
  ASSERT_TRUE(stream->read_until("id: 499\n", 5s));
  ASSERT_TRUE(stream->read_until(std::string(200, 'a' + 499 % 26) + "\n\n", 5s,
                                 stream->body().find("id: 499\n")));
  EXPECT_EQ(stream->body(), expected);
}

TEST(HttpSse, HandlerSeesLastEventId) {
  Hub hub;
  TestServer server(make_router(hub), sse_config());
  auto stream = open_stream(server.port(), "41");
  EXPECT_TRUE(stream->read_until("id: 41\nevent: resumed\ndata: from 41\n\n", 3s))
      << stream->body();
}

TEST(HttpSse, HeartbeatCommentArrivesWhenIdle) {
  Hub hub;
  TestServer server(make_router(hub), sse_config(100ms));
  auto stream = open_stream(server.port());
  ASSERT_TRUE(stream->read_until(": heartbeat\n\n", 3s)) << stream->body();
  const auto first = stream->body().find(": heartbeat");
  EXPECT_TRUE(stream->read_until(": heartbeat\n\n", 3s, first + 1));  // and again
}

// The stream's writes each have a timeout; the watcher's pending read (which notices a client
// leaving) must not inherit it, or every idle stream ended one write timeout after it started.
TEST(HttpSse, IdleStreamOutlivesTheWriteTimeout) {
  Hub hub;
  auto config = sse_config(250ms);
  config.write_timeout = std::chrono::milliseconds(400);
  TestServer server(make_router(hub), config);
  auto stream = open_stream(server.port());
  std::size_t from = 0;
  for (int i = 0; i < 4; ++i) {  // 1 s of heartbeats: well past the write timeout
    ASSERT_TRUE(stream->read_until(": heartbeat\n\n", 3s, from)) << "heartbeat " << i;
    from = stream->body().rfind(": heartbeat") + 1;
  }
  EXPECT_EQ(server.server().metrics().open_sse_streams(), 1u);
}

TEST(HttpSse, ProducerClosingEndsTheStreamCleanly) {
  Hub hub;
  TestServer server(make_router(hub), sse_config());
  auto stream = open_stream(server.port());
  ASSERT_TRUE(eventually([&] { return hub.size() == 1; }));
  hub.at(0)->push({"9", "job.completed", "{}"});
  hub.at(0)->close();
  EXPECT_TRUE(stream->read_to_end(3s));  // the last chunk: a clean end
  EXPECT_NE(stream->body().find("id: 9\nevent: job.completed\n"), std::string::npos);
  EXPECT_TRUE(eventually([&] { return server.server().metrics().open_sse_streams() == 0; }));
}

TEST(HttpSse, StreamEndsCleanlyAfterItsLifetime) {
  Hub hub;
  auto config = sse_config();
  config.sse_max_lifetime = std::chrono::milliseconds(300);
  TestServer server(make_router(hub), config);
  auto stream = open_stream(server.port());
  ASSERT_TRUE(eventually([&] { return hub.size() == 1; }));
  hub.at(0)->push({"1", "progress", "{}"});
  // Nobody closes the channel: the lifetime ends the stream with the last chunk, and the client
  // reconnects with Last-Event-ID.
  EXPECT_TRUE(stream->read_to_end(5s));
  EXPECT_NE(stream->body().find("id: 1\nevent: progress\n"), std::string::npos);
  EXPECT_TRUE(eventually([&] { return server.server().metrics().open_sse_streams() == 0; }));
}

TEST(HttpSse, ClientLeavingClosesTheChannel) {
  Hub hub;
  TestServer server(make_router(hub), sse_config());
  auto stream = open_stream(server.port());
  ASSERT_TRUE(eventually([&] { return hub.size() == 1; }));
  stream->close();
  // Noticed through the pending read, long before any heartbeat (10 s here).
  EXPECT_TRUE(eventually([&] { return hub.at(0)->closed(); }, 3s));
  EXPECT_FALSE(hub.at(0)->push({"1", "", "nobody listens"}));
  EXPECT_TRUE(eventually([&] { return server.server().metrics().open_sse_streams() == 0; }));
  EXPECT_TRUE(eventually([&] { return server.server().connection_count() == 0; }));
}

TEST(HttpSse, StopEndsOpenStreams) {
  Hub hub;
  auto config = sse_config();
  // A stop() that left the stream to the shutdown deadline would end it after a minute, long
  // after the bounded read below gives up.
  config.shutdown_timeout = 60s;
  TestServer server(make_router(hub), config);
  auto stream = open_stream(server.port());
  ASSERT_TRUE(eventually([&] { return hub.size() == 1; }));
  hub.at(0)->push({"1", "progress", "{}"});
  ASSERT_TRUE(stream->read_until("id: 1\n", 3s));
  std::thread stopping([&] { server.stop(); });  // returns once the io threads are done
  EXPECT_TRUE(stream->read_to_end(20s));
  stopping.join();
  EXPECT_TRUE(hub.at(0)->closed());
}

TEST(HttpSse, ManyIdleStreamsShareTwoThreads) {
  Hub hub;
  TestServer server(make_router(hub), sse_config());
  constexpr std::size_t STREAMS = 100;
  std::vector<std::unique_ptr<Connection>> streams;
  for (std::size_t i = 0; i < STREAMS; ++i) streams.push_back(open_stream(server.port()));
  ASSERT_TRUE(eventually([&] { return hub.size() == STREAMS; }));
  EXPECT_TRUE(eventually([&] {
    return server.server().metrics().open_sse_streams() == static_cast<std::int64_t>(STREAMS);
  }));
  // The server still answers plain requests at once.
  EXPECT_EQ(fetch(server.port(), Verb::get, "/hello").body(), "hi");
  for (std::size_t i = 0; i < STREAMS; ++i) hub.at(i)->push({std::to_string(i), "", "x"});
  for (std::size_t i = 0; i < STREAMS; ++i) {
    EXPECT_TRUE(streams[i]->read_until("id: " + std::to_string(i) + "\n", 3s));
  }
}

}  // namespace
}  // namespace imagesprint::http
