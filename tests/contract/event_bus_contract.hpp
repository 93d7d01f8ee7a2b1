#pragma once
// The EventBus port's contract (ports/event_bus.hpp) as tests, for every implementation: each
// user sees only their own events, in order; dropping a subscription stops delivery; a reconnect
// replays what it missed while the bus still holds it, and says so when it does not. Delivery
// may be asynchronous (a bus between processes), so the tests wait for what they expect.
#include <gtest/gtest.h>

#include <functional>
#include <memory>
#include <string>

#include "ports/event_bus.hpp"

namespace imagesprint::test {

/// `history`: events kept per user for replay_after().
using MakeEventBus = std::function<std::unique_ptr<EventBus>(std::size_t history)>;

struct EventBusImplementation {
  std::string name;
  MakeEventBus make;
};

class EventBusContract : public ::testing::TestWithParam<EventBusImplementation> {
 public:
  static std::string name_of(const ::testing::TestParamInfo<EventBusImplementation>& info) {
    return info.param.name;
  }

 protected:
  std::unique_ptr<EventBus> make(std::size_t history = 100) { return GetParam().make(history); }
};

}  // namespace imagesprint::test
