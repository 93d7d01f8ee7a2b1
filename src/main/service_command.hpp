#pragma once
#include <CLI/CLI.hpp>

namespace imagesprint {

/// Adds the service's roles, all on the same settings:
/// - `imagesprint serve`: the API and the worker in one process, on the embedded adapters by
///   default (SQLite, a local folder, the SQLite queue, in-process events): no services needed;
/// - `imagesprint api`: HTTP only (REST API, SSE, web app); converts nothing but previews and
///   thumbnails, queues the work;
/// - `imagesprint worker`: the conversions, the finalizer, the webhook dispatcher and the janitor
///   (one active per deployment), with /healthz, /readyz and /metrics on its `listen` address.
void add_service_commands(CLI::App& app, int& exit_code);

}  // namespace imagesprint
