# The records on SQLite: the shared SQL stores (adapters/sql) on a pool of SQLite sessions in
# SQLite's dialect. The task queue (adapters/CMakeLists.txt) uses the same pool.
add_library(imagesprint_sqlite_records STATIC
  ${CMAKE_CURRENT_LIST_DIR}/database_pool.cpp
  ${CMAKE_CURRENT_LIST_DIR}/sqlite_dialect.cpp)
target_include_directories(imagesprint_sqlite_records PUBLIC ${CMAKE_SOURCE_DIR}/src)
target_link_libraries(imagesprint_sqlite_records PUBLIC imagesprint_sql_records soci_core soci_sqlite3)
imagesprint_warnings(imagesprint_sqlite_records)
