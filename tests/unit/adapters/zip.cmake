imagesprint_unit_test(unit_zip LABEL unit
  SOURCES ${CMAKE_CURRENT_LIST_DIR}/zip/zip_archive_writer_test.cpp
  LIBS imagesprint_zip LibArchive::LibArchive)
