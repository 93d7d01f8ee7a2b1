#pragma once
// Reading the few XML answers the store needs (ListObjectsV2, multipart uploads, errors). S3's
// answers are flat and well-formed; a full parser would be more attack surface, not more
// correctness: this finds elements by name and decodes the five entities and numeric references.
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace imagesprint::s3 {

/// The raw content of each <name>...</name> in `xml`, in order (not nested in one another).
std::vector<std::string_view> xml_elements(std::string_view xml, std::string_view name);

/// The decoded text of the first <name>...</name>, or nullopt.
std::optional<std::string> xml_text(std::string_view xml, std::string_view name);

/// &amp; &lt; &gt; &quot; &apos; &#N; &#xN; decoded (others kept as they are).
std::string xml_unescape(std::string_view text);

}  // namespace imagesprint::s3
