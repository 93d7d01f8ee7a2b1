#pragma once
// Where a job's bytes live in the ObjectStore. Keys are built here only, from ids we generated,
// never from anything a user sent (file names stay in the records).
#include <cstdint>
#include <string>

namespace imagesprint::object_keys {

inline std::string job_prefix(const std::string& job_id) {
  return "jobs/" + job_id + "/";
}
inline std::string input(const std::string& job_id, int index) {
  return job_prefix(job_id) + "in/" + std::to_string(index);
}
inline std::string output(const std::string& job_id, int index) {
  return job_prefix(job_id) + "out/" + std::to_string(index);
}
inline std::string outputs_prefix(const std::string& job_id) {
  return job_prefix(job_id) + "out/";
}
inline std::string watermark(const std::string& job_id) {
  return job_prefix(job_id) + "watermark";
}
/// A rendered thumbnail: `side` is "in" or "out", `size` its longer side in pixels.
inline std::string thumbnail(const std::string& job_id, const char* side, int index, int size) {
  return job_prefix(job_id) + "thumbs/" + side + "-" + std::to_string(index) + "-" +
         std::to_string(size);
}
inline std::string thumbnails_prefix(const std::string& job_id) {
  return job_prefix(job_id) + "thumbs/";
}
inline std::string archive(const std::string& job_id) {
  return job_prefix(job_id) + "archive.zip";
}

/// The bytes of a resumable upload: one object per PATCH, named by the offset where its bytes
/// start (zero-padded, so that listing the prefix gives them in order).
inline std::string upload_prefix(const std::string& upload_id) {
  return "uploads/" + upload_id + "/";
}
inline std::string upload_part(const std::string& upload_id, std::int64_t offset) {
  std::string digits = std::to_string(offset);
  return upload_prefix(upload_id) + std::string(digits.size() < 15 ? 15 - digits.size() : 0, '0') +
         digits;
}

}  // namespace imagesprint::object_keys
