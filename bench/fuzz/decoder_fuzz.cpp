// libFuzzer target for decoding a downloaded clip (video/decoder over a GrowingFile): its bytes
// come from whatever server the challenge names. Each input is a whole file (memory_download.h),
// decoded up to 16 frames. Findings: a crash, a sanitizer report in the project's code (FFmpeg
// itself is not instrumented), or anything thrown that is not an sn44::Error, or an error after
// frames were decoded (damage ends the stream instead).

#include <cstdint>
#include <cstdlib>

#include "core/error.h"
#include "memory_download.h"
#include "video/decoder.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const sn44::fuzz::MemoryDownload download(data, size);
  // Small limits keep each input fast; the size checks are part of what is fuzzed.
  const sn44::video::DecoderOptions options{.threads = 1, .max_width = 1920, .max_height = 1920, .max_frames = 16};
  int frames = 0;
  try {
    sn44::video::Decoder decoder(download.file, options);
    while (const auto frame = decoder.next()) {
      if (frame->bgr.cols != decoder.info().width || frame->bgr.rows != decoder.info().height) std::abort();
      ++frames;
    }
  } catch (const sn44::Error& error) {
    // Past the first frame only the frame limit and a frame size change are errors.
    if (frames > 0 && error.kind() != sn44::ErrorKind::too_large && error.kind() != sn44::ErrorKind::unsupported) std::abort();
  } catch (...) {
    std::abort();
  }
  return 0;
}
