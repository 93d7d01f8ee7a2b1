# Unit tests of the S3 adapter (no server): SigV4 on the AWS test suite vectors and against the npm
# @smithy/signature-v4 signer, the content disposition, the retry policy, the XML answers and the
# setting string. Included from tests/unit/CMakeLists.txt.
find_program(IMAGESPRINT_NODE_EXECUTABLE node)
if(NOT IMAGESPRINT_NODE_EXECUTABLE)
  set(IMAGESPRINT_NODE_EXECUTABLE "")
endif()
imagesprint_unit_test(unit_s3 LABEL unit
  SOURCES
    ${CMAKE_CURRENT_LIST_DIR}/presign_smithy_test.cpp
    ${CMAKE_CURRENT_LIST_DIR}/s3_config_test.cpp
    ${CMAKE_CURRENT_LIST_DIR}/s3_pieces_test.cpp
    ${CMAKE_CURRENT_LIST_DIR}/sigv4_vectors_test.cpp
  LIBS imagesprint_s3 nlohmann_json::nlohmann_json)
set_source_files_properties(${CMAKE_CURRENT_LIST_DIR}/sigv4_vectors_test.cpp PROPERTIES
  COMPILE_DEFINITIONS IMAGESPRINT_SIGV4_VECTORS_DIR="${CMAKE_SOURCE_DIR}/tests/data/sigv4")
set_source_files_properties(${CMAKE_CURRENT_LIST_DIR}/presign_smithy_test.cpp PROPERTIES COMPILE_DEFINITIONS
  "IMAGESPRINT_NODE=\"${IMAGESPRINT_NODE_EXECUTABLE}\";IMAGESPRINT_SMITHY_SCRIPT=\"${CMAKE_CURRENT_LIST_DIR}/smithy_presign.mjs\"")
