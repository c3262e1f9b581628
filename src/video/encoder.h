#pragma once
// Writing BGR frames to a video file (H.264 in MP4 when FFmpeg has an H.264 encoder, MPEG-4 Part 2
// otherwise), for the annotated output a person watches.

#include <filesystem>
#include <memory>

#include <opencv2/core/mat.hpp>

namespace sn44::video {

class Encoder {
 public:
  // Throws Error(invalid_argument) for a path FFmpeg cannot write (unknown extension, no such folder).
  Encoder(const std::filesystem::path& path, int width, int height, double fps);
  ~Encoder();  // finishes the file if finish() was not called; errors are then ignored
  Encoder(const Encoder&) = delete;
  Encoder& operator=(const Encoder&) = delete;

  void write(const cv::Mat& bgr);  // CV_8UC3 of the size given to the constructor
  void finish();                   // drains the encoder and writes the trailer

 private:
  struct State;
  std::unique_ptr<State> state_;
};

}  // namespace sn44::video
