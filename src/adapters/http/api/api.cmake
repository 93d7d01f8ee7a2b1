# The REST API on the HTTP transport: thin handlers over the use cases.
add_library(imagesprint_api STATIC
  ${CMAKE_CURRENT_LIST_DIR}/account_routes.cpp
  ${CMAKE_CURRENT_LIST_DIR}/event_routes.cpp
  ${CMAKE_CURRENT_LIST_DIR}/job_routes.cpp
  ${CMAKE_CURRENT_LIST_DIR}/limits_routes.cpp
  ${CMAKE_CURRENT_LIST_DIR}/notification_routes.cpp
  ${CMAKE_CURRENT_LIST_DIR}/preset_routes.cpp
  ${CMAKE_CURRENT_LIST_DIR}/preview_routes.cpp
  ${CMAKE_CURRENT_LIST_DIR}/system_routes.cpp
  ${CMAKE_CURRENT_LIST_DIR}/upload_arrivals.cpp
  ${CMAKE_CURRENT_LIST_DIR}/upload_routes.cpp
  ${CMAKE_CURRENT_LIST_DIR}/webhook_routes.cpp)
target_link_libraries(imagesprint_api PUBLIC imagesprint_http imagesprint_app imagesprint_multipart)
imagesprint_warnings(imagesprint_api)
