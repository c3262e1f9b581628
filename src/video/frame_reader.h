#pragma once
// Decoding on a background thread into a bounded queue, so that decoding overlaps inference and the
// first frame is available as soon as it is decoded. The queue bounds memory: at most `prefetch`
// frames wait for the consumer.

#include <chrono>
#include <condition_variable>
#include <deque>
#include <exception>
#include <filesystem>
#include <mutex>
#include <optional>
#include <string>
#include <thread>

#include "video/decoder.h"

namespace sn44::video {

class FrameReader {
 public:
  // Opens the video in the calling thread (so that open errors are thrown here), then starts decoding.
  FrameReader(const std::filesystem::path& path, const DecoderOptions& options, size_t prefetch);
  // The same for a video still downloading: the decode thread keeps pace with the download.
  FrameReader(const GrowingFile& file, const DecoderOptions& options, size_t prefetch);
  ~FrameReader();  // stops and joins the decode thread (also one waiting for the download), dropping frames not taken
  FrameReader(const FrameReader&) = delete;
  FrameReader& operator=(const FrameReader&) = delete;

  const VideoInfo& info() const { return info_; }

  // The next frame in order; nullopt once every frame was delivered. Blocks while the decoder is
  // behind. A decoding error is rethrown here, after the frames decoded before it.
  std::optional<Frame> next();

  // Seconds the decode thread spent decoding and converting (excluding waits on a full queue).
  double decode_seconds() const;

  // Once next() has returned nullopt: why the stream ended early (Decoder::damage), or empty.
  std::string damage() const;

 private:
  FrameReader(Decoder decoder, size_t prefetch);  // both public constructors end here
  void decode_loop();

  Decoder decoder_;
  VideoInfo info_;
  size_t capacity_;
  mutable std::mutex mutex_;
  std::condition_variable frame_ready_;
  std::condition_variable space_ready_;
  std::deque<Frame> queue_;
  bool end_of_stream_ = false;
  bool stop_ = false;
  std::exception_ptr error_;
  std::string damage_;
  std::chrono::steady_clock::duration decode_time_{};
  std::thread thread_;
};

}  // namespace sn44::video
