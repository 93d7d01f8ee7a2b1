#pragma once
// Runs `imagesprint serve` as a child process on 127.0.0.1 with a free port and its own temporary
// data folder, and talks to it over real HTTP (libcurl).
#include <sys/types.h>

#include <filesystem>
#include <map>
#include <optional>
#include <string>
#include <vector>

namespace imagesprint::test {

struct HttpResult {
  long status = 0;
  std::string body;
  std::map<std::string, std::string> headers;  // lower-cased names
};

struct FilePart {
  std::string field;     // "files", "watermark_image"
  std::string filename;  // as sent
  std::string bytes;
};

/// NAME=VALUE lines of a fixture's state file (tests/support/*_server.sh).
std::string state_value(const std::string& file, const std::string& name);

/// A MariaDB database `name` ('-' become '_') on the server of `state_file`, created if missing,
/// as a `database` setting (mysql://...).
std::string mariadb_database(const std::string& state_file, const std::string& name);

class ServeProcess {
 public:
  /// Starts the server with `extra` flags; `data` is reused when given (restart tests).
  /// `role`: "serve", or "api" / "worker" (the distributed roles, on the same settings).
  explicit ServeProcess(std::vector<std::string> extra = {}, std::filesystem::path data = {},
                        std::string role = "serve");
  ~ServeProcess();
  void kill_hard();       // SIGKILL, as a crash
  int stop_gracefully();  // SIGTERM; returns the exit status

  std::string url(const std::string& path) const;
  const std::filesystem::path& data() const { return data_; }

  HttpResult get(const std::string& path, const std::string& token = "",
                 const std::vector<std::string>& headers = {});
  HttpResult post_json(const std::string& path, const std::string& json,
                       const std::string& token = "");
  HttpResult patch_json(const std::string& path, const std::string& json,
                        const std::string& token = "");
  HttpResult put_json(const std::string& path, const std::string& json,
                      const std::string& token = "");
  HttpResult post_multipart(const std::string& path, const std::vector<FilePart>& files,
                            const std::map<std::string, std::string>& fields,
                            const std::string& token, const std::vector<std::string>& headers = {});
  HttpResult del(const std::string& path, const std::string& token);
  /// Any method with these header lines and body (HEAD reads no body; POST and PATCH send
  /// `body` with its Content-Length, also when empty).
  HttpResult send(const std::string& method, const std::string& path, const std::string& token,
                  const std::vector<std::string>& headers = {}, const std::string& body = "");
  /// The port the server listens on (for raw-socket tests).
  int port() const { return port_; }
  /// Reads an SSE stream until `until` appears in it or `seconds` pass; returns what was read.
  std::string read_events(const std::string& path, const std::string& token,
                          const std::string& until, int seconds);

  /// Objects the server stored: files in its local folder, or in the S3 server's folder under
  /// its prefix when it is on S3 (IMAGESPRINT_SERVE_ON).
  int stored_objects() const;
  /// Whether the server runs on `backend` ("redis", "mariadb", "s3") rather than the embedded one.
  static bool on(const std::string& backend);

  /// On Redis (IMAGESPRINT_SERVE_ON), `redis-cli COMMAND...` against it with "{P}" in the
  /// arguments replaced by this server's key prefix, and its output; nullopt when the server
  /// is not on Redis.
  std::optional<std::string> redis(const std::vector<std::string>& command) const;

  /// Signs up and returns the bearer token.
  std::string signup(const std::string& email);

 private:
  std::vector<std::string> extra_;
  std::filesystem::path data_;
  bool own_data_ = false;
  pid_t pid_ = -1;
  int port_ = 0;
};

}  // namespace imagesprint::test
