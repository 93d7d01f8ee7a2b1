// Server-Sent Events: GET /v1/events (all of the user's jobs and notifications) and
// GET /v1/jobs/{id}/events (one job). A reconnect with Last-Event-ID gets what it missed, or a
// fresh "snapshot" when the bus no longer holds all of it; a first connect starts with one.
#include <mutex>
#include <nlohmann/json.hpp>

#include "adapters/http/api/routes.hpp"
#include "adapters/http/http_error.hpp"
#include "adapters/http/sse.hpp"
#include "app/json_views.hpp"
#include "domain/json_text.hpp"

namespace imagesprint::api {

using http::Request;
using http::Response;
using http::Status;

namespace {

/// Opens a stream for `user`, optionally only about `job_id`. `snapshot` builds the opening
/// state (runs on the blocking pool).
Response open_stream(ApiContext& ctx, const Request& request, std::int64_t user,
                     const std::string& job_id, std::function<nlohmann::json()> snapshot) {
  auto channel = std::make_shared<http::EventChannel>();
  struct State {
    std::mutex mutex;
    std::uint64_t last_sent = 0;  // live events at or below it were already replayed
    std::unique_ptr<Subscription> subscription;
  };
  auto state = std::make_shared<State>();
  const auto wanted = [job_id](const Event& e) { return job_id.empty() || e.job_id == job_id; };
  const auto send = [channel, state](const Event& e) {
    const std::lock_guard lock(state->mutex);
    const std::uint64_t n = event_sequence(e.id);
    if (n != 0 && n <= state->last_sent) return;
    state->last_sent = std::max(state->last_sent, n);
    channel->push(http::SseEvent{e.id, e.type, e.data});
  };
  // Subscribe first, then replay: nothing published in between is lost, and duplicates are
  // dropped by their id.
  state->subscription = ctx.events.subscribe(user, [wanted, send](const Event& e) {
    if (wanted(e)) send(e);
  });
  channel->on_close([state] {
    const std::lock_guard lock(state->mutex);
    state->subscription.reset();
  });
  const std::string last_id(request.header("Last-Event-ID"));
  std::optional<std::vector<Event>> missed;
  if (!last_id.empty()) missed = ctx.events.replay_after(user, last_id);
  if (missed) {
    for (const Event& e : *missed) {
      if (wanted(e)) send(e);
    }
  } else {
    // Built and sent under the lock that live events take: an event published while the
    // snapshot is read waits, and comes after it. (Sent first, it would be undone by an older
    // snapshot: a job that ended meanwhile would show as running for good.)
    const std::lock_guard lock(state->mutex);
    channel->push(http::SseEvent{"", "snapshot", dump_json(snapshot())});
  }
  Response response = Response::sse(channel);
  return response;
}

/// One of the user's event stream places, held by the request until its stream ends; 429 when
/// the user has them all (a user opening stream after stream must not take every connection).
void hold_stream_permit(Request& request, ApiContext& ctx) {
  auto permit = ctx.guards->streams.try_acquire(*request.principal());
  if (!permit) {
    throw http::HttpError(Status::too_many_requests, "rate_limited",
                          "at most " + std::to_string(ctx.guards->streams.per_key()) +
                              " open event streams per user; close one")
        .with_retry_after(5);
  }
  request.hold(std::move(permit));
}

}  // namespace

void add_event_routes(http::Router& router, ApiContext& ctx) {
  http::RouteOptions stream_options;
  stream_options.admit = [&ctx](Request& request) {
    sign_in(request, ctx);
    hold_stream_permit(request, ctx);
  };
  router.get(
      "/v1/events",
      [&ctx](Request& request) -> http::net::awaitable<Response> {
        const std::int64_t user = require_user(request, ctx);
        co_return co_await request.run_blocking([&] {
          return open_stream(ctx, request, user, "", [&] {
            nlohmann::json jobs = nlohmann::json::array();
            for (const JobStatus s : {JobStatus::queued, JobStatus::processing}) {
              for (const Job& job : ctx.jobs.list_jobs(user, s, "", 100).jobs)
                jobs.push_back(job_json(job));
            }
            return nlohmann::json{{"jobs", jobs},
                                  {"unread_notifications", ctx.notifications.unread_count(user)}};
          });
        });
      },
      stream_options);
  router.get(
      "/v1/jobs/{id}/events",
      [&ctx](Request& request) -> http::net::awaitable<Response> {
        const std::int64_t user = require_user(request, ctx);
        const std::string job_id(request.param("id"));
        co_return co_await request.run_blocking([&] {
          // Another user's job is not found: no stream, not even an empty one.
          if (!ctx.jobs.find_job(user, job_id))
            throw http::HttpError(Status::not_found, "not_found", "no such job");
          return open_stream(ctx, request, user, job_id, [&] {
            const auto job = ctx.jobs.find_job(user, job_id);
            const auto images = ctx.jobs.images(job_id);
            return job ? job_json(*job, &images) : nlohmann::json();
          });
        });
      },
      stream_options);
}

}  // namespace imagesprint::api
