#include "adapters/localfs/local_object_store.hpp"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <random>
#include <system_error>
#include <utility>

namespace imagesprint {
namespace fs = std::filesystem;
namespace {

constexpr std::string_view TEMP_PREFIX = ".tmp-";
constexpr int OPEN_ATTEMPTS = 5;

/// Owns a file descriptor; closes it on destruction.
class UniqueFd {
 public:
  explicit UniqueFd(int fd = -1) : fd_(fd) {}
  UniqueFd(UniqueFd&& other) noexcept : fd_(std::exchange(other.fd_, -1)) {}
  UniqueFd& operator=(UniqueFd&& other) noexcept {
    if (this != &other) reset(std::exchange(other.fd_, -1));
    return *this;
  }
  UniqueFd(const UniqueFd&) = delete;
  UniqueFd& operator=(const UniqueFd&) = delete;
  ~UniqueFd() { reset(); }

  int get() const { return fd_; }
  explicit operator bool() const { return fd_ >= 0; }
  void reset(int fd = -1) {
    if (fd_ >= 0) ::close(fd_);
    fd_ = fd;
  }
  /// Closes now and reports the error close() gives (a delayed write error, on some systems).
  int close() { return ::close(std::exchange(fd_, -1)); }

 private:
  int fd_;
};

[[noreturn]] void fail(const std::string& what, std::string_view key, int error) {
  throw StorageError("object store: " + what + " '" + std::string(key) +
                     "': " + std::generic_category().message(error));
}

std::string random_suffix() {
  std::random_device random;
  char text[17];
  std::snprintf(text, sizeof text, "%08x%08x", random(), random());
  return text;
}

UnixMillis millis_of(const struct timespec& t) {
  return static_cast<UnixMillis>(t.tv_sec) * 1000 + t.tv_nsec / 1'000'000;
}

ObjectInfo info_of(std::string_view key, const struct stat& st) {
  char etag[64];
  std::snprintf(etag, sizeof etag, "%llx-%llx-%llx", static_cast<unsigned long long>(st.st_ino),
                static_cast<unsigned long long>(st.st_size),
                static_cast<unsigned long long>(st.st_mtim.tv_sec) * 1'000'000'000ull +
                    static_cast<unsigned long long>(st.st_mtim.tv_nsec));
  return ObjectInfo{std::string(key), static_cast<std::uint64_t>(st.st_size), millis_of(st.st_mtim),
                    etag};
}

/// fsync on a folder makes the renames and unlinks inside it durable. A folder that is gone was
/// emptied and pruned by a concurrent remove(): nothing of ours is left in it to make durable.
void sync_folder(const fs::path& folder, std::string_view key) {
  const UniqueFd fd(::open(folder.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC));
  if (!fd && errno == ENOENT) return;
  if (!fd) fail("cannot open the folder of", key, errno);
  if (::fsync(fd.get()) != 0) fail("cannot sync the folder of", key, errno);
}

class LocalObjectWriter final : public ObjectWriter {
 public:
  LocalObjectWriter(fs::path target, std::string key)
      : target_(std::move(target)), key_(std::move(key)) {
    const fs::path folder = target_.parent_path();
    // A concurrent remove() may prune the folder between its creation and the open: try again.
    for (int attempt = 0; attempt < OPEN_ATTEMPTS && !fd_; ++attempt) {
      std::error_code ec;
      fs::create_directories(folder, ec);
      if (ec == std::errc::no_such_file_or_directory) continue;  // a parent pruned meanwhile
      if (ec) {
        throw StorageError("object store: cannot create the folder of '" + key_ +
                           "' (is a part of the key an object?): " + ec.message());
      }
      temp_ = folder / (std::string(TEMP_PREFIX) + random_suffix());
      fd_.reset(::open(temp_.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0644));
      if (!fd_ && errno != ENOENT) fail("cannot create a temporary file for", key_, errno);
    }
    if (!fd_) fail("cannot create a temporary file for", key_, ENOENT);
  }

  LocalObjectWriter(const LocalObjectWriter&) = delete;
  LocalObjectWriter& operator=(const LocalObjectWriter&) = delete;

  ~LocalObjectWriter() override {
    if (!committed_) {
      fd_.reset();
      ::unlink(temp_.c_str());
    }
  }

