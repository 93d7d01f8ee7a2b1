// Several conversions failing and succeeding at once each get their own reason. libvips keeps one
// error buffer for the whole process, so before failure_cause.hpp a truncated JPEG converted
// beside a truncated PNG was reported with the PNG's message, and one of them often as an
// internal error with no reason at all.
#include <gtest/gtest.h>

#include <algorithm>
#include <cctype>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "support/convert.hpp"
#include "support/corpus.hpp"

namespace imagesprint {
namespace {

struct Case {
  std::string file;
  std::string own;    // the decoder this file's message may name
  std::string other;  // the decoder it must not name
};

std::string lower(std::string s) {
  std::transform(s.begin(), s.end(), s.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return s;
}

TEST(ConcurrentFailures, EachBrokenImageKeepsItsOwnReason) {
  const std::vector<Case> broken{{"edge/truncated.jpg", "jpeg", "png"},
                                 {"edge/truncated.png", "png", "jpeg"},
                                 {"edge/corrupt-header.jpg", "jpeg", "png"}};
  std::vector<std::vector<std::uint8_t>> inputs;
  for (const Case& c : broken) inputs.push_back(test::read_bytes(test::corpus(c.file)));
  const auto good = test::read_bytes(test::corpus("edge/with-alpha.png"));

  constexpr int ROUNDS = 12;
  std::mutex lock;
  std::vector<std::string> wrong;
  const auto note = [&](std::string what) {
    const std::lock_guard guard(lock);
    wrong.push_back(std::move(what));
  };
  std::vector<std::thread> threads;
  for (std::size_t t = 0; t < broken.size(); ++t) {
    threads.emplace_back([&, t] {
      for (int round = 0; round < ROUNDS; ++round) {
        const auto result = test::convert_bytes(inputs[t], {{"format", "webp"}, {"width", 256}});
        if (result.ok()) {
          note(broken[t].file + " converted");
          continue;
        }
        const Error& error = result.error();
        const std::string message = lower(error.message);
        if (error.code != ErrorCode::corrupt_image ||
            message.find("damaged or truncated") == std::string::npos ||
            message.find(broken[t].other) != std::string::npos) {
          note(broken[t].file + ": [" + std::string(to_string(error.code)) + "] " + error.message);
        }
      }
    });
  }
  threads.emplace_back([&] {  // and a good image beside them converts every time
    for (int round = 0; round < ROUNDS; ++round) {
      const auto result = test::convert_bytes(good, {{"format", "webp"}, {"width", 256}});
      if (!result.ok()) note("with-alpha.png: " + result.error().message);
    }
  });
  for (auto& thread : threads) thread.join();
  EXPECT_TRUE(wrong.empty()) << wrong.size() << " wrong answers, the first: " << wrong.front();
}

}  // namespace
}  // namespace imagesprint
