#pragma once

#include <opencv2/core/mat.hpp>

#include <cstdint>

namespace sn44::video {

// One decoded frame, BGR 8-bit (the layout OpenCV and the reference miner use).
struct Frame {
  int64_t index = 0;  // 0-based position in decode order, which is the result's frame_number
  cv::Mat bgr;        // CV_8UC3, continuous
};

// What the container says about the video stream. The frame count is the header's claim only:
// trimmed clips over-state it, so the pipeline counts frames by decoding them.
struct VideoInfo {
  int width = 0;   // of the frames as decoded, after the display rotation
  int height = 0;
  int rotation_degrees = 0;  // clockwise turn applied to each frame by the stream's display matrix: 0, 90, 180 or 270
  double fps = 0;
  int64_t header_frame_count = 0;  // 0 when the container does not say
  const char* codec_name = "";
};

}  // namespace sn44::video
