# Unit tests of the HTTP transport: a real server on 127.0.0.1, real clients over TCP.
imagesprint_unit_test(unit_http_server LABEL unit
  SOURCES
    ${CMAKE_CURRENT_LIST_DIR}/http_server/router_test.cpp
    ${CMAKE_CURRENT_LIST_DIR}/http_server/response_test.cpp
  LIBS imagesprint_http)
