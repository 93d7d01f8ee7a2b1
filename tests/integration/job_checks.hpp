#pragma once
// What the service suites check a job with: a corpus file as an upload part, waiting for a job to
// end, and a ZIP's entries.
#include <map>
#include <nlohmann/json.hpp>
#include <string>

#include "serve_process.hpp"

namespace imagesprint::test {

/// A corpus file (relative to the corpus root) as a "files" part, under its own name.
FilePart corpus_file(const std::string& relative);

/// Polls GET /v1/jobs/{job} until the job leaves queued/processing, or `seconds` pass; the last
/// body read (a poll that is not answered 200, during a fault, is retried).
nlohmann::json wait_finished(ServeProcess& server, const std::string& job, const std::string& token,
                             int seconds = 60);

/// A ZIP's entries (UTF-8 names) and their sizes.
std::map<std::string, std::size_t> zip_entries(const std::string& zip);

}  // namespace imagesprint::test
