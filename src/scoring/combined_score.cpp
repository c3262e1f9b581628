#include "scoring/combined_score.h"

#include <algorithm>
#include <cmath>

namespace sn44::scoring {

double speed_score(double processing_seconds, double fastest_seconds, double slowest_seconds) {
  if (slowest_seconds == fastest_seconds) return 1.0;
  const double normalised = (processing_seconds - fastest_seconds) / (kMaxProcessingSeconds - fastest_seconds);
  return std::clamp(std::exp(-5 * normalised), 0.0, 1.0);
}

CombinedScore combine_scores(double box_score, double keypoint_score, double processing_seconds, double fastest_seconds,
                             double slowest_seconds) {
  CombinedScore combined;
  combined.quality = box_score * 0.5 + keypoint_score * 0.5;
  const bool earns_speed = box_score > kMinBoxScoreForSpeed && processing_seconds < kMaxProcessingSeconds;
  combined.speed = earns_speed ? speed_score(processing_seconds, fastest_seconds, slowest_seconds) : 0.0;
  combined.final_score = combined.quality * 0.65 + combined.speed * 0.35;
  return combined;
}

}  // namespace sn44::scoring
