// The preset use cases on the real SQLite store: names as client text, options through the job
// route's parser, the per-user cap, and how a job's `preset` part finds one.
#include "app/presets.hpp"

#include <gtest/gtest.h>

#include "../adapters/sqlite_records/temp_database.hpp"
#include "adapters/sql/sql_preset_store.hpp"
#include "domain/options_json.hpp"

namespace imagesprint {
namespace {

using nlohmann::json;

class PresetsTest : public ::testing::Test {
 protected:
  Expected<Preset> create(std::int64_t user, const std::string& name, json options) {
    return presets_.create(user, {name, std::move(options)});
  }

  UnixMillis now_ = 1'700'000'000'000;
  test::TempDatabase temp_;
  SqlPresetStore store_{temp_.db()};
  Presets presets_{store_, [this] { return now_; }, PresetSettings{3}};
};

TEST_F(PresetsTest, KeepsTheOptionsInTheirCanonicalForm) {
  const auto made = create(1, "  Web 1280  ", {{"width", 1280}, {"format", "WEBP"}});
  ASSERT_TRUE(made) << made.error().message;
  EXPECT_EQ(made->name, "Web 1280");  // trimmed
  EXPECT_EQ(made->created_at, now_);
  const auto options = parse_options(std::string_view(made->options));
  ASSERT_TRUE(options);
  EXPECT_EQ(options->width, 1280);
  EXPECT_EQ(options->format, OutputFormat::webp);
  EXPECT_TRUE(options->manifest);
  EXPECT_EQ(json::parse(made->options), to_json(options.value()));
}

TEST_F(PresetsTest, RefusesBadNamesAndOptionsNamingTheField) {
  const auto field_of = [](const Expected<Preset>& r) { return r ? "" : r.error().field; };
  EXPECT_EQ(field_of(create(1, "", json::object())), "name");
  EXPECT_EQ(field_of(create(1, " \t ", json::object())), "name");
  EXPECT_EQ(field_of(create(1, "bad \xC3\x28 bytes", json::object())), "name");
  EXPECT_EQ(field_of(create(1, "line\nbreak", json::object())), "name");
  EXPECT_EQ(field_of(create(1, std::string(101, 'x'), json::object())), "name");
  EXPECT_TRUE(create(1, std::string(100, 'x'), json::object()));
  // 100 Hangul syllables are 300 bytes and still 100 characters.
  std::string hangul;
  for (int i = 0; i < 100; ++i) hangul += "\xEA\xB0\x80";
  EXPECT_TRUE(create(1, hangul, json::object()));

  const auto quality = create(1, "q", {{"quality", 150}});
  ASSERT_FALSE(quality);
  EXPECT_EQ(quality.error().code, ErrorCode::invalid_option);
  EXPECT_EQ(quality.error().field, "options.quality");
  EXPECT_EQ(quality.error().message.rfind("options.quality: expected", 0), 0u)
      << quality.error().message;
  EXPECT_EQ(field_of(create(1, "w", {{"watermark", {{"opacity", 2}}}})),
            "options.watermark.opacity");
  EXPECT_EQ(field_of(create(1, "u", {{"colour", "#fff"}})), "options.colour");
  EXPECT_EQ(field_of(create(1, "a", json::array())), "options");
  EXPECT_EQ(field_of(presets_.create(1, {std::nullopt, json::object()})), "name");
  EXPECT_EQ(field_of(presets_.create(1, {"x", std::nullopt})), "options");
}

TEST_F(PresetsTest, NamesAreUniquePerUserAndTheCountIsCapped) {
  ASSERT_TRUE(create(1, "A", json::object()));
  const auto again = create(1, "A", json::object());
  ASSERT_FALSE(again);
  EXPECT_EQ(again.error().code, ErrorCode::conflict);
  EXPECT_EQ(again.error().field, "name");
  ASSERT_TRUE(create(1, "B", json::object()));
  ASSERT_TRUE(create(1, "C", json::object()));
  const auto over = create(1, "D", json::object());
  ASSERT_FALSE(over);
  EXPECT_EQ(over.error().code, ErrorCode::quota_exceeded);
  EXPECT_EQ(over.error().field, "max_presets");
  EXPECT_TRUE(create(2, "A", json::object()));  // every user has their own
}

TEST_F(PresetsTest, UpdatesWhatIsGivenAndOnlyTheOwnersPreset) {
  const auto a = create(1, "A", {{"quality", 70}});
  ASSERT_TRUE(a);
  create(1, "B", json::object());
  now_ += 5000;
  const auto renamed = presets_.update(1, a->id, {"A2", std::nullopt});
  ASSERT_TRUE(renamed) << renamed.error().message;
  EXPECT_EQ(renamed->name, "A2");
  EXPECT_EQ(parse_options(std::string_view(renamed->options))->quality, 70);
  EXPECT_EQ(renamed->updated_at, now_);
  EXPECT_EQ(renamed->created_at, now_ - 5000);
  const auto requality = presets_.update(1, a->id, {std::nullopt, json{{"quality", 60}}});
  ASSERT_TRUE(requality);
  EXPECT_EQ(parse_options(std::string_view(requality->options))->quality, 60);
  EXPECT_EQ(presets_.update(1, a->id, {"B", std::nullopt}).error().code, ErrorCode::conflict);
  EXPECT_EQ(presets_.update(1, a->id, {std::nullopt, json{{"width", 0}}}).error().field,
            "options.width");
  EXPECT_EQ(presets_.update(2, a->id, {"mine", std::nullopt}).error().code, ErrorCode::not_found);
  EXPECT_FALSE(presets_.find(2, a->id));
  EXPECT_FALSE(presets_.remove(2, a->id));
  EXPECT_TRUE(presets_.remove(1, a->id));
}

TEST_F(PresetsTest, AJobFindsAPresetByIdOrName) {
  const auto web = create(1, "Web", {{"width", 800}});
  const auto numeric = create(1, "2048", {{"width", 2048}});
  ASSERT_TRUE(web && numeric);
  EXPECT_EQ(presets_.resolve(1, std::to_string(web->id))->name, "Web");
  EXPECT_EQ(presets_.resolve(1, "Web")->id, web->id);
  EXPECT_EQ(presets_.resolve(1, " Web ")->id, web->id);
  // Digits are an id first, then a name.
  EXPECT_EQ(presets_.resolve(1, "2048")->id, numeric->id);
  const auto missing = presets_.resolve(1, "Print");
  ASSERT_FALSE(missing);
  EXPECT_EQ(missing.error().field, "preset");
  EXPECT_EQ(missing.error().code, ErrorCode::invalid_request);
  // Another user's preset is no preset at all.
  EXPECT_FALSE(presets_.resolve(2, std::to_string(web->id)));
  EXPECT_FALSE(presets_.resolve(2, "Web"));
}

}  // namespace
}  // namespace imagesprint
