add_library(imagesprint_prometheus STATIC ${CMAKE_CURRENT_LIST_DIR}/registry.cpp)
target_include_directories(imagesprint_prometheus PUBLIC ${CMAKE_SOURCE_DIR}/src)
imagesprint_warnings(imagesprint_prometheus)
