#include "imaging/deadline.hpp"

namespace imagesprint {
namespace {

void on_eval(VipsImage* image, VipsProgress* /*progress*/, void* data) {
  if (static_cast<const Deadline*>(data)->passed()) vips_image_set_kill(image, TRUE);
}

}  // namespace

void Deadline::arm(const vips::VImage& image) const {
  VipsImage* raw = image.get_image();
  vips_image_set_progress(raw, TRUE);
  g_signal_connect(raw, "eval", G_CALLBACK(on_eval), const_cast<Deadline*>(this));
}

}  // namespace imagesprint
