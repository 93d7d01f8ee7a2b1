#include "main/settings/account_settings.hpp"

#include <array>

namespace imagesprint {
namespace {

using Field = SettingField<AccountSettings>;

const std::array FIELDS{
    Field{.name = "session_ttl",
          .help = "Seconds a login session lasts",
          .member = &AccountSettings::session_ttl,
          .min = 60},
    Field{.name = "login_attempts_per_minute",
          .help = "Login attempts per minute per email/address",
          .member = &AccountSettings::login_attempts_per_minute,
          .min = 1},
};

}  // namespace

std::span<const SettingField<AccountSettings>> AccountSettings::fields() {
  return FIELDS;
}

}  // namespace imagesprint
