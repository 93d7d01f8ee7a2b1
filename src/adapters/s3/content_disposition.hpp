#pragma once
// The Content-Disposition a presigned download carries (S3's response-content-disposition), so
// the browser saves the object under its file name.
#include <string>
#include <string_view>

namespace imagesprint::s3 {

/// RFC 6266 `attachment; filename="<name>"`, plus `filename*=UTF-8''<name>` (RFC 5987/8187
/// percent-encoding) when the name holds anything the quoted form cannot carry safely (non-ASCII,
/// control bytes, '"', '\\', '%'); the quoted fallback then has '_' in their place. An empty name
/// gives plain "attachment".
std::string attachment_disposition(std::string_view filename);

}  // namespace imagesprint::s3
