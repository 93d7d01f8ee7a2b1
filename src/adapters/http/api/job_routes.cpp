// Jobs: create (streamed multipart upload), list, get, delete, retry, archive and image downloads.
#include <array>
#include <climits>
#include <tuple>

#include <nlohmann/json.hpp>

#include "adapters/http/api/object_source.hpp"
#include "adapters/http/api/routes.hpp"
#include "adapters/http/http_error.hpp"
#include "adapters/http/multipart_parser.hpp"
#include "app/convert_again.hpp"
#include "app/job_actions.hpp"
#include "app/json_views.hpp"
#include "app/object_keys.hpp"
#include "app/quotas.hpp"
#include "app/thumbnails.hpp"
#include "domain/whole_number.hpp"

namespace imagesprint::api {

using http::HttpError;
using http::Request;
using http::Response;
using http::Status;

namespace {

using net_awaitable_response = http::net::awaitable<Response>;

/// Feeds multipart parts into a JobUpload: "files" parts are images, "watermark_image" the
/// logo, "options", "preset" and "name" small text fields. The first error stops the parser.
class UploadParts final : public http::MultipartHandler {
 public:
  explicit UploadParts(JobUpload& upload) : upload_(upload) {}

  bool on_part_begin(const http::PartHeaders& part) override {
    field_ = part.name;
    text_.clear();
    if (field_ == "files" || field_ == "files[]" || field_ == "file") {
      return check(upload_.begin_file(part.filename.value_or("")));
    }
    if (field_ == "watermark_image") return check(upload_.begin_watermark());
    if (is_text_field()) return true;
    error_ = Error{ErrorCode::invalid_request, field_ + ": unknown form field", field_, {}, false};
    return false;
  }
  bool on_part_data(std::string_view bytes) override {
    if (is_text_field()) {
      if (text_.size() + bytes.size() > 64 * 1024) {
        error_ = Error{ErrorCode::too_large, field_ + ": at most 64 KiB", field_, {}, false};
        return false;
      }
      text_.append(bytes);
      return true;
    }
    return check(
        upload_.write({reinterpret_cast<const std::uint8_t*>(bytes.data()), bytes.size()}));
  }
  bool on_part_end() override {
    if (field_ == "options") return check(upload_.set_options(text_));
    if (field_ == "name") return check(upload_.set_name(text_));
    if (field_ == "preset") return check(upload_.set_preset(text_));
    return check(upload_.end_file());
  }
  const std::optional<Error>& error() const { return error_; }

