#include "imaging/text_renderer.hpp"

#include <algorithm>
#include <list>
#include <mutex>
#include <tuple>
#include <utility>

#include "domain/untrusted_text.hpp"
#include "imaging/vips_runtime.hpp"

namespace imagesprint {
namespace {

using vips::VImage;

VImage render(const std::string& markup, int dpi) {
  const WatermarkFont& font = watermark_font();
  vips::VOption* options =
      VImage::option()->set("font", (font.family + " 12").c_str())->set("dpi", dpi);
  if (!font.file.empty()) options->set("fontfile", font.file.c_str());
  return VImage::text(markup.c_str(), options).copy_memory();
}

/// A small LRU of rendered masks keyed by (text, dpi); also remembers each text's size at the
/// probe resolution.
class MaskCache {
 public:
  VImage get(const std::string& markup, int dpi) {
    {
      const std::lock_guard lock(mutex_);
      for (auto it = entries_.begin(); it != entries_.end(); ++it) {
        if (it->markup == markup && it->dpi == dpi) {
          entries_.splice(entries_.begin(), entries_, it);
          return it->mask;
        }
      }
    }
    VImage mask = render(markup, dpi);  // outside the lock: renders may run in parallel
    const std::lock_guard lock(mutex_);
    entries_.push_front({markup, dpi, mask});
    if (entries_.size() > CAPACITY) entries_.pop_back();
    return mask;
  }

 private:
  struct Entry {
    std::string markup;
    int dpi;
    VImage mask;
  };
  static constexpr std::size_t CAPACITY = 16;
  std::mutex mutex_;
  std::list<Entry> entries_;
};

MaskCache& cache() {
  static MaskCache instance;
  return instance;
}

}  // namespace

VImage render_text_mask(const std::string& text, int width, int max_height) {
  // vips_text takes Pango markup: user text must not be able to inject tags.
  const std::string markup = escape_markup(text);
  // Render once at a known resolution to measure, then at the resolution that gives the width.
  constexpr int PROBE_DPI = 300;
  const VImage probe = cache().get(markup, PROBE_DPI);
  double dpi = PROBE_DPI * std::max(1, width) / static_cast<double>(probe.width());
  dpi = std::min(dpi, PROBE_DPI * 0.9 * max_height / probe.height());  // never taller than allowed
  return cache().get(markup, std::clamp(static_cast<int>(dpi), 1, 10000));
}

}  // namespace imagesprint
