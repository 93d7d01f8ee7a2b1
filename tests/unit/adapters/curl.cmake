# Unit tests of the libcurl adapter: the address policy as tables.
imagesprint_unit_test(unit_curl LABEL unit
  SOURCES
    ${CMAKE_CURRENT_LIST_DIR}/curl/address_policy_test.cpp
  LIBS imagesprint_curl)
