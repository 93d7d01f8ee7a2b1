// GET /v1/limits: what this server accepts and what the signed-in user may still hold, so a
// client checks picked files against the server's own limits before it uploads.
#include <nlohmann/json.hpp>

#include "adapters/http/api/routes.hpp"
#include "domain/image_format.hpp"

namespace imagesprint::api {

using http::Request;
using http::Response;
using http::Status;

void add_limits_routes(http::Router& router, ApiContext& ctx) {
  router.get("/v1/limits", [&ctx](Request& request) -> http::net::awaitable<Response> {
    const std::int64_t user = require_user(request, ctx);
    const UserUsage usage = co_await request.run_blocking([&] { return ctx.jobs.usage(user); });
    const UploadLimits& limits = ctx.upload_limits;
    nlohmann::json formats = nlohmann::json::array();
    for (const InputFormat format :
         {InputFormat::jpeg, InputFormat::png, InputFormat::webp, InputFormat::gif,
          InputFormat::tiff, InputFormat::bmp, InputFormat::avif, InputFormat::heic}) {
      formats.push_back(to_string(format));
    }
    co_return Response::json(Status::ok,
                             {{"max_files", limits.max_files},
                              {"max_file_bytes", limits.max_file_bytes},
                              {"max_watermark_bytes", limits.max_watermark_bytes},
                              {"max_pixels", limits.engine.max_input_pixels},
                              {"max_progressive_pixels", limits.engine.max_interlaced_pixels},
                              {"max_output_pixels", limits.engine.max_output_pixels},
                              {"input_formats", std::move(formats)},
                              {"quotas",
                               {{"max_active_jobs", limits.quotas.max_active_jobs},
                                {"max_queued_images", limits.quotas.max_queued_images},
                                {"max_stored_bytes", limits.quotas.max_stored_bytes}}},
                              {"usage",
                               {{"active_jobs", usage.active_jobs},
                                {"queued_images", usage.queued_images},
                                {"stored_bytes", usage.stored_bytes}}}});
  });
}

}  // namespace imagesprint::api
