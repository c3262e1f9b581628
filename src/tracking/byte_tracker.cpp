#include "tracking/byte_tracker.h"

#include <algorithm>
#include <optional>
#include <set>
#include <unordered_set>

#include "tracking/linear_assignment.h"

namespace sn44::tracking {
namespace {

// The reference computes track boxes in double precision from the filter state.
struct PreciseBox {
  double x1, y1, x2, y2;
};

// Intersection over union as supervision's box_iou_batch computes it (0 for an empty union).
double iou(const PreciseBox& a, const PreciseBox& b) {
  const double inter_w = std::max(0.0, std::min(a.x2, b.x2) - std::max(a.x1, b.x1));
  const double inter_h = std::max(0.0, std::min(a.y2, b.y2) - std::max(a.y1, b.y1));
  const double inter = inter_w * inter_h;
  const double united = (a.x2 - a.x1) * (a.y2 - a.y1) + (b.x2 - b.x1) * (b.y2 - b.y1) - inter;
  return united > 0 ? inter / united : 0.0;
}

constexpr float kLowScoreFloor = 0.1f;      // detections at or under it are ignored by the tracker
constexpr float kNewTrackMargin = 0.1f;     // a new track needs activation threshold + this
constexpr double kSecondMatchThreshold = 0.5;
constexpr double kUnconfirmedMatchThreshold = 0.7;
constexpr double kOutputMatchThreshold = 0.5;
constexpr double kDuplicateThreshold = 0.15;

}  // namespace

struct ByteTracker::Track {
  enum class State { fresh, tracked, lost, removed };

  Box detection_box;  // the detection this track was made from (candidates) or last matched
  float score = 0;
  std::optional<KalmanState> kalman;
  State state = State::fresh;
  bool activated = false;
  int tracklet_length = 0;
  int frame_id = 0;
  int start_frame = 0;
  int64_t internal_id = -1;
  int64_t external_id = -1;

  // The box the tracker matches with: the filter's estimate once there is one.
  PreciseBox box() const {
    if (!kalman) return {detection_box.x1, detection_box.y1, detection_box.x2, detection_box.y2};
    const StateVector& m = kalman->mean;
    const double w = m(2) * m(3);
    const double h = m(3);
    return {m(0) - w / 2, m(1) - h / 2, m(0) + w / 2, m(1) + h / 2};
  }

