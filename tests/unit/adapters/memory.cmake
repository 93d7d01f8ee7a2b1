imagesprint_unit_test(unit_memory LABEL unit
  SOURCES ${CMAKE_CURRENT_LIST_DIR}/memory/in_process_event_bus_test.cpp
  LIBS imagesprint_memory)
