#include <vips/vips8>

#include <new>

#include "imaging/codecs/codec_error.hpp"
#include "imaging/imaging_error.hpp"

namespace imagesprint {

Error to_error(std::exception_ptr failure, bool timed_out) {
  try {
    std::rethrow_exception(failure);
  } catch (const ImagingError& e) {
    return Error{e.code(), e.what(), e.field(), {}, false};
  } catch (const vips::VError& e) {
    const std::string detail = e.what();
    if (timed_out) {
      return Error{ErrorCode::timeout, "conversion took longer than the time budget",
                   "timeout_seconds", detail, false};
    }
    // Whose fault it was cannot be read from the text (failure_cause.hpp): a conversion decides
    // that by decoding its input again; here it is the engine's.
    return Error{ErrorCode::internal, "image processing failed", {}, detail, false};
  } catch (const CodecError& e) {
    return Error{ErrorCode::corrupt_image,
                 std::string("the image data is damaged or truncated: ") + e.what(),
                 {},
                 e.what(),
                 false};
  } catch (const std::bad_alloc&) {
    return Error{ErrorCode::internal, "out of memory while converting", {}, "std::bad_alloc", true};
  } catch (const std::exception& e) {
    return Error{ErrorCode::internal, "image processing failed", {}, e.what(), true};
  } catch (...) {
    return Error{ErrorCode::internal, "image processing failed", {}, "unknown exception", true};
  }
}

}  // namespace imagesprint
