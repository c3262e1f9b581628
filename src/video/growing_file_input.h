#pragma once
// FFmpeg's input for a video that is still downloading (see core/growing_file.h).

#include <cstdint>
#include <optional>
#include <stop_token>

#include "core/error.h"
#include "core/growing_file.h"
#include "core/unique_fd.h"

struct AVIOContext;

namespace sn44::video {

// Reads a GrowingFile for FFmpeg: each read waits until the download has the bytes it asks for (or
// has ended), then takes them from the file. FFmpeg's file protocol would take a short file for a
// truncated one. The MP4 demuxer seeks (to the index at the end of some files, back to the first
// frame): a seek only moves the position, and the next read waits for that part of the file.
class GrowingFileInput {
 public:
  enum class Access {
    seekable,    // any file; the demuxer may ask for its size, which waits until the size is known
    sequential,  // a file read front to back, as a stream: no size needed, so no wait for one
  };

  // Opens file.path() for reading; Error(not_found) when it cannot.
  GrowingFileInput(const GrowingFile& file, Access access);
  ~GrowingFileInput();
  GrowingFileInput(const GrowingFileInput&) = delete;
  GrowingFileInput& operator=(const GrowingFileInput&) = delete;

  // The reader to set as the demuxer's `pb`; owned by this object.
  AVIOContext* context() const { return context_; }
  // Ends a read that waits for bytes: it fails, and failure() says it was interrupted.
  void interrupt() { interrupt_.request_stop(); }
  // Why the last read or seek failed: the download's error, or the interruption.
  const std::optional<Error>& failure() const { return failure_; }

 private:
  static int read(void* opaque, uint8_t* buffer, int size);
  static int64_t seek(void* opaque, int64_t offset, int whence);

  const GrowingFile& file_;
  UniqueFd fd_;
  int64_t position_ = 0;
  AVIOContext* context_ = nullptr;
  std::stop_source interrupt_;
  std::optional<Error> failure_;
};

}  // namespace sn44::video
