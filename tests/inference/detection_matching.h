#pragma once
// Comparing the detections of two runs of one model on the same frames (another path, another
// precision): every confident detection of either run must have a partner of the same class in the
// other, overlapping it by more than an IoU, and confident keypoints must lie within a distance.
// Detections near the threshold may appear in one run only, so only those clearly over it count.

#include <gtest/gtest.h>

#include <filesystem>
#include <vector>

#include <opencv2/core/mat.hpp>

#include "inference/detectors.h"
#include "inference/yolo_decode.h"

namespace sn44::testing {

inline constexpr const char* kSerieAClip = "videos/seriea_inter_napoli_broadcast_1280x720_25fps_33s.mp4";

// The layouts of the generated player and pitch models.
inline const inference::ExpectedLayout kPlayerLayout{"player", inference::ModelTask::detect, 4, 0, "4 box values + 4 classes", {}};
inline const inference::ExpectedLayout kPitchLayout{"pitch", inference::ModelTask::pose, 1, kPitchKeypointCount,
                                                    "box, score, 32 keypoints", {}};

struct MatchTolerance {
  float min_iou = 0.99f;
  float confident_margin = 0.05f;  // over the confidence threshold: a detection that must have a partner
  float keypoint_pixels = 0.01f;
  float keypoint_threshold = 0.5f;  // keypoints confident in both runs are compared
  // A partner must have the same class. Off: any class, and the classes that differ are counted
  // (an untrained model's class scores can tie, and then rounding picks either).
  bool same_class = true;
};

struct MatchCounts {
  int compared = 0;           // confident detections of the expected run
  int other_class = 0;        // of those, partnered by a detection of another class (same_class off)
};

// Fails the test for each confident detection of either run without a partner.
MatchCounts expect_matching_detections(const std::vector<std::vector<inference::RawDetection>>& expected,
                               const std::vector<std::vector<inference::RawDetection>>& actual, float confidence_threshold,
                               const MatchTolerance& tolerance);

// The first `count` frames of a clip, decoded.
std::vector<cv::Mat> first_frames(const std::filesystem::path& clip, int count);

}  // namespace sn44::testing
