#pragma once
// Turning a YOLOv8 output tensor into detections, as ultralytics' non_max_suppression does.
//
// Layouts relied on (one image; the model returns [B, C, N] with the anchors N innermost):
//   detection model: C = 4 + nc        rows: cx, cy, w, h (input pixels), then nc class scores (sigmoid'ed)
//   pose model:      C = 4 + 1 + 3*K   rows: cx, cy, w, h, score, then K x (x, y, conf) (x, y in input pixels)

#include <span>
#include <vector>

#include "core/types.h"

namespace sn44::inference {

struct DecodeOptions {
  float confidence_threshold = 0.25f;
  float iou_threshold = 0.7f;
  bool class_agnostic = false;  // one NMS over all classes instead of per class
  int max_detections = 300;
  int max_nms_candidates = 30000;
};

// A detection in model-input pixels, with its keypoints for pose models.
struct RawDetection {
  Box box;
  float score = 0;
  int class_id = 0;
  std::vector<Keypoint> keypoints;
};

// `output` is one image's [channels x anchors] block. `num_classes` of the rows after the box are
// class scores; the rest (pose models: 3 per keypoint) ride along with each detection.
std::vector<RawDetection> decode_yolo_output(std::span<const float> output, int channels, int anchors, int num_classes,
                                             const DecodeOptions& options);

// The same for a subset of one image's anchors, one row of `channels` values per anchor (what the
// device path brings back: the anchors over the threshold). The rows must come in ascending anchor
// order, which decides ties as the full output's order does; the answer is then decode_yolo_output's
// whenever the subset holds every anchor over the threshold.
std::vector<RawDetection> decode_yolo_rows(std::span<const float> rows, int channels, int num_classes, const DecodeOptions& options);

}  // namespace sn44::inference
