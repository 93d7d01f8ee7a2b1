#pragma once
// ObjectStore on a local folder (the embedded `serve`). Key "jobs/x/in/0" is the file
// <root>/jobs/x/in/0. Writes go to a hidden temporary file in the target's folder, are fsynced,
// then renamed over the target (atomic on POSIX), and the folder is fsynced so the rename
// survives a power cut. Keys are validated by object_key_error() before any path is built, and
// the last path component is opened with O_NOFOLLOW, so no key reaches outside the root.
// Presigned URLs are relative ("<url_prefix><key>?expires=...&signature=...") and checked by
// check_presigned() in the HTTP handler that serves them.
#include <chrono>
#include <filesystem>
#include <functional>
#include <string>

#include "adapters/localfs/url_signer.hpp"
#include "domain/field_error.hpp"
#include "ports/object_store.hpp"

namespace imagesprint {

struct LocalObjectStoreConfig {
  static constexpr std::string_view DEFAULT_URL_PREFIX = "/v1/objects/";

  /// The folder holding the objects; created if missing. Required.
  std::filesystem::path root;
  /// Secret for presigned URLs: raw bytes, at least UrlSigner::MIN_KEY_BYTES. Required. Keep it
  /// stable across restarts (URLs handed out stay valid) and apart from other secrets.
  std::string signing_key;
  /// URL path under which the HTTP layer serves presigned requests; starts and ends with '/'.
  std::string url_prefix = std::string(DEFAULT_URL_PREFIX);
  /// Milliseconds since the Unix epoch; empty: the system clock. Tests move time by hand.
  std::function<UnixMillis()> clock;

  /// Every bad setting, each by its name (the constructor refuses them all at once).
  FieldErrors validate() const;
};

class LocalObjectStore final : public ObjectStore {
 public:
  /// Validates the config and creates the root folder (StorageError if it cannot).
  explicit LocalObjectStore(LocalObjectStoreConfig config);

  ObjectInfo put(std::string_view key, std::span<const std::uint8_t> bytes) override;
  std::unique_ptr<ObjectWriter> open_writer(std::string_view key) override;
  std::optional<std::vector<std::uint8_t>> get(std::string_view key) override;
  std::unique_ptr<ObjectReader> open_reader(std::string_view key) override;
  std::optional<ObjectInfo> stat(std::string_view key) override;
  bool remove(std::string_view key) override;
  std::size_t remove_prefix(std::string_view prefix) override;
  std::vector<ObjectInfo> list(std::string_view prefix) override;
  PresignedUrl presign(PresignMethod method, std::string_view key,
                       std::chrono::seconds ttl) override;

  /// Checks a request for a URL from presign(): `key` is the path after url_prefix, `expires`
  /// and `signature` the query values, `method` the request's own method.
  SignatureCheck check_presigned(PresignMethod method, std::string_view key,
                                 std::string_view expires,
                                 std::string_view signature) const override;

  /// Deletes temporary files older than `age` that a crash left behind; returns how many. For
  /// start-up or the janitor (a younger one may belong to a write in progress).
  std::size_t remove_stale_temporaries(std::chrono::seconds age);

  const std::filesystem::path& root() const { return root_; }

 private:
  std::filesystem::path path_of(std::string_view key) const;  // validates
  void prune_empty_folders(std::filesystem::path folder) const;
  UnixMillis now() const;

  LocalObjectStoreConfig config_;
  std::filesystem::path root_;
  UrlSigner signer_;
};

}  // namespace imagesprint
