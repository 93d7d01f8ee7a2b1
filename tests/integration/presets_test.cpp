// Presets and the manifest option against the real `imagesprint serve`: the /v1/presets routes,
// a job that names a preset instead of sending options, and a ZIP without manifest.json.
#include <archive.h>
#include <archive_entry.h>
#include <gtest/gtest.h>

#include <chrono>
#include <clocale>
#include <nlohmann/json.hpp>
#include <set>
#include <thread>

#include "job_checks.hpp"
#include "serve_process.hpp"
#include "support/corpus.hpp"

namespace imagesprint {
namespace {

using nlohmann::json;
using test::FilePart;
using test::HttpResult;
using test::ServeProcess;

json wait_job(ServeProcess& server, const std::string& job, const std::string& token) {
  return test::wait_finished(server, job, token, 120);
}

std::set<std::string> zip_names(const std::string& zip) {
  std::set<std::string> names;
  for (const auto& [name, size] : test::zip_entries(zip)) names.insert(name);
  return names;
}

FilePart photo(const std::string& relative) {
  const auto bytes = test::read_bytes(test::corpus(relative));
  return {"files", std::filesystem::path(relative).filename().string(),
          std::string(bytes.begin(), bytes.end())};
}

std::string field_of(const HttpResult& r) {
  const auto body = json::parse(r.body, nullptr, false);
  if (!body.is_object() || !body.contains("error") || !body["error"].contains("field")) return "";
  return body["error"]["field"];
}

TEST(Presets, CreateListReadChangeDeleteAndOnlyTheOwnersOwn) {
  ServeProcess server({"--max-presets", "3"});
  const std::string alice = server.signup("alice@example.com");
  const std::string bob = server.signup("bob@example.com");

  const auto created = server.post_json(
      "/v1/presets",
      json{{"name", " 웨딩 2048 "}, {"options", {{"width", 2048}, {"format", "webp"}}}}.dump(),
      alice);
  ASSERT_EQ(created.status, 201) << created.body;
  const json preset = json::parse(created.body);
  const std::string id = std::to_string(preset["id"].get<int>());
  EXPECT_EQ(preset["name"], "웨딩 2048");
  EXPECT_EQ(preset["options"]["width"], 2048);
  EXPECT_EQ(preset["options"]["format"], "webp");
  EXPECT_EQ(preset["options"]["quality"], 80);  // kept in canonical form, defaults filled in
  EXPECT_EQ(preset["options"]["manifest"], true);
  EXPECT_TRUE(preset["created_at"].is_string());
  // Location is absolute.
  EXPECT_EQ(created.headers.at("location"), server.url("/v1/presets/" + id));

  auto list = json::parse(server.get("/v1/presets", alice).body);
  ASSERT_EQ(list["items"].size(), 1u);
  EXPECT_EQ(list["items"][0], preset);
  EXPECT_EQ(list["max_presets"], 3);
  EXPECT_EQ(json::parse(server.get("/v1/presets/" + id, alice).body), preset);

  // PATCH renames (the options stay); PUT replaces both.
  auto renamed = server.patch_json("/v1/presets/" + id, R"({"name":"Wedding"})", alice);
  ASSERT_EQ(renamed.status, 200) << renamed.body;
  EXPECT_EQ(json::parse(renamed.body)["name"], "Wedding");
  EXPECT_EQ(json::parse(renamed.body)["options"]["width"], 2048);
  auto replaced =
      server.put_json("/v1/presets/" + id, R"({"name":"Wedding","options":{"quality":60}})", alice);
  ASSERT_EQ(replaced.status, 200) << replaced.body;
  EXPECT_FALSE(json::parse(replaced.body)["options"].contains("width"));
  EXPECT_EQ(json::parse(replaced.body)["options"]["quality"], 60);
  EXPECT_EQ(field_of(server.put_json("/v1/presets/" + id, R"({"name":"x"})", alice)), "options");

  // Refusals name the field (a bad option value is 422 invalid_option, as for a job).
  const auto refused = [&](const json& body, const std::string& field, long status = 400) {
    const auto r = server.post_json("/v1/presets", body.dump(), alice);
    EXPECT_EQ(r.status, status) << body.dump() << " " << r.body;
    EXPECT_EQ(field_of(r), field) << body.dump() << " " << r.body;
  };
  refused({{"name", "Wedding"}, {"options", json::object()}}, "name", 409);
  refused({{"name", "q"}, {"options", {{"quality", 150}}}}, "options.quality", 422);
  refused({{"name", "q"}, {"options", {{"sharpen", true}}}}, "options.sharpen", 422);
  refused({{"name", "q"}, {"options", "width=100"}}, "options");
  refused({{"name", std::string(101, 'n')}, {"options", json::object()}}, "name");
  refused({{"name", "tab\there"}, {"options", json::object()}}, "name");
  refused({{"name", 7}, {"options", json::object()}}, "name");
  refused({{"options", json::object()}}, "name");
  refused({{"name", "x"}, {"options", json::object()}, {"colour", "red"}}, "colour");
  const auto not_utf8 = server.post_json(
      "/v1/presets", std::string("{\"name\":\"bad \xC3\x28\",\"options\":{}}"), alice);
  EXPECT_EQ(not_utf8.status, 400) << not_utf8.body;

  // Bob sees none of Alice's.
  EXPECT_EQ(server.get("/v1/presets/" + id, bob).status, 404);
  EXPECT_EQ(server.patch_json("/v1/presets/" + id, R"({"name":"mine"})", bob).status, 404);
  EXPECT_EQ(server.put_json("/v1/presets/" + id, R"({"name":"m","options":{}})", bob).status, 404);
  EXPECT_EQ(server.del("/v1/presets/" + id, bob).status, 404);
  EXPECT_EQ(json::parse(server.get("/v1/presets", bob).body)["items"].size(), 0u);
  EXPECT_EQ(server.get("/v1/presets/abc", alice).status, 404);

  // The cap: 429 quota_exceeded naming the setting; deleting one frees a place.
  for (const std::string name : {"Two", "Three"}) {
    ASSERT_EQ(server
                  .post_json("/v1/presets",
                             json{{"name", name}, {"options", json::object()}}.dump(), alice)
                  .status,
              201);
  }
  const auto over = server.post_json("/v1/presets", R"({"name":"Four","options":{}})", alice);
  EXPECT_EQ(over.status, 429) << over.body;
  EXPECT_EQ(json::parse(over.body)["error"]["code"], "quota_exceeded");
  EXPECT_EQ(field_of(over), "max_presets");
  EXPECT_EQ(server.del("/v1/presets/" + id, alice).status, 204);
  EXPECT_EQ(server.get("/v1/presets/" + id, alice).status, 404);
  EXPECT_EQ(server.post_json("/v1/presets", R"({"name":"Four","options":{}})", alice).status, 201);
  // Bob has his own allowance and his own names.
  EXPECT_EQ(server.post_json("/v1/presets", R"({"name":"Four","options":{}})", bob).status, 201);
}

TEST(Presets, AJobNamesAPresetInsteadOfOptions) {
  ServeProcess server;
  const std::string alice = server.signup("alice@example.com");
  const std::string bob = server.signup("bob@example.com");
  const auto created = server.post_json(
      "/v1/presets",
      R"({"name":"Small PNG","options":{"width":320,"format":"png","manifest":false}})", alice);
  ASSERT_EQ(created.status, 201) << created.body;
  const std::string id = std::to_string(json::parse(created.body)["id"].get<int>());

  // By name: the job takes the preset's options, and its ZIP has no manifest.json.
  const auto by_name = server.post_multipart(
      "/v1/jobs", {photo("photos/colorfulcups-2560x1600.jpg")}, {{"preset", "Small PNG"}}, alice);
  ASSERT_EQ(by_name.status, 201) << by_name.body;
  const json job = json::parse(by_name.body);
  EXPECT_EQ(job["options"]["width"], 320);
  EXPECT_EQ(job["options"]["format"], "png");
  EXPECT_EQ(job["options"]["manifest"], false);
  const json finished = wait_job(server, job["id"], alice);
  ASSERT_EQ(finished["status"], "done") << finished.dump();
  EXPECT_EQ(finished["images"][0]["output"]["width"], 320) << finished.dump();
  const auto zip = server.get("/v1/jobs/" + job["id"].get<std::string>() + "/archive", alice);
  ASSERT_EQ(zip.status, 200);
  EXPECT_EQ(zip_names(zip.body), (std::set<std::string>{"colorfulcups-2560x1600.png"}));

  // By id, the same options.
  const auto by_id = server.post_multipart("/v1/jobs", {photo("photos/path-2560x1600.jpg")},
                                           {{"preset", id}}, alice);
  ASSERT_EQ(by_id.status, 201) << by_id.body;
  EXPECT_EQ(json::parse(by_id.body)["options"], job["options"]);
  wait_job(server, json::parse(by_id.body)["id"], alice);

  // Both a preset and options: 400 naming preset, whichever part comes first.
  const auto both = server.post_multipart("/v1/jobs", {photo("photos/path-2560x1600.jpg")},
                                          {{"options", R"({"width":100})"}, {"preset", id}}, alice);
  EXPECT_EQ(both.status, 400) << both.body;
  EXPECT_EQ(field_of(both), "preset");
  // A preset that is not there, or is another user's: 400 naming preset.
  const auto missing = server.post_multipart("/v1/jobs", {photo("photos/path-2560x1600.jpg")},
                                             {{"preset", "Large JPEG"}}, alice);
  EXPECT_EQ(missing.status, 400) << missing.body;
  EXPECT_EQ(field_of(missing), "preset");
  const auto stolen = server.post_multipart("/v1/jobs", {photo("photos/path-2560x1600.jpg")},
                                            {{"preset", id}}, bob);
  EXPECT_EQ(stolen.status, 400) << stolen.body;
  EXPECT_EQ(field_of(stolen), "preset");
}

TEST(Presets, TheManifestIsAnOptionOnByDefault) {
  ServeProcess server;
  const std::string token = server.signup("zip@example.com");
  for (const bool manifest : {true, false}) {
    const json options =
        manifest ? json{{"width", 200}} : json{{"width", 200}, {"manifest", false}};
    const auto created =
        server.post_multipart("/v1/jobs", {photo("photos/eveningglow-2560x1600.jpg")},
                              {{"options", options.dump()}}, token);
    ASSERT_EQ(created.status, 201) << created.body;
    const std::string job = json::parse(created.body)["id"];
    ASSERT_EQ(wait_job(server, job, token)["status"], "done");
    const auto names = zip_names(server.get("/v1/jobs/" + job + "/archive", token).body);
    EXPECT_EQ(names.contains("manifest.json"), manifest);
    EXPECT_TRUE(names.contains("eveningglow-2560x1600.jpg"));
    EXPECT_EQ(names.size(), manifest ? 2u : 1u);
  }
  const auto bad = server.post_multipart("/v1/jobs", {photo("photos/eveningglow-2560x1600.jpg")},
                                         {{"options", R"({"manifest":"no"})"}}, token);
  EXPECT_EQ(bad.status, 422) << bad.body;  // invalid_option, as every option error
  EXPECT_EQ(field_of(bad), "manifest");
}

}  // namespace
}  // namespace imagesprint
