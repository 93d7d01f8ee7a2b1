// The PresetStore contract (ports/preset_store.hpp): per-user names and counts checked with the
// write, and one user never reaching another's presets.
#include <latch>
#include <thread>

#include "record_stores_contract.hpp"

namespace imagesprint::test {
namespace {

Preset preset(std::int64_t user, const std::string& name, const std::string& options = "{}") {
  Preset p;
  p.user_id = user;
  p.name = name;
  p.options = options;
  p.created_at = p.updated_at = 1000;
  return p;
}

TEST_P(PresetStoreContract, CreatesListsByNameAndFinds) {
  const auto web = presets().create(preset(1, "Web 1280", R"({"width":1280})"), 50);
  ASSERT_EQ(web.outcome, PresetWrite::ok);
  EXPECT_GT(web.preset.id, 0);
  ASSERT_EQ(presets().create(preset(1, "Archive"), 50).outcome, PresetWrite::ok);
  ASSERT_EQ(presets().create(preset(1, "웨딩 2048"), 50).outcome, PresetWrite::ok);
  const auto list = presets().list(1);
  ASSERT_EQ(list.size(), 3u);
  EXPECT_EQ(list[0].name, "Archive");
  EXPECT_EQ(list[1].name, "Web 1280");
  EXPECT_EQ(list[2].name, "웨딩 2048");
  const auto found = presets().find(1, web.preset.id);
  ASSERT_TRUE(found);
  EXPECT_EQ(found->options, R"({"width":1280})");
  EXPECT_EQ(presets().find_by_name(1, "웨딩 2048")->name, "웨딩 2048");
  EXPECT_FALSE(presets().find_by_name(1, "web 1280"));  // names compare exactly
}

TEST_P(PresetStoreContract, NamesAreUniquePerUserAndTheCountIsCapped) {
  ASSERT_EQ(presets().create(preset(1, "A"), 2).outcome, PresetWrite::ok);
  EXPECT_EQ(presets().create(preset(1, "A"), 2).outcome, PresetWrite::name_taken);
  EXPECT_EQ(presets().create(preset(2, "A"), 2).outcome, PresetWrite::ok);  // another user's
  ASSERT_EQ(presets().create(preset(1, "B"), 2).outcome, PresetWrite::ok);
  EXPECT_EQ(presets().create(preset(1, "C"), 2).outcome, PresetWrite::over_limit);
  EXPECT_EQ(presets().list(1).size(), 2u);
  EXPECT_EQ(presets().list(2).size(), 1u);
}

TEST_P(PresetStoreContract, TwoCreatesAtOnceStayWithinTheCap) {
  // Two processes (stores on connections of their own) each create a preset for a user who has
  // room for one more, at the same time, round after round: one gets it, the other is over the
  // limit.
  auto first = open_another();
  auto second = open_another();
  for (int round = 0; round < 10; ++round) {
    const std::int64_t user = 100 + round;
    ASSERT_EQ(presets().create(preset(user, "kept"), 2).outcome, PresetWrite::ok);
    PresetWriteResult a, b;
    std::string error;
    std::latch start(2);
    std::thread other([&] {
      start.arrive_and_wait();
      try {
        b = second->presets().create(preset(user, "B"), 2);
      } catch (const std::exception& e) {
        error = e.what();
      }
    });
    start.arrive_and_wait();
    ASSERT_NO_THROW(a = first->presets().create(preset(user, "A"), 2));
    other.join();
    ASSERT_EQ(error, "");
    EXPECT_EQ((a.outcome == PresetWrite::ok) + (b.outcome == PresetWrite::ok), 1) << user;
    EXPECT_EQ(presets().list(user).size(), 2u) << user;
  }
}

TEST_P(PresetStoreContract, UpdatesKeepNamesUniqueAndStayWithTheirOwner) {
  const auto a = presets().create(preset(1, "A"), 50).preset;
  const auto b = presets().create(preset(1, "B"), 50).preset;
  Preset renamed = a;
  renamed.name = "B";
  EXPECT_EQ(presets().update(renamed).outcome, PresetWrite::name_taken);
  renamed.name = "A2";
  renamed.options = R"({"quality":70})";
  renamed.updated_at = 2000;
  const auto saved = presets().update(renamed);
  ASSERT_EQ(saved.outcome, PresetWrite::ok);
  EXPECT_EQ(saved.preset.name, "A2");
  EXPECT_EQ(saved.preset.options, R"({"quality":70})");
  EXPECT_EQ(saved.preset.created_at, 1000);
  EXPECT_EQ(saved.preset.updated_at, 2000);
  Preset same_name = b;  // keeping its own name is no conflict
  EXPECT_EQ(presets().update(same_name).outcome, PresetWrite::ok);

  Preset stolen = b;
  stolen.user_id = 2;
  EXPECT_EQ(presets().update(stolen).outcome, PresetWrite::not_found);
  EXPECT_FALSE(presets().find(2, b.id));
  EXPECT_FALSE(presets().remove(2, b.id));
  EXPECT_TRUE(presets().remove(1, b.id));
  EXPECT_FALSE(presets().find(1, b.id));
  EXPECT_FALSE(presets().remove(1, b.id));
}

}  // namespace
}  // namespace imagesprint::test
