// Every route the API registers is in the OpenAPI document (and every documented operation is
// registered), so the document stays true.
#include <gtest/gtest.h>

#include <algorithm>
#include <nlohmann/json.hpp>
#include <set>

#include "../adapters/sqlite_records/temp_database.hpp"
#include "adapters/http/api/routes.hpp"
#include "adapters/localfs/local_object_store.hpp"
#include "adapters/memory/in_process_event_bus.hpp"
#include "adapters/sodium/sodium_secrets.hpp"
#include "adapters/sqlite/sqlite_account_store.hpp"
#include "adapters/sqlite/sqlite_job_store.hpp"
#include "adapters/sqlite/sqlite_notification_store.hpp"
#include "adapters/sqlite/sqlite_task_queue.hpp"
#include "main/openapi_document.hpp"

namespace imagesprint {
namespace {

TEST(OpenApi, DocumentsEveryRouteAndNothingElse) {
  test::TempDatabase temp;
  SqliteJobStore jobs(temp.db());
  SqliteAccountStore account_store(temp.db());
  SqliteNotificationStore notifications(temp.db());
  SqliteTaskQueue queue(temp.db());
  LocalObjectStore objects(
      LocalObjectStoreConfig{temp.file().parent_path() / "objects", std::string(32, 'k')});
  InProcessEventBus events;
  SodiumSecrets secrets(PasswordCost{1, 8192});
  Accounts accounts(account_store, secrets, {}, system_now);
  prometheus::Registry metrics;
  api::ApiContext ctx{accounts, jobs,       objects, queue, events, notifications, secrets, metrics,
                      {},       system_now, nullptr, false, ""};
  http::Router router;
  api::add_api_routes(router, ctx);

  const auto doc = nlohmann::json::parse(openapi_document());
  std::set<std::string> documented, registered;
  for (const auto& [path, operations] : doc["paths"].items()) {
    for (const auto& [method, operation] : operations.items()) {
      std::string m = method;
      std::transform(m.begin(), m.end(), m.begin(),
                     [](unsigned char c) { return static_cast<char>(std::toupper(c)); });
      documented.insert(m + " " + path);
    }
  }
  for (const http::RouteInfo& route : router.routes()) {
    registered.insert(std::string(boost::beast::http::to_string(route.method)) + " " +
                      route.pattern);
  }
  for (const auto& r : registered)
    EXPECT_TRUE(documented.contains(r)) << r << " is not in openapi.json";
  for (const auto& d : documented)
    EXPECT_TRUE(registered.contains(d)) << d << " is documented but not served";
  EXPECT_GE(registered.size(), 20u);
}

}  // namespace
}  // namespace imagesprint
