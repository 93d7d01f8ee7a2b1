// libvips start-up: one place for the process-wide settings the engine relies on.
#include "imaging/vips_runtime.hpp"

#include <vips/vips8>

#include <array>
#include <cstdlib>
#include <filesystem>
#include <mutex>
#include <stdexcept>
#include <string>

#include "imaging/engine.hpp"
#include "imaging/memory_budget.hpp"

namespace imagesprint {
namespace {

WatermarkFont g_font;

// Loaders we dispatch to by sniffed format (imaging/loaders.cpp), by operation nickname. Every
// other loader libvips has (SVG through librsvg, matrix, CSV, raw VIPS files ...) stays blocked.
constexpr std::array<const char*, 6> ALLOWED_LOADERS{"jpegload_buffer", "pngload_buffer",
                                                     "webpload_buffer", "gifload_buffer",
                                                     "tiffload_buffer", "heifload_buffer"};

void allow_loader(const char* nickname) {
  const GType type = vips_type_find("VipsOperation", nickname);
  if (type == 0) throw std::runtime_error(std::string("libvips has no ") + nickname);
  vips_operation_block_set(g_type_name(type), FALSE);
}

/// libvips also reports decode trouble as GLib warnings on stderr; the same failure reaches us
/// as an error, so the warnings are dropped unless IMAGESPRINT_VIPS_WARNINGS is set.
void quiet_warnings() {
  if (std::getenv("IMAGESPRINT_VIPS_WARNINGS") != nullptr) return;
  g_log_set_handler(
      "VIPS", static_cast<GLogLevelFlags>(G_LOG_LEVEL_WARNING | G_LOG_LEVEL_MESSAGE),
      [](const gchar*, GLogLevelFlags, const gchar*, gpointer) {}, nullptr);
}

WatermarkFont find_font(const std::string& configured) {
  if (!configured.empty()) {
    if (!std::filesystem::exists(configured))
      throw std::runtime_error("font file not found: " + configured);
    return {configured, std::filesystem::path(configured).stem().string()};
  }
  // NanumGothic (Debian fonts-nanum) covers Hangul and Latin; DejaVu is a Latin-only fallback.
  for (const auto& [file, family] :
       {std::pair{"/usr/share/fonts/truetype/nanum/NanumGothic.ttf", "NanumGothic"},
        std::pair{"/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf", "DejaVu Sans"}}) {
    if (std::filesystem::exists(file)) return {file, family};
  }
  return {"", "sans"};
}

}  // namespace

const WatermarkFont& watermark_font() {
  return g_font;
}

void init_engine(const EngineConfig& config) {
  static std::once_flag once;
  std::call_once(once, [&] {
    if (VIPS_INIT("imagesprint") != 0) throw std::runtime_error("libvips failed to start");
    conversion_memory_budget().resize(config.memory_budget);
    vips_block_untrusted_set(TRUE);
    vips_operation_block_set("VipsForeignLoad", TRUE);
    for (const char* loader : ALLOWED_LOADERS) allow_loader(loader);
    quiet_warnings();
    // Parallelism comes from converting several images at once (DESIGN.md: 30% faster on two
    // cores than threads inside one image).
    vips_concurrency_set(config.vips_concurrency);
    // A batch service sees each input once: the operation cache would only hold memory.
    vips_cache_set_max(0);
    vips_cache_set_max_mem(0);
    g_font = find_font(config.font_file);
  });
}

std::string engine_version() {
  return std::string("libvips ") + vips_version_string();
}

void release_thread_resources() {
  vips_error_clear();
  vips_thread_shutdown();
}

}  // namespace imagesprint
