#pragma once
// One-line conversions for tests: a corpus file (or bytes) and options as JSON.
#include <filesystem>
#include <nlohmann/json.hpp>

#include "domain/options_json.hpp"
#include "imaging/engine.hpp"

namespace imagesprint::test {

ConversionOptions options(const nlohmann::json& j);
Expected<ConversionResult> convert_bytes(const std::vector<std::uint8_t>& bytes,
                                         const nlohmann::json& j,
                                         const std::vector<std::uint8_t>& watermark = {},
                                         const EngineLimits& limits = {});
Expected<ConversionResult> convert_file(const std::filesystem::path& path, const nlohmann::json& j,
                                        const EngineLimits& limits = {});

}  // namespace imagesprint::test
