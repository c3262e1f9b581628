#include "tracking/box_overlap.h"

#include <algorithm>

namespace sn44::tracking {
namespace {

double area(const OverlapBox& box) {
  if (box.single_precision) {
    return static_cast<double>((static_cast<float>(box.x2) - static_cast<float>(box.x1)) *
                               (static_cast<float>(box.y2) - static_cast<float>(box.y1)));
  }
  return (box.x2 - box.x1) * (box.y2 - box.y1);
}

}  // namespace

float box_iou(const OverlapBox& a, const OverlapBox& b) {
  if (!a.defined || !b.defined) return 0.0f;
  // The reference stores the intersection's corners in float32 arrays before subtracting.
  const float inter_w = std::max(
      0.0f, static_cast<float>(std::min(a.x2, b.x2)) - static_cast<float>(std::max(a.x1, b.x1)));
  const float inter_h = std::max(
      0.0f, static_cast<float>(std::min(a.y2, b.y2)) - static_cast<float>(std::max(a.y1, b.y1)));
  const float inter = inter_w * inter_h;
  double united = 0;
  if (a.single_precision && b.single_precision) {
    united = static_cast<double>(static_cast<float>(area(a)) + static_cast<float>(area(b)) - inter);
  } else {
    united = area(a) + area(b) - inter;
  }
  // Dividing in double and rounding once gives the float32 quotient exactly.
  return united > 0 ? static_cast<float>(inter / united) : 0.0f;
}

float fuse_score(float iou_cost, float score) { return 1.0f - (1.0f - iou_cost) * score; }

}  // namespace sn44::tracking
