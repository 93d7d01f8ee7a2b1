#pragma once
// The descriptor of one setting, and the check of a group's settings against their descriptors.
// Each group of settings (HttpSettings, WorkSettings ...) lists its fields once in a table; the
// flags, the environment names, the TOML keys, the --help lines (with the defaults of a
// default-constructed group) and validate() all come from that table.
#include <cstdint>
#include <limits>
#include <span>
#include <string>
#include <string_view>
#include <type_traits>
#include <variant>

#include "domain/field_error.hpp"

namespace imagesprint {

/// The value of a setting as text: as --help shows a default, and as an error quotes a value.
/// (Out of line: inlined into a visit of a group without text members, GCC's -Warray-bounds
/// follows the string branch that never runs.)
std::string setting_text(bool value);
std::string setting_text(int value);
std::string setting_text(std::int64_t value);
std::string setting_text(double value);
std::string setting_text(const std::string& value);

template <typename Group>
struct SettingField {
  using Member = std::variant<int Group::*, std::int64_t Group::*, double Group::*, bool Group::*,
                              std::string Group::*>;
  static constexpr double NO_LIMIT = std::numeric_limits<double>::infinity();

  /// snake_case: flag --name-with-dashes, environment IMAGESPRINT_NAME, key `name` in the file.
  std::string_view name;
  /// One line for --help (the default is added from the group's default value).
  std::string_view help;
  /// Where the value goes.
  Member member;
  /// Numbers: the smallest and the largest value accepted.
  double min = -NO_LIMIT;
  double max = NO_LIMIT;
  /// What an error says is expected ("HOST:PORT"); empty: made from min and max.
  std::string_view expected = {};
  /// A rule beyond the range (text settings, mostly): whether the group's value is acceptable.
  bool (*accepts)(const Group&) = nullptr;
  /// Never shown: not its default in --help, not its value in an error.
  bool secret = false;

  /// The value this field has in `group`, as text.
  std::string text(const Group& group) const {
    return std::visit([&group](auto m) { return setting_text(group.*m); }, member);
  }

  /// What an error message says is expected.
  std::string expectation() const {
    if (!expected.empty()) return std::string(expected);
    if (max == NO_LIMIT) return "at least " + setting_text(min);
    return setting_text(min) + " to " + setting_text(max);
  }

  /// Whether the group's value is within the range and passes the rule.
  bool holds(const Group& group) const {
    const bool in_range = std::visit(
        [&](auto m) {
          using T = std::remove_cvref_t<decltype(group.*m)>;
          if constexpr (std::is_arithmetic_v<T> && !std::is_same_v<T, bool>) {
            const double value = static_cast<double>(group.*m);
            return value >= min && value <= max;  // NaN is neither
          } else {
            return true;
          }
        },
        member);
    return in_range && (accepts == nullptr || accepts(group));
  }
};

/// Every field of `group` (Group::fields()) that is out of its range or breaks its rule.
template <typename Group>
FieldErrors check_fields(const Group& group) {
  FieldErrors errors;
  for (const SettingField<Group>& field : Group::fields()) {
    if (field.holds(group)) continue;
    std::string message = "expected " + field.expectation();
    if (!field.secret) message += ", got \"" + field.text(group) + "\"";
    errors.push_back({std::string(field.name), std::move(message)});
  }
  return errors;
}

}  // namespace imagesprint
