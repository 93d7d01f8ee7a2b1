# The records (jobs, accounts, notifications) on SQLite through SOCI.
add_library(imagesprint_sqlite_records STATIC
  ${CMAKE_CURRENT_LIST_DIR}/database_pool.cpp
  ${CMAKE_CURRENT_LIST_DIR}/records_schema.cpp
  ${CMAKE_CURRENT_LIST_DIR}/row_values.cpp
  ${CMAKE_CURRENT_LIST_DIR}/sqlite_account_store.cpp
  ${CMAKE_CURRENT_LIST_DIR}/sqlite_job_store.cpp
  ${CMAKE_CURRENT_LIST_DIR}/sqlite_notification_store.cpp
  ${CMAKE_CURRENT_LIST_DIR}/sqlite_preset_store.cpp
  ${CMAKE_CURRENT_LIST_DIR}/sqlite_webhook_store.cpp)
target_include_directories(imagesprint_sqlite_records PUBLIC ${CMAKE_SOURCE_DIR}/src)
target_link_libraries(imagesprint_sqlite_records PUBLIC imagesprint_domain soci_core soci_sqlite3)
imagesprint_warnings(imagesprint_sqlite_records)
