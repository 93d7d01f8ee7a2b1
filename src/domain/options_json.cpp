#include "domain/options_json.hpp"

#include <algorithm>
#include <array>
#include <cctype>
#include <cmath>
#include <cstdio>
#include <nlohmann/json.hpp>
#include <set>
#include <string>
#include <utility>

#include "domain/json_text.hpp"
#include "domain/untrusted_text.hpp"

namespace imagesprint {
namespace {

using nlohmann::json;

/// Thrown inside this file only; parse_options turns it into an Error.
struct FieldError {
  std::string field;
  std::string message;
};

/// What the client gave, for an error message: never the whole value (it may be huge, or invalid
/// UTF-8), only its kind or a short valid prefix of it.
std::string shown(const json& value) {
  if (value.is_string()) return quote_prefix(value.get_ref<const std::string&>());
  if (value.is_array()) return "an array";
  if (value.is_object()) return "an object";
  return value.dump();  // a number, a boolean or null: short and ASCII
}

[[noreturn]] void fail(const std::string& field, const std::string& expected, const json& given) {
  throw FieldError{field, field + ": expected " + expected + ", got " + shown(given)};
}

std::string normalised(std::string s) {
  std::transform(s.begin(), s.end(), s.begin(), [](unsigned char c) {
    return c == '-' ? '_' : static_cast<char>(std::tolower(c));
  });
  return s;
}

template <typename Enum, std::size_t N>
Enum parse_enum(const json& value, const std::string& field,
                const std::array<std::pair<const char*, Enum>, N>& names, const std::string& list) {
  if (value.is_string()) {
    const std::string key = normalised(value.get<std::string>());
    for (const auto& [name, e] : names) {
      if (key == name) return e;
    }
  }
  fail(field, "one of " + list, value);
}

int parse_int(const json& value, const std::string& field, int lo, int hi) {
  if (value.is_number_integer()) {
    const auto v = value.get<std::int64_t>();
    if (v >= lo && v <= hi) return static_cast<int>(v);
  }
  fail(field, "an integer from " + std::to_string(lo) + " to " + std::to_string(hi), value);
}

double parse_number(const json& value, const std::string& field, double lo, double hi, bool lo_open,
                    const std::string& range) {
  if (value.is_number()) {
    const double v = value.get<double>();
    if (std::isfinite(v) && (lo_open ? v > lo : v >= lo) && v <= hi) return v;
  }
  fail(field, "a number " + range, value);
}

bool parse_bool(const json& value, const std::string& field) {
  if (!value.is_boolean()) fail(field, "true or false", value);
  return value.get<bool>();
}

Rgba parse_color(const json& value, const std::string& field) {
  if (value.is_string()) {
    const std::string s = value.get<std::string>();
    const bool hex =
        s.size() > 1 && s[0] == '#' &&
        std::all_of(s.begin() + 1, s.end(), [](unsigned char c) { return std::isxdigit(c); });
    if (hex && (s.size() == 7 || s.size() == 9)) {
      auto byte = [&](std::size_t at) {
        return static_cast<std::uint8_t>(std::stoi(s.substr(at, 2), nullptr, 16));
      };
      return Rgba{byte(1), byte(3), byte(5), s.size() == 9 ? byte(7) : std::uint8_t{255}};
    }
  }
  fail(field, "a colour \"#rrggbb\" or \"#rrggbbaa\"", value);
}

void refuse_unknown_keys(const json& object, const std::string& prefix,
                         const std::set<std::string>& known) {
  for (const auto& [key, value] : object.items()) {
    if (!known.contains(key)) {
      // The key is the client's: cut and made valid before it goes into the error.
      const std::string name = prefix + cut_code_points(key, 64);
      throw FieldError{name, name + ": unknown option"};
    }
  }
}

constexpr std::array<std::pair<const char*, Fit>, 5> FITS{{{"contain", Fit::contain},
                                                           {"inside", Fit::inside},
                                                           {"fill", Fit::fill},
                                                           {"cover", Fit::cover},
                                                           {"outside", Fit::outside}}};

constexpr std::array<std::pair<const char*, Gravity>, 13> GRAVITIES{{
    {"centre", Gravity::centre},
    {"center", Gravity::centre},
    {"north", Gravity::north},
    {"northeast", Gravity::northeast},
    {"east", Gravity::east},
    {"southeast", Gravity::southeast},
    {"south", Gravity::south},
    {"southwest", Gravity::southwest},
    {"west", Gravity::west},
    {"northwest", Gravity::northwest},
    {"attention", Gravity::attention},
    {"entropy", Gravity::entropy},
    {"smart", Gravity::attention},
}};

constexpr std::array<std::pair<const char*, Position>, 10> POSITIONS{{
    {"top_left", Position::top_left},
    {"top_center", Position::top_center},
    {"top_right", Position::top_right},
    {"middle_left", Position::middle_left},
    {"center", Position::center},
    {"middle_center", Position::center},
    {"middle_right", Position::middle_right},
    {"bottom_left", Position::bottom_left},
    {"bottom_center", Position::bottom_center},
    {"bottom_right", Position::bottom_right},
}};

constexpr std::array<std::pair<const char*, MetadataPolicy>, 3> METADATA{
    {{"strip", MetadataPolicy::strip},
     {"keep", MetadataPolicy::keep},
     {"copyright", MetadataPolicy::copyright}}};

constexpr std::array<std::pair<const char*, WatermarkKind>, 3> WATERMARK_KINDS{
    {{"none", WatermarkKind::none},
     {"text", WatermarkKind::text},
     {"image", WatermarkKind::image}}};

WatermarkOptions parse_watermark(const json& w) {
  const std::string p = "watermark.";
  if (!w.is_object()) fail("watermark", "an object", w);
  refuse_unknown_keys(w, p,
                      {"type", "text", "position", "opacity", "size", "color", "margin", "tile"});
  WatermarkOptions out;
  // The type may be left out: a text makes it a text watermark.
  if (w.contains("type")) {
    out.kind = parse_enum(w["type"], p + "type", WATERMARK_KINDS, "none, text, image");
  } else if (w.contains("text")) {
    out.kind = WatermarkKind::text;
  }
  if (w.contains("text")) {
    const json& t = w["text"];
    if (!t.is_string()) fail(p + "text", "a string", t);
    out.text = t.get<std::string>();
    if (out.text.size() > 500) fail(p + "text", "at most 500 bytes of UTF-8", t);
  }
  if (out.kind == WatermarkKind::text &&
      out.text.find_first_not_of(" \t\r\n") == std::string::npos) {
    fail(p + "text", "a non-empty text for a text watermark", w.value("text", json("")));
  }
  if (w.contains("position")) {
    out.position = parse_enum(w["position"], p + "position", POSITIONS,
                              "TOP_LEFT, TOP_CENTER, TOP_RIGHT, MIDDLE_LEFT, CENTER, MIDDLE_RIGHT, "
                              "BOTTOM_LEFT, BOTTOM_CENTER, BOTTOM_RIGHT");
  }
  if (w.contains("opacity"))
    out.opacity = parse_number(w["opacity"], p + "opacity", 0, 1, false, "from 0 to 1");
  if (w.contains("size"))
    out.size = parse_number(w["size"], p + "size", 0, 1, true, "above 0 and at most 1");
  if (w.contains("color")) out.color = parse_color(w["color"], p + "color");
  if (w.contains("margin"))
    out.margin = parse_number(w["margin"], p + "margin", 0, 0.25, false, "from 0 to 0.25");
  if (w.contains("tile")) out.tile = parse_bool(w["tile"], p + "tile");
  return out;
}

ConversionOptions parse_object(const json& j) {
  if (!j.is_object()) fail("options", "a JSON object", j);
  refuse_unknown_keys(
      j, "",
      {"page", "width", "height", "fit", "keep_ratio", "gravity", "enlarge", "format", "quality",
       "lossless", "progressive", "palette", "effort", "max_bytes", "metadata", "background",
       "watermark", "timeout_seconds", "manifest"});
  ConversionOptions o;
  if (j.contains("page") && !j["page"].is_null())
    o.page = parse_int(j["page"], "page", 0, ConversionOptions::MAX_PAGE);
  constexpr int max_dim = ConversionOptions::MAX_DIMENSION;
  if (j.contains("width") && !j["width"].is_null())
    o.width = parse_int(j["width"], "width", 1, max_dim);
  if (j.contains("height") && !j["height"].is_null())
    o.height = parse_int(j["height"], "height", 1, max_dim);
  if (j.contains("fit")) {
    o.fit = parse_enum(j["fit"], "fit", FITS, "contain, inside, fill, cover, outside");
  } else if (j.contains("keep_ratio")) {
    // The seed's API: keepRatio=true kept the ratio inside the box, false stretched to it.
    o.fit = parse_bool(j["keep_ratio"], "keep_ratio") ? Fit::contain : Fit::fill;
  }
  if (j.contains("gravity")) {
    o.gravity = parse_enum(j["gravity"], "gravity", GRAVITIES,
                           "centre, north, northeast, east, southeast, south, southwest, west, "
                           "northwest, attention, entropy");
  }
  if (j.contains("enlarge")) o.enlarge = parse_bool(j["enlarge"], "enlarge");
  if (j.contains("format")) {
    const json& f = j["format"];
    const auto parsed =
        f.is_string() ? parse_output_format(normalised(f.get<std::string>())) : std::nullopt;
    if (!parsed) fail("format", "one of original, jpeg, png, webp, avif, gif, tiff, bmp", f);
    o.format = *parsed;
  }
  if (j.contains("quality")) o.quality = parse_int(j["quality"], "quality", 1, 100);
  if (j.contains("lossless")) o.lossless = parse_bool(j["lossless"], "lossless");
  if (j.contains("progressive")) o.progressive = parse_bool(j["progressive"], "progressive");
  if (j.contains("palette")) o.palette = parse_bool(j["palette"], "palette");
  if (j.contains("effort") && !j["effort"].is_null()) {
    // The range depends on the encoder; with format "original" it is clamped per image.
    switch (o.format) {
      case OutputFormat::webp:
        o.effort = parse_int(j["effort"], "effort", 0, 6);
        break;
      case OutputFormat::avif:
        o.effort = parse_int(j["effort"], "effort", 0, 9);
        break;
      case OutputFormat::png:
      case OutputFormat::gif:
        o.effort = parse_int(j["effort"], "effort", 1, 10);
        break;
      default:
        o.effort = parse_int(j["effort"], "effort", 0, 10);
        break;
    }
  }
  if (j.contains("max_bytes") && !j["max_bytes"].is_null()) {
    const json& m = j["max_bytes"];
    if (!m.is_number_integer() || m.get<std::int64_t>() < ConversionOptions::MIN_MAX_BYTES) {
      fail("max_bytes",
           "an integer of at least " + std::to_string(ConversionOptions::MIN_MAX_BYTES), m);
    }
    o.max_bytes = m.get<std::int64_t>();
  }
  if (j.contains("metadata")) {
    o.metadata = parse_enum(j["metadata"], "metadata", METADATA, "strip, keep, copyright");
  }
  if (j.contains("background")) o.background = parse_color(j["background"], "background");
  if (j.contains("watermark") && !j["watermark"].is_null()) {
    o.watermark = parse_watermark(j["watermark"]);
    // Settings of a watermark with no type are checked, then dropped: there is nothing to draw,
    // and keeping them would make to_json (which writes no such watermark) lose them.
    if (o.watermark.kind == WatermarkKind::none) o.watermark = WatermarkOptions{};
  }
  if (j.contains("timeout_seconds")) {
    o.timeout_seconds = parse_number(j["timeout_seconds"], "timeout_seconds", 0, 300, true,
                                     "above 0 and at most 300");
  }
  if (j.contains("manifest")) o.manifest = parse_bool(j["manifest"], "manifest");
  return o;
}

template <typename Enum, std::size_t N>
const char* name_of(Enum e, const std::array<std::pair<const char*, Enum>, N>& names) {
  for (const auto& [name, value] : names) {
    if (value == e) return name;
  }
  return "";
}

}  // namespace

Expected<ConversionOptions> parse_options(const json& j) {
  try {
    return parse_object(j);
  } catch (const FieldError& e) {
    return Error{ErrorCode::invalid_option, e.message, e.field, {}, false};
  }
}

Expected<ConversionOptions> parse_options(std::string_view text) {
  auto parsed = parse_untrusted_json(text.empty() ? std::string_view("{}") : text);
  if (!parsed.value) {
    return Error{ErrorCode::invalid_option, "options: " + parsed.error, "options", {}, false};
  }
  return parse_options(*parsed.value);
}

std::string_view to_string(Fit fit) {
  return name_of(fit, FITS);
}
std::string_view to_string(Gravity gravity) {
  return name_of(gravity, GRAVITIES);
}
std::string_view to_string(MetadataPolicy policy) {
  return name_of(policy, METADATA);
}
std::string_view to_string(WatermarkKind kind) {
  return name_of(kind, WATERMARK_KINDS);
}
std::string_view to_string(Position position) {
  switch (position) {
    case Position::top_left:
      return "TOP_LEFT";
    case Position::top_center:
      return "TOP_CENTER";
    case Position::top_right:
      return "TOP_RIGHT";
    case Position::middle_left:
      return "MIDDLE_LEFT";
    case Position::center:
      return "CENTER";
    case Position::middle_right:
      return "MIDDLE_RIGHT";
    case Position::bottom_left:
      return "BOTTOM_LEFT";
    case Position::bottom_center:
      return "BOTTOM_CENTER";
    case Position::bottom_right:
      return "BOTTOM_RIGHT";
  }
  return "BOTTOM_RIGHT";
}

std::string to_hex(Rgba c) {
  char buf[10];
  std::snprintf(buf, sizeof buf, "#%02x%02x%02x%02x", c.r, c.g, c.b, c.a);
  return buf;
}

json to_json(const ConversionOptions& o) {
  json j;
  if (o.page) j["page"] = *o.page;
  if (o.width) j["width"] = *o.width;
  if (o.height) j["height"] = *o.height;
  j["fit"] = to_string(o.fit);
  j["gravity"] = to_string(o.gravity);
  j["enlarge"] = o.enlarge;
  j["format"] = to_string(o.format);
  j["quality"] = o.quality;
  j["lossless"] = o.lossless;
  j["progressive"] = o.progressive;
  j["palette"] = o.palette;
  if (o.effort) j["effort"] = *o.effort;
  if (o.max_bytes) j["max_bytes"] = *o.max_bytes;
  j["metadata"] = to_string(o.metadata);
  j["background"] = to_hex(o.background);
  if (o.watermark.kind != WatermarkKind::none) {
    const auto& w = o.watermark;
    j["watermark"] = {{"type", to_string(w.kind)},
                      {"position", to_string(w.position)},
                      {"opacity", w.opacity},
                      {"size", w.size},
                      {"color", to_hex(w.color)},
                      {"margin", w.margin},
                      {"tile", w.tile}};
    if (!w.text.empty()) j["watermark"]["text"] = w.text;
  }
  j["timeout_seconds"] = o.timeout_seconds;
  j["manifest"] = o.manifest;
  return j;
}

}  // namespace imagesprint
