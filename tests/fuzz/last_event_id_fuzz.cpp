// Fuzzes what an SSE client sends back and what the server writes: the Last-Event-ID resume
// (InProcessEventBus::replay_after, src/adapters/memory/) and the event framing
// (format_sse_event / format_sse_comment, src/adapters/http/sse.*), where a line break that slips
// through would let one event's text forge another event.
#include <charconv>
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <system_error>

#include "adapters/http/sse.hpp"
#include "adapters/memory/in_process_event_bus.hpp"
#include "fuzz_support.hpp"

namespace {

constexpr std::size_t HISTORY = 8;  // events kept per user
constexpr std::int64_t USER = 1;

/// Every line of a formatted block is a known field, and the only blank line ends it.
void check_frame(const std::string& frame, bool comment) {
  FUZZ_CHECK(frame.ends_with("\n\n"));
  FUZZ_CHECK(frame.find('\r') == std::string::npos);
  FUZZ_CHECK(frame.find("\n\n") == frame.size() - 2);
  std::string_view rest(frame.data(), frame.size() - 1);
  while (!rest.empty()) {
    const auto end = rest.find('\n');
    const std::string_view line = rest.substr(0, end);
    if (comment) {
      FUZZ_CHECK(line.starts_with(": "));
    } else {
      FUZZ_CHECK(line.starts_with("id: ") || line.starts_with("event: ") ||
                 line.starts_with("data: "));
    }
    rest.remove_prefix(end + 1);
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  using namespace imagesprint;
  const std::string last_id(fuzz::as_text(data, size));

  // Two users' events interleaved (ids are global, so each user's are sparse), more than the
  // history holds: user 1 has ids 1, 3 ... 39, of which 25 ... 39 are kept.
  InProcessEventBus bus(HISTORY);
  for (int i = 0; i < 20; ++i) {
    bus.publish(USER, "job", "progress", "{}");
    bus.publish(USER + 1, "", "notification", "{}");
  }
  constexpr std::uint64_t OLDEST_KEPT = 25;
  constexpr std::uint64_t NEWEST = 39;

  std::uint64_t last = 0;
  const auto [end, ec] = std::from_chars(last_id.data(), last_id.data() + last_id.size(), last);
  const bool number = ec == std::errc() && end == last_id.data() + last_id.size();

  const auto missed = bus.replay_after(USER, last_id);
  if (!number) {
    FUZZ_CHECK(!missed.has_value());  // not an id of ours: a fresh snapshot
  } else if (last < OLDEST_KEPT - 2) {
    FUZZ_CHECK(!missed.has_value());  // some of what followed it is gone
  } else {
    FUZZ_CHECK(missed.has_value());
    std::uint64_t previous = last;
    for (const Event& event : *missed) {
      FUZZ_CHECK(event.user_id == USER);
      const std::uint64_t id = std::stoull(event.id);
      FUZZ_CHECK(id > previous);
      previous = id;
    }
    // The odd ids after `last`, up to the newest.
    const std::uint64_t expected = last >= NEWEST ? 0 : (NEWEST + 1 - last) / 2;
    FUZZ_CHECK(missed->size() == expected);
  }
  // A user the bus has never seen has missed nothing.
  const auto nothing = bus.replay_after(99, last_id);
  FUZZ_CHECK(nothing.has_value() == number);
  if (nothing) FUZZ_CHECK(nothing->empty());

  // The same bytes as every field of an event, and as a comment.
  check_frame(http::format_sse_event(http::SseEvent{last_id, last_id, last_id}), false);
  check_frame(http::format_sse_event(http::SseEvent{"", "", last_id}), false);
  check_frame(http::format_sse_comment(last_id), true);
  return 0;
}
