#include "serve_process.hpp"

#include <curl/curl.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <nlohmann/json.hpp>
#include <stdexcept>
#include <thread>

namespace imagesprint::test {
namespace {

std::size_t collect(char* data, std::size_t size, std::size_t n, void* out) {
  static_cast<std::string*>(out)->append(data, size * n);
  return size * n;
}

std::size_t collect_header(char* data, std::size_t size, std::size_t n, void* out) {
  std::string line(data, size * n);
  const auto colon = line.find(':');
  if (colon != std::string::npos) {
    std::string name = line.substr(0, colon);
    for (char& c : name) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    std::string value = line.substr(colon + 1);
    value.erase(0, value.find_first_not_of(' '));
    while (!value.empty() && (value.back() == '\r' || value.back() == '\n')) value.pop_back();
    (*static_cast<std::map<std::string, std::string>*>(out))[name] = value;
  }
  return size * n;
}

struct Curl {
  Curl() : handle(curl_easy_init()) {}
  ~Curl() {
    curl_easy_cleanup(handle);
    curl_slist_free_all(headers);
  }
  void header(const std::string& h) { headers = curl_slist_append(headers, h.c_str()); }
  HttpResult perform() {
    HttpResult r;
    curl_easy_setopt(handle, CURLOPT_HTTPHEADER, headers);
    curl_easy_setopt(handle, CURLOPT_WRITEFUNCTION, collect);
    curl_easy_setopt(handle, CURLOPT_WRITEDATA, &r.body);
    curl_easy_setopt(handle, CURLOPT_HEADERFUNCTION, collect_header);
    curl_easy_setopt(handle, CURLOPT_HEADERDATA, &r.headers);
    curl_easy_setopt(handle, CURLOPT_NOPROXY, "*");
    if (curl_easy_perform(handle) == CURLE_OK)
      curl_easy_getinfo(handle, CURLINFO_RESPONSE_CODE, &r.status);
    return r;
  }
  CURL* handle;
  curl_slist* headers = nullptr;
};

std::string binary() {
  if (const char* env = std::getenv("IMAGESPRINT_BINARY")) return env;
  return IMAGESPRINT_BINARY_PATH;
}

}  // namespace

/// NAME=VALUE lines of a fixture's state file (tests/support/*_server.sh).
std::string state_value(const std::string& file, const std::string& name) {
  std::ifstream in(file);
  std::string line;
  while (std::getline(in, line)) {
    if (line.starts_with(name + "=")) return line.substr(name.size() + 1);
  }
  throw std::runtime_error(file + " has no " + name);
}

std::string mariadb_database(const std::string& state_file, const std::string& name) {
  std::string database = name;
  std::replace(database.begin(), database.end(), '-', '_');
  const std::string user = state_value(state_file, "user");
  const std::string password = state_value(state_file, "password");
  const std::string port = state_value(state_file, "port");
  const std::string create = "mariadb -h 127.0.0.1 -P " + port + " -u " + user + " -p" + password +
                             " -e 'CREATE DATABASE IF NOT EXISTS " + database +
                             " CHARACTER SET utf8mb4 COLLATE utf8mb4_bin'";
  if (std::system(create.c_str()) != 0) throw std::runtime_error("cannot create " + database);
  return "mysql://" + user + ":" + password + "@127.0.0.1:" + port + "/" + database;
}

namespace {

/// The state file of `backend` in IMAGESPRINT_SERVE_ON ("redis=STATE_FILE,..."; one variable,
/// since CTest's discovered tests take one ENVIRONMENT entry), or "".
std::string state_file_of(const std::string& backend) {
  const char* on = std::getenv("IMAGESPRINT_SERVE_ON");
  const std::string list = on ? on : "";
  std::size_t at = 0;
  while (at < list.size()) {
    const std::size_t end = std::min(list.find(',', at), list.size());
    const std::string item = list.substr(at, end - at);
    if (item.starts_with(backend + "=")) return item.substr(backend.size() + 1);
    at = end + 1;
  }
  return {};
}

/// The back ends the suite runs on: the embedded defaults, or those the CTest registration
/// names in IMAGESPRINT_SERVE_ON, each a fixture started once per run. Keys are under a prefix
/// of the server's own data folder, so the servers of tests running at once never share a task
/// or an event, and a restarted server finds its own.
std::vector<std::string> backend_args(const std::filesystem::path& data) {
  std::vector<std::string> args;
  const std::string name = "test-" + data.filename().string();
  if (const std::string redis = state_file_of("redis"); !redis.empty()) {
    args.insert(args.end(), {"--queue", "redis://127.0.0.1:" + state_value(redis, "port"),
                             "--redis-prefix", name});
  }
  if (const std::string mariadb = state_file_of("mariadb"); !mariadb.empty()) {
    // A database of the server's own (created once; a restarted server finds it again).
    args.insert(args.end(), {"--database", mariadb_database(mariadb, name)});
  }
  if (const std::string s3 = state_file_of("s3"); !s3.empty()) {
    std::ifstream in(s3);
    const auto state = nlohmann::json::parse(in);
    args.insert(args.end(),
                {"--objects",
                 "s3://" + state["bucket"].get<std::string>() + "/" + name + "?endpoint=" +
                     state["endpoint"].get<std::string>() + "&region=us-east-1&path_style=true",
                 "--s3-access-key-id", state["access_key_id"].get<std::string>(),
                 "--s3-secret-access-key", state["secret_access_key"].get<std::string>(),
                 // The suite downloads through the API (integration_s3 covers the redirect).
                 "--download-redirect=false"});
  }
  return args;
}

}  // namespace

ServeProcess::ServeProcess(std::vector<std::string> extra, std::filesystem::path data,
                           std::string role)
    : extra_(std::move(extra)) {
  static std::atomic<int> counter{0};
  if (data.empty()) {
    data_ = std::filesystem::temp_directory_path() /
            ("imagesprint-serve-" + std::to_string(::getpid()) + "-" + std::to_string(counter++));
    own_data_ = true;
  } else {
    data_ = data;
  }
  const auto backends = backend_args(data_);
  int out[2];
  if (::pipe(out) != 0) throw std::runtime_error("pipe");
  pid_ = ::fork();
  if (pid_ == 0) {
    ::dup2(out[1], STDOUT_FILENO);
    ::close(out[0]);
    std::vector<std::string> args{binary(), role,           "--listen",    "127.0.0.1:0",
                                  "--data", data_.string(), "--log-level", "warn"};
    args.insert(args.end(), backends.begin(), backends.end());
    args.insert(args.end(), extra_.begin(), extra_.end());
    std::vector<char*> argv;
    for (auto& a : args) argv.push_back(a.data());
    argv.push_back(nullptr);
    ::execv(argv[0], argv.data());
    std::perror("execv");
    ::_exit(127);
  }
  ::close(out[1]);
  // The server prints one line with its address once it listens.
  FILE* stream = ::fdopen(out[0], "r");
  char line[512] = {};
  while (std::fgets(line, sizeof line, stream)) {
    const std::string text(line);
    const auto at = text.find("http://127.0.0.1:");
    if (at != std::string::npos) {
      port_ = std::stoi(text.substr(at + 17));
      break;
    }
  }
  // Keep draining its stdout in the background so it never blocks on a full pipe.
  std::thread([stream] {
    char sink[512];
    while (std::fgets(sink, sizeof sink, stream)) {
    }
    std::fclose(stream);
  }).detach();
  if (port_ == 0) {
    // No destructor runs for a constructor that throws: end the process and remove its data here
    // (a server that refused its settings may have made its database already).
    kill_hard();
    if (own_data_) std::filesystem::remove_all(data_);
    throw std::runtime_error("imagesprint serve did not start");
  }
}

ServeProcess::~ServeProcess() {
  if (pid_ > 0) kill_hard();
  if (own_data_) std::filesystem::remove_all(data_);
}

void ServeProcess::kill_hard() {
  ::kill(pid_, SIGKILL);
  ::waitpid(pid_, nullptr, 0);
  pid_ = -1;
}

int ServeProcess::stop_gracefully() {
  ::kill(pid_, SIGTERM);
  int status = 0;
  ::waitpid(pid_, &status, 0);
  pid_ = -1;
  return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
}

std::optional<std::string> ServeProcess::redis(const std::vector<std::string>& command) const {
  const std::string state = state_file_of("redis");
  if (state.empty()) return std::nullopt;
  const std::string prefix = "test-" + data_.filename().string();
  std::string line = "redis-cli -h 127.0.0.1 -p " + state_value(state, "port");
  for (std::string arg : command) {
    for (auto at = arg.find("{P}"); at != std::string::npos; at = arg.find("{P}", at))
      arg.replace(at, 3, "{" + prefix);
    line += " '" + arg + "'";  // the arguments are the test's own, without quotes
  }
  std::string out;
  FILE* pipe = ::popen(line.c_str(), "r");
  if (pipe == nullptr) throw std::runtime_error("cannot run redis-cli");
  char buffer[4096];
  while (const std::size_t n = std::fread(buffer, 1, sizeof buffer, pipe)) out.append(buffer, n);
  ::pclose(pipe);
  return out;
}

bool ServeProcess::on(const std::string& backend) {
  return !state_file_of(backend).empty();
}

int ServeProcess::stored_objects() const {
  namespace fs = std::filesystem;
  fs::path root = data_ / "objects";
  std::string suffix;
  if (const std::string s3 = state_file_of("s3"); !s3.empty()) {
    // @20minutes/s3rver keeps each object as <folder>/<bucket>/<key>._S3rver_object.
    std::ifstream in(s3);
    const auto state = nlohmann::json::parse(in);
    root = fs::path(state["folder"].get<std::string>()) / state["bucket"].get<std::string>() /
           ("test-" + data_.filename().string());
    suffix = "._S3rver_object";
  }
  int count = 0;
  std::error_code ec;
  if (!fs::exists(root, ec)) return 0;
  for (const auto& e : fs::recursive_directory_iterator(root)) {
    if (e.is_regular_file() && e.path().string().ends_with(suffix)) ++count;
  }
  return count;
}

std::string ServeProcess::url(const std::string& path) const {
  return "http://127.0.0.1:" + std::to_string(port_) + path;
}

HttpResult ServeProcess::get(const std::string& path, const std::string& token,
                             const std::vector<std::string>& headers) {
  Curl c;
  curl_easy_setopt(c.handle, CURLOPT_URL, url(path).c_str());
  if (!token.empty()) c.header("Authorization: Bearer " + token);
  for (const auto& h : headers) c.header(h);
  return c.perform();
}

HttpResult ServeProcess::post_json(const std::string& path, const std::string& json,
                                   const std::string& token) {
  Curl c;
  curl_easy_setopt(c.handle, CURLOPT_URL, url(path).c_str());
  curl_easy_setopt(c.handle, CURLOPT_COPYPOSTFIELDS, json.c_str());
  c.header("Content-Type: application/json");
  if (!token.empty()) c.header("Authorization: Bearer " + token);
  return c.perform();
}

HttpResult ServeProcess::patch_json(const std::string& path, const std::string& json,
                                    const std::string& token) {
  Curl c;
  curl_easy_setopt(c.handle, CURLOPT_URL, url(path).c_str());
  curl_easy_setopt(c.handle, CURLOPT_CUSTOMREQUEST, "PATCH");
  curl_easy_setopt(c.handle, CURLOPT_COPYPOSTFIELDS, json.c_str());
  c.header("Content-Type: application/json");
  if (!token.empty()) c.header("Authorization: Bearer " + token);
  return c.perform();
}

HttpResult ServeProcess::put_json(const std::string& path, const std::string& json,
                                  const std::string& token) {
  Curl c;
  curl_easy_setopt(c.handle, CURLOPT_URL, url(path).c_str());
  curl_easy_setopt(c.handle, CURLOPT_CUSTOMREQUEST, "PUT");
  curl_easy_setopt(c.handle, CURLOPT_COPYPOSTFIELDS, json.c_str());
  c.header("Content-Type: application/json");
  if (!token.empty()) c.header("Authorization: Bearer " + token);
  return c.perform();
}

HttpResult ServeProcess::post_multipart(const std::string& path, const std::vector<FilePart>& files,
                                        const std::map<std::string, std::string>& fields,
                                        const std::string& token,
                                        const std::vector<std::string>& headers) {
  Curl c;
  curl_easy_setopt(c.handle, CURLOPT_URL, url(path).c_str());
  curl_mime* mime = curl_mime_init(c.handle);
  for (const FilePart& f : files) {
    curl_mimepart* part = curl_mime_addpart(mime);
    curl_mime_name(part, f.field.c_str());
    curl_mime_filename(part, f.filename.c_str());
    curl_mime_data(part, f.bytes.data(), f.bytes.size());
  }
  for (const auto& [name, value] : fields) {
    curl_mimepart* part = curl_mime_addpart(mime);
    curl_mime_name(part, name.c_str());
    curl_mime_data(part, value.data(), value.size());
  }
  curl_easy_setopt(c.handle, CURLOPT_MIMEPOST, mime);
  if (!token.empty()) c.header("Authorization: Bearer " + token);
  for (const auto& h : headers) c.header(h);
  HttpResult r = c.perform();
  curl_mime_free(mime);
  return r;
}

HttpResult ServeProcess::del(const std::string& path, const std::string& token) {
  Curl c;
  curl_easy_setopt(c.handle, CURLOPT_URL, url(path).c_str());
  curl_easy_setopt(c.handle, CURLOPT_CUSTOMREQUEST, "DELETE");
  c.header("Authorization: Bearer " + token);
  return c.perform();
}

HttpResult ServeProcess::send(const std::string& method, const std::string& path,
                              const std::string& token, const std::vector<std::string>& headers,
                              const std::string& body) {
  Curl c;
  curl_easy_setopt(c.handle, CURLOPT_URL, url(path).c_str());
  curl_easy_setopt(c.handle, CURLOPT_CUSTOMREQUEST, method.c_str());
  if (method == "HEAD") {
    curl_easy_setopt(c.handle, CURLOPT_NOBODY, 1L);
  } else if (method == "POST" || method == "PATCH" || !body.empty()) {
    curl_easy_setopt(c.handle, CURLOPT_POSTFIELDSIZE_LARGE, static_cast<curl_off_t>(body.size()));
    curl_easy_setopt(c.handle, CURLOPT_COPYPOSTFIELDS, body.c_str());
    c.header("Expect:");
  }
  if (!token.empty()) c.header("Authorization: Bearer " + token);
  for (const auto& h : headers) c.header(h);
  return c.perform();
}

std::string ServeProcess::read_events(const std::string& path, const std::string& token,
                                      const std::string& until, int seconds) {
  struct Progress {
    std::string text;
    std::string until;
  } progress{{}, until};
  Curl c;
  curl_easy_setopt(c.handle, CURLOPT_URL, url(path).c_str());
  c.header("Authorization: Bearer " + token);
  curl_easy_setopt(c.handle, CURLOPT_TIMEOUT, static_cast<long>(seconds));
  curl_easy_setopt(
      c.handle, CURLOPT_WRITEFUNCTION,
      +[](char* data, std::size_t size, std::size_t n, void* out) -> std::size_t {
        auto* p = static_cast<Progress*>(out);
        p->text.append(data, size * n);
        // Returning less than given ends the transfer: we saw what we waited for.
        return p->text.find(p->until) != std::string::npos ? 0 : size * n;
      });
  curl_easy_setopt(c.handle, CURLOPT_WRITEDATA, &progress);
  curl_easy_setopt(c.handle, CURLOPT_HTTPHEADER, c.headers);
  curl_easy_setopt(c.handle, CURLOPT_NOPROXY, "*");
  curl_easy_perform(c.handle);
  return progress.text;
}

std::string ServeProcess::signup(const std::string& email) {
  const HttpResult r = post_json(
      "/v1/auth/signup", R"({"email":")" + email + R"(","password":"correct horse battery"})");
  if (r.status != 201) throw std::runtime_error("signup failed: " + r.body);
  return nlohmann::json::parse(r.body)["token"].get<std::string>();
}

}  // namespace imagesprint::test
