#include "inference/yolo_decode.h"

#include <algorithm>
#include <numeric>

#include "core/error.h"
#include "inference/nms.h"

namespace sn44::inference {
namespace {

// ultralytics offsets each box by class_id * max_wh so that one NMS pass never suppresses across classes.
constexpr float kClassOffset = 7680.0f;

void check_layout(size_t values, int channels, int anchors, int num_classes) {
  const int extra = channels - 4 - num_classes;
  if (num_classes < 1 || extra < 0 || extra % 3 != 0 || values != static_cast<size_t>(channels) * static_cast<size_t>(anchors)) {
    throw Error(ErrorKind::internal, "YOLO output of " + std::to_string(values) + " values does not fit " + std::to_string(channels) +
                                         " channels x " + std::to_string(anchors) + " anchors");
  }
}

// The decoding itself, over any layout: `value(channel, anchor)` reads the output.
template <typename Value>
std::vector<RawDetection> decode(const Value& value, int channels, int anchors, int num_classes, const DecodeOptions& options) {
  const int extra = channels - 4 - num_classes;

  // Candidates: best class per anchor above the threshold (multi_label off, as in ultralytics' predict).
  struct Candidate {
    int anchor;
    int class_id;
    float score;
  };
  std::vector<Candidate> candidates;
  for (int a = 0; a < anchors; ++a) {
    int best_class = 0;
    float best_score = value(4, a);
    for (int c = 1; c < num_classes; ++c) {
      const float score = value(4 + c, a);
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
    const float half_w = value(2, a) / 2, half_h = value(3, a) / 2;  // xywh2xyxy, float32 as in torch
    boxes[i] = Box{value(0, a) - half_w, value(1, a) - half_h, value(0, a) + half_w, value(1, a) + half_h};
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
      detection.keypoints.push_back({value(base, candidate.anchor), value(base + 1, candidate.anchor), value(base + 2, candidate.anchor)});
    }
    detections.push_back(std::move(detection));
  }
  return detections;
}

}  // namespace

std::vector<RawDetection> decode_yolo_output(std::span<const float> output, int channels, int anchors, int num_classes,
                                             const DecodeOptions& options) {
  check_layout(output.size(), channels, anchors, num_classes);
  const float* data = output.data();
  const auto value = [data, anchors](int channel, int anchor) {
    return data[static_cast<size_t>(channel) * static_cast<size_t>(anchors) + static_cast<size_t>(anchor)];
  };
  return decode(value, channels, anchors, num_classes, options);
}

std::vector<RawDetection> decode_yolo_rows(std::span<const float> rows, int channels, int num_classes, const DecodeOptions& options) {
  const int count = channels > 0 ? static_cast<int>(rows.size() / static_cast<size_t>(channels)) : 0;
  check_layout(rows.size(), channels, count, num_classes);
  const float* data = rows.data();
  const auto value = [data, channels](int channel, int row) {
    return data[static_cast<size_t>(row) * static_cast<size_t>(channels) + static_cast<size_t>(channel)];
  };
  return decode(value, channels, count, num_classes, options);
}

}  // namespace sn44::inference
