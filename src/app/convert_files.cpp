#include "app/convert_files.hpp"

#include <unistd.h>
#include <algorithm>
#include <atomic>
#include <cerrno>
#include <chrono>
#include <fstream>
#include <iterator>
#include <mutex>
#include <system_error>
#include <thread>

#include "domain/output_names.hpp"
#include "imaging/codecs/format_sniffer.hpp"

namespace imagesprint {
namespace {

namespace fs = std::filesystem;

std::vector<std::uint8_t> read_file(const fs::path& path, std::uint64_t limit) {
  std::ifstream in(path, std::ios::binary);
  if (!in) {
    throw std::runtime_error("cannot open " + path.string() + ": " +
                             std::generic_category().message(errno));
  }
  const auto size = fs::file_size(path);
  // One byte over the limit is enough for the engine to refuse it by size.
  std::vector<std::uint8_t> bytes(
      static_cast<std::size_t>(std::min<std::uint64_t>(size, limit + 1)));
  in.read(reinterpret_cast<char*>(bytes.data()), static_cast<std::streamsize>(bytes.size()));
  bytes.resize(static_cast<std::size_t>(in.gcount()));
  return bytes;
}

void write_atomically(const fs::path& target, const std::vector<std::uint8_t>& bytes) {
  const fs::path temp = target.parent_path() /
                        ("." + target.filename().string() + ".tmp" + std::to_string(::getpid()));
  {
    std::ofstream out(temp, std::ios::binary | std::ios::trunc);
    out.write(reinterpret_cast<const char*>(bytes.data()),
              static_cast<std::streamsize>(bytes.size()));
    if (!out.flush()) {
      const int error = errno;  // the failed write's (libstdc++ leaves it as write() set it)
      fs::remove(temp);
      throw std::runtime_error("cannot write " + target.string() + ": " +
                               std::generic_category().message(error));
    }
  }
  fs::rename(temp, target);
}

OutputFormat format_of(const fs::path& input, OutputFormat requested) {
  if (requested != OutputFormat::original) return requested;
  std::ifstream in(input, std::ios::binary);
  std::vector<std::uint8_t> head(4096);
  in.read(reinterpret_cast<char*>(head.data()), static_cast<std::streamsize>(head.size()));
  head.resize(static_cast<std::size_t>(in.gcount()));
  const auto sniffed = sniff_format(head);
  return sniffed ? output_for(*sniffed) : OutputFormat::jpeg;
}

}  // namespace

std::vector<std::string> plan_output_names(const std::vector<fs::path>& inputs, OutputFormat format,
                                           const fs::path& output_dir) {
  std::vector<NameRequest> requests;
  std::vector<std::string> inputs_there;
  requests.reserve(inputs.size());
  for (const fs::path& input : inputs) {
    requests.push_back(
        {input.filename().string(), std::string(extension(format_of(input, format)))});
    std::error_code ec;  // a folder that does not exist (yet) holds no input
    if (fs::equivalent(input.has_parent_path() ? input.parent_path() : ".", output_dir, ec)) {
      inputs_there.push_back(input.filename().string());
    }
  }
  return unique_output_names(requests, inputs_there);
}

BatchSummary convert_files(const BatchRequest& request,
                           const std::function<void(const FileOutcome&)>& on_done) {
  using Clock = std::chrono::steady_clock;
  const auto started = Clock::now();
  fs::create_directories(request.output_dir);
  const std::vector<std::string> names =
      plan_output_names(request.inputs, request.options.format, request.output_dir);

  BatchSummary summary;
  std::mutex mutex;
  std::atomic<std::size_t> next{0};
  auto work = [&] {
    for (std::size_t i = next++; i < request.inputs.size(); i = next++) {
      const auto t0 = Clock::now();
      FileOutcome outcome;
      outcome.input = request.inputs[i];
      try {
        const std::vector<std::uint8_t> bytes =
            read_file(outcome.input, request.limits.max_input_bytes);
        outcome.bytes_in = bytes.size();
        auto result = convert(ConversionInput{bytes, request.watermark_image}, request.options,
                              request.limits);
        if (result) {
          write_atomically(request.output_dir / names[i], result->bytes);
          outcome.output = request.output_dir / names[i];
          outcome.bytes_out = result->bytes.size();
          outcome.width = result->width;
          outcome.height = result->height;
          outcome.memory_estimate = result->memory_estimate;
        } else {
          outcome.error = result.error();
        }
      } catch (const std::exception& e) {
        outcome.error = Error{ErrorCode::internal, e.what(), {}, {}, false};
      }
      outcome.seconds = std::chrono::duration<double>(Clock::now() - t0).count();
      const std::lock_guard lock(mutex);
      (outcome.error ? summary.failed : summary.ok)++;
      summary.bytes_in += outcome.bytes_in;
      summary.bytes_out += outcome.bytes_out;
      summary.largest_memory_estimate =
          std::max(summary.largest_memory_estimate, outcome.memory_estimate);
      if (on_done) on_done(outcome);
    }
    release_thread_resources();
  };
  const unsigned cores = std::max(1u, std::thread::hardware_concurrency());
  const std::size_t threads =
      std::min<std::size_t>(request.threads > 0 ? request.threads : cores, request.inputs.size());
  std::vector<std::jthread> pool;
  for (std::size_t t = 1; t < threads; ++t) pool.emplace_back(work);
  work();
  pool.clear();
  summary.seconds = std::chrono::duration<double>(Clock::now() - started).count();
  return summary;
}

}  // namespace imagesprint
