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
