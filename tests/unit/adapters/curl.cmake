# Unit tests of the libcurl adapter: the address policy as tables, the transport against a real
# receiver on 127.0.0.1.
imagesprint_unit_test(unit_curl LABEL unit
  SOURCES
    ${CMAKE_CURRENT_LIST_DIR}/curl/address_policy_test.cpp
    ${CMAKE_CURRENT_LIST_DIR}/curl/curl_webhook_transport_test.cpp
    ${CMAKE_CURRENT_LIST_DIR}/curl/local_receiver.cpp
  LIBS imagesprint_curl)
