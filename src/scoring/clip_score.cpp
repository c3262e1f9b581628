#include "scoring/clip_score.h"

#include <algorithm>
#include <map>
#include <numeric>
#include <opencv2/videoio.hpp>
#include <random>
#include <set>

#include "core/error.h"

namespace sn44::scoring {
namespace {

std::vector<int64_t> sample_sorted(std::vector<int64_t> population, size_t count, uint64_t seed) {
  std::mt19937_64 random(seed);
  std::vector<int64_t> drawn;
  std::sample(population.begin(), population.end(), std::back_inserter(drawn), count, random);
  std::sort(drawn.begin(), drawn.end());
  return drawn;
}

}  // namespace

std::vector<int64_t> select_frames(int total_frames, std::optional<int> count, uint64_t seed) {
  std::vector<int64_t> all(static_cast<size_t>(std::max(total_frames, 0)));
  std::iota(all.begin(), all.end(), 0);
  if (!count) return all;
  if (*count <= 0) throw Error(ErrorKind::invalid_argument, "the number of frames to score must be positive");
  // Skip the clip's ends like the validator: 30 frames or 10% of the clip, whichever is smaller.
  const int buffer = std::min(30, total_frames / 10);
  const std::vector<int64_t> range(all.begin() + buffer, all.begin() + std::max(buffer, total_frames - buffer));
  return sample_sorted(range, static_cast<size_t>(*count), seed);
}

std::vector<int64_t> select_box_frames(const std::vector<int64_t>& frames, uint64_t seed) {
  // A different stream from the frame draw, as the validator's two draws are independent.
  return sample_sorted(frames, kMaxBoxFrames, seed ^ 0x9e3779b97f4a7c15ULL);
}

ClipScore score_clip(const std::filesystem::path& video, const MinerResult& result, const ClipScoreOptions& options) {
  if (!std::filesystem::is_regular_file(video)) throw Error(ErrorKind::not_found, "video not found: " + video.string());
  cv::VideoCapture capture(video.string());
  if (!capture.isOpened()) throw Error(ErrorKind::corrupt_data, "cannot decode video " + video.string());

  ClipScore score;
  score.size = {static_cast<int>(capture.get(cv::CAP_PROP_FRAME_WIDTH)), static_cast<int>(capture.get(cv::CAP_PROP_FRAME_HEIGHT))};
  const int reported_frames = static_cast<int>(capture.get(cv::CAP_PROP_FRAME_COUNT));
  score.keypoint_frames = select_frames(reported_frames, options.frame_count, options.seed);
  score.box_frames = select_box_frames(score.keypoint_frames, options.seed);
  const std::set<int64_t> keypoint_frames(score.keypoint_frames.begin(), score.keypoint_frames.end());
  const std::set<int64_t> box_frames(score.box_frames.begin(), score.box_frames.end());

  std::map<int64_t, const ScoredFrame*> result_frames;
  for (const ScoredFrame& frame : result.frames) result_frames[frame.frame_number] = &frame;
  MinerLabelsClassifier miner_labels;
  BoxClassifier& classifier = options.classifier ? *options.classifier : miner_labels;
  score.classifier = classifier.name();
  score.box_score_estimated = options.classifier == nullptr;

  std::map<int64_t, std::vector<LineSegment>> lines;
  cv::Mat image;
  int64_t index = 0;
  for (; capture.read(image); ++index) {
    if (!keypoint_frames.count(index)) continue;
    lines[index] = detect_pitch_lines(image);
    const auto frame = result_frames.find(index);
    // The validator only checks boxes on frames where the miner reported objects.
    if (box_frames.count(index) && frame != result_frames.end() && !frame->second->objects.empty()) {
      score.box_frame_scores.push_back(score_frame_boxes(*frame->second, image, score.size, classifier));
    }
  }
  score.video_frames = static_cast<int>(index);
  if (score.video_frames == 0) throw Error(ErrorKind::corrupt_data, "no frame could be decoded from " + video.string());
  if (static_cast<int>(result.frames.size()) != score.video_frames) {
    throw Error(ErrorKind::invalid_argument, "the result has " + std::to_string(result.frames.size()) +
                                                 " frames but the clip has " + std::to_string(score.video_frames));
  }
  // Frames the container announced but that did not decode are not scored.
  std::erase_if(score.keypoint_frames, [&](int64_t n) { return n >= score.video_frames; });

  score.keypoints = score_keypoints(result.frames, score.keypoint_frames, lines, score.size);
  score.box_score = video_box_score(score.box_frame_scores, static_cast<int>(score.box_frames.size()));
  score.processing_time = result.processing_time;
  const double fastest = options.fastest_seconds.value_or(result.processing_time);
  const double slowest = options.slowest_seconds.value_or(std::max(fastest, result.processing_time));
  score.combined = combine_scores(score.box_score, score.keypoints.final_score, result.processing_time, fastest, slowest);

  score.notes.push_back("pitch views: the validator scores only the frames its CLIP + grass filter accepts as pitch views; "
                        "every selected frame is treated as one here");
  if (score.box_score_estimated) {
    score.notes.push_back("box score estimated: no CLIP model, every box is taken to show the class the miner gave it "
                          "(an upper bound; only the size/scoreboard filters, the one-ball rule and the area penalty bite)");
  }
  if (!options.fastest_seconds) {
    score.notes.push_back("speed score estimated: this result is taken as the fastest valid one");
  }
  return score;
}

}  // namespace sn44::scoring
