#pragma once
// The shared test corpus (../shared/corpus, or $IMAGESPRINT_CORPUS) and file helpers.
#include <cstdint>
#include <filesystem>
#include <string>
#include <vector>

namespace imagesprint::test {

std::filesystem::path corpus_dir();
std::filesystem::path corpus(const std::string& relative);
std::vector<std::uint8_t> read_bytes(const std::filesystem::path& path);
/// Every regular file of a corpus folder, sorted by name.
std::vector<std::filesystem::path> corpus_files(const std::string& folder);

}  // namespace imagesprint::test
