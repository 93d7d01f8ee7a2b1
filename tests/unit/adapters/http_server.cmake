# Unit tests of the HTTP transport: a real server on 127.0.0.1, real clients over TCP.
imagesprint_unit_test(unit_http_server LABEL unit
  SOURCES
    ${CMAKE_CURRENT_LIST_DIR}/http_server/test_client.cpp
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
  LIBS imagesprint_http)