  // (centre x, centre y, w / h, h), in single precision like the reference's float32 arrays.
  Measurement measurement() const {
    const float w = detection_box.x2 - detection_box.x1;
    const float h = detection_box.y2 - detection_box.y1;
    return {detection_box.x1 + w / 2, detection_box.y1 + h / 2, w / h, h};
  }
};

namespace {

// Track is private to ByteTracker: these helpers take its lists as a template parameter.
template <typename List>
CostMatrix iou_distance(const List& a, const List& b) {
  CostMatrix cost{a.size(), b.size(), std::vector<double>(a.size() * b.size())};
  for (size_t i = 0; i < a.size(); ++i) {
    const PreciseBox box_a = a[i]->box();
    for (size_t j = 0; j < b.size(); ++j) cost.at(i, j) = 1.0 - iou(box_a, b[j]->box());
  }
  return cost;
}

// Weighs the overlap by the detection's score (ByteTrack's fuse_score).
template <typename List>
void fuse_score(CostMatrix& cost, const List& detections) {
  for (size_t i = 0; i < cost.rows; ++i)
    for (size_t j = 0; j < cost.cols; ++j) cost.at(i, j) = 1.0 - (1.0 - cost.at(i, j)) * detections[j]->score;
}

// The tracks of `a` then those of `b`, each internal id once.
template <typename List>
List joined(const List& a, const List& b) {
  List result;
  std::unordered_set<int64_t> seen;
  for (const List* list : {&a, &b})
    for (const auto& track : *list)
      if (seen.insert(track->internal_id).second) result.push_back(track);
  return result;
}

// The tracks of `a` whose internal id is not in `b`.
template <typename List>
List without(const List& a, const List& b) {
  std::unordered_set<int64_t> excluded;
  for (const auto& track : b) excluded.insert(track->internal_id);
  List result;
  for (const auto& track : a)
    if (!excluded.contains(track->internal_id)) result.push_back(track);
  return result;
}

// A tracked and a lost track covering the same object: the younger one goes.
template <typename List>
void remove_duplicates(List& tracked, List& lost) {
  const CostMatrix cost = iou_distance(tracked, lost);
  std::set<size_t> drop_tracked, drop_lost;
  for (size_t i = 0; i < cost.rows; ++i) {
    for (size_t j = 0; j < cost.cols; ++j) {
      if (cost.at(i, j) >= kDuplicateThreshold) continue;
      const int age_tracked = tracked[i]->frame_id - tracked[i]->start_frame;
      const int age_lost = lost[j]->frame_id - lost[j]->start_frame;
      if (age_tracked > age_lost) {
        drop_lost.insert(j);
      } else {
        drop_tracked.insert(i);
      }
    }
  }
  const auto keep = [](const List& list, const std::set<size_t>& drop) {
    List kept;
    for (size_t i = 0; i < list.size(); ++i)
      if (!drop.contains(i)) kept.push_back(list[i]);
    return kept;
  };
  tracked = keep(tracked, drop_tracked);
  lost = keep(lost, drop_lost);
}

}  // namespace

ByteTracker::ByteTracker(const ByteTrackConfig& config)
    : config_(config), max_time_lost_(static_cast<int>(config.frame_rate / 30.0 * config.lost_track_buffer)) {}

ByteTracker::~ByteTracker() = default;
ByteTracker::ByteTracker(ByteTracker&&) noexcept = default;
ByteTracker& ByteTracker::operator=(ByteTracker&&) noexcept = default;

void ByteTracker::reset() {
  frame_id_ = 0;
  next_internal_id_ = 0;
  next_external_id_ = 1;
  tracked_.clear();
  lost_.clear();
}

ByteTracker::TrackList ByteTracker::make_candidates(const std::vector<Detection>& detections,
                                                    bool (*select)(float score, float threshold)) const {
  TrackList candidates;
  for (const Detection& detection : detections) {
    if (!select(detection.score, config_.track_activation_threshold)) continue;
    auto track = std::make_shared<Track>();
    track->detection_box = detection.box;
    track->score = detection.score;
    candidates.push_back(std::move(track));
  }
  return candidates;
}

void ByteTracker::activate(Track& track) {
  track.internal_id = next_internal_id_++;
  track.kalman = kalman_.initiate(track.measurement());
  track.tracklet_length = 0;
  track.state = Track::State::tracked;
  // Only tracks born in the first frame are reported at once; later ones must be matched again.
  if (frame_id_ == 1) track.activated = true;
  if (config_.minimum_consecutive_frames == 1) track.external_id = next_external_id_++;
  track.frame_id = frame_id_;
  track.start_frame = frame_id_;
}

std::vector<std::shared_ptr<ByteTracker::Track>> ByteTracker::step(const std::vector<Detection>& detections) {
  ++frame_id_;
  const TrackList high = make_candidates(detections, [](float score, float threshold) { return score > threshold; });
  const TrackList low = make_candidates(
      detections, [](float score, float threshold) { return score > kLowScoreFloor && score < threshold; });

  TrackList unconfirmed, confirmed;
  for (const auto& track : tracked_) (track->activated ? confirmed : unconfirmed).push_back(track);

  TrackList activated_now, refound, lost_now, removed_now;
  const auto update_track = [&](Track& track, const Track& detection) {
    track.frame_id = frame_id_;
    ++track.tracklet_length;
    track.kalman = kalman_.update(*track.kalman, detection.measurement());
    track.state = Track::State::tracked;
    if (track.tracklet_length == config_.minimum_consecutive_frames) {
      track.activated = true;
      if (track.external_id == -1) track.external_id = next_external_id_++;
    }
    track.score = detection.score;
  };
  const auto match = [&](const std::shared_ptr<Track>& track, const Track& detection) {
    if (track->state == Track::State::tracked) {
      update_track(*track, detection);
      activated_now.push_back(track);
    } else {  // a lost track found again keeps its id
      track->kalman = kalman_.update(*track->kalman, detection.measurement());
      track->tracklet_length = 0;
      track->state = Track::State::tracked;
      track->frame_id = frame_id_;
      track->score = detection.score;
      refound.push_back(track);
    }
  };

  // First association: confirmed and lost tracks, predicted one frame on, with confident detections.
  const TrackList pool = joined(confirmed, lost_);
  for (const auto& track : pool) {
    KalmanState state = *track->kalman;
    if (track->state != Track::State::tracked) state.mean(7) = 0;  // a lost track's height stops changing
    track->kalman = kalman_.predict(state);
  }
  CostMatrix cost = iou_distance(pool, high);
  fuse_score(cost, high);
  const AssignmentResult first = assign_with_threshold(std::move(cost), config_.minimum_matching_threshold);
  for (const auto& [row, col] : first.matches) match(pool[row], *high[col]);

  // Second association: tracks still unmatched with the low-confidence detections.
  TrackList remaining;
  for (const size_t row : first.unmatched_rows)
    if (pool[row]->state == Track::State::tracked) remaining.push_back(pool[row]);
  const AssignmentResult second = assign_with_threshold(iou_distance(remaining, low), kSecondMatchThreshold);
  for (const auto& [row, col] : second.matches) match(remaining[row], *low[col]);
  for (const size_t row : second.unmatched_rows) {
    if (remaining[row]->state != Track::State::lost) {
      remaining[row]->state = Track::State::lost;
      lost_now.push_back(remaining[row]);
    }
  }

  // Tracks seen in one frame only get one more chance, with the confident detections left.
  TrackList leftover;
  for (const size_t col : first.unmatched_cols) leftover.push_back(high[col]);
  cost = iou_distance(unconfirmed, leftover);
  fuse_score(cost, leftover);
  const AssignmentResult third = assign_with_threshold(std::move(cost), kUnconfirmedMatchThreshold);
  for (const auto& [row, col] : third.matches) {
    update_track(*unconfirmed[row], *leftover[col]);
    activated_now.push_back(unconfirmed[row]);
  }
  for (const size_t row : third.unmatched_rows) {
    unconfirmed[row]->state = Track::State::removed;
    removed_now.push_back(unconfirmed[row]);
  }

  // New tracks from confident detections nobody claimed.
  for (const size_t col : third.unmatched_cols) {
    const std::shared_ptr<Track>& track = leftover[col];
    if (track->score < config_.track_activation_threshold + kNewTrackMargin) continue;
    activate(*track);
    activated_now.push_back(track);
  }

  for (const auto& track : lost_) {
    if (frame_id_ - track->frame_id > max_time_lost_) {
      track->state = Track::State::removed;
      removed_now.push_back(track);
    }
  }

  TrackList still_tracked;
  for (const auto& track : tracked_)
    if (track->state == Track::State::tracked) still_tracked.push_back(track);
  tracked_ = joined(joined(still_tracked, activated_now), refound);
  lost_ = without(lost_, tracked_);
  lost_.insert(lost_.end(), lost_now.begin(), lost_now.end());
  lost_ = without(lost_, removed_now);
  remove_duplicates(tracked_, lost_);

  TrackList reported;
  for (const auto& track : tracked_)
    if (track->activated) reported.push_back(track);
  return reported;
}

std::vector<TrackedObject> ByteTracker::update(const std::vector<Detection>& detections) {
  // A box without area has no aspect ratio for the filter; such a detection cannot be tracked.
  std::vector<Detection> trackable;
  for (const Detection& detection : detections)
    if (detection.box.width() > 0 && detection.box.height() > 0) trackable.push_back(detection);

  const TrackList reported = step(trackable);
  if (reported.empty()) return {};

  // Each detection takes the id of the reported track it overlaps best (IoU at least 0.5).
  CostMatrix cost{trackable.size(), reported.size(), std::vector<double>(trackable.size() * reported.size())};
  for (size_t i = 0; i < trackable.size(); ++i) {
    const Box& b = trackable[i].box;
    const PreciseBox box{b.x1, b.y1, b.x2, b.y2};
    for (size_t j = 0; j < reported.size(); ++j) cost.at(i, j) = 1.0 - iou(box, reported[j]->box());
  }
  std::vector<int64_t> ids(trackable.size(), -1);
  for (const auto& [row, col] : assign_with_threshold(std::move(cost), kOutputMatchThreshold).matches)
    ids[row] = reported[col]->external_id;

  std::vector<TrackedObject> objects;
  for (size_t i = 0; i < trackable.size(); ++i) {
    if (ids[i] == -1) continue;
    objects.push_back({ids[i], trackable[i].box, trackable[i].class_id, trackable[i].score});
  }
  return objects;
}

}  // namespace sn44::tracking
