# The tests' HTTP client (http_server/test_client.hpp), also used by tests/unit/api: one library,
# so that its Beast-heavy source is compiled once per build, not once per test executable.
add_library(imagesprint_test_http_client STATIC ${CMAKE_CURRENT_LIST_DIR}/http_server/test_client.cpp)
target_link_libraries(imagesprint_test_http_client PUBLIC imagesprint_http imagesprint_test_support)
imagesprint_warnings(imagesprint_test_http_client)

# Unit tests of the HTTP transport: a real server on 127.0.0.1, real clients over TCP.
imagesprint_unit_test(unit_http_server LABEL unit
  SOURCES
    ${CMAKE_CURRENT_LIST_DIR}/http_server/router_test.cpp
    ${CMAKE_CURRENT_LIST_DIR}/http_server/response_test.cpp
    ${CMAKE_CURRENT_LIST_DIR}/http_server/accept_language_test.cpp
    ${CMAKE_CURRENT_LIST_DIR}/http_server/server_test.cpp
    ${CMAKE_CURRENT_LIST_DIR}/http_server/server_limits_test.cpp
    ${CMAKE_CURRENT_LIST_DIR}/http_server/server_streaming_test.cpp
    ${CMAKE_CURRENT_LIST_DIR}/http_server/server_sse_test.cpp
    ${CMAKE_CURRENT_LIST_DIR}/http_server/server_shutdown_test.cpp
    ${CMAKE_CURRENT_LIST_DIR}/http_server/static_site_test.cpp
    ${CMAKE_CURRENT_LIST_DIR}/http_server/trusted_proxies_test.cpp
  LIBS imagesprint_http imagesprint_test_http_client)
