#pragma once
#include <filesystem>
#include <string>

#include "ports/secrets.hpp"

namespace imagesprint {

/// The key that signs the local store's download links: random, made once and kept in `file`
/// so links survive restarts; readable by the owner only, from its first byte.
std::string load_or_create_signing_key(const std::filesystem::path& file, const Secrets& secrets);

}  // namespace imagesprint
