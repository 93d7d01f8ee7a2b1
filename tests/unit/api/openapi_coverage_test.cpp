// Every route the API registers is in the OpenAPI document (and every documented operation is
// registered), so the document stays true.
#include <gtest/gtest.h>

#include <algorithm>
#include <cctype>
#include <map>
#include <nlohmann/json.hpp>
#include <set>

#include "../adapters/sqlite_records/temp_database.hpp"
#include "adapters/http/api/routes.hpp"
#include "adapters/localfs/local_object_store.hpp"
#include "adapters/memory/in_process_event_bus.hpp"
#include "adapters/prometheus/registry.hpp"
#include "adapters/sodium/sodium_secrets.hpp"
#include "adapters/sql/sql_account_store.hpp"
#include "adapters/sql/sql_job_store.hpp"
#include "adapters/sql/sql_notification_store.hpp"
#include "adapters/sqlite/sqlite_task_queue.hpp"
#include "main/openapi_document.hpp"

namespace imagesprint {
namespace {

TEST(OpenApi, DocumentsEveryRouteAndNothingElse) {
  test::TempDatabase temp;
  SqlJobStore jobs(temp.db());
  SqlAccountStore account_store(temp.db());
  SqlNotificationStore notifications(temp.db());
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

  // "METHOD /path" -> the query parameters it takes (the rest are refused), on each side.
  const auto doc = nlohmann::json::parse(openapi_document());
  std::map<std::string, std::set<std::string>> documented, registered;
  for (const auto& [path, operations] : doc["paths"].items()) {
    for (const auto& [method, operation] : operations.items()) {
      std::string m = method;
      std::transform(m.begin(), m.end(), m.begin(),
                     [](unsigned char c) { return static_cast<char>(std::toupper(c)); });
      auto& names = documented[m + " " + path];
      for (const auto& parameter : operation.value("parameters", nlohmann::json::array())) {
        if (parameter.value("in", "") == "query") names.insert(parameter["name"]);
      }
    }
  }
  for (const http::RouteInfo& route : router.routes()) {
    registered[std::string(boost::beast::http::to_string(route.method)) + " " + route.pattern] =
        std::set<std::string>(route.query.begin(), route.query.end());
  }
  std::size_t with_query = 0;
  for (const auto& [r, query] : registered) {
    const auto doc_entry = documented.find(r);
    if (doc_entry == documented.end()) {
      ADD_FAILURE() << r << " is not in openapi.json";
    } else {
      EXPECT_EQ(query, doc_entry->second) << r;
    }
    with_query += query.empty() ? 0 : 1;
  }
  for (const auto& [d, query] : documented)
    EXPECT_TRUE(registered.contains(d)) << d << " is documented but not served";
  EXPECT_GE(registered.size(), 20u);
  EXPECT_GE(with_query, 5u);
}

// What client generators need (issue 14): every operation has a unique operationId that reads as
// a verb (createJob, streamJobEvents ...), and at least one 4xx answer; every 4xx and 5xx answer
// with a body is the one shared Error schema. (Redocly's lint, `make lint-api`, checks the rest.)
TEST(OpenApi, EveryOperationHasAVerbIdAndSharedErrors) {
  const auto doc = nlohmann::json::parse(openapi_document());
  const std::set<std::string> verbs = {
      "get",  "list", "create", "update", "delete", "cancel",    "retry",   "download", "stream",
      "mark", "sign", "log",    "render", "test",   "redeliver", "replace", "convert"};
  std::set<std::string> ids;
  for (const auto& [path, operations] : doc["paths"].items()) {
    for (const auto& [method, operation] : operations.items()) {
      const std::string where = method + " " + path;
      ASSERT_TRUE(operation.contains("operationId")) << where;
      const std::string id = operation["operationId"];
      EXPECT_TRUE(ids.insert(id).second) << where << ": operationId " << id << " is used twice";
      std::size_t verb_end = 0;
      while (verb_end < id.size() && std::islower(static_cast<unsigned char>(id[verb_end])))
        ++verb_end;
      EXPECT_TRUE(verbs.contains(id.substr(0, verb_end)))
          << where << ": operationId " << id << " does not start with a verb";
      bool has_4xx = false;
      for (const auto& [status, response] : operation["responses"].items()) {
        if (status.empty() || (status[0] != '4' && status[0] != '5')) continue;
        has_4xx = has_4xx || status[0] == '4';
        ASSERT_TRUE(response.contains("content")) << where << " " << status << " has no body";
        for (const auto& [type, media] : response["content"].items()) {
          EXPECT_EQ(type, "application/json") << where << " " << status;
          EXPECT_EQ(media["schema"].value("$ref", ""), "#/components/schemas/Error")
              << where << " " << status << " is not the shared Error schema";
        }
      }
      EXPECT_TRUE(has_4xx) << where << " documents no 4xx answer";
    }
  }
  EXPECT_GE(ids.size(), 20u);
}

}  // namespace
}  // namespace imagesprint
