#include "domain/options_json.hpp"

#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

namespace imagesprint {
namespace {

using nlohmann::json;

ConversionOptions ok(const json& j) {
  auto parsed = parse_options(j);
  EXPECT_TRUE(parsed.ok()) << j.dump() << " -> " << (parsed.ok() ? "" : parsed.error().message);
  return parsed.ok() ? parsed.value() : ConversionOptions{};
}

/// Asserts the options are refused with an error on `field`, and returns the message.
std::string refused(const json& j, const std::string& field) {
  auto parsed = parse_options(j);
  EXPECT_FALSE(parsed.ok()) << j.dump() << " was accepted";
  if (parsed.ok()) return "";
  EXPECT_EQ(parsed.error().code, ErrorCode::invalid_option);
  EXPECT_EQ(parsed.error().field, field) << parsed.error().message;
  EXPECT_NE(parsed.error().message.find(field), std::string::npos) << parsed.error().message;
  return parsed.error().message;
}

TEST(OptionsJson, EmptyObjectGivesDefaults) {
  const ConversionOptions o = ok(json::object());
  EXPECT_EQ(o, ConversionOptions{});
  EXPECT_EQ(o.format, OutputFormat::original);
  EXPECT_EQ(o.quality, 80);
  EXPECT_EQ(o.fit, Fit::contain);
  EXPECT_EQ(o.metadata, MetadataPolicy::strip);
  EXPECT_EQ(o.watermark.kind, WatermarkKind::none);
  EXPECT_DOUBLE_EQ(o.timeout_seconds, 30.0);
  EXPECT_TRUE(parse_options(std::string_view("")).ok());
}

TEST(OptionsJson, EveryFieldIsRead) {
  const ConversionOptions o = ok(json::parse(R"({
    "width": 800, "height": 600, "fit": "cover", "gravity": "attention", "enlarge": true,
    "format": "webp", "quality": 65, "lossless": true, "progressive": true, "palette": true,
    "effort": 5, "max_bytes": 100000, "metadata": "copyright", "background": "#102030",
    "timeout_seconds": 12.5,
    "watermark": {"type": "text", "text": "안녕 ImageSprint", "position": "TOP_LEFT",
                  "opacity": 0.25, "size": 0.5, "color": "#ff000080", "margin": 0.1, "tile": true}
  })"));
  EXPECT_EQ(o.width, 800);
  EXPECT_EQ(o.height, 600);
  EXPECT_EQ(o.fit, Fit::cover);
  EXPECT_EQ(o.gravity, Gravity::attention);
  EXPECT_TRUE(o.enlarge);
  EXPECT_EQ(o.format, OutputFormat::webp);
  EXPECT_EQ(o.quality, 65);
  EXPECT_TRUE(o.lossless);
  EXPECT_TRUE(o.progressive);
  EXPECT_TRUE(o.palette);
  EXPECT_EQ(o.effort, 5);
  EXPECT_EQ(o.max_bytes, 100000);
  EXPECT_EQ(o.metadata, MetadataPolicy::copyright);
  EXPECT_EQ(o.background, (Rgba{0x10, 0x20, 0x30, 255}));
  EXPECT_DOUBLE_EQ(o.timeout_seconds, 12.5);
  EXPECT_EQ(o.watermark.kind, WatermarkKind::text);
  EXPECT_EQ(o.watermark.text, "안녕 ImageSprint");
  EXPECT_EQ(o.watermark.position, Position::top_left);
  EXPECT_DOUBLE_EQ(o.watermark.opacity, 0.25);
  EXPECT_DOUBLE_EQ(o.watermark.size, 0.5);
  EXPECT_EQ(o.watermark.color, (Rgba{255, 0, 0, 0x80}));
  EXPECT_DOUBLE_EQ(o.watermark.margin, 0.1);
  EXPECT_TRUE(o.watermark.tile);
}

TEST(OptionsJson, RoundTripsThroughJson) {
  const ConversionOptions o = ok(json::parse(R"({
    "width": 320, "fit": "fill", "format": "avif", "quality": 50, "effort": 3, "metadata": "keep",
    "watermark": {"type": "image", "position": "CENTER", "opacity": 1, "size": 0.3, "tile": true}
  })"));
  EXPECT_EQ(ok(to_json(o)), o);
  const ConversionOptions defaults;
  EXPECT_EQ(ok(to_json(defaults)), defaults);
  EXPECT_EQ(ok(json::parse(to_json(o).dump())), o);
}

TEST(OptionsJson, NamesAreForgiving) {
  EXPECT_EQ(ok({{"format", "JPG"}}).format, OutputFormat::jpeg);
  EXPECT_EQ(ok({{"format", "tif"}}).format, OutputFormat::tiff);
  EXPECT_EQ(ok({{"watermark", {{"text", "x"}, {"position", "bottom-right"}}}}).watermark.position,
            Position::bottom_right);
  EXPECT_EQ(ok({{"watermark", {{"text", "x"}, {"position", "MIDDLE_CENTER"}}}}).watermark.position,
            Position::center);
  EXPECT_EQ(ok({{"gravity", "center"}}).gravity, Gravity::centre);
  // A watermark with a text and no type is a text watermark.
  EXPECT_EQ(ok({{"watermark", {{"text", "x"}}}}).watermark.kind, WatermarkKind::text);
}

TEST(OptionsJson, SeedKeepRatioMapsToFit) {
  EXPECT_EQ(ok({{"keep_ratio", true}}).fit, Fit::contain);
  EXPECT_EQ(ok({{"keep_ratio", false}}).fit, Fit::fill);
  EXPECT_EQ(ok({{"keep_ratio", false}, {"fit", "cover"}}).fit, Fit::cover);
  refused({{"keep_ratio", "yes"}}, "keep_ratio");
}

TEST(OptionsJson, BadValuesNameTheirField) {
  refused({{"width", 0}}, "width");
  refused({{"width", -5}}, "width");
  refused({{"width", 16385}}, "width");
  refused({{"width", 12.5}}, "width");
  refused({{"width", "800"}}, "width");
  refused({{"height", 0}}, "height");
  refused({{"height", true}}, "height");
  refused({{"fit", "stretch"}}, "fit");
  refused({{"fit", 1}}, "fit");
  refused({{"gravity", "up"}}, "gravity");
  refused({{"enlarge", "true"}}, "enlarge");
  refused({{"format", "heic"}}, "format");
  refused({{"format", "svg"}}, "format");
  refused({{"quality", 0}}, "quality");
  refused({{"quality", 101}}, "quality");
  refused({{"quality", "high"}}, "quality");
  refused({{"lossless", 1}}, "lossless");
  refused({{"progressive", "no"}}, "progressive");
  refused({{"palette", nullptr}}, "palette");
  refused({{"format", "webp"}, {"effort", 7}}, "effort");
  refused({{"format", "avif"}, {"effort", 10}}, "effort");
  refused({{"format", "png"}, {"effort", 0}}, "effort");
  refused({{"effort", -1}}, "effort");
  refused({{"max_bytes", 10}}, "max_bytes");
  refused({{"max_bytes", "1MB"}}, "max_bytes");
  refused({{"metadata", "all"}}, "metadata");
  refused({{"background", "white"}}, "background");
  refused({{"background", "#12345"}}, "background");
  refused({{"background", "#gggggg"}}, "background");
  refused({{"timeout_seconds", 0}}, "timeout_seconds");
  refused({{"timeout_seconds", 301}}, "timeout_seconds");
  refused({{"watermark", "text"}}, "watermark");
  refused({{"watermark", {{"type", "logo"}}}}, "watermark.type");
  refused({{"watermark", {{"type", "text"}}}}, "watermark.text");
  refused({{"watermark", {{"type", "text"}, {"text", "   "}}}}, "watermark.text");
  refused({{"watermark", {{"text", 5}}}}, "watermark.text");
  refused({{"watermark", {{"text", std::string(501, 'a')}}}}, "watermark.text");
  refused({{"watermark", {{"text", "x"}, {"position", "TOP"}}}}, "watermark.position");
  refused({{"watermark", {{"text", "x"}, {"opacity", 1.5}}}}, "watermark.opacity");
  refused({{"watermark", {{"text", "x"}, {"opacity", -0.1}}}}, "watermark.opacity");
  refused({{"watermark", {{"text", "x"}, {"size", 0}}}}, "watermark.size");
  refused({{"watermark", {{"text", "x"}, {"size", 2}}}}, "watermark.size");
  refused({{"watermark", {{"text", "x"}, {"color", "red"}}}}, "watermark.color");
  refused({{"watermark", {{"text", "x"}, {"margin", 0.5}}}}, "watermark.margin");
  refused({{"watermark", {{"text", "x"}, {"tile", "yes"}}}}, "watermark.tile");
  refused({{"watermark", {{"text", "x"}, {"font", "Arial"}}}}, "watermark.font");
}

TEST(OptionsJson, PageIsAZeroBasedIndex) {
  EXPECT_EQ(ok(json::object()).page, std::nullopt);
  EXPECT_EQ(ok({{"page", 0}}).page, 0);
  EXPECT_EQ(ok({{"page", 3}}).page, 3);
  EXPECT_EQ(ok({{"page", nullptr}}).page, std::nullopt);
  EXPECT_EQ(ok({{"page", ConversionOptions::MAX_PAGE}}).page, ConversionOptions::MAX_PAGE);
  const ConversionOptions o = ok({{"page", 2}, {"format", "webp"}});
  EXPECT_EQ(to_json(o)["page"], 2);
  EXPECT_EQ(ok(to_json(o)), o);
  EXPECT_FALSE(to_json(ConversionOptions{}).contains("page"));
  refused({{"page", -1}}, "page");
  refused({{"page", 1.5}}, "page");
  refused({{"page", "1"}}, "page");
  refused({{"page", ConversionOptions::MAX_PAGE + 1}}, "page");
  const std::string m = refused({{"page", -1}}, "page");
  EXPECT_NE(m.find("an integer from 0 to 65535"), std::string::npos) << m;
}

TEST(OptionsJson, MessagesSayWhatWasExpectedAndGiven) {
  const std::string m = refused({{"quality", 150}}, "quality");
  EXPECT_NE(m.find("1 to 100"), std::string::npos) << m;
  EXPECT_NE(m.find("150"), std::string::npos) << m;
}

TEST(OptionsJson, UnknownKeysAreRefused) {
  refused({{"widht", 100}}, "widht");
  refused({{"colour", "#fff"}}, "colour");
}

TEST(OptionsJson, MalformedTextIsAnOptionsError) {
  auto parsed = parse_options(std::string_view("{\"width\": "));
  ASSERT_FALSE(parsed.ok());
  EXPECT_EQ(parsed.error().field, "options");
  auto not_object = parse_options(std::string_view("[1,2]"));
  ASSERT_FALSE(not_object.ok());
  EXPECT_EQ(not_object.error().field, "options");
}

}  // namespace
}  // namespace imagesprint

namespace imagesprint {
namespace {

TEST(OptionsJson, ManifestIsOnByDefaultAndSurvivesTheRoundTrip) {
  EXPECT_TRUE(ok(json::object()).manifest);
  const ConversionOptions off = ok({{"manifest", false}});
  EXPECT_FALSE(off.manifest);
  EXPECT_EQ(to_json(off)["manifest"], false);
  EXPECT_EQ(ok(to_json(off)), off);
  EXPECT_EQ(to_json(ConversionOptions{})["manifest"], true);
  refused({{"manifest", "no"}}, "manifest");
  refused({{"manifest", 0}}, "manifest");
}

}  // namespace
}  // namespace imagesprint
