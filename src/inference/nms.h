#pragma once
// Greedy non-maximum suppression with torchvision.ops.nms semantics (what ultralytics calls): boxes
// visited in descending score order (stable for ties), a box suppressed when its IoU with a kept
// box is strictly greater than the threshold, IoU without any +1 pixel term, float32 arithmetic.

#include <span>
#include <vector>

#include "core/types.h"

namespace sn44::inference {

// Intersection over union of two boxes; 0 when they do not overlap.
float box_iou(const Box& a, const Box& b);

// Indices of the kept boxes, in descending score order.
std::vector<int> non_max_suppression(std::span<const Box> boxes, std::span<const float> scores, float iou_threshold);

}  // namespace sn44::inference
