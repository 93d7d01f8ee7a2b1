#pragma once
// Adds an in-app notification as its type (the catalogue key "notification.<type>", or
// "notification.<type>.<variant>" when the parameters carry a "variant") and parameters; the
// English text is rendered once for the record, each reader gets their own language from the same
// type and parameters (notification_json).
#include <cstdint>
#include <string>

#include "domain/messages.hpp"
#include "ports/notification_store.hpp"

namespace imagesprint {

Notification add_notice(NotificationStore& store, std::int64_t user_id, const std::string& type,
                        const std::string& job_id, const MessageParams& params, UnixMillis now);

/// The text of a stored notification in `language`: from its type and parameters, or, for a
/// record without parameters (written before they were kept), its stored English message.
std::string notice_text(const Notification& notification, Language language);

}  // namespace imagesprint
