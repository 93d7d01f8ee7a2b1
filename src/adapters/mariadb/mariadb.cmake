# The records on MariaDB/MySQL: the shared SQL stores (adapters/sql) on a pool of SOCI mysql
# sessions (libmariadb) in MariaDB's dialect, and the `mysql://` URL of the `database` setting.
pkg_check_modules(IMAGESPRINT_LIBMARIADB REQUIRED IMPORTED_TARGET GLOBAL libmariadb)
add_library(imagesprint_mariadb_records STATIC
  ${CMAKE_CURRENT_LIST_DIR}/mariadb_dialect.cpp
  ${CMAKE_CURRENT_LIST_DIR}/mariadb_pool.cpp
  ${CMAKE_CURRENT_LIST_DIR}/mariadb_settings.cpp)
target_include_directories(imagesprint_mariadb_records PUBLIC ${CMAKE_SOURCE_DIR}/src)
target_link_libraries(imagesprint_mariadb_records
  PUBLIC imagesprint_sql_records soci_core
  PRIVATE soci_mysql PkgConfig::IMAGESPRINT_LIBMARIADB)
imagesprint_warnings(imagesprint_mariadb_records)
