# ObjectStore on an S3-compatible server (AWS S3, MinIO, s3rver ...): libcurl for HTTP, our own
# Signature Version 4 (libsodium's SHA-256 and HMAC), OpenSSL's MD5 to check bodies by ETag. Included from src/CMakeLists.txt.
find_package(CURL 7.85 REQUIRED)
find_package(OpenSSL REQUIRED COMPONENTS Crypto)  # MD5 for ETag checks (etag_check.hpp)
pkg_check_modules(IMAGESPRINT_S3_SODIUM REQUIRED IMPORTED_TARGET GLOBAL libsodium)
add_library(imagesprint_s3 STATIC
  ${CMAKE_CURRENT_LIST_DIR}/content_disposition.cpp
  ${CMAKE_CURRENT_LIST_DIR}/etag_check.cpp
  ${CMAKE_CURRENT_LIST_DIR}/hashing.cpp
  ${CMAKE_CURRENT_LIST_DIR}/make_s3_object_store.cpp
  ${CMAKE_CURRENT_LIST_DIR}/retry_policy.cpp
  ${CMAKE_CURRENT_LIST_DIR}/s3_config.cpp
  ${CMAKE_CURRENT_LIST_DIR}/s3_endpoint.cpp
  ${CMAKE_CURRENT_LIST_DIR}/s3_http.cpp
  ${CMAKE_CURRENT_LIST_DIR}/s3_object_info.cpp
  ${CMAKE_CURRENT_LIST_DIR}/s3_object_reader.cpp
  ${CMAKE_CURRENT_LIST_DIR}/s3_object_store.cpp
  ${CMAKE_CURRENT_LIST_DIR}/s3_object_writer.cpp
  ${CMAKE_CURRENT_LIST_DIR}/s3_xml.cpp
  ${CMAKE_CURRENT_LIST_DIR}/sigv4.cpp)
target_include_directories(imagesprint_s3 PUBLIC ${CMAKE_SOURCE_DIR}/src)
target_link_libraries(imagesprint_s3 PUBLIC imagesprint_ports
                                     PRIVATE CURL::libcurl OpenSSL::Crypto PkgConfig::IMAGESPRINT_S3_SODIUM)
imagesprint_warnings(imagesprint_s3)
