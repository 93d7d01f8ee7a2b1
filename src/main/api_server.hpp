#pragma once
// The HTTP API and the web app, over the ports and the use cases: the routes, the context they
// hold on to, and the server. Made by every role that serves HTTP.
#include <memory>

#include "adapters/http/api/api_context.hpp"
#include "adapters/http/server.hpp"
#include "adapters/prometheus/registry.hpp"
#include "main/ports_factory.hpp"
#include "main/service_config.hpp"
#include "main/use_cases.hpp"

namespace imagesprint {

class ApiServer {
 public:
  /// Which routes: the REST API and the web app (`api`, `serve`), or only /healthz, /readyz,
  /// /metrics and /openapi.json (a `worker`'s own listener).
  enum class Routes { all, system };

  ApiServer(const ServiceConfig& config, Ports& ports, UseCases& use_cases,
            prometheus::Registry& metrics, Routes routes = Routes::all);
  ApiServer(const ApiServer&) = delete;
  ApiServer& operator=(const ApiServer&) = delete;

  http::HttpServer& http() { return *server_; }

 private:
  api::ApiContext context_;  // the routes refer to it: it lives as long as the server
  std::unique_ptr<http::HttpServer> server_;
};

}  // namespace imagesprint