 private:
  bool is_text_field() const {
    return field_ == "options" || field_ == "name" || field_ == "preset";
  }
  bool check(const Expected<bool>& result) {
    if (!result) error_ = result.error();
    return result.ok();
  }
  JobUpload& upload_;
  std::string field_;
  std::string text_;
  std::optional<Error> error_;
};

JobActionDeps actions(ApiContext& ctx) {
  return JobActionDeps{ctx.jobs, ctx.objects, ctx.queue, ctx.now};
}

Job owned_job(ApiContext& ctx, std::int64_t user, const Request& request) {
  auto job = ctx.jobs.find_job(user, std::string(request.param("id")));
  if (!job) throw HttpError(Status::not_found, "not_found", "no such job");
  return *job;
}

/// The object under `key` as an attachment named `name`. A store with links of its own (S3)
/// gets a 302 to a short-lived one that names the file (setting download_redirect); otherwise
/// the object streams from the ObjectStore (opened on the blocking pool: a remote store answers
/// over the network), 404 when it is missing. `may_redirect`: false for what browsers cache
/// longer than a link lives (thumbnails).
net_awaitable_response download(ApiContext& ctx, const Request& request, const std::string& key,
                                const std::string& name, const std::string& type,
                                bool may_redirect = true) {
  if (ctx.download_redirect && may_redirect) {
    const PresignedUrl link = ctx.objects.presign_get(key, ctx.download_link_ttl, name);
    if (!link.relative) {
      Response response = Response::empty(Status::found);
      response.set(http::Field::location, link.url);
      response.set(http::Field::cache_control, "no-store");
      co_return response;
    }
  }
  // [&], not [key]: GCC 12 frees a by-value capture of a lambda temporary in co_await twice.
  auto reader = co_await request.run_blocking([&] { return ctx.objects.open_reader(key); });
  if (!reader) throw HttpError(Status::not_found, "not_found", "no such file");
  Response response = Response::stream(std::make_shared<ObjectSource>(std::move(reader)), type);
  response.set(http::Field::content_disposition, http::content_disposition(name));
  co_return response;
}

/// The signed-in user's job and its image `index`: 404 for either missing (or another user's),
/// 410 once the job's results expired.
std::pair<Job, ImageRecord> owned_image(ApiContext& ctx, std::int64_t user, const Request& request,
                                        int index) {
  Job job = owned_job(ctx, user, request);
  auto image = ctx.jobs.image(job.id, index);
  if (!image) throw HttpError(Status::not_found, "not_found", "no such image");
  if (job.status == JobStatus::expired)
    throw HttpError(Status::gone, "expired", "the results expired");
  return {std::move(job), std::move(*image)};
}

int image_index(const Request& request) {
  // "00", "-0" or "01" is not image 0 or 1: one image, one URL (caches, ETags, logs).
  const std::string_view text = request.param("n");
  const auto index = whole_number(text, 0, INT_MAX);
  if (index && std::to_string(*index) == text) return *index;
  throw HttpError(Status::not_found, "not_found", "no such image");
}

/// The MIME type of a stored upload from its first bytes (the records keep only the output's).
std::string sniffed_type(ObjectStore& objects, const std::string& key) {
  std::array<std::uint8_t, 64> head{};
  auto reader = objects.open_reader(key);
  const std::size_t n = reader ? reader->read_at(0, head) : 0;
  const auto format = detect_format({head.data(), n});
  return format ? std::string(mime_type(format.value())) : "application/octet-stream";
}

/// ?size= of the image routes: absent (the file itself) or one of THUMBNAIL_SIZES.
std::optional<int> thumbnail_size(const Request& request) {
  const auto text = request.query().get("size");
  if (!text) return std::nullopt;
  const auto size = whole_number<int>(*text);
  if (!size || !is_thumbnail_size(*size)) {
    std::string offered;
    for (const int n : THUMBNAIL_SIZES)
      offered += (offered.empty() ? "" : ", ") + std::to_string(n);
    throw HttpError(Status::bad_request, "invalid_request",
                    "size: expected one of " + offered + " (pixels, the longer side)", "size");
  }
  return size;
}

/// The engine-rendered WebP thumbnail (app/thumbnails), rendered on first request.
net_awaitable_response thumbnail(ApiContext& ctx, Request& request, const Job& job, int index,
                                 ThumbnailOf of, int size) {
  auto key = co_await request.run_blocking([&] {
    return ensure_thumbnail(ctx.objects, job.id, index, of, size, ctx.upload_limits.engine);
  });
  // A broken upload has no thumbnail: the engine's own error (422 corrupt_image, say).
  if (!key) co_return Response::error(key.error());
  Response response =
      co_await download(ctx, request, *key, "thumbnail.webp", "image/webp", /*may_redirect=*/false);
  // A job's inputs and outputs never change under the same index; the URL is per user.
  response.set(http::Field::cache_control, "private, max-age=86400");
  co_return response;
}

}  // namespace

void add_job_routes(http::Router& router, ApiContext& ctx) {
  const std::uint64_t body_limit =
      static_cast<std::uint64_t>(ctx.upload_limits.max_files) *
          static_cast<std::uint64_t>(ctx.upload_limits.max_file_bytes) +
      static_cast<std::uint64_t>(ctx.upload_limits.max_watermark_bytes) + 1024 * 1024;

  router.post(
      "/v1/jobs",
      [&ctx](Request& request) -> http::net::awaitable<Response> {
        const std::int64_t user = require_user(request, ctx);
        // A JSON body names finished resumable uploads instead of carrying the files.
        if (request.header(http::Field::content_type).starts_with("application/json")) {
          co_return co_await create_job_from_uploads(ctx, request, user);
        }
        auto boundary = http::multipart_boundary(request.header(http::Field::content_type));
        if (!boundary) co_return Response::error(boundary.error());
        // The quotas are checked before a byte of the upload is read (and again with the real
        // image count when it is in).
        const auto usage = co_await request.run_blocking([&] { return ctx.jobs.usage(user); });
        if (auto refusal = quota_refusal(usage, ctx.upload_limits.quotas)) {
          Response response = Response::error(*refusal);
          response.set(http::Field::connection, "close");
          co_return response;
        }
        // A retried POST with the same key gets the first job (checked in finish()'s transaction).
        const std::string idempotency_key(request.header("Idempotency-Key"));
        UploadDeps deps{ctx.jobs,          ctx.objects, ctx.queue, ctx.events,
                        ctx.notifications, ctx.secrets, ctx.now};
        deps.presets = ctx.presets;
        JobUpload upload(deps, ctx.upload_limits, user, idempotency_key);
        UploadParts parts(upload);
        http::MultipartLimits limits;
        limits.max_parts = static_cast<std::size_t>(ctx.upload_limits.max_files) + 8;
        limits.max_part_bytes = static_cast<std::uint64_t>(ctx.upload_limits.max_file_bytes) + 1;
        http::MultipartParser parser(boundary.value(), parts, limits);
        http::BodyReader& reader = request.body_reader();
        while (auto chunk = co_await reader.read_some()) {
          // Storage writes are blocking I/O: off the IO threads.
          const bool ok = co_await request.run_blocking([&] { return parser.feed(*chunk); });
          if (!ok) break;
        }
        if (parts.error()) {
          // Drain nothing more: the connection closes after the error (the body is abandoned).
          Response response = Response::error(*parts.error());
          response.set(http::Field::connection, "close");
          co_return response;
        }
        if (!parser.finish()) co_return Response::error(*parser.error());
        auto created = co_await request.run_blocking([&] { return upload.finish(); });
        if (!created) co_return Response::error(created.error());
        Response response =
            Response::json(created->created ? Status::created : Status::ok, job_json(created->job));
        response.set(http::Field::location,
                     absolute_url(request, ctx, "/v1/jobs/" + created->job.id));
        co_return response;
      },
      http::RouteOptions{http::BodyMode::streaming, body_limit});

  router.get(
      "/v1/jobs",
      [&ctx](Request& request) -> http::net::awaitable<Response> {
        const std::int64_t user = require_user(request, ctx);
        std::optional<JobStatus> status;
        if (const auto s = request.query().get("status")) {
          status = parse_job_status(*s);
          if (!status || *status == JobStatus::uploading) {  // the service's own state
            co_return Response::error(
                Status::bad_request, "invalid_request",
                "status: expected queued, processing, done, partial, failed, canceled or expired",
                "status");
          }
        }
        const std::string cursor(request.query().get("cursor").value_or(""));
        const int limit = page_limit(request);
        const JobPage page = co_await read_page(
            request, [&] { return ctx.jobs.list_jobs(user, status, cursor, limit); });
        nlohmann::json items = nlohmann::json::array();
        for (const Job& job : page.jobs) items.push_back(job_json(job));
        co_return Response::json(
            Status::ok,
            {{"items", items},
             {"next_cursor",
              page.next_cursor.empty() ? nlohmann::json() : nlohmann::json(page.next_cursor)}});
      },
      http::RouteOptions{.query = {"status", "cursor", "limit"}});

  router.get("/v1/jobs/{id}", [&ctx](Request& request) -> http::net::awaitable<Response> {
    const std::int64_t user = require_user(request, ctx);
    const auto [job, images] = co_await request.run_blocking([&] {
      const Job j = owned_job(ctx, user, request);
      return std::pair{j, ctx.jobs.images(j.id)};
    });
    co_return Response::json(Status::ok, job_json(job, &images, request_language(request)));
  });

  router.del("/v1/jobs/{id}", [&ctx](Request& request) -> http::net::awaitable<Response> {
    const std::int64_t user = require_user(request, ctx);
    const std::string id(request.param("id"));
    const auto deleted =
        co_await request.run_blocking([&] { return delete_job(actions(ctx), user, id); });
    if (!deleted) co_return Response::error(deleted.error());
    co_return Response::empty();
  });

  router.post("/v1/jobs/{id}/cancel", [&ctx](Request& request) -> http::net::awaitable<Response> {
    const std::int64_t user = require_user(request, ctx);
    const std::string id(request.param("id"));
    auto result = co_await request.run_blocking([&] { return cancel_job(actions(ctx), user, id); });
    if (!result) co_return Response::error(result.error());
    co_return Response::json(Status::accepted, job_json(*result));
  });

  router.post("/v1/jobs/{id}/retry", [&ctx](Request& request) -> http::net::awaitable<Response> {
    const std::int64_t user = require_user(request, ctx);
    const std::string id(request.param("id"));
    auto result = co_await request.run_blocking([&] { return retry_job(actions(ctx), user, id); });
    if (!result) co_return Response::error(result.error());
    co_return Response::json(Status::accepted, job_json(*result));
  });

  // A new job from this one's uploads and options: for a finished job, and for an expired one
  // while its uploads are kept (410 sources_gone after that).
  router.post(
      "/v1/jobs/{id}/convert-again", [&ctx](Request& request) -> http::net::awaitable<Response> {
        const std::int64_t user = require_user(request, ctx);
        const std::string id(request.param("id"));
        UploadDeps deps{ctx.jobs,          ctx.objects, ctx.queue, ctx.events,
                        ctx.notifications, ctx.secrets, ctx.now};
        auto created = co_await request.run_blocking(
            [&] { return convert_again(deps, ctx.upload_limits, user, id); });
        if (!created) {
          if (created.error().message_key == SOURCES_GONE) {
            throw HttpError(Status::gone, "sources_gone", created.error().message, "sources")
                .with_message(SOURCES_GONE, nlohmann::json::object());
          }
          co_return Response::error(created.error());
        }
        Response response = Response::json(Status::created, job_json(created->job));
        response.set(http::Field::location,
                     absolute_url(request, ctx, "/v1/jobs/" + created->job.id));
        co_return response;
      });

  router.get("/v1/jobs/{id}/archive", [&ctx](Request& request) -> http::net::awaitable<Response> {
    const std::int64_t user = require_user(request, ctx);
    const Job job = co_await request.run_blocking([&] { return owned_job(ctx, user, request); });
    if (job.status == JobStatus::expired)
      co_return Response::error(Status::gone, "expired", "the results expired");
    if (!is_finished(job.status) || job.done == 0) {
      co_return Response::error(Status::conflict, "conflict",
                                "the archive is ready when the job has finished");
    }
    co_return co_await download(ctx, request, object_keys::archive(job.id), job.name + ".zip",
                                "application/zip");
  });

  router.get(
      "/v1/jobs/{id}/images/{n}",
      [&ctx](Request& request) -> http::net::awaitable<Response> {
        const std::int64_t user = require_user(request, ctx);
        const int index = image_index(request);
        const auto size = thumbnail_size(request);
        const auto [job, image] =
            co_await request.run_blocking([&] { return owned_image(ctx, user, request, index); });
        if (image.status != ImageStatus::done) {
          co_return Response::error(
              Status::conflict, "conflict",
              "this image has no output (" + std::string(to_string(image.status)) + ")");
        }
        if (size)
          co_return co_await thumbnail(ctx, request, job, index, ThumbnailOf::output, *size);
        const auto format = parse_output_format(image.format).value_or(OutputFormat::jpeg);
        co_return co_await download(ctx, request, object_keys::output(job.id, index),
                                    image.output_name, std::string(mime_type(format)));
      },
      http::RouteOptions{.query = {"size"}});

  // The upload as it was received (kept until the job expires, for retries), or with ?size= its
  // thumbnail: the "before" of the job page.
  router.get(
      "/v1/jobs/{id}/images/{n}/source",
      [&ctx](Request& request) -> http::net::awaitable<Response> {
        const std::int64_t user = require_user(request, ctx);
        const int index = image_index(request);
        const auto size = thumbnail_size(request);
        // The record and (for the file itself) the upload's type, in one trip.
        const auto [job, image, type] = co_await request.run_blocking([&] {
          auto [j, i] = owned_image(ctx, user, request, index);
          std::string t = size ? "" : sniffed_type(ctx.objects, object_keys::input(j.id, index));
          return std::tuple{std::move(j), std::move(i), std::move(t)};
        });
        if (size) co_return co_await thumbnail(ctx, request, job, index, ThumbnailOf::input, *size);
        co_return co_await download(ctx, request, object_keys::input(job.id, index),
                                    image.source_name, type);
      },
      http::RouteOptions{.query = {"size"}});

  // The expiring link in notifications and webhooks: no sign-in, the URL's signature is the
  // credential (the object store checks it; an S3 store links to S3 instead, and accepts none
  // here).
  http::RouteOptions signed_link;
  signed_link.anonymous = true;
  signed_link.query = {"expires", "signature"};
  router.get(
      "/v1/objects/jobs/{id}/archive.zip",
      [&ctx](Request& request) -> http::net::awaitable<Response> {
        const std::string job_id(request.param("id"));
        const std::string key = object_keys::archive(job_id);
        const auto expires = request.query().get("expires").value_or("");
        const auto signature = request.query().get("signature").value_or("");
        const SignatureCheck check =
            ctx.objects.check_presigned(PresignMethod::get, key, expires, signature);
        if (check == SignatureCheck::expired) {
          co_return Response::error(Status::forbidden, "link_expired",
                                    "this download link has expired");
        }
        if (check != SignatureCheck::valid) {
          co_return Response::error(Status::forbidden, "forbidden",
                                    "this download link is not valid");
        }
        const auto job = co_await request.run_blocking([&] { return ctx.jobs.find_job(job_id); });
        if (!job || job->status == JobStatus::expired) {
          co_return Response::error(Status::gone, "expired", "the results expired");
        }
        co_return co_await download(ctx, request, key, job->name + ".zip", "application/zip");
      },
      signed_link);
}

}  // namespace imagesprint::api
