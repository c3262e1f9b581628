#include "inference/letterbox.h"

#include <algorithm>
#include <array>
#include <cmath>
#include <opencv2/imgproc.hpp>

namespace sn44::inference {
namespace {

// Python's round(): halves go to the even neighbour. std::nearbyint does that in the default
// floating-point rounding mode, which the miner never changes.
int python_round(double value) { return static_cast<int>(std::nearbyint(value)); }

// ultralytics' "gain" and wh padding as scale_boxes / scale_coords compute them, from the shapes only.
struct InverseTransform {
  double gain;
  double pad_x;
  double pad_y;
};

InverseTransform inverse_transform(const LetterboxGeometry& g) {
  const double gain = std::min(static_cast<double>(g.input.height) / g.frame.height,
                               static_cast<double>(g.input.width) / g.frame.width);
  return {gain, (g.input.width - g.frame.width * gain) / 2, (g.input.height - g.frame.height * gain) / 2};
}

// 8-bit value to its normalised float exactly as numpy/torch compute it (float32 v / 255).
const std::array<float, 256>& unit_scale_table() {
  static const std::array<float, 256> table = [] {
    std::array<float, 256> values{};
    for (int v = 0; v < 256; ++v) values[static_cast<size_t>(v)] = static_cast<float>(v) / 255.0f;
    return values;
  }();
  return table;
}

// The frame scaled to fit `target` and padded up to it, or with a `stride` only up to the next
// multiple of the stride; the padding split as ultralytics splits it.
LetterboxGeometry scaled_and_padded(cv::Size frame, cv::Size target, int stride) {
  LetterboxGeometry g;
  g.frame = frame;
  g.scale = std::min(static_cast<double>(target.height) / frame.height, static_cast<double>(target.width) / frame.width);
  g.resized = cv::Size(python_round(frame.width * g.scale), python_round(frame.height * g.scale));
  int dw = target.width - g.resized.width;
  int dh = target.height - g.resized.height;
  if (stride > 0) {  // auto=True
    dw %= stride;
    dh %= stride;
  }
  g.input = cv::Size(g.resized.width + dw, g.resized.height + dh);
  g.pad_left = python_round(dw / 2.0 - 0.1);
  g.pad_right = python_round(dw / 2.0 + 0.1);
  g.pad_top = python_round(dh / 2.0 - 0.1);
  g.pad_bottom = python_round(dh / 2.0 + 0.1);
  return g;
}

}  // namespace

LetterboxGeometry compute_letterbox(cv::Size frame, cv::Size input) { return scaled_and_padded(frame, input, 0); }

LetterboxGeometry compute_letterbox_to_stride(cv::Size frame, cv::Size largest, int stride) {
  return scaled_and_padded(frame, largest, stride);
}

void letterbox_to_chw(const cv::Mat& bgr, const LetterboxGeometry& g, float* chw_rgb, cv::Mat& resize_buffer) {
  const cv::Mat* source = &bgr;
  if (bgr.size() != g.resized) {
    cv::resize(bgr, resize_buffer, g.resized, 0, 0, cv::INTER_LINEAR);
    source = &resize_buffer;
  }
  const auto& to_unit = unit_scale_table();
  const float pad_value = to_unit[114];
  const size_t plane = static_cast<size_t>(g.input.width) * static_cast<size_t>(g.input.height);
  float* red = chw_rgb;
  float* green = chw_rgb + plane;
  float* blue = chw_rgb + 2 * plane;
  std::fill(chw_rgb, chw_rgb + 3 * plane, pad_value);
  // Copies the resized image into its place inside the padding; rows of the three planes at once.
  const int width = std::min(g.resized.width, g.input.width - g.pad_left);
  const int height = std::min(g.resized.height, g.input.height - g.pad_top);
  for (int y = 0; y < height; ++y) {
    const uint8_t* pixel = source->ptr<uint8_t>(y);
    const size_t offset = static_cast<size_t>(y + g.pad_top) * static_cast<size_t>(g.input.width) +
                          static_cast<size_t>(g.pad_left);
    for (int x = 0; x < width; ++x, pixel += 3) {
      blue[offset + static_cast<size_t>(x)] = to_unit[pixel[0]];
      green[offset + static_cast<size_t>(x)] = to_unit[pixel[1]];
      red[offset + static_cast<size_t>(x)] = to_unit[pixel[2]];
    }
  }
}

Box box_to_frame(const Box& box, const LetterboxGeometry& g) {
  // scale_boxes: integer padding rounded from the unrounded one, then float32 tensor arithmetic.
  const InverseTransform t = inverse_transform(g);
  const float pad_x = static_cast<float>(python_round(t.pad_x - 0.1));
  const float pad_y = static_cast<float>(python_round(t.pad_y - 0.1));
  const float gain = static_cast<float>(t.gain);
  const float width = static_cast<float>(g.frame.width);
  const float height = static_cast<float>(g.frame.height);
  return Box{std::clamp((box.x1 - pad_x) / gain, 0.0f, width), std::clamp((box.y1 - pad_y) / gain, 0.0f, height),
             std::clamp((box.x2 - pad_x) / gain, 0.0f, width), std::clamp((box.y2 - pad_y) / gain, 0.0f, height)};
}

Keypoint keypoint_to_frame(const Keypoint& point, const LetterboxGeometry& g) {
  const InverseTransform t = inverse_transform(g);
  const float gain = static_cast<float>(t.gain);
  return Keypoint{std::clamp((point.x - static_cast<float>(t.pad_x)) / gain, 0.0f, static_cast<float>(g.frame.width)),
                  std::clamp((point.y - static_cast<float>(t.pad_y)) / gain, 0.0f, static_cast<float>(g.frame.height)),
                  point.conf};
}

}  // namespace sn44::inference
