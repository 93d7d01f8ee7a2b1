#pragma once
// What the service suites check a job with: a corpus file as an upload part, waiting for a job to
// end or reach a status, the user's notifications, and a ZIP's entries.
#include <map>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "serve_process.hpp"

namespace imagesprint::test {

/// A corpus file (relative to the corpus root) as a "files" part, under its own name.
FilePart corpus_file(const std::string& relative);

/// Polls GET /v1/jobs/{job} until the job leaves queued/processing, or `seconds` pass; the last
/// body read (a poll that is not answered 200, during a fault, is retried).
nlohmann::json wait_finished(ServeProcess& server, const std::string& job, const std::string& token,
                             int seconds = 60);

/// Polls GET /v1/jobs/{job} until the job is `status` (a janitor's sweep, say), or `seconds`
/// pass; the last body read.
nlohmann::json wait_status(ServeProcess& server, const std::string& job, const std::string& token,
                           const std::string& status, int seconds = 60);

/// The user's notifications of `type` (from the newest 100), in the reader's `language`.
std::vector<nlohmann::json> notifications_of(ServeProcess& server, const std::string& token,
                                             const std::string& type,
                                             const std::string& language = "en");

/// notifications_of, once there is one of `type` or `seconds` have passed: the janitor marks a
/// job expired and then adds its notice, so a reader can see the status a moment before the
/// notice.
std::vector<nlohmann::json> wait_notifications(ServeProcess& server, const std::string& token,
                                               const std::string& type, int seconds = 30);

/// A ZIP's entries (UTF-8 names) and their sizes.
std::map<std::string, std::size_t> zip_entries(const std::string& zip);

}  // namespace imagesprint::test
