#pragma once
// How the validator combines the parts into a miner's score for one challenge
// (validator/evaluation/calculate_score.py of score-vision, commit 1791fe19).

namespace sn44::scoring {

inline constexpr double kMaxProcessingSeconds = 15.0;  // validator/config.py MAX_PROCESSING_TIME
inline constexpr double kMinBoxScoreForSpeed = 0.2;    // a box score at or below this earns no speed score

// exp(-5 (t - t_min) / (15 - t_min)) clamped to 0..1, where t_min / t_max are the fastest / slowest
// times among the miners whose box score is over 0.2; 1 when they are all equal.
double speed_score(double processing_seconds, double fastest_seconds, double slowest_seconds);

struct CombinedScore {
  double quality = 0;  // 0.5 box + 0.5 keypoints
  double speed = 0;
  double final_score = 0;  // 0.65 quality + 0.35 speed
};

CombinedScore combine_scores(double box_score, double keypoint_score, double processing_seconds, double fastest_seconds,
                             double slowest_seconds);

}  // namespace sn44::scoring
