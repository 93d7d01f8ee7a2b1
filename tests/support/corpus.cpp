#include "support/corpus.hpp"

#include <algorithm>
#include <cstdlib>
#include <fstream>
#include <iterator>
#include <stdexcept>

namespace imagesprint::test {

std::filesystem::path corpus_dir() {
  if (const char* env = std::getenv("IMAGESPRINT_CORPUS")) return env;
  return IMAGESPRINT_CORPUS_DIR;
}

std::filesystem::path corpus(const std::string& relative) {
  return corpus_dir() / relative;
}

std::vector<std::uint8_t> read_bytes(const std::filesystem::path& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) throw std::runtime_error("cannot read " + path.string());
  return {std::istreambuf_iterator<char>(in), {}};
}

std::vector<std::filesystem::path> corpus_files(const std::string& folder) {
  std::vector<std::filesystem::path> files;
  for (const auto& e : std::filesystem::directory_iterator(corpus(folder))) {
    if (e.is_regular_file()) files.push_back(e.path());
  }
  std::sort(files.begin(), files.end());
  return files;
}

}  // namespace imagesprint::test
