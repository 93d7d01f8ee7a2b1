#pragma once
// The long-running loops of the service (app/runners), made from the configuration.
#include <memory>
#include <vector>

#include "adapters/prometheus/registry.hpp"
#include "app/loop_threads.hpp"
#include "main/ports_factory.hpp"
#include "main/service_config.hpp"
#include "main/use_cases.hpp"

namespace imagesprint {

/// The worker pool, the janitor and the webhook dispatcher, in the order to start them (stop
/// them in reverse).
std::vector<std::unique_ptr<LoopThreads>> make_service_runners(const ServiceConfig& config,
                                                               Ports& ports, UseCases& use_cases,
                                                               prometheus::Registry& metrics);

}  // namespace imagesprint
