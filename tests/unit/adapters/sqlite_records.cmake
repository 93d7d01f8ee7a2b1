imagesprint_unit_test(unit_sqlite_records LABEL unit
  SOURCES ${CMAKE_CURRENT_LIST_DIR}/sqlite_records/sqlite_preset_store_test.cpp
  LIBS imagesprint_sqlite_records)
