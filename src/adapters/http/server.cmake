# The HTTP transport (Boost.Beast + Asio coroutines): server, router, responses, SSE.
# Included from src/CMakeLists.txt; knows nothing of jobs or libvips.
find_package(Boost 1.74 REQUIRED)
find_package(spdlog REQUIRED)

add_library(imagesprint_http STATIC
  ${CMAKE_CURRENT_LIST_DIR}/accept_language.cpp
  ${CMAKE_CURRENT_LIST_DIR}/blocking_pool.cpp
  ${CMAKE_CURRENT_LIST_DIR}/http_error.cpp
  ${CMAKE_CURRENT_LIST_DIR}/query_names.cpp
  ${CMAKE_CURRENT_LIST_DIR}/request.cpp
  ${CMAKE_CURRENT_LIST_DIR}/response.cpp
  ${CMAKE_CURRENT_LIST_DIR}/router.cpp
  ${CMAKE_CURRENT_LIST_DIR}/server.cpp
  ${CMAKE_CURRENT_LIST_DIR}/server_config.cpp
  ${CMAKE_CURRENT_LIST_DIR}/server_metrics.cpp
  ${CMAKE_CURRENT_LIST_DIR}/server_context.cpp
  ${CMAKE_CURRENT_LIST_DIR}/server_session.cpp
  ${CMAKE_CURRENT_LIST_DIR}/trusted_proxies.cpp
  ${CMAKE_CURRENT_LIST_DIR}/session_events.cpp
  ${CMAKE_CURRENT_LIST_DIR}/session_responses.cpp
  ${CMAKE_CURRENT_LIST_DIR}/sse.cpp
  ${CMAKE_CURRENT_LIST_DIR}/static_site.cpp
  ${CMAKE_CURRENT_LIST_DIR}/url.cpp)
target_include_directories(imagesprint_http PUBLIC ${CMAKE_CURRENT_LIST_DIR}/../..)
target_link_libraries(imagesprint_http
  PUBLIC imagesprint_domain Boost::headers spdlog::spdlog nlohmann_json::nlohmann_json Threads::Threads)
# Asio without the deprecated pre-1.70 executor interfaces: smaller, and what the coroutine
# examples are written against.
target_compile_definitions(imagesprint_http PUBLIC BOOST_ASIO_NO_DEPRECATED)
imagesprint_warnings(imagesprint_http)
# GCC pairs Asio's awaitable-frame operator new with its sized operator delete wrongly after
# inlining and reports -Wmismatched-new-delete at the end of coroutines (GCC PR middle-end/109224,
# seen here at -O2 in the asan preset). PUBLIC: every target writing handlers as Asio coroutines
# meets it.
if(CMAKE_CXX_COMPILER_ID STREQUAL "GNU")
  target_compile_options(imagesprint_http PUBLIC -Wno-mismatched-new-delete)
endif()
