// The EventBus contract for InProcessEventBus (the embedded `serve`).
#include "adapters/memory/in_process_event_bus.hpp"
#include "event_bus_contract.hpp"

namespace imagesprint::test {
namespace {

INSTANTIATE_TEST_SUITE_P(Embedded, EventBusContract,
                         ::testing::Values(EventBusImplementation{
                             "InProcessEventBus",
                             [](std::size_t history) {
                               return std::make_unique<InProcessEventBus>(history);
                             }}),
                         EventBusContract::name_of);

}  // namespace
}  // namespace imagesprint::test
