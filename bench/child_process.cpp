#include "child_process.hpp"

#include <fcntl.h>
#include <sched.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <csignal>
#include <cstring>
#include <fstream>
#include <map>
#include <sstream>
#include <stdexcept>

#include "machine_load.hpp"

extern char** environ;

namespace imagesprint::bench {
namespace {

using Clock = std::chrono::steady_clock;

/// An owned file descriptor (closed on scope exit).
class Fd {
 public:
  explicit Fd(int fd) : fd_(fd) {}
  Fd(const Fd&) = delete;
  Fd& operator=(const Fd&) = delete;
  ~Fd() {
    if (fd_ >= 0) ::close(fd_);
  }
  int get() const { return fd_; }

 private:
  int fd_;
};

/// Opens a child's output file in the parent (close-on-exec, so siblings don't inherit it).
Fd open_output(const std::filesystem::path& path) {
  const char* name = path.empty() ? "/dev/null" : path.c_str();
  const int fd = ::open(name, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
  if (fd < 0)
    throw std::runtime_error("cannot open " + std::string(name) + ": " + std::strerror(errno));
  return Fd(fd);
}

/// The first CPU this process may run on, as a one-CPU affinity mask.
cpu_set_t one_cpu_mask() {
  cpu_set_t allowed;
  CPU_ZERO(&allowed);
  if (::sched_getaffinity(0, sizeof allowed, &allowed) != 0) CPU_SET(0, &allowed);
  cpu_set_t one;
  CPU_ZERO(&one);
  for (int cpu = 0; cpu < CPU_SETSIZE; ++cpu) {
    if (CPU_ISSET(cpu, &allowed)) {
      CPU_SET(cpu, &one);
      break;
    }
  }
  return one;
}

double seconds(const timeval& t) {
  return static_cast<double>(t.tv_sec) + t.tv_usec / 1e6;
}

void on_alarm(int) {}  // only there to interrupt wait4()

/// SIGALRM without SA_RESTART, so a blocking wait4() returns EINTR at the deadline.
void install_alarm_handler() {
  struct sigaction action {};
  action.sa_handler = on_alarm;
  sigemptyset(&action.sa_mask);
  action.sa_flags = 0;
  ::sigaction(SIGALRM, &action, nullptr);
}

/// Starts one child. Everything the child needs is prepared before fork(): after it, the child
/// makes only async-signal-safe system calls (the parent may have threads).
pid_t spawn(const Command& command, bool pin, const cpu_set_t& mask) {
  std::vector<char*> argv;
  argv.reserve(command.argv.size() + 1);
  for (const auto& arg : command.argv) argv.push_back(const_cast<char*>(arg.c_str()));
  argv.push_back(nullptr);
  const Fd out = open_output(command.stdout_path);
  const Fd err = open_output(command.stderr_path);

  const pid_t pid = ::fork();
  if (pid < 0) throw std::runtime_error(std::string("fork: ") + std::strerror(errno));
  if (pid == 0) {
    if (pin) ::sched_setaffinity(0, sizeof mask, &mask);
    ::dup2(out.get(), STDOUT_FILENO);
    ::dup2(err.get(), STDERR_FILENO);
    const int null_in = ::open("/dev/null", O_RDONLY);
    if (null_in >= 0) ::dup2(null_in, STDIN_FILENO);
    ::execve(argv[0], argv.data(), environ);
    const char* reason = std::strerror(errno);  // glibc: a static table, safe here
    (void)!::write(STDERR_FILENO, "exec failed: ", 13);
    (void)!::write(STDERR_FILENO, argv[0], std::strlen(argv[0]));
    (void)!::write(STDERR_FILENO, ": ", 2);
    (void)!::write(STDERR_FILENO, reason, std::strlen(reason));
    (void)!::write(STDERR_FILENO, "\n", 1);
    ::_exit(127);
  }
  return pid;
}

std::string describe_status(int status) {
  if (WIFEXITED(status)) return "exit status " + std::to_string(WEXITSTATUS(status));
  if (WIFSIGNALED(status)) return "killed by signal " + std::to_string(WTERMSIG(status));
  return "status " + std::to_string(status);
}

}  // namespace

RunResult run_commands(const std::vector<Command>& commands, const RunLimits& limits) {
  install_alarm_handler();
  const cpu_set_t mask = one_cpu_mask();
  const int parallelism = std::max(1, limits.parallelism);
  const auto deadline = Clock::now() + limits.timeout;

  RunResult result;
  std::map<pid_t, std::size_t> running;  // pid -> index into commands
  std::size_t next = 0;
  const double busy_before = machine_busy_seconds();
  const auto start = Clock::now();
  while (next < commands.size() || !running.empty()) {
    while (!result.timed_out && next < commands.size() &&
           static_cast<int>(running.size()) < parallelism) {
      running.emplace(spawn(commands[next], limits.pin_to_one_cpu, mask), next);
      ++next;
      ++result.processes;
    }
    if (running.empty()) break;

    const auto left = std::chrono::duration_cast<std::chrono::seconds>(deadline - Clock::now());
    ::alarm(static_cast<unsigned>(std::max<long long>(1, left.count())));
    int status = 0;
    rusage usage{};
    const pid_t pid = ::wait4(-1, &status, 0, &usage);
    ::alarm(0);
    if (pid < 0) {
      if (errno != EINTR) throw std::runtime_error(std::string("wait4: ") + std::strerror(errno));
      if (Clock::now() >= deadline && !result.timed_out) {
        result.timed_out = true;
        result.failure = "timed out after " + std::to_string(limits.timeout.count()) + " s";
        for (const auto& [child, index] : running) ::kill(child, SIGKILL);
      }
      continue;
    }
    const auto found = running.find(pid);
    if (found == running.end()) continue;  // not one of ours
    const Command& command = commands[found->second];
    running.erase(found);
    result.peak_rss_kib = std::max(result.peak_rss_kib, usage.ru_maxrss);  // Linux: KiB
    result.cpu_seconds += seconds(usage.ru_utime) + seconds(usage.ru_stime);
    if (!(WIFEXITED(status) && WEXITSTATUS(status) == 0)) {
      ++result.failed;
      if (result.failure.empty()) {
        result.failure = command.argv.front() + ": " + describe_status(status);
        if (!command.stderr_path.empty()) {
          const std::string tail = tail_of_file(command.stderr_path);
          if (!tail.empty()) result.failure += "\n" + tail;
        }
      }
    }
  }
  result.wall_seconds = std::chrono::duration<double>(Clock::now() - start).count();
  result.other_cpu_seconds =
      std::max(0.0, machine_busy_seconds() - busy_before - result.cpu_seconds);
  return result;
}

std::string capture_output(const std::vector<std::string>& argv,
                           const std::filesystem::path& scratch_dir) {
  const auto out = scratch_dir / "capture.out";
  const RunResult r =
      run_commands({Command{argv, out, {}}}, RunLimits{1, false, std::chrono::seconds(60)});
  if (!r.ok()) return {};
  std::ifstream in(out);
  std::stringstream text;
  text << in.rdbuf();
  return text.str();
}

std::string tail_of_file(const std::filesystem::path& path, std::size_t max_bytes) {
  std::ifstream in(path, std::ios::binary | std::ios::ate);
  if (!in) return {};
  const auto size = static_cast<std::size_t>(in.tellg());
  const std::size_t from = size > max_bytes ? size - max_bytes : 0;
  in.seekg(static_cast<std::streamoff>(from));
  std::string text(size - from, '\0');
  in.read(text.data(), static_cast<std::streamsize>(text.size()));
  if (from > 0) {
    const auto newline = text.find('\n');
    if (newline != std::string::npos) text.erase(0, newline + 1);
  }
  // Progress bars redraw with carriage returns: keep only the last state of each line.
  std::string cleaned;
  std::string line;
  for (const char c : text) {
    if (c == '\r') {
      line.clear();
    } else if (c == '\n') {
      cleaned += line + '\n';
      line.clear();
    } else {
      line += c;
    }
  }
  cleaned += line;
  while (!cleaned.empty() && cleaned.back() == '\n') cleaned.pop_back();
  return cleaned;
}

}  // namespace imagesprint::bench
