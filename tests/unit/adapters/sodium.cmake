imagesprint_unit_test(unit_sodium LABEL unit
  SOURCES ${CMAKE_CURRENT_LIST_DIR}/sodium/sodium_secrets_test.cpp
  LIBS imagesprint_sodium)