  void write(std::span<const std::uint8_t> bytes) override {
    if (committed_ || !fd_) throw std::logic_error("object writer used after commit or failure");
    while (!bytes.empty()) {
      const ssize_t n = ::write(fd_.get(), bytes.data(), bytes.size());
      if (n < 0) {
        if (errno == EINTR) continue;
        const int error = errno;
        fd_.reset();
        fail("cannot write", key_, error);
      }
      bytes = bytes.subspan(static_cast<std::size_t>(n));
    }
  }

  ObjectInfo commit() override {
    if (committed_ || !fd_)
      throw std::logic_error("object writer committed twice or after failure");
    struct stat st {};
    if (::fsync(fd_.get()) != 0) fail("cannot sync", key_, errno);
    if (::fstat(fd_.get(), &st) != 0) fail("cannot stat", key_, errno);
    if (fd_.close() != 0) fail("cannot close", key_, errno);
    if (::rename(temp_.c_str(), target_.c_str()) != 0) {
      const int error = errno;
      ::unlink(temp_.c_str());
      if (error == EISDIR || error == ENOTEMPTY || error == EEXIST) {
        fail("cannot replace (the key is a folder of other objects)", key_, error);
      }
      fail("cannot rename into place", key_, error);
    }
    committed_ = true;
    sync_folder(target_.parent_path(), key_);
    return info_of(key_, st);  // rename keeps the inode, its size and its mtime
  }

 private:
  fs::path target_;
  fs::path temp_;
  std::string key_;
  UniqueFd fd_;
  bool committed_ = false;
};

class LocalObjectReader final : public ObjectReader {
 public:
  LocalObjectReader(UniqueFd fd, ObjectInfo info) : fd_(std::move(fd)), info_(std::move(info)) {}

  const ObjectInfo& info() const override { return info_; }

  std::size_t read_at(std::uint64_t offset, std::span<std::uint8_t> out) override {
    std::size_t total = 0;
    while (total < out.size() && offset + total < info_.size) {
      const ssize_t n = ::pread(fd_.get(), out.data() + total, out.size() - total,
                                static_cast<off_t>(offset + total));
      if (n < 0) {
        if (errno == EINTR) continue;
        fail("cannot read", info_.key, errno);
      }
      if (n == 0) break;
      total += static_cast<std::size_t>(n);
    }
    return total;
  }

