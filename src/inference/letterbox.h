#pragma once
// ultralytics' LetterBox and its inverse (scale_boxes / scale_coords), reproduced to the pixel:
// the same rounding (Python's round-half-to-even), the same padding split and the same arithmetic,
// so that a box maps back to the frame exactly where the reference miner puts it.

#include <opencv2/core/mat.hpp>

#include "core/types.h"

namespace sn44::inference {

struct LetterboxGeometry {
  cv::Size frame;     // original frame size
  cv::Size input;     // model input size
  double scale = 1;   // r = min(target.h / frame.h, target.w / frame.w), target: the input or the largest one
  cv::Size resized;   // (round(frame.w * r), round(frame.h * r))
  int pad_left = 0, pad_top = 0, pad_right = 0, pad_bottom = 0;

  bool operator==(const LetterboxGeometry&) const = default;
};

// Into a fixed input (an export's shape): padded to `input` itself.
LetterboxGeometry compute_letterbox(cv::Size frame, cv::Size input);

// Into the smallest input that holds the frame scaled to fit `largest` and is a multiple of
// `stride` (ultralytics' LetterBox with auto=True, as it runs .pt models and dynamic-shape
// exports): a 16:9 frame scaled to 1280 wide runs at 1280x736.
LetterboxGeometry compute_letterbox_to_stride(cv::Size frame, cv::Size largest, int stride);

// Letterboxes a BGR frame into `chw_rgb` (3 x input.height x input.width floats, RGB planes, values
// in [0, 1], padding 114/255). `resize_buffer` is scratch space reused between calls.
void letterbox_to_chw(const cv::Mat& bgr, const LetterboxGeometry& geometry, float* chw_rgb, cv::Mat& resize_buffer);

// Maps a box from model-input pixels to frame pixels and clips it to the frame (scale_boxes).
Box box_to_frame(const Box& input_box, const LetterboxGeometry& geometry);

// Maps a keypoint from model-input pixels to frame pixels and clips it to the frame (scale_coords,
// which unlike scale_boxes does not round the padding).
Keypoint keypoint_to_frame(const Keypoint& input_point, const LetterboxGeometry& geometry);

}  // namespace sn44::inference
