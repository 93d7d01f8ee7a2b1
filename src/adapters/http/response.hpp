#pragma once
// What a handler returns. Three kinds of body:
//  - in memory (JSON, text): Response::json / text / error / empty
//  - a file on disk: Response::file; the server adds Content-Length, ETag, Accept-Ranges, answers
//    If-None-Match with 304 and one "Range: bytes=" with 206 (or 416), and streams the bytes
//  - a stream of bytes from a ByteSource (an object in a store): Response::stream, with the same
//    Range, ETag and 304 handling as a file
//  - an event stream: Response::sse; the connection stays open and carries the channel's events
#include <chrono>
#include <cstdint>
#include <filesystem>
#include <memory>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <string_view>
#include <variant>

#include "adapters/http/byte_source.hpp"
#include "adapters/http/http_error.hpp"
#include "adapters/http/http_types.hpp"
#include "adapters/http/sse.hpp"
#include "domain/error.hpp"
#include "domain/messages.hpp"

namespace imagesprint::http {

struct FileBody {
  std::filesystem::path path;
  std::string content_type;  // e.g. "image/webp", "application/zip"
  std::string etag;          // quoted; empty = derived from size and modification time
};

struct StreamBody {
  std::shared_ptr<ByteSource> source;
  std::string content_type;
};

struct SseBody {
  std::shared_ptr<EventChannel> channel;
  std::optional<std::chrono::milliseconds> heartbeat;  // nullopt = ServerConfig::sse_heartbeat
  std::optional<std::chrono::milliseconds> retry;      // nullopt = ServerConfig::sse_retry
};

class Response {
 public:
  /// 200 with an empty body.
  Response() = default;

  static Response json(Status status, const nlohmann::json& body);
  static Response text(Status status, std::string body,
                       std::string_view content_type = "text/plain; charset=utf-8");
  /// No body (204 by default; also for 201/202 without content).
  static Response empty(Status status = Status::no_content);
  /// The JSON error body {"error": {"code", "message", "field"}}.
  static Response error(Status status, std::string_view code, std::string_view message,
                        std::string_view field = {});
  /// An error with the default code of `status`.
  static Response error(Status status, std::string_view message);
  static Response error(const HttpError& error);
  /// A domain error: status from status_for(), code from the ErrorCode's name; `detail` is
  /// internal and never sent.
  static Response error(const Error& error);
  static Response file(std::filesystem::path path, std::string content_type, std::string etag = {});
  static Response sse(std::shared_ptr<EventChannel> channel, SseBody options = {});
  /// The bytes of `source`, read chunk by chunk as the client takes them.
  static Response stream(std::shared_ptr<ByteSource> source, std::string content_type);

  Status status() const { return status_; }
  Response& set_status(Status status) {
    status_ = status;
    return *this;
  }
  /// Adds or replaces a header (Location, Content-Disposition, Set-Cookie ...).
  Response& set(Field name, std::string_view value);
  Response& set(std::string_view name, std::string_view value);
  /// Adds a header even if one of that name exists (several Set-Cookie).
  Response& insert(std::string_view name, std::string_view value);
  const Fields& headers() const { return headers_; }
  Fields& headers() { return headers_; }

  /// The in-memory body, nullptr for a file or an event stream.
  const std::string* body() const { return std::get_if<std::string>(&body_); }
  std::string* body() { return std::get_if<std::string>(&body_); }
  const FileBody* file_body() const { return std::get_if<FileBody>(&body_); }
  const SseBody* sse_body() const { return std::get_if<SseBody>(&body_); }
  const StreamBody* stream_body() const { return std::get_if<StreamBody>(&body_); }

  /// Puts an error body's message into `language` (the session calls this with the request's
  /// Accept-Language before writing); other bodies stay as they are. An error with a catalogue
  /// key renders from the catalogue in either language; one without keeps its own English
  /// sentence, and in Korean gets its code's sentence, after "field: " when it names a field.
  void localize(Language language);

 private:
  /// What an error body is made of, kept so that localize() can write it again.
  struct ErrorParts {
    std::string code;
    std::string message;  // English, as the site wrote it
    std::string field;
    std::string key;  // catalogue key, empty: "error.<code>"
    nlohmann::json params = nlohmann::json::object();
  };
  static Response error_from(Status status, ErrorParts parts);

  Status status_ = Status::ok;
  Fields headers_;
  std::variant<std::string, FileBody, SseBody, StreamBody> body_;
  std::optional<ErrorParts> error_;
};

/// `attachment; filename="cat_.jpg"; filename*=UTF-8''cat%F0%9F%90%88.jpg`: an ASCII fallback for
/// old clients and the exact UTF-8 name (RFC 6266 / 5987). Path separators, quotes and control
/// characters never reach the header.
std::string content_disposition(std::string_view filename,
                                std::string_view disposition = "attachment");

/// One byte range, both ends inclusive.
struct ByteRange {
  std::uint64_t first = 0;
  std::uint64_t last = 0;
  std::uint64_t length() const { return last - first + 1; }
};

/// The outcome of reading a Range header against a representation of `size` bytes.
struct RangeRequest {
  enum class Kind {
    none,           // no usable Range header (absent, malformed, several ranges): send it all
    satisfiable,    // send `range` with 206
    unsatisfiable,  // 416 with "Content-Range: bytes */size"
  };
  Kind kind = Kind::none;
  ByteRange range;
};

/// Reads "bytes=0-99", "bytes=100-", "bytes=-500". Several ranges are answered in full (RFC
/// 9110 lets a server ignore Range), a malformed header is ignored as the RFC asks.
RangeRequest parse_range(std::string_view header, std::uint64_t size);

/// A strong validator from a file's size and modification time (since the Unix epoch):
/// "\"<size>-<mtime ns>\"" in hex. The server computes it for Response::file without an ETag.
std::string file_etag(std::uint64_t size, std::chrono::nanoseconds modified);

/// Whether an If-None-Match value ("*", or a list of possibly weak tags) matches `etag`: the weak
/// comparison (RFC 9110 8.8.3.2), W/ ignored on both sides.
bool etag_matches(std::string_view if_none_match, std::string_view etag);

/// Whether an If-Match value ("*", or a list of tags) matches `etag` by the strong comparison
/// If-Match asks for (RFC 9110 13.1.1): the same tag, neither of them weak.
bool etag_matches_strongly(std::string_view if_match, std::string_view etag);

}  // namespace imagesprint::http
