# In-process adapters for the embedded `serve`.
add_library(imagesprint_memory STATIC ${CMAKE_CURRENT_LIST_DIR}/in_process_event_bus.cpp)
target_include_directories(imagesprint_memory PUBLIC ${CMAKE_SOURCE_DIR}/src)
target_link_libraries(imagesprint_memory PUBLIC Threads::Threads)
imagesprint_warnings(imagesprint_memory)
