# Outbound HTTP for webhooks on libcurl, with the address policy (SSRF guard) it applies.
# Included from src/CMakeLists.txt.
add_library(imagesprint_curl STATIC
  ${CMAKE_CURRENT_LIST_DIR}/address_policy.cpp)
target_include_directories(imagesprint_curl PUBLIC ${CMAKE_SOURCE_DIR}/src)
target_link_libraries(imagesprint_curl PUBLIC imagesprint_domain)
imagesprint_warnings(imagesprint_curl)
