// `imagesprint serve`: the embedded service in one process (SQLite, a local folder, in-process
// events). The composition root's short list: make the ports, the use cases and the loops,
// start them and the HTTP server, wait for a signal, stop in reverse order.
#include "main/serve_command.hpp"

#include <spdlog/spdlog.h>

#include <atomic>
#include <filesystem>

#include "app/job_worker.hpp"
#include "imaging/engine.hpp"
#include "main/api_server.hpp"
#include "main/ports_factory.hpp"
#include "main/service_metrics.hpp"
#include "main/service_runners.hpp"
#include "main/stop_signals.hpp"
#include "main/use_cases.hpp"

namespace imagesprint {
namespace {

int serve(const ServiceConfig& config) {
  config.validate();
  StopSignals stop_signals;  // before any thread starts
  spdlog::set_level(spdlog::level::from_str(config.log_level));
  EngineConfig engine;
  engine.memory_budget = static_cast<std::uint64_t>(config.conversion_memory_mib) * 1024 * 1024;
  init_engine(engine);

  Ports ports = make_ports(config);
  // Links in notifications and webhooks: the public URL, else this server once it listens.
  std::atomic<unsigned> port{static_cast<unsigned>(config.port())};
  UseCases use_cases(config, ports, [&config, &port] {
    if (!config.public_url.empty()) return config.public_url;
    return "http://" + config.host() + ":" + std::to_string(port.load());
  });
  prometheus::Registry metrics;
  std::atomic<http::HttpServer*> server{nullptr};
  declare_metrics(metrics, *ports.queue, *ports.jobs, [&server]() -> const http::ServerMetrics* {
    const http::HttpServer* s = server.load();
    return s ? &s->metrics() : nullptr;
  });

  // Work left unfinished by a crash (or a SIGKILL) is queued again; dedupe keys make it safe.
  recover_unfinished_jobs(*ports.jobs, *ports.queue);
  auto runners = make_service_runners(config, ports, use_cases, metrics);
  for (auto& runner : runners) runner->start();

  ApiServer api(config, ports, use_cases, metrics);
  api.http().start();
  port = api.http().port();
  server = &api.http();
  // One line a script can wait for (tests read the port from it).
  std::printf("imagesprint serve: listening on http://%s:%u (data in %s)\n", config.host().c_str(),
              port.load(), std::filesystem::absolute(config.data).c_str());
  std::fflush(stdout);

  const int signal = stop_signals.wait();
  spdlog::info("stopping (signal {}): finishing requests and the tasks in hand", signal);
  api.http().stop();
  api.http().wait();
  server = nullptr;
  // Each worker finishes its current task; the rest stay queued for the next start.
  for (auto runner = runners.rbegin(); runner != runners.rend(); ++runner) (*runner)->stop();
  return 0;
}

}  // namespace

void add_serve_command(CLI::App& app, int& exit_code) {
  auto config = std::make_shared<ServiceConfig>();
  auto config_file = std::make_shared<std::string>();
  CLI::App* cmd = app.add_subcommand(
      "serve", "Run the API, the worker and the janitor in one process (no services needed)");
  add_service_options(*cmd, *config, *config_file);
  cmd->callback([cmd, config, config_file, &exit_code] {
    try {
      apply_config_file(*cmd, *config_file);
      exit_code = serve(*config);
    } catch (const std::invalid_argument& e) {
      std::fprintf(stderr, "imagesprint serve: %s\n", e.what());
      exit_code = 2;
    } catch (const std::exception& e) {
      std::fprintf(stderr, "imagesprint serve: %s\n", e.what());
      exit_code = 1;
    }
  });
}

}  // namespace imagesprint
