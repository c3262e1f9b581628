#include "scoring/bbox_scoring.h"

#include <algorithm>
#include <cmath>
#include <set>

namespace sn44::scoring {

std::string_view to_string(BoxLabel label) {
  switch (label) {
    case BoxLabel::football: return "football";
    case BoxLabel::goalkeeper: return "goalkeeper";
    case BoxLabel::player: return "football player";
    case BoxLabel::referee: return "referee";
    case BoxLabel::crowd: return "crowd";
    case BoxLabel::grass: return "grass";
    case BoxLabel::goal: return "goal";
    case BoxLabel::background: return "background";
    case BoxLabel::blank: return "blank";
    case BoxLabel::other: return "other";
    case BoxLabel::not_football: return "not a football";
    case BoxLabel::black_shape: return "black shape";
  }
  return "other";
}

BoxLabel label_of_class(int class_id) {
  switch (class_id) {
    case 0: return BoxLabel::football;
    case 1: return BoxLabel::goalkeeper;
    case 2: return BoxLabel::player;
    case 3: return BoxLabel::referee;
    default: return BoxLabel::other;
  }
}

std::vector<std::optional<BoxLabel>> MinerLabelsClassifier::classify(const cv::Mat&, const std::vector<ScoredObject>& boxes) {
  std::vector<std::optional<BoxLabel>> labels;
  for (const ScoredObject& box : boxes) labels.emplace_back(label_of_class(box.class_id));
  return labels;
}

double box_points(BoxLabel predicted, BoxLabel expected, int occurrence) {
  const auto is_person = [](BoxLabel label) {
    return label == BoxLabel::player || label == BoxLabel::goalkeeper || label == BoxLabel::referee;
  };
  double score = -1.0;
  if (is_person(expected)) {
    score = predicted == expected ? 1.0 : is_person(predicted) ? 0.5 : -1.0;
  } else if (expected == BoxLabel::football) {
    score = predicted == BoxLabel::football ? 1.0 : -1.0;
  }
  return score / std::pow(2.0, occurrence);
}

double box_area_factor(const std::vector<ScoredObject>& boxes, FrameSize size) {
  if (boxes.empty()) return 1.0;
  double total_area = 0;
  for (const ScoredObject& box : boxes) total_area += std::abs(box.bbox[2] - box.bbox[0]) * std::abs(box.bbox[3] - box.bbox[1]);
  const double coverage = total_area / (static_cast<double>(size.width) * size.height);
  const double average = coverage / static_cast<double>(boxes.size());
  if (average > 0.015) return std::exp(-80 * (average - 0.015));
  return coverage <= 0.15 ? 1.0 : std::exp(-3 * (coverage - 0.15));
}

FrameBoxScore score_frame_boxes(const ScoredFrame& frame, const cv::Mat& frame_bgr, FrameSize size, BoxClassifier& classifier) {
  FrameBoxScore result;
  result.frame_number = frame.frame_number;
  std::vector<ScoredObject> kept;
  for (const ScoredObject& object : frame.objects) {
    if (box_passes_prefilter(object, size)) kept.push_back(object);
  }
  result.boxes_kept = static_cast<int>(kept.size());
  if (kept.empty()) return result;

  std::vector<std::optional<BoxLabel>> expected = classifier.classify(frame_bgr, kept);
  expected.resize(kept.size());
  // Only the first ball is looked at; every other ball counts as "not a football".
  bool ball_seen = false;
  for (size_t i = 0; i < kept.size(); ++i) {
    if (kept[i].class_id != 0) continue;
    if (ball_seen) {
      expected[i] = BoxLabel::not_football;
      ++result.extra_balls;
    }
    ball_seen = true;
  }

  std::vector<BoxLabel> seen;
  std::set<BoxLabel> distinct;
  for (size_t i = 0; i < kept.size(); ++i) {
    if (!expected[i]) continue;
    const int occurrence = static_cast<int>(std::count(seen.begin(), seen.end(), *expected[i]));
    result.points += box_points(label_of_class(kept[i].class_id), *expected[i], occurrence);
    seen.push_back(*expected[i]);
    distinct.insert(*expected[i]);
  }
  result.distinct_labels = static_cast<int>(distinct.size());
  result.area_factor = box_area_factor(kept, size);
  const double normalised = distinct.empty() ? 0.0 : result.points / static_cast<double>(distinct.size() + 1);
  result.score = result.area_factor * normalised;
  return result;
}

double video_box_score(const std::vector<FrameBoxScore>& frame_scores, int frames_selected) {
  std::vector<double> scores;
  for (const FrameBoxScore& frame : frame_scores) scores.push_back(frame.score);
  if (scores.empty() || frames_selected <= 0) return 0.0;
  double average = 0;
  for (const double score : scores) average += score;
  average /= static_cast<double>(scores.size());
  const double coverage = std::clamp(static_cast<double>(scores.size()) / frames_selected / 0.7, 0.0, 1.0);
  return std::clamp(std::round(std::min(1.0, average) * coverage * 100) / 100, 0.0, 1.0);
}

}  // namespace sn44::scoring
