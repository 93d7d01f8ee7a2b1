# ZIP archives through the system libarchive (never the npm libvips package's bundled headers).
add_library(imagesprint_zip STATIC ${CMAKE_CURRENT_LIST_DIR}/zip_archive_writer.cpp)
target_include_directories(imagesprint_zip PUBLIC ${CMAKE_SOURCE_DIR}/src)
target_link_libraries(imagesprint_zip PRIVATE LibArchive::LibArchive)
imagesprint_warnings(imagesprint_zip)