 private:
  UniqueFd fd_;
  ObjectInfo info_;
};

bool starts_with(std::string_view text, std::string_view prefix) {
  return text.substr(0, prefix.size()) == prefix;
}

/// Calls `visit(path, key, stat)` for every regular, non-hidden file under `folder` whose key
/// could start with `prefix`; folders that vanish meanwhile are skipped.
template <typename Visit>
void walk(const fs::path& folder, const std::string& folder_key, std::string_view prefix,
          Visit&& visit, bool include_hidden) {
  std::error_code ec;
  fs::directory_iterator it(folder, ec);
  if (ec) return;
  for (; it != fs::directory_iterator(); it.increment(ec)) {
    if (ec) return;
    const std::string name = it->path().filename().string();
    const bool hidden = starts_with(name, ".");
    const std::string key = folder_key.empty() ? name : folder_key + "/" + name;
    struct stat st {};
    if (::lstat(it->path().c_str(), &st) != 0) continue;
    if (S_ISDIR(st.st_mode)) {
      if (hidden) continue;
      const std::string as_folder = key + "/";
      if (starts_with(as_folder, prefix) || starts_with(prefix, as_folder)) {
        walk(it->path(), key, prefix, visit, include_hidden);
      }
    } else if (S_ISREG(st.st_mode) && (hidden ? include_hidden : starts_with(key, prefix))) {
      visit(it->path(), key, st);
    }
  }
}

/// Absolute, normalised, without a trailing slash: "/data/objects/" and "/data/objects" must
/// compare equal, or pruning empty folders could climb past the root.
fs::path normal_root(const fs::path& root) {
  fs::path normal = fs::absolute(root).lexically_normal();
  if (!normal.has_filename() && normal.has_relative_path()) normal = normal.parent_path();
  return normal;
}

}  // namespace

FieldErrors LocalObjectStoreConfig::validate() const {
  FieldErrors errors;
  if (root.empty()) errors.push_back({"objects", "expected a folder for the object store"});
  if (signing_key.size() < UrlSigner::MIN_KEY_BYTES) {
    // The key itself is never quoted.
    errors.push_back({"signing_key", "expected at least " +
                                         std::to_string(UrlSigner::MIN_KEY_BYTES) + " bytes, got " +
                                         std::to_string(signing_key.size())});
  }
  if (url_prefix.empty() || url_prefix.front() != '/' || url_prefix.back() != '/') {
    errors.push_back(
        {"url_prefix", "expected to start and end with '/', got '" + url_prefix + "'"});
  }
  return errors;
}

LocalObjectStore::LocalObjectStore(LocalObjectStoreConfig config)
    : config_((refuse(config.validate()), std::move(config))),
      root_(normal_root(config_.root)),
      signer_(config_.signing_key) {
  std::error_code ec;
  fs::create_directories(root_, ec);
  if (ec || !fs::is_directory(root_)) {
    throw StorageError("object store: cannot create the root folder '" + root_.string() +
                       "': " + ec.message());
  }
}

UnixMillis LocalObjectStore::now() const {
  if (config_.clock) return config_.clock();
  return std::chrono::duration_cast<std::chrono::milliseconds>(
             std::chrono::system_clock::now().time_since_epoch())
      .count();
}

fs::path LocalObjectStore::path_of(std::string_view key) const {
  if (auto error = object_key_error(key)) throw InvalidObjectKey(*error);
  return root_ / fs::path(std::string(key));
}

ObjectInfo LocalObjectStore::put(std::string_view key, std::span<const std::uint8_t> bytes) {
  const auto writer = open_writer(key);
  writer->write(bytes);
  return writer->commit();
}

std::unique_ptr<ObjectWriter> LocalObjectStore::open_writer(std::string_view key) {
  return std::make_unique<LocalObjectWriter>(path_of(key), std::string(key));
}

std::unique_ptr<ObjectReader> LocalObjectStore::open_reader(std::string_view key) {
  const fs::path path = path_of(key);
  // O_NOFOLLOW: a symbolic link planted in the folder is refused, not followed out of the root.
  UniqueFd fd(::open(path.c_str(), O_RDONLY | O_CLOEXEC | O_NOFOLLOW));
  if (!fd) {
    if (errno == ENOENT || errno == ENOTDIR) return nullptr;
    fail("cannot open", key, errno);
  }
  struct stat st {};
  if (::fstat(fd.get(), &st) != 0) fail("cannot stat", key, errno);
  if (!S_ISREG(st.st_mode)) return nullptr;  // a folder of other objects is not an object
  return std::make_unique<LocalObjectReader>(std::move(fd), info_of(key, st));
}

std::optional<std::vector<std::uint8_t>> LocalObjectStore::get(std::string_view key) {
  const auto reader = open_reader(key);
  if (!reader) return std::nullopt;
  std::vector<std::uint8_t> bytes(reader->info().size);
  bytes.resize(reader->read_at(0, bytes));
  return bytes;
}

std::optional<ObjectInfo> LocalObjectStore::stat(std::string_view key) {
  const fs::path path = path_of(key);
  struct stat st {};
  if (::lstat(path.c_str(), &st) != 0) {
    if (errno == ENOENT || errno == ENOTDIR) return std::nullopt;
    fail("cannot stat", key, errno);
  }
  if (S_ISLNK(st.st_mode)) fail("refusing a symbolic link at", key, ELOOP);
  if (!S_ISREG(st.st_mode)) return std::nullopt;
  return info_of(key, st);
}

bool LocalObjectStore::remove(std::string_view key) {
  const fs::path path = path_of(key);
  if (::unlink(path.c_str()) != 0) {
    if (errno == ENOENT || errno == ENOTDIR || errno == EISDIR) return false;
    fail("cannot delete", key, errno);
  }
  sync_folder(path.parent_path(), key);
  prune_empty_folders(path.parent_path());
  return true;
}

std::size_t LocalObjectStore::remove_prefix(std::string_view prefix) {
  if (prefix.empty()) throw InvalidObjectKey("object key prefix must not be empty to delete");
  std::size_t removed = 0;
  for (const ObjectInfo& object : list(prefix)) {
    if (remove(object.key)) ++removed;
  }
  // Writes in progress in the folders the prefix covers whole go too: their process died (an
  // abandoned upload), or their commit now fails rather than bringing an object back into a
  // prefix that was removed (a job deleted while a worker writes its output). A prefix that
  // cuts a name short ("in/1" of "in/10") covers no folder whole, so it touches none.
  const auto slash = prefix.rfind('/');
  const std::string folder_key(slash == std::string_view::npos ? "" : prefix.substr(0, slash));
  std::vector<fs::path> temporaries;
  walk(
      folder_key.empty() ? root_ : root_ / folder_key, folder_key, prefix,
      [&](const fs::path& path, const std::string& key, const struct stat&) {
        if (starts_with(path.filename().string(), TEMP_PREFIX) &&
            starts_with(key.substr(0, key.rfind('/') + 1), prefix)) {
          temporaries.push_back(path);
        }
      },
      true);
  for (const fs::path& temporary : temporaries) {
    if (::unlink(temporary.c_str()) == 0) prune_empty_folders(temporary.parent_path());
  }
  return removed;
}

std::vector<ObjectInfo> LocalObjectStore::list(std::string_view prefix) {
  if (auto error = object_prefix_error(prefix)) throw InvalidObjectKey(*error);
  // Start at the deepest folder the prefix names in full.
  const auto slash = prefix.rfind('/');
  const std::string folder_key(slash == std::string_view::npos ? "" : prefix.substr(0, slash));
  const fs::path folder = folder_key.empty() ? root_ : root_ / folder_key;
  std::vector<ObjectInfo> objects;
  walk(
      folder, folder_key, prefix,
      [&](const fs::path&, const std::string& key, const struct stat& st) {
        objects.push_back(info_of(key, st));
      },
      false);
  std::sort(objects.begin(), objects.end(),
            [](const ObjectInfo& a, const ObjectInfo& b) { return a.key < b.key; });
  return objects;
}

PresignedUrl LocalObjectStore::presign(PresignMethod method, std::string_view key,
                                       std::chrono::seconds ttl) {
  if (auto error = object_key_error(key)) throw InvalidObjectKey(*error);
  if (ttl < std::chrono::seconds(1) || ttl > MAX_PRESIGN_TTL) {
    throw std::invalid_argument("presigned URL lifetime must be 1 to " +
                                std::to_string(MAX_PRESIGN_TTL.count()) + " seconds, got " +
                                std::to_string(ttl.count()));
  }
  const std::int64_t expires = now() / 1000 + ttl.count();
  PresignedUrl url;
  // Valid keys need no percent-encoding: they are made of URL-safe characters only.
  url.url = config_.url_prefix + std::string(key) + "?expires=" + std::to_string(expires) +
            "&signature=" + signer_.sign(method, key, expires);
  url.relative = true;
  url.expires_at = expires * 1000;
  return url;
}

SignatureCheck LocalObjectStore::check_presigned(PresignMethod method, std::string_view key,
                                                 std::string_view expires,
                                                 std::string_view signature) const {
  if (object_key_error(key)) return SignatureCheck::malformed;
  return signer_.verify(method, key, expires, signature, now() / 1000);
}

std::size_t LocalObjectStore::remove_stale_temporaries(std::chrono::seconds age) {
  const UnixMillis cutoff =
      now() - std::chrono::duration_cast<std::chrono::milliseconds>(age).count();
  std::size_t removed = 0;
  walk(
      root_, "", "",
      [&](const fs::path& path, const std::string&, const struct stat& st) {
        if (starts_with(path.filename().string(), TEMP_PREFIX) && millis_of(st.st_mtim) < cutoff &&
            ::unlink(path.c_str()) == 0) {
          ++removed;
        }
      },
      true);
  return removed;
}

void LocalObjectStore::prune_empty_folders(fs::path folder) const {
  // rmdir only ever removes an empty folder, so a concurrent writer loses nothing: at worst its
  // open fails with ENOENT and it creates the folder again (see LocalObjectWriter).
  while (folder != root_ && starts_with(folder.native(), root_.native()) &&
         ::rmdir(folder.c_str()) == 0) {
    folder = folder.parent_path();
  }
}

}  // namespace imagesprint
