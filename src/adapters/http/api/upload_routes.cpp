// Resumable uploads: the tus 1.0.0 protocol on /v1/uploads (core, creation, termination,
// expiration; https://tus.io/protocols/resumable-upload), and POST /v1/jobs with a JSON body that
// makes a job of finished uploads. The use cases are app/resumable_uploads and
// app/job_from_uploads; this file speaks the protocol's headers.
//
// What is not offered, and why: creation-with-upload (the first bytes in the POST: one request
// saved per file, but a body on a route whose other half is headers only), creation-defer-length
// (the length is the per-file limit's check before any byte), checksum and concatenation (TCP
// and TLS already guard the bytes; parallel parts of one image of at most 20 MiB gain little).
#include <algorithm>
#include <chrono>
#include <cstdint>
#include <cstdio>
#include <ctime>

#include <boost/asio/steady_timer.hpp>
#include <nlohmann/json.hpp>

#include "adapters/http/api/routes.hpp"
#include "adapters/http/http_error.hpp"
#include "app/job_from_uploads.hpp"
#include "app/json_views.hpp"
#include "app/resumable_uploads.hpp"
#include "domain/json_text.hpp"
#include "domain/untrusted_text.hpp"
#include "domain/whole_number.hpp"

namespace imagesprint::api {

using http::HttpError;
using http::Request;
using http::Response;
using http::Status;
using http::Verb;

namespace {

constexpr std::string_view TUS_VERSION = "1.0.0";
constexpr std::string_view TUS_EXTENSIONS = "creation,termination,expiration";
/// Longest Upload-Metadata header kept (it is echoed on HEAD).
constexpr std::size_t MAX_METADATA_BYTES = 4096;
/// Largest JSON body of a job made of uploads (50 ids, options, a name).
constexpr std::uint64_t MAX_JOB_JSON_BYTES = 64 * 1024;
/// How often a job awaiting its uploads looks for the next one when nothing wakes it (a lookup of
/// one record; open uploads, and so waiting requests, are bounded by the quotas). A PATCH to this
/// process wakes it at once (UploadArrivals); one to another process behind the same balancer is
/// seen at the next look, so its conversion starts at most this long after its last byte.
constexpr std::chrono::milliseconds AWAIT_POLL{50};

/// 412 unless the request speaks tus 1.0.0 (every request but OPTIONS must say so).
std::optional<Response> version_refusal(const Request& request) {
  if (request.header("Tus-Resumable") == TUS_VERSION) return std::nullopt;
  Response response =
      Response::error(Status::precondition_failed, "unsupported_version",
                      "Tus-Resumable: expected 1.0.0, the tus protocol version this server speaks",
                      "Tus-Resumable");
  response.set("Tus-Version", TUS_VERSION);
  return response;
}

/// A header that must be a non-negative decimal integer (Upload-Length, Upload-Offset).
std::optional<std::int64_t> header_number(const Request& request, std::string_view name) {
  return whole_number<std::int64_t>(request.header(name), 0, INT64_MAX);
}

Error header_error(const std::string& name, const std::string& expected) {
  return Error{ErrorCode::invalid_request, name + ": " + expected, name, {}, false};
}

/// An HTTP date (RFC 9110 IMF-fixdate): "Sun, 06 Nov 1994 08:49:37 GMT".
std::string http_date(UnixMillis millis) {
  static constexpr const char* DAYS[] = {"Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"};
  static constexpr const char* MONTHS[] = {"Jan", "Feb", "Mar", "Apr", "May", "Jun",
                                           "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};
  const std::time_t seconds = static_cast<std::time_t>(millis / 1000);
  std::tm t{};
  gmtime_r(&seconds, &t);
  char out[40];
  std::snprintf(out, sizeof out, "%s, %02d %s %04d %02d:%02d:%02d GMT", DAYS[t.tm_wday], t.tm_mday,
                MONTHS[t.tm_mon], t.tm_year + 1900, t.tm_hour, t.tm_min, t.tm_sec);
  return out;
}

struct Metadata {
  std::string filename;
  std::string filetype;
};

/// Upload-Metadata: "key base64value,key2 base64value2" (a key may come without a value). Only
/// filename and filetype are used; the others are kept in the header echoed on HEAD.
Expected<Metadata> parse_metadata(std::string_view header, const Secrets& secrets) {
  const auto refused = [](const std::string& why) {
    return Error{
        ErrorCode::invalid_request, "Upload-Metadata: " + why, "Upload-Metadata", {}, false};
  };
  if (header.size() > MAX_METADATA_BYTES) {
    return refused("at most " + std::to_string(MAX_METADATA_BYTES) + " bytes");
  }
  Metadata metadata;
  std::vector<std::string> keys;
  while (!header.empty()) {
    const auto comma = header.find(',');
    std::string_view pair = header.substr(0, comma);
    header = comma == std::string_view::npos ? std::string_view{} : header.substr(comma + 1);
    while (!pair.empty() && pair.front() == ' ') pair.remove_prefix(1);
    while (!pair.empty() && pair.back() == ' ') pair.remove_suffix(1);
    if (pair.empty()) return refused("an empty pair");
    const auto space = pair.find(' ');
    const std::string key(pair.substr(0, space));
    const std::string_view encoded =
        space == std::string_view::npos ? std::string_view{} : pair.substr(space + 1);
    if (std::find(keys.begin(), keys.end(), key) != keys.end()) {
      return refused("key " + quote_prefix(key) + " given twice");
    }
    keys.push_back(key);
    const auto value = secrets.base64_decode(encoded);
    if (!value) return refused("the value of " + quote_prefix(key) + " is not base64");
    if (key == "filename") metadata.filename = *value;
    if (key == "filetype") metadata.filetype = *value;
  }
  return metadata;
}

/// The headers every answer about one upload carries.
Response upload_headers(Response response, const Upload& upload) {
  response.set("Upload-Offset", std::to_string(upload.offset));
  response.set("Upload-Expires", http_date(upload.expires_at));
  return response;
}

ResumableUploads& resumable(ApiContext& ctx) {
  if (!ctx.resumable_uploads) {
    throw HttpError(Status::service_unavailable, "unavailable", "uploads are not set up here");
  }
  return *ctx.resumable_uploads;
}

/// The user's upload for a HEAD or PATCH: 404 when there is none (or it is another user's), 410
/// once it expired (until the janitor deletes it; 404 after that).
Expected<Upload> open_upload(ResumableUploads& uploads, std::int64_t user, const std::string& id) {
  auto upload = uploads.find(user, id);
  if (upload && uploads.expired(*upload) && upload->job_id.empty()) {
    throw HttpError(Status::gone, "expired", "the upload expired");
  }
  return upload;
}

/// The JSON body of POST /v1/jobs made of uploads, read within MAX_JOB_JSON_BYTES.
http::net::awaitable<std::string> read_json_body(Request& request) {
  http::BodyReader& reader = request.body_reader();
  if (reader.content_length() && *reader.content_length() > MAX_JOB_JSON_BYTES) {
    throw HttpError(
        Status::payload_too_large, "payload_too_large",
        "the JSON body is larger than " + std::to_string(MAX_JOB_JSON_BYTES) + " bytes");
  }
  std::string body;
  while (auto chunk = co_await reader.read_some()) {
    if (body.size() + chunk->size() > MAX_JOB_JSON_BYTES) {
      throw HttpError(
          Status::payload_too_large, "payload_too_large",
          "the JSON body is larger than " + std::to_string(MAX_JOB_JSON_BYTES) + " bytes");
    }
    body.append(*chunk);
  }
  co_return body;
}

JobFromUploadsRequest parse_job_request(const std::string& text) {
  // Through the same reader as every JSON body: depth-bounded, a name given twice refused.
  auto parsed = parse_untrusted_json(text);
  if (!parsed.value) {
    throw HttpError(Status::bad_request, "invalid_json", "the request body is " + parsed.error);
  }
  const nlohmann::json& body = *parsed.value;
  if (!body.is_object()) {
    throw HttpError(Status::bad_request, "invalid_request", "expected a JSON object");
  }
  JobFromUploadsRequest request;
  for (const auto& [key, value] : body.items()) {
    if (key == "uploads") {
      if (!value.is_array()) {
        throw HttpError(Status::bad_request, "invalid_request",
                        "uploads: expected an array of upload ids", "uploads");
      }
      for (const auto& id : value) {
        if (!id.is_string()) {
          throw HttpError(Status::bad_request, "invalid_request",
                          "uploads: expected an array of upload ids", "uploads");
        }
        request.upload_ids.push_back(id.get<std::string>());
      }
    } else if (key == "options") {
      if (!value.is_object()) {
        throw HttpError(Status::bad_request, "invalid_request", "options: expected an object",
                        "options");
      }
      request.options = value.dump();
    } else if (key == "await_uploads") {
      if (!value.is_boolean()) {
        throw HttpError(Status::bad_request, "invalid_request", key + ": expected true or false",
                        key);
      }
      request.await_uploads = value.get<bool>();
    } else if (key == "preset" || key == "name" || key == "watermark_upload") {
      if (!value.is_string()) {
        throw HttpError(Status::bad_request, "invalid_request", key + ": expected a string", key);
      }
      (key == "preset" ? request.preset
       : key == "name" ? request.name
                       : request.watermark_upload) = value.get<std::string>();
    } else {
      throw HttpError(Status::bad_request, "invalid_request", key + ": unknown field", key);
    }
  }
  if (request.options && request.preset) {
    throw HttpError(Status::bad_request, "invalid_request",
                    "preset: give either a preset or options, not both", "preset");
  }
  return request;
}

/// The options of a tus route: every answer names the protocol version (Tus-Resumable), the
/// handler's and the server's own (a 401 before the handler, a 413, a 503) alike.
http::RouteOptions tus_route() {
  http::RouteOptions options;
  options.headers = {{"Tus-Resumable", std::string(TUS_VERSION)}};
  return options;
}

}  // namespace

http::net::awaitable<Response> create_job_from_uploads(ApiContext& ctx, Request& request,
                                                       std::int64_t user) {
  ResumableUploads& uploads = resumable(ctx);
  JobFromUploadsRequest job_request = parse_job_request(co_await read_json_body(request));
  job_request.idempotency_key = std::string(request.header("Idempotency-Key"));
  UploadDeps deps{ctx.jobs,          ctx.objects, ctx.queue, ctx.events,
                  ctx.notifications, ctx.secrets, ctx.now};
  deps.presets = ctx.presets;
  // One step at a time on the blocking pool, waiting between them here: a job awaiting its
  // uploads holds no thread while their bytes are on their way (JobFromUploads says how long it
  // may wait). Its object lives in this frame: whatever ends the request early (a refusal, the
  // server stopping) discards what it made.
  JobFromUploads creation(deps, ctx.upload_limits, uploads.store(), user, std::move(job_request));
  // Watching before the first look: a PATCH ending after that look wakes the first sleep.
  const auto watch = ctx.upload_arrivals->watch(user, request.executor());
  std::optional<Expected<CreatedJob>> created;
  while (!created) {
    auto progress = co_await request.run_blocking([&] { return creation.advance(); });
    if (!progress) {
      created.emplace(progress.error());
    } else if (progress->earlier) {
      created.emplace(std::move(*progress->earlier));
    } else if (progress->all_taken) {
      created.emplace(co_await request.run_blocking([&] { return creation.finish(); }));
    } else if (request.server_stopping()) {
      created.emplace(Error{ErrorCode::unavailable,
                            "the service is shutting down; send the request again",
                            {},
                            {},
                            true});
    } else {
      co_await watch->waiter().sleep(AWAIT_POLL);
    }
  }
  if (!*created) co_return Response::error(created->error());
  const CreatedJob& made = **created;
  Response response =
      Response::json(made.created ? Status::created : Status::ok, job_json(made.job));
  response.set(http::Field::location, absolute_url(request, ctx, "/v1/jobs/" + made.job.id));
  co_return response;
}

void add_upload_routes(http::Router& router, ApiContext& ctx) {
  // Capabilities: public, as a client asks before it signs anything (and browsers send CORS
  // preflights without credentials).
  http::RouteOptions discovery = tus_route();
  discovery.anonymous = true;
  router.add(
      Verb::options, "/v1/uploads",
      [&ctx](Request&) -> http::net::awaitable<Response> {
        Response response = Response::empty();
        response.set("Tus-Version", TUS_VERSION);
        response.set("Tus-Extension", TUS_EXTENSIONS);
        response.set("Tus-Max-Size", std::to_string(ctx.upload_limits.max_file_bytes));
        co_return response;
      },
      discovery);

  // Creation: the length (and metadata) in headers, no body.
  http::RouteOptions creation = tus_route();
  creation.max_body_bytes = 0;
  router.post(
      "/v1/uploads",
      [&ctx](Request& request) -> http::net::awaitable<Response> {
        const std::int64_t user = require_user(request, ctx);
        if (auto refusal = version_refusal(request)) co_return std::move(*refusal);
        if (request.has_header("Upload-Defer-Length")) {
          co_return Response::error(
              header_error("Upload-Defer-Length", "not supported; send Upload-Length"));
        }
        const auto length = header_number(request, "Upload-Length");
        if (!length) {
          co_return Response::error(
              header_error("Upload-Length", "expected the file's size in bytes"));
        }
        const std::string metadata_header(request.header("Upload-Metadata"));
        auto metadata = parse_metadata(metadata_header, ctx.secrets);
        if (!metadata) co_return Response::error(metadata.error());
        auto upload = co_await request.run_blocking([&] {
          return resumable(ctx).create(user, *length, metadata->filename, metadata->filetype,
                                       metadata_header);
        });
        if (!upload) co_return Response::error(upload.error());
        Response response = upload_headers(Response::empty(Status::created), *upload);
        response.set(http::Field::location,
                     absolute_url(request, ctx, "/v1/uploads/" + upload->id));
        co_return response;
      },
      creation);

  router.add(
      Verb::head, "/v1/uploads/{id}",
      [&ctx](Request& request) -> http::net::awaitable<Response> {
        const std::int64_t user = require_user(request, ctx);
        if (auto refusal = version_refusal(request)) co_return std::move(*refusal);
        const std::string id(request.param("id"));
        auto upload =
            co_await request.run_blocking([&] { return open_upload(resumable(ctx), user, id); });
        if (!upload) co_return Response::error(upload.error());
        Response response = upload_headers(Response::empty(Status::ok), *upload);
        response.set("Upload-Length", std::to_string(upload->length));
        if (!upload->metadata.empty()) response.set("Upload-Metadata", upload->metadata);
        // The offset changes with every append: never from a cache.
        response.set(http::Field::cache_control, "no-store");
        co_return response;
      },
      tus_route());

  // Appending: the body streams into one part object; what arrived before a broken connection
  // is kept (the client asks HEAD and goes on from there).
  http::RouteOptions appending = tus_route();
  appending.body = http::BodyMode::streaming;
  appending.max_body_bytes = static_cast<std::uint64_t>(ctx.upload_limits.max_file_bytes);
  router.patch(
      "/v1/uploads/{id}",
      [&ctx](Request& request) -> http::net::awaitable<Response> {
        const std::int64_t user = require_user(request, ctx);
        if (auto refusal = version_refusal(request)) co_return std::move(*refusal);
        if (request.header(http::Field::content_type) != "application/offset+octet-stream") {
          co_return Response::error(Status::unsupported_media_type, "unsupported_media_type",
                                    "Content-Type: expected application/offset+octet-stream",
                                    "Content-Type");
        }
        const auto offset = header_number(request, "Upload-Offset");
        if (!offset) {
          co_return Response::error(header_error("Upload-Offset", "expected a number of bytes"));
        }
        const std::string id(request.param("id"));
        http::BodyReader& reader = request.body_reader();
        std::optional<std::int64_t> declared;
        if (reader.content_length()) declared = static_cast<std::int64_t>(*reader.content_length());
        auto begun =
            co_await request.run_blocking([&]() -> Expected<std::unique_ptr<UploadAppend>> {
              auto upload = open_upload(resumable(ctx), user, id);
              if (!upload) return upload.error();
              return resumable(ctx).begin_append(user, id, *offset, declared);
            });
        if (!begun) {
          Response response = Response::error(begun.error());
          if (begun.error().retry_after > 0) {
            response.set(http::Field::retry_after, std::to_string(begun.error().retry_after));
          }
          co_return response;
        }
        std::unique_ptr<UploadAppend> append = std::move(*begun);
        std::exception_ptr failure;
        std::optional<Error> refused;
        try {
          while (auto chunk = co_await reader.read_some()) {
            const auto written = co_await request.run_blocking([&] {
              return append->write(
                  {reinterpret_cast<const std::uint8_t*>(chunk->data()), chunk->size()});
            });
            if (!written) {
              refused = written.error();
              break;
            }
          }
        } catch (...) {
          // The connection broke (or the body was too slow): keep what arrived, below. Or the
          // store failed a write: then the append keeps nothing, and the failure answers 503.
          failure = std::current_exception();
        }
        auto ended = co_await request.run_blocking([&] { return append->end(); });
        // The bytes kept, even of a cut PATCH, keep a job awaiting this upload waiting; the last
        // ones let it take the upload.
        if (ended) ctx.upload_arrivals->moved(user);
        if (failure) std::rethrow_exception(failure);
        if (refused) {
          Response response = Response::error(*refused);
          response.set(http::Field::connection, "close");  // the rest of the body is unread
          co_return response;
        }
        if (!ended) co_return Response::error(ended.error());
        Response response = Response::empty();
        response.set("Upload-Offset", std::to_string(ended->offset));
        response.set("Upload-Expires", http_date(ended->expires_at));
        co_return response;
      },
      appending);

  router.del(
      "/v1/uploads/{id}",
      [&ctx](Request& request) -> http::net::awaitable<Response> {
        const std::int64_t user = require_user(request, ctx);
        if (auto refusal = version_refusal(request)) co_return std::move(*refusal);
        const std::string id(request.param("id"));
        auto removed =
            co_await request.run_blocking([&] { return resumable(ctx).terminate(user, id); });
        if (!removed) co_return Response::error(removed.error());
        ctx.upload_arrivals->moved(user);  // a job awaiting it answers 404 now
        co_return Response::empty();
      },
      tus_route());
}

}  // namespace imagesprint::api
