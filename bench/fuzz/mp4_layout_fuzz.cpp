// libFuzzer target for the MP4 box walk that decides whether a download is decoded as a stream
// (video/mp4_layout): its bytes come from whatever server the challenge names. Each input is a
// whole file (memory_download.h). Findings: a crash, a sanitizer report, or an error thrown for a
// file that was readable.

#include <cstdint>
#include <cstdlib>

#include "memory_download.h"
#include "video/mp4_layout.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const sn44::fuzz::MemoryDownload download(data, size);
  try {
    sn44::video::mp4_index_position(download.file);
  } catch (...) {
    std::abort();
  }
  return 0;
}
