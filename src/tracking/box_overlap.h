#pragma once
// Box overlap and matching costs computed the way supervision's ByteTrack computes them, down to the
// float32 rounding, so that costs that tie or sit on a threshold there do so here too.

namespace sn44::tracking {

// A box (top-left, bottom-right) as the reference holds it: float32 for detections and for tracks
// whose filter state is still their float32 first measurement, float64 once the filter has run.
// The precision decides how the union is rounded.
struct OverlapBox {
  double x1 = 0, y1 = 0, x2 = 0, y2 = 0;
  bool single_precision = true;
  // False for a track born from a box without height: the reference's box is then NaN, which
  // overlaps nothing.
  bool defined = true;
};

// Intersection over union as supervision's box_iou_batch: intersection in float32, areas each in
// its box's precision, the union in the wider one, a float32 result, and 0 when the union is not
// positive. No +1 pixel terms.
float box_iou(const OverlapBox& a, const OverlapBox& b);

// ByteTrack's fuse_score on one entry: the IoU distance `iou_cost` (1 - IoU) turned into
// 1 - IoU * score, in float32 and in the reference's order of operations.
float fuse_score(float iou_cost, float score);

}  // namespace sn44::tracking
