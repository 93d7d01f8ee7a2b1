#include "main/service_config.hpp"

#include <algorithm>
#include <cctype>
#include <stdexcept>
#include <type_traits>
#include <variant>

#include <toml++/toml.h>

namespace imagesprint {
namespace {

std::string flag_name(std::string_view name) {
  std::string flag = "--" + std::string(name);
  std::replace(flag.begin(), flag.end(), '_', '-');
  return flag;
}

std::string environment_name(std::string_view name) {
  std::string env = "IMAGESPRINT_" + std::string(name);
  for (char& c : env) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  return env;
}

/// One option per field of `group`, bound to the group's member; --help shows the default of a
/// default-constructed group (never a secret's, never a value from the environment).
template <typename Group>
void add_group(CLI::App& app, Group& group) {
  static const Group defaults{};  // static: GCC cannot follow a local one through std::visit
  for (const SettingField<Group>& field : Group::fields()) {
    const std::string flag = flag_name(field.name);
    const std::string help(field.help);
    std::visit(
        [&](auto member) {
          using T = std::remove_cvref_t<decltype(group.*member)>;
          CLI::Option* option = nullptr;
          if constexpr (std::is_same_v<T, bool>) {
            // A switch: "--webhook-allow-private" alone turns it on ("=false" turns it off); the
            // environment and the file take true/false.
            option = app.add_flag(flag, group.*member, help);
          } else {
            option = app.add_option(flag, group.*member, help);
          }
          option->envname(environment_name(field.name));
          if (!field.secret) option->default_str(setting_text(defaults.*member));
        },
        field.member);
  }
}

}  // namespace

void add_service_options(CLI::App& app, ServiceConfig& config, std::string& config_file) {
  app.add_option("--config", config_file,
                 "TOML file with settings (keys as the flags, with underscores)")
      ->envname("IMAGESPRINT_CONFIG");
  ServiceConfig::for_each_group(config, [&app](auto& group) { add_group(app, group); });
}

void apply_config_file(CLI::App& app, const std::string& config_file) {
  if (config_file.empty()) return;
  toml::table table;
  try {
    table = toml::parse_file(config_file);
  } catch (const toml::parse_error& e) {
    throw std::invalid_argument("config file " + config_file + ": " + std::string(e.description()));
  }
  for (const auto& [key, node] : table) {
    std::string flag = "--" + std::string(key.str());
    std::replace(flag.begin(), flag.end(), '_', '-');
    CLI::Option* opt = nullptr;
    try {
      opt = app.get_option(flag);
    } catch (const CLI::OptionNotFound&) {
    }
    if (opt == nullptr || flag == "--config") {
      throw std::invalid_argument("config file " + config_file + ": unknown setting " +
                                  std::string(key.str()));
    }
    if (opt->count() > 0) continue;  // a flag or the environment already set it
    std::string text;
    if (const auto* s = node.as_string()) {
      text = s->get();
    } else if (const auto* i = node.as_integer()) {
      text = std::to_string(i->get());
    } else if (const auto* f = node.as_floating_point()) {
      text = std::to_string(f->get());
    } else if (const auto* b = node.as_boolean()) {
      text = b->get() ? "true" : "false";
    } else {
      throw std::invalid_argument("config file " + config_file + ": " + std::string(key.str()) +
                                  ": expected a string, number or boolean");
    }
    try {
      opt->add_result(text);
      opt->run_callback();
    } catch (const CLI::Error& e) {
      throw std::invalid_argument("config file " + config_file + ": " + std::string(key.str()) +
                                  ": " + e.what());
    }
  }
}

FieldErrors ServiceConfig::validate() const {
  FieldErrors errors;
  for_each_group(*this, [&errors](const auto& group) {
    for (FieldError& error : group.validate()) errors.push_back(std::move(error));
  });
  return errors;
}

}  // namespace imagesprint
