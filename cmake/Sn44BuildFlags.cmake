# One interface target carries the project's warning and sanitizer flags, so that every library,
# executable and test links the same settings and nothing is set globally.
add_library(sn44_build_flags INTERFACE)
target_compile_options(sn44_build_flags INTERFACE
  -Wall -Wextra -Wpedantic -Wshadow -Wnon-virtual-dtor -Woverloaded-virtual -Wimplicit-fallthrough
  $<$<BOOL:${SN44_WARNINGS_AS_ERRORS}>:-Werror>)

if(SN44_SANITIZE)
  set(_sn44_sanitizers -fsanitize=address,undefined -fno-sanitize-recover=undefined -fno-omit-frame-pointer)
  target_compile_options(sn44_build_flags INTERFACE ${_sn44_sanitizers})
  target_link_options(sn44_build_flags INTERFACE ${_sn44_sanitizers})
endif()

if(SN44_BUILD_FUZZ)
  # Coverage feedback for libFuzzer in every library the fuzz targets link, plus the sanitizers;
  # undefined behaviour aborts, so that libFuzzer keeps the input and the run fails.
  set(_sn44_fuzz_flags -fsanitize=fuzzer-no-link,address,undefined -fno-sanitize-recover=undefined -fno-omit-frame-pointer)
  target_compile_options(sn44_build_flags INTERFACE ${_sn44_fuzz_flags})
  target_link_options(sn44_build_flags INTERFACE -fsanitize=address,undefined)
endif()
