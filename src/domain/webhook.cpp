#include "domain/webhook.hpp"

#include <algorithm>

namespace imagesprint {

std::string_view to_string(WebhookType type) {
  switch (type) {
    case WebhookType::slack:
      return "slack";
    case WebhookType::discord:
      return "discord";
    case WebhookType::generic:
      return "generic";
  }
  return "generic";
}

std::optional<WebhookType> parse_webhook_type(std::string_view name) {
  for (auto type : {WebhookType::slack, WebhookType::discord, WebhookType::generic}) {
    if (to_string(type) == name) return type;
  }
  return std::nullopt;
}

bool is_webhook_event(std::string_view name) {
  return std::ranges::find(WEBHOOK_EVENTS, name) != std::end(WEBHOOK_EVENTS);
}

std::string_view to_string(DeliveryStatus status) {
  switch (status) {
    case DeliveryStatus::pending:
      return "pending";
    case DeliveryStatus::delivered:
      return "delivered";
    case DeliveryStatus::failed:
      return "failed";
  }
  return "failed";
}

std::optional<DeliveryStatus> parse_delivery_status(std::string_view name) {
  for (auto status : {DeliveryStatus::pending, DeliveryStatus::delivered, DeliveryStatus::failed}) {
    if (to_string(status) == name) return status;
  }
  return std::nullopt;
}

}  // namespace imagesprint
