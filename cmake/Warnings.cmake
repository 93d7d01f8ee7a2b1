# Warnings for our own targets. IMAGESPRINT_WERROR (on in CI and in every preset) makes them errors.
option(IMAGESPRINT_WERROR "Treat warnings in our own code as errors" ON)

function(imagesprint_warnings target)
  target_compile_options(${target} PRIVATE
    -Wall -Wextra -Wpedantic -Wshadow -Wnon-virtual-dtor -Wcast-align -Woverloaded-virtual
    -Wimplicit-fallthrough -Wno-missing-field-initializers)
  # GCC 12 reports false -Wrestrict positives inside std::string concatenation at -O2/-O3
  # (GCC bug 105329); nothing in our code does overlapping copies by hand.
  if(CMAKE_CXX_COMPILER_ID STREQUAL "GNU" AND CMAKE_CXX_COMPILER_VERSION VERSION_LESS 13)
    target_compile_options(${target} PRIVATE -Wno-restrict)
  endif()
  if(IMAGESPRINT_WERROR)
    target_compile_options(${target} PRIVATE -Werror)
  endif()
endfunction()
