// Replays fuzz inputs without libFuzzer: runs LLVMFuzzerTestOneInput once on every file of the
// directories (or on the files) named on the command line, in a stable order.
//
// Hand-written because the GCC builds (release, asan: what `make test` runs) cannot link
// libFuzzer, which ships with clang only, and Debian's clang packages do not carry LLVM's
// StandaloneFuzzTargetMain.c. With this driver every committed corpus, crash inputs included,
// is a regression test on the same compilers and sanitizers as the rest of the suite.
#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <memory>
#include <string>
#include <vector>

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size);
// Optional in a target, as with libFuzzer.
extern "C" __attribute__((weak)) int LLVMFuzzerInitialize(int* argc, char*** argv);

namespace {

namespace fs = std::filesystem;

/// Regular files under `path` (or `path` itself), sorted; dot files (editor leftovers) skipped.
std::vector<fs::path> inputs_of(const fs::path& path) {
  std::vector<fs::path> out;
  if (fs::is_directory(path)) {
    for (const auto& entry : fs::recursive_directory_iterator(path)) {
      if (entry.is_regular_file() && !entry.path().filename().string().starts_with(".")) {
        out.push_back(entry.path());
      }
    }
  } else if (fs::is_regular_file(path)) {
    out.push_back(path);
  }
  std::sort(out.begin(), out.end());
  return out;
}

bool run_one(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) {
    std::fprintf(stderr, "cannot read %s\n", path.c_str());
    return false;
  }
  const std::string bytes((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  // A heap copy of exactly the input's size, so AddressSanitizer sees any read past its end.
  const auto copy = std::make_unique<std::uint8_t[]>(bytes.size());
  std::copy(bytes.begin(), bytes.end(), copy.get());
  // Named before it runs: a crash then points at its input.
  std::fprintf(stderr, "%s (%zu bytes)\n", path.c_str(), bytes.size());
  std::fflush(stderr);
  LLVMFuzzerTestOneInput(copy.get(), bytes.size());
  return true;
}

}  // namespace

int main(int argc, char** argv) {
  if (LLVMFuzzerInitialize) LLVMFuzzerInitialize(&argc, &argv);
  if (argc < 2) {
    std::fprintf(stderr, "usage: %s CORPUS_DIR_OR_FILE...\n", argv[0]);
    return 2;
  }
  std::size_t runs = 0;
  for (int i = 1; i < argc; ++i) {
    const auto inputs = inputs_of(argv[i]);
    // A missing or empty corpus must fail the test, not pass it with nothing replayed.
    if (inputs.empty()) {
      std::fprintf(stderr, "no inputs in %s\n", argv[i]);
      return 1;
    }
    for (const auto& path : inputs) {
      if (!run_one(path)) return 1;
      ++runs;
    }
  }
  std::fprintf(stderr, "replayed %zu inputs\n", runs);
  return 0;
}
