#include "scoring/keypoint_scoring.h"

#include <algorithm>
#include <cmath>
#include <numeric>
#include <opencv2/calib3d.hpp>
#include <opencv2/imgproc.hpp>
#include <set>
#include <string>

namespace sn44::scoring {
namespace {

double distance(const cv::Point2d& a, const cv::Point2d& b) {
  const double dx = a.x - b.x, dy = a.y - b.y;
  return std::sqrt(dx * dx + dy * dy);
}

double mean(const std::vector<double>& values) {
  return values.empty() ? 0.0 : std::accumulate(values.begin(), values.end(), 0.0) / static_cast<double>(values.size());
}

double mean_pairwise_distance(const std::vector<cv::Point2d>& points) {
  std::vector<double> distances;
  for (size_t i = 0; i < points.size(); ++i) {
    for (size_t j = i + 1; j < points.size(); ++j) distances.push_back(distance(points[i], points[j]));
  }
  return mean(distances);
}

cv::Point2d box_centre(const ScoredObject& object) {
  return {(object.bbox[0] + object.bbox[2]) / 2, (object.bbox[1] + object.bbox[3]) / 2};
}

constexpr int kPlayerClass = 2;

// The same logistic maps normalised distances to 0..1 in two places of the validator.
double distance_logistic(double normalised_distance) {
  constexpr double k = 0.0037, x0 = 0.02;
  return 1.0 / (1.0 + std::exp((normalised_distance - x0) / k));
}

double point_to_segment_distance(double px, double py, double x1, double y1, double x2, double y2) {
  const double vx = x2 - x1, vy = y2 - y1;
  const double wx = px - x1, wy = py - y1;
  const double length_squared = vx * vx + vy * vy;
  // A zero-length segment gives NaN in the validator, which its clamp turns into t = 1.
  const double t = length_squared == 0 ? 1.0 : std::clamp((wx * vx + wy * vy) / length_squared, 0.0, 1.0);
  return std::hypot(px - (x1 + t * vx), py - (y1 + t * vy));
}

// Keypoints shared by two frames' valid sets, in vertex order.
struct CommonKeypoints {
  std::vector<cv::Point2d> previous, current;
};
CommonKeypoints common_keypoints(const ValidKeypoints& previous, const ValidKeypoints& current) {
  CommonKeypoints common;
  for (size_t i = 0; i < previous.indices.size(); ++i) {
    const auto found = std::find(current.indices.begin(), current.indices.end(), previous.indices[i]);
    if (found == current.indices.end()) continue;
    common.previous.push_back(previous.points[i]);
    common.current.push_back(current.points[static_cast<size_t>(found - current.indices.begin())]);
  }
  return common;
}

// Frames of each segment, in frame-number order.
std::map<int, std::vector<const ScoredFrame*>> frames_by_segment(const std::vector<ScoredFrame>& frames,
                                                                 const Segmentation& segmentation) {
  std::map<int64_t, const ScoredFrame*> by_number;
  for (const ScoredFrame& frame : frames) by_number[frame.frame_number] = &frame;
  std::map<int, std::vector<const ScoredFrame*>> segments;
  for (const auto& [number, segment] : segmentation.segment_of_frame) segments[segment].push_back(by_number.at(number));
  return segments;
}

double keypoint_stability(const std::vector<const ScoredFrame*>& ordered, const std::map<int64_t, ValidKeypoints>& valid) {
  std::vector<double> changes;
  for (size_t f = 1; f < ordered.size(); ++f) {
    const CommonKeypoints common = common_keypoints(valid.at(ordered[f - 1]->frame_number), valid.at(ordered[f]->frame_number));
    if (common.previous.size() < 2) continue;
    std::vector<double> relative;
    for (size_t i = 0; i < common.previous.size(); ++i) {
      for (size_t j = i + 1; j < common.previous.size(); ++j) {
        const double before = distance(common.previous[i], common.previous[j]);
        const double after = distance(common.current[i], common.current[j]);
        relative.push_back(std::abs(before - after) / (before + 1e-6));
      }
    }
    changes.push_back(mean(relative));
  }
  return changes.empty() ? 0.5 : std::exp(-10 * mean(changes));
}

double homography_stability(const std::vector<const ScoredFrame*>& ordered, const std::map<int64_t, cv::Matx33d>& homographies) {
  std::vector<double> differences;
  for (size_t f = 1; f < ordered.size(); ++f) {
    const cv::Matx33d& previous = homographies.at(ordered[f - 1]->frame_number);
    const cv::Matx33d& current = homographies.at(ordered[f]->frame_number);
    differences.push_back(cv::norm(previous * (1.0 / cv::norm(previous)) - current * (1.0 / cv::norm(current))));
  }
  return std::exp(-mean(differences));
}

}  // namespace

ValidKeypoints valid_keypoints(const KeypointArray& keypoints, std::optional<FrameSize> bounds) {
  ValidKeypoints valid;
  for (int i = 0; i < kPitchVertexCount; ++i) {
    const auto [x, y] = keypoints[static_cast<size_t>(i)];
    if (x == 0 && y == 0) continue;
    if (bounds && !(x >= 0 && x < bounds->width && y >= 0 && y < bounds->height)) continue;
    const cv::Point2d point(x, y);
    const bool far_enough = std::all_of(valid.points.begin(), valid.points.end(),
                                        [&](const cv::Point2d& kept) { return distance(point, kept) >= kMinKeypointDistance; });
    if (!far_enough) continue;
    valid.points.push_back(point);
    valid.indices.push_back(i);
  }
  return valid;
}

std::optional<HomographyFit> fit_homography(const KeypointArray& keypoints, FrameSize size) {
  const ValidKeypoints valid = valid_keypoints(keypoints, size);
  if (valid.points.size() < 4) return std::nullopt;
  // The validator scales the template's x by width / pitch width and y by height / pitch length.
  const double scale_x = size.width / pitch::kWidth, scale_y = size.height / pitch::kLength;
  std::vector<cv::Point2d> targets;
  for (const int index : valid.indices) {
    const PitchPoint& vertex = kPitchVertices[static_cast<size_t>(index)].position;
    // The validator's template is float32 before scaling.
    targets.emplace_back(static_cast<float>(vertex.x) * scale_x, static_cast<float>(vertex.y) * scale_y);
  }
  const double threshold = std::max(size.width * 0.01, 12.0);
  cv::Mat mask;
  const cv::Mat homography = cv::findHomography(valid.points, targets, cv::RANSAC, threshold, mask);
  if (homography.empty() || mask.empty()) return std::nullopt;

  HomographyFit fit;
  fit.homography = cv::Matx33d(homography);
  fit.inlier_ratio = static_cast<double>(cv::countNonZero(mask)) / static_cast<double>(mask.total());
  std::vector<cv::Point2d> projected;
  cv::perspectiveTransform(valid.points, projected, homography);
  std::vector<double> errors;
  for (size_t i = 0; i < projected.size(); ++i) errors.push_back(distance(projected[i], targets[i]));
  fit.mean_reprojection_error = mean(errors);
  return fit;
}

double keypoint_fit_score(double inlier_ratio, double mean_reprojection_error) {
  return (std::min(inlier_ratio * 100, 100.0) + std::max(0.0, 100 - mean_reprojection_error)) / 2;
}

double on_line_score(const KeypointArray& keypoints, const std::vector<LineSegment>& lines, FrameSize size) {
  const ValidKeypoints valid = valid_keypoints(keypoints, size);
  if (valid.points.empty()) return 0.5;
  if (lines.empty()) return 0;
  const double w = size.width, h = size.height;
  std::vector<double> nearest;
  for (const cv::Point2d& point : valid.points) {
    double best = INFINITY;
    for (const LineSegment& s : lines) {
      best = std::min(best, point_to_segment_distance(point.x / w, point.y / h, s[0] / w, s[1] / h, s[2] / w, s[3] / h));
    }
    nearest.push_back(best);
  }
  return distance_logistic(mean(nearest));
}

bool box_passes_prefilter(const ScoredObject& object, FrameSize size) {
  constexpr double kMinWidth = 15, kMinHeight = 40, kScoreboardBottom = 150;
  const auto [x1, y1, x2, y2] = object.bbox;
  const bool large_enough = object.class_id == 0 || (x2 - x1 >= kMinWidth && y2 - y1 >= kMinHeight);
  const bool touches_scoreboard = !(x2 < 0 || x1 > size.width || y2 < 0 || y1 > kScoreboardBottom);
  return large_enough && !touches_scoreboard;
}

double fraction_inside_pitch(const ScoredFrame& frame, const cv::Matx33d& homography, FrameSize size) {
  std::vector<cv::Point> outline;
  for (const int index : kPitchOutline) {
    const PitchPoint& vertex = kPitchVertices[static_cast<size_t>(index)].position;
    outline.emplace_back(static_cast<int>(vertex.x), static_cast<int>(vertex.y));
  }
  int inside = 0, total = 0;
  for (const ScoredObject& object : frame.objects) {
    if (!box_passes_prefilter(object, size)) continue;
    const cv::Point2d centre = box_centre(object);
    // The validator maps the centre as float32.
    std::vector<cv::Point2f> mapped{{static_cast<float>(centre.x), static_cast<float>(centre.y)}};
    cv::perspectiveTransform(mapped, mapped, homography);
    if (cv::pointPolygonTest(outline, mapped[0], false) >= 0) ++inside;
    ++total;
  }
  return total ? static_cast<double>(inside) / total : 0.0;
}

double keypoint_to_player_scale_ratio(const ScoredFrame& frame, FrameSize size) {
  const ValidKeypoints valid = valid_keypoints(frame.keypoints, size);
  if (valid.points.size() < 2) return 1.0;
  std::vector<cv::Point2d> centres;
  for (const ScoredObject& object : frame.objects) {
    if (box_passes_prefilter(object, size)) centres.push_back(box_centre(object));
  }
  if (centres.size() < 2) return 1.0;
  return mean_pairwise_distance(valid.points) / (mean_pairwise_distance(centres) + 1e-6);
}

Segmentation detect_scene_transitions(const std::vector<ScoredFrame>& frames) {
  constexpr double kLargeJump = 20, kTransitionShare = 0.5;
  std::vector<const ScoredFrame*> ordered;
  for (const ScoredFrame& frame : frames) ordered.push_back(&frame);
  std::sort(ordered.begin(), ordered.end(), [](const auto* a, const auto* b) { return a->frame_number < b->frame_number; });

  Segmentation segmentation;
  int segment = 0;
  std::map<int64_t, cv::Point2d> previous_positions;
  for (size_t f = 0; f < ordered.size(); ++f) {
    segmentation.segment_of_frame[ordered[f]->frame_number] = segment;
    std::map<int64_t, cv::Point2d> positions;
    int large_jumps = 0, players = 0;
    for (const ScoredObject& object : ordered[f]->objects) {
      if (object.class_id != kPlayerClass) continue;
      const cv::Point2d centre = box_centre(object);
      positions[object.id] = centre;
      if (f == 0) continue;
      const auto previous = previous_positions.find(object.id);
      if (previous != previous_positions.end() && distance(centre, previous->second) > kLargeJump) ++large_jumps;
      ++players;
    }
    previous_positions = std::move(positions);
    if (players > 0 && static_cast<double>(large_jumps) / players >= kTransitionShare) {
      segmentation.transitions.push_back(ordered[f]->frame_number);
      ++segment;
    }
  }
  return segmentation;
}

std::map<int, SegmentStability> stability_by_segment(const std::vector<ScoredFrame>& frames,
                                                     const Segmentation& segmentation, FrameSize size) {
  std::map<int, SegmentStability> stability;
  for (const auto& [segment, members] : frames_by_segment(frames, segmentation)) {
    if (members.size() < 2) {
      stability[segment] = {1.0, 1.0};
      continue;
    }
    std::map<int64_t, cv::Matx33d> homographies;
    std::map<int64_t, ValidKeypoints> valid;
    std::vector<const ScoredFrame*> fitted;
    for (const ScoredFrame* frame : members) {
      const auto fit = fit_homography(frame->keypoints, size);
      if (!fit) continue;
      homographies[frame->frame_number] = fit->homography;
      valid[frame->frame_number] = valid_keypoints(frame->keypoints, std::nullopt);
      fitted.push_back(frame);
    }
    if (fitted.size() < 2) {
      stability[segment] = {0.5, 0.5};
      continue;
    }
    // The validator orders these frames by their ids as strings ("10" before "9").
    std::sort(fitted.begin(), fitted.end(), [](const auto* a, const auto* b) {
      return std::to_string(a->frame_number) < std::to_string(b->frame_number);
    });
    stability[segment] = {keypoint_stability(fitted, valid), homography_stability(fitted, homographies)};
  }
  return stability;
}

std::map<int, double> player_plausibility_by_segment(const std::vector<ScoredFrame>& frames,
                                                     const Segmentation& segmentation) {
  constexpr double kMaxMove = 30;
  constexpr int64_t kMaxFrameGap = 2;
  std::map<int, double> plausibility;
  for (const auto& [segment, members] : frames_by_segment(frames, segmentation)) {
    if (members.size() < 2) {
      plausibility[segment] = 1.0;
      continue;
    }
    int implausible = 0, moves = 0;
    std::map<int64_t, cv::Point2d> previous_positions;
    for (size_t f = 0; f < members.size(); ++f) {
      std::map<int64_t, cv::Point2d> positions;
      for (const ScoredObject& object : members[f]->objects) {
        if (object.class_id != kPlayerClass) continue;
        const cv::Point2d centre = box_centre(object);
        positions[object.id] = centre;
        if (f == 0) continue;
        const auto previous = previous_positions.find(object.id);
        if (previous == previous_positions.end()) continue;
        if (members[f]->frame_number - members[f - 1]->frame_number > kMaxFrameGap) continue;
        ++moves;
        if (distance(centre, previous->second) > kMaxMove) ++implausible;
      }
      previous_positions = std::move(positions);
    }
    plausibility[segment] = moves > 0 ? std::max(0.0, 1.0 - static_cast<double>(implausible) / moves) : 0.5;
  }
  return plausibility;
}

double player_position_score(const std::vector<ScoredFrame>& frames) {
  constexpr double kSmallJump = 2, kMediumJump = 10;
  std::map<int64_t, std::vector<std::pair<int64_t, cv::Point2d>>> tracks;
  for (const ScoredFrame& frame : frames) {
    for (const ScoredObject& object : frame.objects) {
      if (object.class_id == kPlayerClass) tracks[object.id].emplace_back(frame.frame_number, box_centre(object));
    }
  }
  double total = 0;
  int jumps = 0;
  for (auto& [id, track] : tracks) {
    std::stable_sort(track.begin(), track.end(), [](const auto& a, const auto& b) { return a.first < b.first; });
    for (size_t i = 1; i < track.size(); ++i) {
      const double jump = distance(track[i].second, track[i - 1].second);
      // Medium jumps (a tracker hesitating) cost half; large ones are cuts or substitutions.
      total += jump > kSmallJump && jump <= kMediumJump ? 0.5 : 1.0;
      ++jumps;
    }
  }
  return jumps ? total / jumps * 100 : 0.0;
}

double scene_keypoint_consistency(const std::vector<ScoredFrame>& frames, const std::vector<int64_t>& frames_to_validate,
                                  FrameSize size) {
  const std::set<int64_t> validated(frames_to_validate.begin(), frames_to_validate.end());
  if (validated.empty()) return 1.0;
  std::map<int64_t, const ScoredFrame*> by_number;
  for (const ScoredFrame& frame : frames) by_number[frame.frame_number] = &frame;
  const double diagonal = std::hypot(size.width, size.height);

  const auto frame_score = [&](int64_t previous_number, int64_t number) {
    const auto previous = by_number.find(previous_number), current = by_number.find(number);
    if (previous == by_number.end() || current == by_number.end()) return 0.0;
    const auto all_zero = [](const KeypointArray& k) {
      return std::all_of(k.begin(), k.end(), [](const auto& p) { return p[0] == 0 && p[1] == 0; });
    };
    // Seeing no keypoint in two consecutive frames is consistent.
    if (all_zero(previous->second->keypoints) && all_zero(current->second->keypoints)) return 1.0;
    const CommonKeypoints common = common_keypoints(valid_keypoints(previous->second->keypoints, size),
                                                    valid_keypoints(current->second->keypoints, size));
    if (common.previous.empty()) return 0.0;
    std::vector<double> moves;
    for (size_t i = 0; i < common.previous.size(); ++i) moves.push_back(distance(common.current[i], common.previous[i]));
    return distance_logistic(mean(moves) / diagonal);
  };

  double weighted_sum = 0;
  size_t total_length = 0;
  std::vector<double> run_scores;
  std::optional<int64_t> previous;
  const auto close_run = [&] {
    weighted_sum += mean(run_scores) * static_cast<double>(run_scores.size());
    total_length += run_scores.size();
    run_scores.clear();
  };
  for (const int64_t number : validated) {
    if (previous && number == *previous + 1) {
      run_scores.push_back(frame_score(*previous, number));
    } else {
      if (!run_scores.empty()) close_run();
      run_scores.push_back(1.0);  // a run's first frame has nothing to compare with
    }
    previous = number;
  }
  close_run();
  return weighted_sum / static_cast<double>(total_length);
}

KeypointScoreBreakdown score_keypoints(const std::vector<ScoredFrame>& all_frames, const std::vector<int64_t>& frames_to_validate,
                                       const std::map<int64_t, std::vector<LineSegment>>& lines_by_frame, FrameSize size) {
  KeypointScoreBreakdown score;
  // The validator divides by the number of validated frames: with none, its score is an error, i.e. 0.
  if (frames_to_validate.empty()) return score;
  const std::set<int64_t> validated(frames_to_validate.begin(), frames_to_validate.end());
  std::vector<ScoredFrame> frames;
  for (const ScoredFrame& frame : all_frames) {
    if (validated.count(frame.frame_number)) frames.push_back(frame);
  }
  score.frames_scored = static_cast<int>(frames.size());

  const Segmentation segmentation = detect_scene_transitions(frames);
  score.scene_transitions = static_cast<int>(segmentation.transitions.size());
  score.scene_consistency = scene_keypoint_consistency(frames, frames_to_validate, size);
  const std::map<int, SegmentStability> stability = stability_by_segment(frames, segmentation, size);
  const std::map<int, double> plausibility = player_plausibility_by_segment(frames, segmentation);

  std::vector<double> fit_scores, on_line, inside, scale, stabilities, plausibilities;
  for (const ScoredFrame& frame : frames) {
    const auto fit = fit_homography(frame.keypoints, size);
    if (!fit) continue;
    FrameKeypointScore frame_score;
    frame_score.frame_number = frame.frame_number;
    frame_score.inlier_ratio = fit->inlier_ratio;
    frame_score.mean_reprojection_error = fit->mean_reprojection_error;
    frame_score.keypoint_score = keypoint_fit_score(fit->inlier_ratio, fit->mean_reprojection_error);
    const auto lines = lines_by_frame.find(frame.frame_number);
    frame_score.on_line = on_line_score(frame.keypoints, lines == lines_by_frame.end() ? std::vector<LineSegment>{} : lines->second, size);
    frame_score.inside = fraction_inside_pitch(frame, fit->homography, size);
    frame_score.scale_ratio = std::min(keypoint_to_player_scale_ratio(frame, size), 1.5);
    frame_score.segment = segmentation.segment_of_frame.at(frame.frame_number);
    fit_scores.push_back(frame_score.keypoint_score);
    on_line.push_back(frame_score.on_line);
    inside.push_back(frame_score.inside);
    scale.push_back(frame_score.scale_ratio);
    stabilities.push_back(stability.at(frame_score.segment).keypoint_stability);
    plausibilities.push_back(plausibility.at(frame_score.segment));
    score.frames.push_back(frame_score);
  }
  score.keypoint_score = mean(fit_scores);
  score.mean_on_line = mean(on_line);
  score.mean_inside = mean(inside);
  score.mean_scale = std::min(mean(scale), 1.0);
  score.keypoint_stability = mean(stabilities);
  score.player_plausibility = mean(plausibilities);
  score.scale_valid = std::clamp(static_cast<double>(score.frames.size()) / static_cast<double>(validated.size()) / 0.4, 0.0, 1.0);
  score.player_score = player_position_score(frames);

  const double player_final = (score.player_plausibility * 100 + score.player_score) / 2;
  const double weighted = 0.25 * score.keypoint_score + 0.4 * score.mean_on_line * 100 + 0.2 * score.mean_inside * 100 +
                          0.05 * score.keypoint_stability * 100 + 0.1 * player_final;
  score.final_score = weighted * score.scene_consistency * ((score.mean_scale + score.scale_valid) / 2) / 100;
  return score;
}

}  // namespace sn44::scoring
