#include "job_checks.hpp"

#include <archive.h>
#include <archive_entry.h>

#include <chrono>
#include <clocale>
#include <filesystem>
#include <thread>

#include "support/corpus.hpp"

namespace imagesprint::test {

FilePart corpus_file(const std::string& relative) {
  const auto bytes = read_bytes(corpus(relative));
  return {"files", std::filesystem::path(relative).filename().string(),
          std::string(bytes.begin(), bytes.end())};
}

nlohmann::json wait_finished(ServeProcess& server, const std::string& job, const std::string& token,
                             int seconds) {
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(seconds);
  nlohmann::json body;
  while (std::chrono::steady_clock::now() < deadline) {
    const auto answer = server.get("/v1/jobs/" + job, token);
    if (answer.status == 200) {
      body = nlohmann::json::parse(answer.body);
      const std::string status = body["status"];
      if (status != "queued" && status != "processing") return body;
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
  }
  return body;
}

nlohmann::json wait_status(ServeProcess& server, const std::string& job, const std::string& token,
                           const std::string& status, int seconds) {
  nlohmann::json body;
  const auto until = std::chrono::steady_clock::now() + std::chrono::seconds(seconds);
  while (std::chrono::steady_clock::now() < until) {
    body = nlohmann::json::parse(server.get("/v1/jobs/" + job, token).body);
    if (body["status"] == status) break;
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
  }
  return body;
}

std::vector<nlohmann::json> notifications_of(ServeProcess& server, const std::string& token,
                                             const std::string& type, const std::string& language) {
  std::vector<nlohmann::json> found;
  const auto page = nlohmann::json::parse(
      server.get("/v1/notifications?limit=100", token, {"Accept-Language: " + language}).body);
  for (const nlohmann::json& n : page["items"]) {
    if (n["type"] == type) found.push_back(n);
  }
  return found;
}

std::vector<nlohmann::json> wait_notifications(ServeProcess& server, const std::string& token,
                                               const std::string& type, int seconds) {
  const auto until = std::chrono::steady_clock::now() + std::chrono::seconds(seconds);
  std::vector<nlohmann::json> found = notifications_of(server, token, type);
  while (found.empty() && std::chrono::steady_clock::now() < until) {
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
    found = notifications_of(server, token, type);
  }
  return found;
}

std::map<std::string, std::size_t> zip_entries(const std::string& zip) {
  std::setlocale(LC_CTYPE, "C.UTF-8");
  std::map<std::string, std::size_t> out;
  archive* a = archive_read_new();
  archive_read_support_format_zip(a);
  if (archive_read_open_memory(a, zip.data(), zip.size()) == ARCHIVE_OK) {
    archive_entry* e = nullptr;
    while (archive_read_next_header(a, &e) == ARCHIVE_OK)
      out[archive_entry_pathname_utf8(e)] = static_cast<std::size_t>(archive_entry_size(e));
  }
  archive_read_free(a);
  return out;
}

}  // namespace imagesprint::test
