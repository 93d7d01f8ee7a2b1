#include "app/notices.hpp"

namespace imagesprint {

namespace {

std::string key_of(const std::string& type, const MessageParams& params) {
  const auto variant = params.find("variant");
  return "notification." + type +
         (variant != params.end() && variant->is_string() ? "." + variant->get<std::string>()
                                                          : std::string());
}

}  // namespace

Notification add_notice(NotificationStore& store, std::int64_t user_id, const std::string& type,
                        const std::string& job_id, const MessageParams& params, UnixMillis now) {
  const std::string message =
      render_message(key_of(type, params), params, Language::en).value_or(type);
  return store.add(user_id, type, job_id, message, now,
                   params.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace));
}

std::string notice_text(const Notification& notification, Language language) {
  if (notification.params.empty()) return notification.message;
  const auto params = nlohmann::json::parse(notification.params, nullptr, false);
  if (params.is_discarded()) return notification.message;
  if (!params.is_object()) return notification.message;
  return render_message(key_of(notification.type, params), params, language)
      .value_or(notification.message);
}

}  // namespace imagesprint
