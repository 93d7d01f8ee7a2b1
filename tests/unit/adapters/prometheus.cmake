imagesprint_unit_test(unit_prometheus LABEL unit
  SOURCES ${CMAKE_CURRENT_LIST_DIR}/prometheus/registry_test.cpp
  LIBS imagesprint_prometheus)
