# The record stores (jobs, accounts, notifications, webhooks, presets,
# uploads) on SQL through SOCI, one
# class per port for every database, and the seam the databases implement (SqlDialect,
# SqlDatabase): adapters/sqlite and adapters/mariadb link this library and add their dialect and
# connection pool.
add_library(imagesprint_sql_records STATIC
  ${CMAKE_CURRENT_LIST_DIR}/records_migrations.cpp
  ${CMAKE_CURRENT_LIST_DIR}/row_values.cpp
  ${CMAKE_CURRENT_LIST_DIR}/sql_account_store.cpp
  ${CMAKE_CURRENT_LIST_DIR}/sql_database.cpp
  ${CMAKE_CURRENT_LIST_DIR}/sql_dialect.cpp
  ${CMAKE_CURRENT_LIST_DIR}/sql_job_store.cpp
  ${CMAKE_CURRENT_LIST_DIR}/sql_notification_store.cpp
  ${CMAKE_CURRENT_LIST_DIR}/sql_preset_store.cpp
  ${CMAKE_CURRENT_LIST_DIR}/sql_upload_store.cpp
  ${CMAKE_CURRENT_LIST_DIR}/sql_webhook_store.cpp)
target_include_directories(imagesprint_sql_records PUBLIC ${CMAKE_SOURCE_DIR}/src)
target_link_libraries(imagesprint_sql_records PUBLIC imagesprint_domain imagesprint_ports soci_core)
imagesprint_warnings(imagesprint_sql_records)
