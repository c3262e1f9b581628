#pragma once
// Decoding a video file, whole or still downloading, into BGR frames with FFmpeg
// (libavformat/libavcodec/libswscale).
// Frame-threaded decoding; the colour conversion and the turn by a display matrix are the ones
// OpenCV's VideoCapture does (the reference miner reads frames that way), so both see the same pixels.

#include <filesystem>
#include <memory>
#include <optional>
#include <string>

#include "core/growing_file.h"
#include "video/frame.h"

namespace sn44::video {

struct DecoderOptions {
  int threads = 0;                       // decoder threads; 0 lets FFmpeg pick (one per core)
  int max_width = 7680;                  // larger frames are refused (memory bound)
  int max_height = 4320;
  int64_t max_frames = 100'000;          // decoding stops with an error past this many frames
};

class Decoder {
 public:
  // Opens the file and its first video stream (the one OpenCV's VideoCapture reads). Throws
  // Error: not_found (no such file), unsupported (no video stream, unknown codec, frame size over
  // the limits), corrupt_data (unreadable container).
  explicit Decoder(const std::filesystem::path& path, const DecoderOptions& options = {});
  // The same for a file still being written (a download): reads wait for the bytes they need, so
  // decoding keeps pace with the download. A failed download's error is thrown as it is, from
  // here or from next().
  explicit Decoder(const GrowingFile& file, const DecoderOptions& options = {});
  ~Decoder();
  Decoder(const Decoder&) = delete;
  Decoder& operator=(const Decoder&) = delete;
  Decoder(Decoder&&) noexcept;  // FFmpeg's state stays where it is; only its owner changes
  Decoder& operator=(Decoder&&) noexcept;

  const VideoInfo& info() const;

  // The next frame in decode order, or nullopt at the end of the stream. A stream damaged after
  // its first frame (truncated file, undecodable data) ends there, as with OpenCV's VideoCapture,
  // and damage() says why. Throws Error: corrupt_data (damage before the first frame),
  // too_large (more than max_frames), or a download's own error.
  std::optional<Frame> next();

  // Why the stream ended before the end of the file; empty when it did not (or has not yet).
  const std::string& damage() const;

  // Makes a read that waits for a download give up, from any thread: the blocked next() (or the
  // constructor) throws Error(timeout). For owners that stop decoding before the end.
  void interrupt();

 private:
  struct State;
  std::unique_ptr<State> state_;
};

}  // namespace sn44::video
