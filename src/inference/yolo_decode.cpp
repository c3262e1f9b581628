#include "inference/yolo_decode.h"

#include <algorithm>
#include <numeric>

#include "core/error.h"
#include "inference/nms.h"

namespace sn44::inference {
namespace {

// ultralytics offsets each box by class_id * max_wh so that one NMS pass never suppresses across classes.
constexpr float kClassOffset = 7680.0f;

}  // namespace

std::vector<RawDetection> decode_yolo_output(std::span<const float> output, int channels, int anchors, int num_classes,
                                             const DecodeOptions& options) {
  const int extra = channels - 4 - num_classes;
  if (num_classes < 1 || extra < 0 || extra % 3 != 0 ||
      output.size() != static_cast<size_t>(channels) * static_cast<size_t>(anchors)) {
    throw Error(ErrorKind::internal, "YOLO output of " + std::to_string(output.size()) + " values does not fit " +
                                         std::to_string(channels) + " channels x " + std::to_string(anchors) + " anchors");
  }
  const auto row = [&](int channel) { return output.data() + static_cast<size_t>(channel) * static_cast<size_t>(anchors); };

  // Candidates: best class per anchor above the threshold (multi_label off, as in ultralytics' predict).
  struct Candidate {
    int anchor;
    int class_id;
    float score;
  };
  std::vector<Candidate> candidates;
  for (int a = 0; a < anchors; ++a) {
    int best_class = 0;
    float best_score = row(4)[a];
    for (int c = 1; c < num_classes; ++c) {
      const float score = row(4 + c)[a];
      if (score > best_score) {  // first maximum wins ties, as torch.max
        best_score = score;
        best_class = c;
      }
    }
    if (best_score > options.confidence_threshold) candidates.push_back({a, best_class, best_score});
  }
  if (candidates.size() > static_cast<size_t>(options.max_nms_candidates)) {
    std::stable_sort(candidates.begin(), candidates.end(), [](const Candidate& a, const Candidate& b) { return a.score > b.score; });
    candidates.resize(static_cast<size_t>(options.max_nms_candidates));
  }

  std::vector<Box> boxes(candidates.size());
  std::vector<Box> offset_boxes(candidates.size());
  std::vector<float> scores(candidates.size());
  for (size_t i = 0; i < candidates.size(); ++i) {
    const int a = candidates[i].anchor;
    const float half_w = row(2)[a] / 2, half_h = row(3)[a] / 2;  // xywh2xyxy, float32 as in torch
    boxes[i] = Box{row(0)[a] - half_w, row(1)[a] - half_h, row(0)[a] + half_w, row(1)[a] + half_h};
    const float offset = options.class_agnostic ? 0.0f : static_cast<float>(candidates[i].class_id) * kClassOffset;
    offset_boxes[i] = Box{boxes[i].x1 + offset, boxes[i].y1 + offset, boxes[i].x2 + offset, boxes[i].y2 + offset};
    scores[i] = candidates[i].score;
  }
  std::vector<int> kept = non_max_suppression(offset_boxes, scores, options.iou_threshold);
  if (kept.size() > static_cast<size_t>(options.max_detections)) kept.resize(static_cast<size_t>(options.max_detections));

  const int num_keypoints = extra / 3;
  std::vector<RawDetection> detections;
  detections.reserve(kept.size());
  for (const int index : kept) {
    const Candidate& candidate = candidates[static_cast<size_t>(index)];
    RawDetection detection{boxes[static_cast<size_t>(index)], candidate.score, candidate.class_id, {}};
    detection.keypoints.reserve(static_cast<size_t>(num_keypoints));
    for (int k = 0; k < num_keypoints; ++k) {
      const int base = 4 + num_classes + 3 * k;
      detection.keypoints.push_back({row(base)[candidate.anchor], row(base + 1)[candidate.anchor], row(base + 2)[candidate.anchor]});
    }
    detections.push_back(std::move(detection));
  }
  return detections;
}

}  // namespace sn44::inference
