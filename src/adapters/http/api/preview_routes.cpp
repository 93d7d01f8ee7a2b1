// POST /v1/preview: the options form's live preview, rendered by the engine (app/preview).
// A small buffered multipart body: `file` (the image), `options` (JSON), optional
// `watermark_image`; the answer is the rendered image with its facts in X-Output-* headers.
#include <algorithm>
#include <cstdint>
#include <span>
#include <string>

#include "adapters/http/api/routes.hpp"
#include "adapters/http/http_error.hpp"
#include "adapters/http/multipart_parser.hpp"
#include "app/preview.hpp"
#include "domain/options_json.hpp"
#include "domain/whole_number.hpp"

namespace imagesprint::api {

using http::Request;
using http::Response;
using http::Status;

namespace {

/// Collects the form's three fields in memory (the route's body limit bounds them).
class PreviewParts final : public http::MultipartHandler {
 public:
  bool on_part_begin(const http::PartHeaders& part) override {
    if (part.name == "file") {
      current_ = &image;
    } else if (part.name == "options") {
      current_ = &options;
    } else if (part.name == "watermark_image") {
      current_ = &watermark;
    } else if (part.name == "box") {
      current_ = &box;
    } else {
      unknown = part.name;
      return false;
    }
    current_->clear();
    return true;
  }
  bool on_part_data(std::string_view bytes) override {
    // The text fields are small; the route's body limit alone would let each be 25 MB.
    const bool text = current_ == &options || current_ == &box;
    if (text && current_->size() + bytes.size() > MAX_TEXT_PART_BYTES) {
      too_large = current_ == &options ? "options" : "box";
      return false;
    }
    current_->append(bytes);
    return true;
  }
  bool on_part_end() override { return true; }

  static constexpr std::size_t MAX_TEXT_PART_BYTES = 64 * 1024;
  std::string image, options, watermark, box, unknown, too_large;

 private:
  std::string* current_ = nullptr;
};

std::span<const std::uint8_t> as_bytes(const std::string& text) {
  return {reinterpret_cast<const std::uint8_t*>(text.data()), text.size()};
}

/// A preview holds its body in memory and a CPU while it renders: a few per user and a few in
/// all, refused past that (429 for the user's own limit, 503 for the server's), never queued.
void hold_preview_permit(Request& request, ApiContext& ctx) {
  const std::int64_t user = *request.principal();
  auto permit = ctx.guards->previews.try_acquire(user);
  if (permit) {
    request.hold(std::move(permit));
    return;
  }
  if (ctx.guards->previews.in_use(user) >= ctx.guards->previews.per_key()) {
    throw http::HttpError(
        Status::too_many_requests, "rate_limited",
        "at most " + std::to_string(ctx.guards->previews.per_key()) + " previews at once per user")
        .with_retry_after(1);
  }
  throw http::HttpError(Status::service_unavailable, "busy",
                        "the server is rendering as many previews as it can; retry shortly")
      .with_retry_after(1);
}

}  // namespace

void add_preview_routes(http::Router& router, ApiContext& ctx) {
  const auto body_limit = static_cast<std::uint64_t>(ctx.upload_limits.max_file_bytes +
                                                     ctx.upload_limits.max_watermark_bytes) +
                          64 * 1024;
  router.post(
      "/v1/preview",
      [&ctx](Request& request) -> http::net::awaitable<Response> {
        auto boundary = http::multipart_boundary(request.header(http::Field::content_type));
        if (!boundary) co_return Response::error(boundary.error());
        PreviewParts parts;
        http::MultipartLimits limits;  // a file, a logo and a few text fields
        limits.max_parts = 8;
        limits.max_part_bytes =
            static_cast<std::uint64_t>(
                std::max(ctx.upload_limits.max_file_bytes, ctx.upload_limits.max_watermark_bytes)) +
            1;
        http::MultipartParser parser(boundary.value(), parts, limits);
        if (!parser.feed(request.body()) || !parser.finish()) {
          if (!parts.too_large.empty()) {
            co_return Response::error(Status::payload_too_large, "too_large",
                                      parts.too_large + ": at most 64 KiB", parts.too_large);
          }
          if (!parts.unknown.empty()) {
            co_return Response::error(Status::bad_request, "invalid_request",
                                      parts.unknown + ": unknown form field", parts.unknown);
          }
          co_return Response::error(*parser.error());
        }
        if (parts.image.empty()) {
          co_return Response::error(Status::bad_request, "invalid_request",
                                    "file: an image is required", "file");
        }
        if (parts.image.size() > static_cast<std::size_t>(ctx.upload_limits.max_file_bytes)) {
          co_return Response::error(Status::payload_too_large, "too_large",
                                    "file: larger than the per-file limit", "file");
        }
        auto options = parse_options(parts.options.empty() ? std::string_view("{}")
                                                           : std::string_view(parts.options));
        if (!options) co_return Response::error(options.error());
        PreviewRequest preview_request{as_bytes(parts.image), as_bytes(parts.watermark), *options};
        if (!parts.box.empty()) {
          const auto box =
              whole_number(parts.box, PreviewRequest::MIN_BOX, PreviewRequest::MAX_BOX);
          if (!box) {
            co_return Response::error(Status::bad_request, "invalid_request",
                                      "box: expected a whole number of pixels from " +
                                          std::to_string(PreviewRequest::MIN_BOX) + " to " +
                                          std::to_string(PreviewRequest::MAX_BOX),
                                      "box");
          }
          preview_request.box = *box;
        }
        // Decoding and encoding are CPU work: off the IO threads.
        auto preview = co_await request.run_blocking(
            [&] { return render_preview(preview_request, ctx.upload_limits.engine); });
        if (!preview) co_return Response::error(preview.error());
        Response response =
            Response::text(Status::ok, std::string(preview->bytes.begin(), preview->bytes.end()),
                           mime_type(preview->format));
        response.set("X-Output-Width", std::to_string(preview->output_width));
        response.set("X-Output-Height", std::to_string(preview->output_height));
        response.set("X-Output-Format", to_string(preview->output_format));
        response.set("X-Estimated-Output-Bytes", std::to_string(preview->estimated_bytes));
        response.set("X-Preview-Width", std::to_string(preview->width));
        response.set("X-Preview-Height", std::to_string(preview->height));
        response.set(http::Field::cache_control, "no-store");
        co_return response;
      },
      http::RouteOptions{http::BodyMode::buffered, body_limit, [&ctx](Request& request) {
                           // Signed in, and a render place free, before up to 25 MB is read.
                           sign_in(request, ctx);
                           hold_preview_permit(request, ctx);
                         }});
}

}  // namespace imagesprint::api
