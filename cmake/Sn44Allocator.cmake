# sn44_allocator: the malloc the executables link. LibTorch frees and re-allocates tens to hundreds
# of megabytes of activations in every forward pass. glibc's malloc hands such blocks back to the
# kernel (mmap/munmap, heap trimming), so each pass pays page faults to get zeroed pages again:
# 2.3 million faults and 20-30% of the forward time on a CPU (docs/benchmarks.md). tcmalloc keeps
# freed pages for the next pass. The sanitizers bring their own malloc, so those builds keep it.
option(SN44_TCMALLOC "Link the executables with tcmalloc (gperftools)" ON)

add_library(sn44_allocator INTERFACE)
if(SN44_TCMALLOC AND NOT SN44_SANITIZE AND NOT SN44_BUILD_FUZZ)
  find_package(PkgConfig REQUIRED)
  pkg_check_modules(TCMALLOC REQUIRED IMPORTED_TARGET libtcmalloc_minimal)
  target_link_libraries(sn44_allocator INTERFACE PkgConfig::TCMALLOC)
  set(SN44_ALLOCATOR_NAME "tcmalloc")
else()
  set(SN44_ALLOCATOR_NAME "system malloc")
endif()
