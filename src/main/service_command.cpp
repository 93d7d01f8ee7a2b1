// `imagesprint serve | api | worker`: the composition root's short lists. Each makes the ports
// and the use cases from the same settings, starts what its role runs, waits for a signal and
// stops in reverse order. `serve` is the two others in one process.
#include "main/service_command.hpp"

#include <spdlog/spdlog.h>

#include <atomic>
#include <filesystem>

#include "app/job_worker.hpp"
#include "imaging/engine.hpp"
#include "main/api_server.hpp"
#include "main/component_settings.hpp"
#include "main/ports_factory.hpp"
#include "main/service_metrics.hpp"
#include "main/service_runners.hpp"
#include "main/stop_signals.hpp"
#include "main/use_cases.hpp"

namespace imagesprint {
namespace {

struct Role {
  const char* name;
  bool serves_api;  // the REST API, SSE and the web app (else only the system routes)
  bool works;       // conversions, finalize, webhooks, janitor
};

constexpr Role SERVE{"serve", true, true};
constexpr Role API{"api", true, false};
constexpr Role WORKER{"worker", false, true};

int run(const ServiceConfig& config, const Role& role) {
  StopSignals stop_signals;  // before any thread starts
  spdlog::set_level(spdlog::level::from_str(config.log.log_level));
  init_engine(engine_config(config));

  Ports ports = make_ports(config);
  // Links in notifications and webhooks: the public URL, else this server once it listens.
  const HttpSettings& net = config.http;
  std::atomic<unsigned> port{static_cast<unsigned>(net.port())};
  UseCases use_cases(config, ports, [&net, &port] {
    if (!net.public_url.empty()) return net.public_url;
    return "http://" + net.host() + ":" + std::to_string(port.load());
  });
  prometheus::Registry metrics;
  std::atomic<http::HttpServer*> server{nullptr};
  declare_metrics(metrics, *ports.queue, *ports.jobs, [&server]() -> const http::ServerMetrics* {
    const http::HttpServer* s = server.load();
    return s ? &s->metrics() : nullptr;
  });

  std::vector<std::unique_ptr<LoopThreads>> runners;
  if (role.works) {
    // Work left unfinished by a crash (or a SIGKILL) is queued again; dedupe keys make it safe
    // when several workers do it at once.
    recover_unfinished_jobs(*ports.jobs, *ports.queue);
    runners = make_service_runners(config, ports, use_cases, metrics);
    for (auto& runner : runners) runner->start();
  }

  ApiServer http(config, ports, use_cases, metrics,
                 role.serves_api ? ApiServer::Routes::all : ApiServer::Routes::system);
  http.http().start();
  port = http.http().port();
  server = &http.http();
  // One line a script can wait for (tests read the port from it).
  std::printf("imagesprint %s: listening on http://%s:%u (data in %s)\n", role.name,
              net.host().c_str(), port.load(),
              std::filesystem::absolute(config.storage.data).c_str());
  std::fflush(stdout);

  const int signal = stop_signals.wait();
  spdlog::info("stopping (signal {}): finishing requests and the tasks in hand", signal);
  http.http().stop();
  http.http().wait();
  server = nullptr;
  // Each worker stops leasing and finishes its current task; the rest stay queued for others.
  for (auto runner = runners.rbegin(); runner != runners.rend(); ++runner) (*runner)->stop();
  return 0;
}

void add_role(CLI::App& app, int& exit_code, const Role& role, const std::string& description) {
  auto config = std::make_shared<ServiceConfig>();
  auto config_file = std::make_shared<std::string>();
  CLI::App* cmd = app.add_subcommand(role.name, description);
  add_service_options(*cmd, *config, *config_file);
  cmd->callback([cmd, config, config_file, &exit_code, &role] {
    try {
      apply_config_file(*cmd, *config_file);
      // Every bad setting at once, each by its name, before anything starts.
      if (const FieldErrors errors = config->validate(); !errors.empty()) {
        for (const FieldError& error : errors) {
          std::fprintf(stderr, "imagesprint %s: setting %s: %s\n", role.name, error.field.c_str(),
                       error.message.c_str());
        }
        exit_code = 2;
        return;
      }
      exit_code = run(*config, role);
    } catch (const std::invalid_argument& e) {
      std::fprintf(stderr, "imagesprint %s: %s\n", role.name, e.what());
      exit_code = 2;
    } catch (const std::exception& e) {
      std::fprintf(stderr, "imagesprint %s: %s\n", role.name, e.what());
      exit_code = 1;
    }
  });
}

}  // namespace

void add_service_commands(CLI::App& app, int& exit_code) {
  add_role(app, exit_code, SERVE,
           "Run the API and the worker in one process (embedded by default: no services needed)");
  add_role(app, exit_code, API,
           "Run the HTTP API, SSE and the web app; the work goes to the shared queue");
  add_role(app, exit_code, WORKER,
           "Run conversions, finalize, webhooks and the janitor from the shared queue; --listen "
           "serves /healthz, /readyz and /metrics");
}

}  // namespace imagesprint
