#pragma once
// Plain value types shared by every stage of the pipeline: what the detector produces, what the
// tracker outputs, and what one frame of the result holds. No behaviour lives here.

#include <array>
#include <cstdint>
#include <vector>

namespace sn44 {

// Axis-aligned box in pixel coordinates of the original frame: (x1, y1) top-left, (x2, y2) bottom-right.
struct Box {
  float x1 = 0, y1 = 0, x2 = 0, y2 = 0;

  float width() const { return x2 - x1; }
  float height() const { return y2 - y1; }
  float area() const { return width() > 0 && height() > 0 ? width() * height() : 0.0f; }
  bool operator==(const Box&) const = default;
};

// Classes of the player model, in the validator's numbering.
enum class ObjectClass : int { ball = 0, goalkeeper = 1, player = 2, referee = 3 };

struct Detection {
  Box box;
  float score = 0;
  int class_id = 0;
};

// A pitch keypoint in frame pixels; conf is the model's visibility confidence.
struct Keypoint {
  float x = 0, y = 0, conf = 0;
};

// The subnet's pitch has 32 vertices; the result always carries 32 (x, y) pairs, (0, 0) when not seen.
inline constexpr int kPitchKeypointCount = 32;
using PitchKeypoints = std::array<std::array<float, 2>, kPitchKeypointCount>;

struct TrackedObject {
  int64_t track_id = 0;
  Box box;
  int class_id = 0;
  float score = 0;
};

struct FrameResult {
  int64_t frame_number = 0;
  PitchKeypoints keypoints{};
  std::vector<TrackedObject> objects;
};

}  // namespace sn44
