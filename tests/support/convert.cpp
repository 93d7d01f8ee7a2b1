#include "support/convert.hpp"

#include <stdexcept>

#include "support/corpus.hpp"

namespace imagesprint::test {

ConversionOptions options(const nlohmann::json& j) {
  // `{}` in a call converts to JSON null: treat it as no options.
  auto parsed = parse_options(j.is_null() ? nlohmann::json::object() : j);
  if (!parsed) throw std::invalid_argument("test options refused: " + parsed.error().message);
  return parsed.value();
}

Expected<ConversionResult> convert_bytes(const std::vector<std::uint8_t>& bytes,
                                         const nlohmann::json& j,
                                         const std::vector<std::uint8_t>& watermark,
                                         const EngineLimits& limits) {
  return convert(ConversionInput{bytes, watermark}, options(j), limits);
}

Expected<ConversionResult> convert_file(const std::filesystem::path& path, const nlohmann::json& j,
                                        const EngineLimits& limits) {
  return convert_bytes(read_bytes(path), j, {}, limits);
}

}  // namespace imagesprint::test
