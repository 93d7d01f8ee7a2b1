#pragma once
// Settings of accounts: how long a session lasts and how often one may try to log in.
// Defaults: the use case's own (AccountsConfig).
#include <span>

#include "app/accounts.hpp"
#include "main/settings/setting_field.hpp"

namespace imagesprint {

struct AccountSettings {
  int session_ttl = static_cast<int>(AccountsConfig::DEFAULT_SESSION_TTL.count());  // seconds
  int login_attempts_per_minute = AccountsConfig::DEFAULT_LOGIN_ATTEMPTS_PER_MINUTE;

  static std::span<const SettingField<AccountSettings>> fields();
  FieldErrors validate() const { return check_fields(*this); }
};

}  // namespace imagesprint
