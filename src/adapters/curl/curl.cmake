# Outbound HTTP for webhooks on libcurl, with the address policy (SSRF guard) it applies.
# Included from src/CMakeLists.txt. 7.85: CURLOPT_PROTOCOLS_STR.
find_package(CURL 7.85 REQUIRED)
add_library(imagesprint_curl STATIC
  ${CMAKE_CURRENT_LIST_DIR}/address_policy.cpp
  ${CMAKE_CURRENT_LIST_DIR}/curl_webhook_transport.cpp)
target_include_directories(imagesprint_curl PUBLIC ${CMAKE_SOURCE_DIR}/src)
target_link_libraries(imagesprint_curl PUBLIC imagesprint_domain PRIVATE CURL::libcurl)
imagesprint_warnings(imagesprint_curl)
