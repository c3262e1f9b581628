#include "tracking/byte_tracker.h"

#include <algorithm>
#include <cmath>
#include <limits>
#include <string>

#include "core/error.h"
#include "tracking/box_overlap.h"

namespace sn44::tracking {
namespace {

constexpr float kLowScoreFloor = 0.1f;  // detections at or under it are ignored by the association
constexpr double kBirthMargin = 0.1;    // a new track needs activation threshold + this
constexpr double kSecondMatchThreshold = 0.5;
constexpr double kUnconfirmedMatchThreshold = 0.7;
constexpr double kOutputMatchThreshold = 0.5;
constexpr float kDuplicateDistance = 0.15f;
// Frames are a few thousand pixels wide; far larger coordinates would overflow float32 areas.
constexpr float kMaxCoordinate = 1e6f;

}  // namespace

// A detection taking part in the association.
struct ByteTracker::Candidate {
  float score = 0;
  OverlapBox rebuilt_box;   // the box rebuilt from (x, y, w, h) in float32, as the reference does
  Measurement measurement;  // (centre x, centre y, w / h, h), computed in float32 like the reference
  bool defined = true;      // the aspect ratio is finite

  OverlapBox match_box() const { return rebuilt_box; }
};

struct ByteTracker::Track {
  enum class State { tracked, lost, removed };

  KalmanState kalman;
  // The reference's state stays the float32 first measurement until the filter first runs.
  bool single_precision = true;
  bool defined = true;
  State state = State::tracked;
  bool activated = false;
  int tracklet_length = 0;
  int64_t frame_id = 0;  // the last frame it was matched in (born in, at first)
  int64_t start_frame = 0;
  int64_t internal_id = -1;
  int64_t external_id = -1;
  float score = 0;
  bool listed = false;  // scratch mark used when releasing forgotten tracks

  // The filter's box (top-left, bottom-right), in the precision the reference computes it in.
  OverlapBox match_box() const {
    const StateVector& m = kalman.mean;
    if (single_precision) {
      const auto cx = static_cast<float>(m(0)), cy = static_cast<float>(m(1));
      const auto aspect = static_cast<float>(m(2)), h = static_cast<float>(m(3));
      const float w = aspect * h;
      const float x1 = cx - w / 2, y1 = cy - h / 2;
      return {x1, y1, x1 + w, y1 + h, true, defined};
    }
    const double w = m(2) * m(3), h = m(3);
    const double x1 = m(0) - w / 2, y1 = m(1) - h / 2;
    return {x1, y1, x1 + w, y1 + h, false, defined};
  }

