# Defines the imported target imagesprint::vips.
# Default: the pinned npm prebuilt (@img/sharp-libvips-linux-x64 + @img/sharp-libvips-dev, libvips 8.18)
# installed by scripts/install-deps.sh into node_modules. Its libvips-cpp already contains the C++
# binding (vips::VImage) and exports only vips_* and g_* symbols, so its bundled codecs never clash
# with the system libraries we also link (libheif, libarchive).
# -DIMAGESPRINT_SYSTEM_LIBVIPS=ON builds against Debian's libvips-dev (pkg-config vips-cpp) instead.
option(IMAGESPRINT_SYSTEM_LIBVIPS "Use the system libvips (pkg-config vips-cpp) instead of the npm prebuilt" OFF)

add_library(imagesprint_vips INTERFACE)
add_library(imagesprint::vips ALIAS imagesprint_vips)

if(IMAGESPRINT_SYSTEM_LIBVIPS)
  find_package(PkgConfig REQUIRED)
  pkg_check_modules(VIPS REQUIRED IMPORTED_TARGET vips-cpp>=8.14)
  target_link_libraries(imagesprint_vips INTERFACE PkgConfig::VIPS)
  message(STATUS "libvips: system ${VIPS_VERSION}")
else()
  set(_npm "${CMAKE_SOURCE_DIR}/node_modules/@img")
  set(_lib_dir "${_npm}/sharp-libvips-linux-x64/lib")
  file(GLOB _vips_lib "${_lib_dir}/libvips-cpp.so.*")
  if(NOT _vips_lib OR NOT EXISTS "${_npm}/sharp-libvips-dev/include/vips/vips8")
    message(FATAL_ERROR "npm libvips not found under ${_npm}: run scripts/install-deps.sh (npm ci) first, "
                        "or configure with -DIMAGESPRINT_SYSTEM_LIBVIPS=ON")
  endif()
  list(GET _vips_lib 0 _vips_lib)
  # SYSTEM: third-party headers must not trip our -Werror. The npm include folder also carries
  # codec headers (archive.h, libheif/, png.h ...) that must never shadow the system ones, so only
  # targets that talk to libvips get these include directories.
  target_include_directories(imagesprint_vips SYSTEM INTERFACE
    "${_npm}/sharp-libvips-dev/include"
    "${_npm}/sharp-libvips-dev/include/glib-2.0"
    "${_lib_dir}/glib-2.0/include")
  target_link_libraries(imagesprint_vips INTERFACE "${_vips_lib}")
  # The binary finds the library at run time without LD_LIBRARY_PATH.
  target_link_options(imagesprint_vips INTERFACE "LINKER:-rpath,${_lib_dir}")
  message(STATUS "libvips: npm prebuilt ${_vips_lib}")
endif()
