# Cryptography through libsodium.
pkg_check_modules(SODIUM REQUIRED IMPORTED_TARGET GLOBAL libsodium)
add_library(imagesprint_sodium STATIC ${CMAKE_CURRENT_LIST_DIR}/sodium_secrets.cpp)
target_include_directories(imagesprint_sodium PUBLIC ${CMAKE_SOURCE_DIR}/src)
target_link_libraries(imagesprint_sodium PRIVATE PkgConfig::SODIUM)
imagesprint_warnings(imagesprint_sodium)
