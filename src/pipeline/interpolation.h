#pragma once
// Filling in the frames the models skip under FRAME_STRIDE: every decoded frame must appear in the
// result, so frames between two inferred frames get boxes and keypoints interpolated linearly
// between them. Nothing is extrapolated: a track appears in a skipped frame only when it is seen on
// both sides, and the pipeline always infers the last frame.

#include <vector>

#include "core/types.h"

namespace sn44::pipeline {

// What the models and the tracker produced for one inferred frame.
struct InferredFrame {
  int64_t frame_number = 0;
  std::array<Keypoint, kPitchKeypointCount> keypoints{};  // (0, 0) where not visible
  std::vector<TrackedObject> objects;
};

// The result entry of an inferred frame.
FrameResult to_frame_result(const InferredFrame& frame);

// The result entry of `frame_number`, strictly between `before` and `after` (two consecutive
// inferred frames). Objects: tracks present in both, boxes and scores interpolated, class and order
// from `before`. Keypoints: interpolated where visible in both, else those of the nearer frame.
FrameResult interpolate_frame(const InferredFrame& before, const InferredFrame& after, int64_t frame_number);

// The whole result: one entry per frame 0..frame_count-1, given the inferred frames in order. The
// first and last frames must be among them (throws Error(internal) otherwise).
std::vector<FrameResult> fill_skipped_frames(const std::vector<InferredFrame>& inferred, int64_t frame_count);

}  // namespace sn44::pipeline
