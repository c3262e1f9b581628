#pragma once
// The offline estimate of what a validator would give one result for one clip: the frames are read
// with OpenCV, the keypoint and box scores computed as the validator does, and combined with the
// speed score. What cannot be reproduced offline (CLIP, the other miners' times, the validator's
// pitch-view filter) is replaced by a stated assumption, listed in `notes`.

#include <cstdint>
#include <filesystem>
#include <optional>
#include <string>
#include <vector>

#include "scoring/bbox_scoring.h"
#include "scoring/combined_score.h"
#include "scoring/keypoint_scoring.h"
#include "scoring/miner_result.h"

namespace sn44::scoring {

inline constexpr int kMaxBoxFrames = 100;  // the validator checks boxes on at most 100 frames

struct ClipScoreOptions {
  std::optional<int> frame_count;  // score N random frames; nullopt: every frame
  uint64_t seed = 0;
  BoxClassifier* classifier = nullptr;     // nullptr: the miner's own labels (an upper bound)
  std::optional<double> fastest_seconds;   // fastest competing time; nullopt: this result is the fastest
  std::optional<double> slowest_seconds;
};

struct ClipScore {
  FrameSize size;
  int video_frames = 0;
  std::vector<int64_t> keypoint_frames;  // the frames standing for the validator's pitch views
  std::vector<int64_t> box_frames;       // those of them whose boxes are checked
  KeypointScoreBreakdown keypoints;
  std::vector<FrameBoxScore> box_frame_scores;  // box frames with at least one object
  double box_score = 0;
  std::string classifier;
  bool box_score_estimated = false;
  double processing_time = 0;
  CombinedScore combined;
  std::vector<std::string> notes;
};

// The validator's frame draw: `count` distinct frames, sorted, from [buffer, total - buffer) where
// buffer = min(30, total / 10); every frame when `count` is nullopt. Seeded, so runs repeat.
std::vector<int64_t> select_frames(int total_frames, std::optional<int> count, uint64_t seed);

// Up to kMaxBoxFrames of `frames`, drawn with the seed, sorted.
std::vector<int64_t> select_box_frames(const std::vector<int64_t>& frames, uint64_t seed);

// Throws sn44::Error: not_found for a missing clip, corrupt_data for an unreadable one,
// invalid_argument when the result's frame count differs from the clip's.
ClipScore score_clip(const std::filesystem::path& video, const MinerResult& result, const ClipScoreOptions& options);

}  // namespace sn44::scoring
