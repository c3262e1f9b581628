// libFuzzer target for the MP4 box walk that decides whether a download is decoded as a stream
// (video/mp4_layout): its bytes come from whatever server the challenge names. Each input is a
// whole file, kept in memory (memfd) and read through its /proc path. Findings: a crash, a
// sanitizer report, or an error thrown for a file that was readable.

#include <sys/mman.h>
#include <unistd.h>

#include <cstdint>
#include <cstdlib>
#include <string>

#include "core/growing_file.h"
#include "video/mp4_layout.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  static const int memory_file = memfd_create("mp4_layout_fuzz", MFD_CLOEXEC);
  if (memory_file < 0 || ftruncate(memory_file, 0) != 0) std::abort();
  if (size > 0 && pwrite(memory_file, data, size, 0) != static_cast<ssize_t>(size)) std::abort();
  sn44::GrowingFile file("/proc/self/fd/" + std::to_string(memory_file));
  file.grew_to(static_cast<int64_t>(size));
  file.complete();
  try {
    sn44::video::mp4_index_position(file);
  } catch (...) {
    std::abort();
  }
  return 0;
}
