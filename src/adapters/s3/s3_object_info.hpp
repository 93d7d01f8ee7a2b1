#pragma once
// What S3's answers say about an object (size, ETag, Last-Modified), and the HEAD request that
// asks for it. Shared by the store, its writer and its reader, so stat(), put(), commit() and
// info() describe a version the same way.
#include <optional>
#include <string>
#include <string_view>

#include "adapters/s3/s3_http.hpp"
#include "ports/object_store.hpp"

namespace imagesprint::s3 {

/// An ETag without its quotes (and without a weak "W/" marker).
std::string unquoted_etag(std::string_view etag);

/// Milliseconds since the epoch of an HTTP date ("Wed, 12 Oct 2009 17:50:00 GMT") or an ISO
/// 8601 one ("2009-10-12T17:50:30.000Z", as listed), truncated to whole seconds so both forms
/// of one time agree; 0 when unreadable.
UnixMillis parse_s3_time(std::string_view text);

/// HEAD on `key` (ours, not prefixed); with `if_match`, only that version. nullopt when there
/// is no such object or (with `if_match`) it is another version now.
std::optional<ObjectInfo> head_object(S3Http& http, std::string_view key,
                                      const std::optional<std::string>& if_match = std::nullopt);

/// The info of a version just written (PUT or CompleteMultipartUpload answered `etag`): HEAD
/// with If-Match for its time; if it was replaced meanwhile, `size` and the answer's Date.
ObjectInfo written_object_info(S3Http& http, std::string_view key, const std::string& etag,
                               std::uint64_t size, const S3Response& answer);

}  // namespace imagesprint::s3
