#include "inference/nms.h"

#include <algorithm>
#include <numeric>

namespace sn44::inference {

float box_iou(const Box& a, const Box& b) {
  const float inter_w = std::max(0.0f, std::min(a.x2, b.x2) - std::max(a.x1, b.x1));
  const float inter_h = std::max(0.0f, std::min(a.y2, b.y2) - std::max(a.y1, b.y1));
  const float inter = inter_w * inter_h;
  const float area_a = (a.x2 - a.x1) * (a.y2 - a.y1);
  const float area_b = (b.x2 - b.x1) * (b.y2 - b.y1);
  const float union_area = area_a + area_b - inter;
  return union_area > 0 ? inter / union_area : 0.0f;
}

std::vector<int> non_max_suppression(std::span<const Box> boxes, std::span<const float> scores, float iou_threshold) {
  std::vector<int> order(boxes.size());
  std::iota(order.begin(), order.end(), 0);
  std::stable_sort(order.begin(), order.end(), [&](int a, int b) { return scores[static_cast<size_t>(a)] > scores[static_cast<size_t>(b)]; });

  std::vector<int> kept;
  std::vector<char> suppressed(boxes.size(), 0);
  for (size_t i = 0; i < order.size(); ++i) {
    const auto current = static_cast<size_t>(order[i]);
    if (suppressed[current]) continue;
    kept.push_back(order[i]);
    for (size_t j = i + 1; j < order.size(); ++j) {
      const auto other = static_cast<size_t>(order[j]);
      if (!suppressed[other] && box_iou(boxes[current], boxes[other]) > iou_threshold) suppressed[other] = 1;
    }
  }
  return kept;
}

}  // namespace sn44::inference
