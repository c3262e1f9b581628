#include "detection_matching.h"

#include <algorithm>
#include <cmath>

#include "inference/nms.h"
#include "video/frame_reader.h"

namespace sn44::testing {
namespace {

// Fails for the confident detections of `from` with no partner in `to`; compares the keypoints of
// those with one.
MatchCounts match_one_way(const std::vector<inference::RawDetection>& from, const std::vector<inference::RawDetection>& to,
                          float confidence_threshold, const MatchTolerance& tolerance, const char* direction, size_t frame) {
  MatchCounts counts;
  for (const inference::RawDetection& detection : from) {
    if (detection.score < confidence_threshold + tolerance.confident_margin) continue;
    ++counts.compared;
    const inference::RawDetection* partner = nullptr;
    float best_iou = 0;
    for (const inference::RawDetection& candidate : to) {
      const float iou = inference::box_iou(detection.box, candidate.box);
      if ((candidate.class_id == detection.class_id || !tolerance.same_class) && iou > best_iou) {
        best_iou = iou;
        partner = &candidate;
      }
    }
    EXPECT_GT(best_iou, tolerance.min_iou) << direction << ", frame " << frame << ": class " << detection.class_id << " box ("
                                           << detection.box.x1 << ", " << detection.box.y1 << ", " << detection.box.x2 << ", "
                                           << detection.box.y2 << ") score " << detection.score;
    if (partner == nullptr || best_iou <= tolerance.min_iou) continue;
    if (partner->class_id != detection.class_id) ++counts.other_class;
    EXPECT_EQ(detection.keypoints.size(), partner->keypoints.size());
    for (size_t k = 0; k < std::min(detection.keypoints.size(), partner->keypoints.size()); ++k) {
      const Keypoint& a = detection.keypoints[k];
      const Keypoint& b = partner->keypoints[k];
      if (a.conf < tolerance.keypoint_threshold + tolerance.confident_margin ||
          b.conf < tolerance.keypoint_threshold + tolerance.confident_margin) {
        continue;
      }
      EXPECT_NEAR(a.x, b.x, tolerance.keypoint_pixels) << direction << ", frame " << frame << ", keypoint " << k;
      EXPECT_NEAR(a.y, b.y, tolerance.keypoint_pixels) << direction << ", frame " << frame << ", keypoint " << k;
    }
  }
  return counts;
}

}  // namespace

MatchCounts expect_matching_detections(const std::vector<std::vector<inference::RawDetection>>& expected,
                               const std::vector<std::vector<inference::RawDetection>>& actual, float confidence_threshold,
                               const MatchTolerance& tolerance) {
  EXPECT_EQ(expected.size(), actual.size());
  MatchCounts total;
  for (size_t frame = 0; frame < std::min(expected.size(), actual.size()); ++frame) {
    const MatchCounts counts = match_one_way(expected[frame], actual[frame], confidence_threshold, tolerance, "expected one missing", frame);
    total.compared += counts.compared;
    total.other_class += counts.other_class;
    match_one_way(actual[frame], expected[frame], confidence_threshold, tolerance, "unexpected one", frame);
  }
  return total;
}

std::vector<cv::Mat> first_frames(const std::filesystem::path& clip, int count) {
  video::FrameReader reader(clip, video::DecoderOptions{}, 8);
  std::vector<cv::Mat> frames;
  while (static_cast<int>(frames.size()) < count) {
    std::optional<video::Frame> frame = reader.next();
    if (!frame) break;
    frames.push_back(frame->bgr);
  }
  return frames;
}

}  // namespace sn44::testing
