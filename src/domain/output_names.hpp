#pragma once
// Output file names: the input's base name with the new extension, sanitised so it is safe in a
// ZIP entry, a Content-Disposition header or a local folder on any OS, and unique in its batch.
#include <string>
#include <string_view>
#include <vector>

namespace imagesprint {

/// The base name (no folders, no extension) of an uploaded or local file name, made safe:
/// control characters and reserved characters (<>:"/\|?*) become '_', leading dots and trailing
/// dots/spaces go, well-formed UTF-8 is kept (every byte of an ill-formed sequence becomes '_'),
/// at most 100 bytes (never cutting a UTF-8 sequence); a name Windows keeps for a device (CON,
/// nul.tar, COM1 ...) gets '_' after its device part; an empty result becomes "image".
std::string safe_base_name(std::string_view file_name);

struct NameRequest {
  std::string source_name;  // as uploaded / as on disk
  std::string extension;    // without the dot
};

/// One name per request, in order: "<safe base>.<ext>", then "<safe base>-1.<ext>" ... for
/// repeats. Uniqueness ignores ASCII case, since ZIPs get unpacked on case-insensitive disks.
/// `taken` are names none of them may be (files that must survive: the inputs in the folder the
/// outputs go to), compared the same way.
std::vector<std::string> unique_output_names(const std::vector<NameRequest>& requests,
                                             const std::vector<std::string>& taken = {});

}  // namespace imagesprint
