#include "pipeline/interpolation.h"

#include <unordered_map>

#include "core/error.h"

namespace sn44::pipeline {
namespace {

bool visible(const Keypoint& point) { return point.x != 0.0f || point.y != 0.0f; }

float lerp(float a, float b, float t) { return a + (b - a) * t; }

}  // namespace

FrameResult to_frame_result(const InferredFrame& frame) {
  FrameResult result;
  result.frame_number = frame.frame_number;
  for (size_t k = 0; k < frame.keypoints.size(); ++k) result.keypoints[k] = {frame.keypoints[k].x, frame.keypoints[k].y};
  result.objects = frame.objects;
  return result;
}

FrameResult interpolate_frame(const InferredFrame& before, const InferredFrame& after, int64_t frame_number) {
  if (frame_number <= before.frame_number || frame_number >= after.frame_number) {
    throw Error(ErrorKind::internal, "frame " + std::to_string(frame_number) + " is not between inferred frames " +
                                         std::to_string(before.frame_number) + " and " + std::to_string(after.frame_number));
  }
  const float t = static_cast<float>(frame_number - before.frame_number) /
                  static_cast<float>(after.frame_number - before.frame_number);
  FrameResult result;
  result.frame_number = frame_number;

  for (size_t k = 0; k < before.keypoints.size(); ++k) {
    const Keypoint& a = before.keypoints[k];
    const Keypoint& b = after.keypoints[k];
    if (visible(a) && visible(b)) {
      result.keypoints[k] = {lerp(a.x, b.x, t), lerp(a.y, b.y, t)};
    } else {
      const Keypoint& nearer = t <= 0.5f ? a : b;
      result.keypoints[k] = {nearer.x, nearer.y};
    }
  }

  std::unordered_map<int64_t, const TrackedObject*> after_by_track;
  for (const TrackedObject& object : after.objects) after_by_track.emplace(object.track_id, &object);
  for (const TrackedObject& a : before.objects) {
    const auto found = after_by_track.find(a.track_id);
    if (found == after_by_track.end()) continue;  // the track ends here: never extrapolate
    const TrackedObject& b = *found->second;
    result.objects.push_back(TrackedObject{
        a.track_id,
        Box{lerp(a.box.x1, b.box.x1, t), lerp(a.box.y1, b.box.y1, t), lerp(a.box.x2, b.box.x2, t), lerp(a.box.y2, b.box.y2, t)},
        a.class_id, lerp(a.score, b.score, t)});
  }
  return result;
}

std::vector<FrameResult> fill_skipped_frames(const std::vector<InferredFrame>& inferred, int64_t frame_count) {
  std::vector<FrameResult> frames;
  if (frame_count == 0) return frames;
  if (inferred.empty() || inferred.front().frame_number != 0 || inferred.back().frame_number != frame_count - 1) {
    throw Error(ErrorKind::internal, "the first and last frames must be inferred");
  }
  frames.reserve(static_cast<size_t>(frame_count));
  for (size_t i = 0; i < inferred.size(); ++i) {
    if (i > 0) {
      if (inferred[i].frame_number <= inferred[i - 1].frame_number) {
        throw Error(ErrorKind::internal, "inferred frames are not in increasing order");
      }
      for (int64_t skipped = inferred[i - 1].frame_number + 1; skipped < inferred[i].frame_number; ++skipped) {
        frames.push_back(interpolate_frame(inferred[i - 1], inferred[i], skipped));
      }
    }
    frames.push_back(to_frame_result(inferred[i]));
  }
  return frames;
}

}  // namespace sn44::pipeline
