#pragma once
// The ObjectStore port's contract (ports/object_store.hpp) as tests, for every implementation:
// whole and streamed writes published atomically, range reads of the version opened, list and
// delete by prefix, key validation, and presigned links that work until they expire. An
// implementation joins with INSTANTIATE_TEST_SUITE_P(..., ObjectStoreContract, ...).
#include <gtest/gtest.h>

#include <atomic>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "ports/object_store.hpp"

namespace imagesprint::test {

/// One store under test, on an empty space of its own.
class StoreUnderTest {
 public:
  virtual ~StoreUnderTest() = default;
  virtual ObjectStore& store() = 0;
  /// What the holder of `url` gets by a GET on it: the object's bytes, or nullopt when the link
  /// is refused (forged, for another key or method, expired) or the object is missing.
  virtual std::optional<std::vector<std::uint8_t>> follow(const PresignedUrl& url) = 0;
};

/// `clock`: milliseconds since the epoch for the store's signatures and times.
using MakeStore = std::function<std::unique_ptr<StoreUnderTest>(std::function<UnixMillis()> clock)>;

struct ObjectStoreImplementation {
  std::string name;
  MakeStore make;
};

class ObjectStoreContract : public ::testing::TestWithParam<ObjectStoreImplementation> {
 public:
  static std::string name_of(const ::testing::TestParamInfo<ObjectStoreImplementation>& info) {
    return info.param.name;
  }

 protected:
  static constexpr UnixMillis START = 1'700'000'000'000;

  void SetUp() override {
    under_test_ = GetParam().make([this] { return now_.load(); });
  }
  ObjectStore& store() { return under_test_->store(); }
  std::optional<std::vector<std::uint8_t>> follow(const PresignedUrl& url) {
    return under_test_->follow(url);
  }
  void advance(UnixMillis ms) { now_ += ms; }

 private:
  std::atomic<UnixMillis> now_{START};
  std::unique_ptr<StoreUnderTest> under_test_;
};

}  // namespace imagesprint::test