  void predict(const KalmanFilter& filter, bool single_precision_noise) {
    single_precision = false;
    if (!defined) return;  // a box without height never matches; its state is never used
    KalmanState state_now = kalman;
    if (state != State::tracked) state_now.mean(7) = 0;  // a lost track's height stops changing
    kalman = filter.predict(state_now, single_precision_noise);
  }
};

namespace {

// 1 - IoU between the boxes of two lists (tracks or detections), in float32 as ByteTrack's
// iou_distance.
template <typename RowPtrs, typename ColumnPtrs>
void iou_distance(const RowPtrs& tracks, const ColumnPtrs& candidates, CostMatrix& cost) {
  cost.resize(tracks.size(), candidates.size());
  for (size_t i = 0; i < tracks.size(); ++i) {
    const OverlapBox track_box = tracks[i]->match_box();
    for (size_t j = 0; j < candidates.size(); ++j) cost.at(i, j) = 1.0f - box_iou(track_box, candidates[j]->match_box());
  }
}

// Weighs the overlaps by the detections' scores (ByteTrack's fuse_score).
template <typename CandidatePtrs>
void fuse_scores(CostMatrix& cost, const CandidatePtrs& candidates) {
  for (size_t i = 0; i < cost.rows; ++i)
    for (size_t j = 0; j < cost.cols; ++j) cost.at(i, j) = tracking::fuse_score(cost.at(i, j), candidates[j]->score);
}

// Appends the tracks of `from` not yet in `list` (ByteTrack's joint_tracks).
template <typename List>
void append_missing(List& list, const List& from) {
  for (auto* track : from)
    if (std::find(list.begin(), list.end(), track) == list.end()) list.push_back(track);
}

// Removes from `list` the tracks present in `excluded`, keeping the order (ByteTrack's sub_tracks).
template <typename List>
void remove_present(List& list, const List& excluded) {
  std::erase_if(list, [&](auto* track) { return std::find(excluded.begin(), excluded.end(), track) != excluded.end(); });
}

int max_time_lost_for(const ByteTrackConfig& config) {
  if (!std::isfinite(config.frame_rate) || config.frame_rate <= 0)
    throw Error(ErrorKind::invalid_argument, "tracker: frame_rate must be a positive number");
  if (config.lost_track_buffer < 0) throw Error(ErrorKind::invalid_argument, "tracker: lost_track_buffer must not be negative");
  if (config.minimum_consecutive_frames < 1)
    throw Error(ErrorKind::invalid_argument, "tracker: minimum_consecutive_frames must be at least 1");
  if (!std::isfinite(config.track_activation_threshold) || !std::isfinite(config.minimum_matching_threshold))
    throw Error(ErrorKind::invalid_argument, "tracker: thresholds must be finite");
  const double frames = config.frame_rate / 30.0 * config.lost_track_buffer;
  if (frames >= std::numeric_limits<int>::max())
    throw Error(ErrorKind::invalid_argument, "tracker: lost_track_buffer * frame_rate / 30 is too large");
  return static_cast<int>(frames);  // truncation, like the reference's int()
}

}  // namespace

ByteTracker::ByteTracker(const ByteTrackConfig& config)
    : config_(config),
      max_time_lost_(max_time_lost_for(config)),
      birth_threshold_(config.track_activation_threshold + kBirthMargin) {}

ByteTracker::~ByteTracker() = default;
ByteTracker::ByteTracker(ByteTracker&&) noexcept = default;
ByteTracker& ByteTracker::operator=(ByteTracker&&) noexcept = default;

void ByteTracker::reset() {
  frame_id_ = 0;
  next_internal_id_ = 0;
  next_external_id_ = 1;
  tracks_.clear();
  tracked_.clear();
  lost_.clear();
  removed_last_frame_.clear();
}

void ByteTracker::start_track(const Candidate& candidate) {
  auto track = std::make_unique<Track>();
  track->internal_id = next_internal_id_++;
  track->kalman = kalman_.initiate(candidate.measurement);
  track->defined = candidate.defined;
  track->score = candidate.score;
  // Only tracks born in the first frame are reported at once; later ones must be matched again.
  track->activated = frame_id_ == 1;
  if (config_.minimum_consecutive_frames == 1) track->external_id = next_external_id_++;
  track->frame_id = frame_id_;
  track->start_frame = frame_id_;
  activated_now_.push_back(track.get());
  tracks_.push_back(std::move(track));
}

void ByteTracker::update_track(Track& track, const Candidate& candidate) {
  track.frame_id = frame_id_;
  ++track.tracklet_length;
  track.kalman = kalman_.update(track.kalman, candidate.measurement);
  track.single_precision = false;
  track.state = Track::State::tracked;
  if (track.tracklet_length == config_.minimum_consecutive_frames) {
    track.activated = true;
    if (track.external_id == -1) track.external_id = next_external_id_++;
  }
  track.score = candidate.score;
}

// A lost track matched again keeps its ids; its run of consecutive matches starts over.
void ByteTracker::refind_track(Track& track, const Candidate& candidate) {
  track.kalman = kalman_.update(track.kalman, candidate.measurement);
  track.single_precision = false;
  track.tracklet_length = 0;
  track.state = Track::State::tracked;
  track.frame_id = frame_id_;
  track.score = candidate.score;
}

void ByteTracker::step(const std::vector<Detection>& detections) {
  ++frame_id_;
  high_.clear();
  low_.clear();
  for (const Detection& detection : detections) {
    const float score = detection.score;
    // NumPy compares a float32 array with a Python float in float32.
    const auto threshold = static_cast<float>(config_.track_activation_threshold);
    if (!(score > threshold) && !(score > kLowScoreFloor && score < threshold)) continue;
    Candidate candidate;
    candidate.score = score;
    // The reference converts (x1, y1, x2, y2) to (x, y, w, h) and back, in float32.
    const Box& b = detection.box;
    const float w = b.x2 - b.x1, h = b.y2 - b.y1;
    candidate.rebuilt_box = {b.x1, b.y1, b.x1 + w, b.y1 + h, true, true};
    const float aspect = w / h;
    candidate.defined = std::isfinite(aspect);
    // An undefined candidate can only start an inert track, whose filter state is never used.
    candidate.measurement = {b.x1 + w / 2, b.y1 + h / 2, candidate.defined ? aspect : 0.0f, h};
    (score > threshold ? high_ : low_).push_back(candidate);
  }
  high_view_.clear();
  for (const Candidate& candidate : high_) high_view_.push_back(&candidate);
  low_view_.clear();
  for (const Candidate& candidate : low_) low_view_.push_back(&candidate);

  confirmed_.clear();
  unconfirmed_.clear();
  for (Track* track : tracked_) (track->activated ? confirmed_ : unconfirmed_).push_back(track);
  activated_now_.clear();
  refound_.clear();
  lost_now_.clear();
  removed_now_.clear();

  const auto match = [&](Track& track, const Candidate& candidate) {
    if (track.state == Track::State::tracked) {
      update_track(track, candidate);
      activated_now_.push_back(&track);
    } else {
      refind_track(track, candidate);
      refound_.push_back(&track);
    }
  };

  // First association: confirmed and lost tracks, predicted one frame on, with confident detections.
  pool_ = confirmed_;
  append_missing(pool_, lost_);
  // The reference predicts the pool as one array, float32 while every state in it is still a first
  // measurement (frame 2), and its noise terms then come out in float32.
  const bool single_precision_noise =
      std::all_of(pool_.begin(), pool_.end(), [](const Track* track) { return track->single_precision; });
  for (Track* track : pool_) track->predict(kalman_, single_precision_noise);
  iou_distance(pool_, high_view_, cost_);
  fuse_scores(cost_, high_view_);
  AssignmentResult& first = first_match_;
  solver_.assign_with_threshold(cost_, config_.minimum_matching_threshold, first);
  for (const auto& [row, col] : first.matches) match(*pool_[row], *high_view_[col]);

  // Second association: tracked tracks still unmatched, with the low-confidence detections.
  remaining_.clear();
  for (const size_t row : first.unmatched_rows)
    if (pool_[row]->state == Track::State::tracked) remaining_.push_back(pool_[row]);
  iou_distance(remaining_, low_view_, cost_);
  AssignmentResult& second = second_match_;
  solver_.assign_with_threshold(cost_, kSecondMatchThreshold, second);
  for (const auto& [row, col] : second.matches) match(*remaining_[row], *low_view_[col]);
  for (const size_t row : second.unmatched_rows) {
    Track& track = *remaining_[row];
    if (track.state != Track::State::lost) {
      track.state = Track::State::lost;
      lost_now_.push_back(&track);
    }
  }

  // Tracks born in the previous frame get one chance, with the confident detections left.
  leftover_.clear();
  for (const size_t col : first.unmatched_cols) leftover_.push_back(high_view_[col]);
  iou_distance(unconfirmed_, leftover_, cost_);
  fuse_scores(cost_, leftover_);
  AssignmentResult& third = third_match_;
  solver_.assign_with_threshold(cost_, kUnconfirmedMatchThreshold, third);
  for (const auto& [row, col] : third.matches) {
    update_track(*unconfirmed_[row], *leftover_[col]);
    activated_now_.push_back(unconfirmed_[row]);
  }
  for (const size_t row : third.unmatched_rows) {
    unconfirmed_[row]->state = Track::State::removed;
    removed_now_.push_back(unconfirmed_[row]);
  }

  // New tracks from confident detections nobody claimed, in the order ByteTrack visits them. The
  // reference compares one float32 score with a Python float: NumPy 1 does that in double.
  for (const size_t col : third.unmatched_cols)
    if (!(static_cast<double>(leftover_[col]->score) < birth_threshold_)) start_track(*leftover_[col]);

  for (Track* track : lost_) {
    if (frame_id_ - track->frame_id > max_time_lost_) {
      track->state = Track::State::removed;
      removed_now_.push_back(track);
    }
  }

  std::erase_if(tracked_, [](const Track* track) { return track->state != Track::State::tracked; });
  append_missing(tracked_, activated_now_);
  append_missing(tracked_, refound_);
  remove_present(lost_, tracked_);
  append_missing(lost_, lost_now_);
  // As in the reference, the tracks removed in the previous frame leave the lost list now: a lost
  // track that times out stays in the list (and can be found again) for one more frame.
  remove_present(lost_, removed_last_frame_);
  removed_last_frame_.swap(removed_now_);

  // A tracked and a lost track on the same object: the one followed for fewer frames goes (the
  // tracked one on a tie).
  iou_distance(tracked_, lost_, cost_);
  for (Track* track : tracked_) track->listed = true;
  for (Track* track : lost_) track->listed = true;
  for (size_t i = 0; i < cost_.rows; ++i) {
    for (size_t j = 0; j < cost_.cols; ++j) {
      if (!(cost_.at(i, j) < kDuplicateDistance)) continue;
      const int64_t age_tracked = tracked_[i]->frame_id - tracked_[i]->start_frame;
      const int64_t age_lost = lost_[j]->frame_id - lost_[j]->start_frame;
      (age_tracked > age_lost ? lost_[j] : tracked_[i])->listed = false;
    }
  }
  std::erase_if(tracked_, [](const Track* track) { return !track->listed; });
  std::erase_if(lost_, [](const Track* track) { return !track->listed; });
  release_forgotten_tracks();

  reported_.clear();
  for (Track* track : tracked_)
    if (track->activated) reported_.push_back(track);
}

void ByteTracker::release_forgotten_tracks() {
  for (const auto& track : tracks_) track->listed = false;
  for (Track* track : tracked_) track->listed = true;
  for (Track* track : lost_) track->listed = true;
  // Kept one more frame: the next frame removes them from the lost list by identity.
  for (Track* track : removed_last_frame_) track->listed = true;
  std::erase_if(tracks_, [](const std::unique_ptr<Track>& track) { return !track->listed; });
}

std::vector<TrackedObject> ByteTracker::update(const std::vector<Detection>& detections) {
  const auto out_of_range = [](float coordinate) { return !(std::abs(coordinate) <= kMaxCoordinate); };
  for (size_t i = 0; i < detections.size(); ++i) {
    const Detection& d = detections[i];
    if (out_of_range(d.box.x1) || out_of_range(d.box.y1) || out_of_range(d.box.x2) || out_of_range(d.box.y2))
      throw Error(ErrorKind::invalid_argument,
                  "tracker: detection " + std::to_string(i) + " has a coordinate that is not finite or beyond 1e6");
    if (!std::isfinite(d.score))
      throw Error(ErrorKind::invalid_argument, "tracker: detection " + std::to_string(i) + " has a non-finite score");
  }

  step(detections);
  if (reported_.empty()) return {};

  // Each detection (whatever its score) takes the id of the reported track it overlaps, one to one
  // by optimal assignment, IoU at least 0.5; the detection boxes are the ones given.
  cost_.resize(detections.size(), reported_.size());
  for (size_t i = 0; i < detections.size(); ++i) {
    const Box& b = detections[i].box;
    const OverlapBox box{b.x1, b.y1, b.x2, b.y2, true, true};
    for (size_t j = 0; j < reported_.size(); ++j) cost_.at(i, j) = 1.0f - box_iou(box, reported_[j]->match_box());
  }
  solver_.assign_with_threshold(cost_, kOutputMatchThreshold, output_match_);
  // The matches come in ascending detection order, which is the output's order.
  std::vector<TrackedObject> objects;
  objects.reserve(output_match_.matches.size());
  for (const auto& [row, col] : output_match_.matches) {
    const int64_t id = reported_[col]->external_id;
    if (id == -1) continue;  // a track not reported yet (minimum_consecutive_frames)
    objects.push_back({id, detections[row].box, detections[row].class_id, detections[row].score});
  }
  return objects;
}

}  // namespace sn44::tracking
