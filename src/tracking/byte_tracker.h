#pragma once
// ByteTrack with the semantics and defaults of supervision's `sv.ByteTrack()`, the tracker of the
// reference miner: given the same detections frame after frame, it gives the same track ids and
// keeps the same detections. See docs/tracking.md.

#include <cstdint>
#include <memory>
#include <vector>

#include "core/types.h"
#include "tracking/kalman_filter.h"
#include "tracking/linear_assignment.h"

namespace sn44::tracking {

struct ByteTrackConfig {
  // Double like the reference's Python floats; scores are compared with them as NumPy does.
  double track_activation_threshold = 0.25;  // detections above it start and first-match tracks
  int lost_track_buffer = 30;                // frames (at 30 fps) a lost track waits to be found again
  double minimum_matching_threshold = 0.8;   // largest 1 - IoU*score cost accepted in the first match
  double frame_rate = 30;                    // scales the lost-track buffer
  int minimum_consecutive_frames = 1;        // matched frames before a new track is reported
};

class ByteTracker {
 public:
  explicit ByteTracker(const ByteTrackConfig& config = {});
  ~ByteTracker();
  ByteTracker(ByteTracker&&) noexcept;
  ByteTracker& operator=(ByteTracker&&) noexcept;

  // Feeds the next frame's detections. Returns the detections that belong to a reported track,
  // with the detection's own box, score and class and the track's id, in input order; the others
  // are dropped (as `update_with_detections` does). Throws sn44::Error (invalid_argument) when a
  // detection has a non-finite score or a coordinate that is not finite or beyond 1e6.
  std::vector<TrackedObject> update(const std::vector<Detection>& detections);

  // Forgets every track and restarts ids at 1 (a new clip).
  void reset();

  // Frames a lost track may go unseen before it is marked removed (as in the reference, it can
  // still be found in the frame after that).
  int max_time_lost() const { return max_time_lost_; }

 private:
  struct Track;
  struct Candidate;
  using TrackList = std::vector<Track*>;
  using CandidateList = std::vector<const Candidate*>;

  // One frame of ByteTrack's association; leaves the reported tracks in reported_.
  void step(const std::vector<Detection>& detections);
  void start_track(const Candidate& candidate);
  void update_track(Track& track, const Candidate& candidate);
  void refind_track(Track& track, const Candidate& candidate);
  // Drops the tracks no list refers to any more.
  void release_forgotten_tracks();

  ByteTrackConfig config_;
  int max_time_lost_;
  double birth_threshold_;  // a new track needs a score of at least this
  KalmanFilter kalman_;
  int64_t frame_id_ = 0;
  int64_t next_internal_id_ = 0;
  int64_t next_external_id_ = 1;
  std::vector<std::unique_ptr<Track>> tracks_;  // owns every track in tracked_, lost_ or removed_last_frame_
  TrackList tracked_;
  TrackList lost_;
  TrackList removed_last_frame_;

  // Per-frame working lists, members only so that their storage is reused from frame to frame.
  std::vector<Candidate> high_, low_;
  TrackList confirmed_, unconfirmed_, pool_, remaining_, activated_now_, refound_, lost_now_, removed_now_,
      reported_;
  CandidateList high_view_, low_view_, leftover_;
  CostMatrix cost_;
  AssignmentSolver solver_;
  AssignmentResult first_match_, second_match_, third_match_, output_match_;
};

}  // namespace sn44::tracking
