// `sn44-miner score`: the validator's score for one result on one clip, estimated offline, with every
// component shown so an operator can see which part of the pipeline costs points.

#include <cstdio>
#include <memory>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>

#include "cli/commands.h"
#include "scoring/clip_score.h"

namespace sn44::cli {
namespace {

struct ScoreCommandOptions {
  std::string video;
  std::string result;
  int frames = 0;
  bool all = false;
  uint64_t seed = 0;
  double fastest = -1;
  bool json = false;
};

nlohmann::ordered_json keypoint_json(const scoring::KeypointScoreBreakdown& k) {
  nlohmann::ordered_json frames = nlohmann::ordered_json::array();
  for (const scoring::FrameKeypointScore& f : k.frames) {
    frames.push_back({{"frame_number", f.frame_number}, {"inlier_ratio", f.inlier_ratio},
                      {"mean_reprojection_error", f.mean_reprojection_error}, {"keypoint_score", f.keypoint_score},
                      {"on_line", f.on_line}, {"inside", f.inside}, {"scale_ratio", f.scale_ratio}, {"segment", f.segment}});
  }
  return {{"frames_scored", k.frames_scored}, {"frames_with_homography", k.frames.size()},
          {"keypoint_score", k.keypoint_score}, {"mean_on_line", k.mean_on_line}, {"mean_inside", k.mean_inside},
          {"keypoint_stability", k.keypoint_stability}, {"player_plausibility", k.player_plausibility},
          {"player_score", k.player_score}, {"mean_scale", k.mean_scale}, {"scale_valid", k.scale_valid},
          {"scene_consistency", k.scene_consistency}, {"scene_transitions", k.scene_transitions},
          {"final_score", k.final_score}, {"frames", frames}};
}

void print_json(const scoring::ClipScore& s) {
  nlohmann::ordered_json boxes = nlohmann::ordered_json::array();
  for (const scoring::FrameBoxScore& f : s.box_frame_scores) {
    boxes.push_back({{"frame_number", f.frame_number}, {"boxes_kept", f.boxes_kept}, {"extra_balls", f.extra_balls},
                     {"points", f.points}, {"distinct_labels", f.distinct_labels}, {"area_factor", f.area_factor},
                     {"score", f.score}});
  }
  const nlohmann::ordered_json body = {
      {"video", {{"width", s.size.width}, {"height", s.size.height}, {"frames", s.video_frames}}},
      {"keypoints", keypoint_json(s.keypoints)},
      {"boxes", {{"score", s.box_score}, {"estimated", s.box_score_estimated}, {"classifier", s.classifier},
                 {"frames_selected", s.box_frames.size()}, {"frames", boxes}}},
      {"processing_time", s.processing_time},
      {"quality", s.combined.quality},
      {"speed", s.combined.speed},
      {"final_score", s.combined.final_score},
      {"notes", s.notes}};
  std::printf("%s\n", body.dump(2).c_str());
}

void print_table(const scoring::ClipScore& s) {
  const scoring::KeypointScoreBreakdown& k = s.keypoints;
  std::printf("clip %dx%d, %d frames; %zu frames scored for keypoints, %zu for boxes\n\n", s.size.width, s.size.height,
              s.video_frames, s.keypoint_frames.size(), s.box_frames.size());
  std::printf("%-34s %10s %8s %10s\n", "keypoint component", "value", "weight", "points");
  const auto row = [](const char* name, double value, double weight, double points) {
    std::printf("%-34s %10.4f %8.2f %10.2f\n", name, value, weight, points);
  };
  row("homography fit (0-100)", k.keypoint_score, 0.25, 0.25 * k.keypoint_score);
  row("keypoints on lines", k.mean_on_line, 0.40, 40 * k.mean_on_line);
  row("players inside pitch", k.mean_inside, 0.20, 20 * k.mean_inside);
  row("keypoint stability", k.keypoint_stability, 0.05, 5 * k.keypoint_stability);
  const double player_final = (k.player_plausibility * 100 + k.player_score) / 2;
  row("players (plausibility+ids)/2", player_final, 0.10, 0.1 * player_final);
  std::printf("  plausibility %.4f, id continuity %.2f/100, %d scene cut(s)\n", k.player_plausibility, k.player_score,
              k.scene_transitions);
  std::printf("%-34s %10.4f\n", "x scene keypoint consistency", k.scene_consistency);
  std::printf("%-34s %10.4f  (scale ratio %.4f, frames with homography %.4f)\n", "x scale factor",
              (k.mean_scale + k.scale_valid) / 2, k.mean_scale, k.scale_valid);
  std::printf("%-34s %10.4f  (%zu of %d frames have a homography)\n\n", "keypoint score", k.final_score, k.frames.size(),
              k.frames_scored);
  std::printf("%-34s %10.4f%s  (%zu frames checked, classifier: %s)\n", "box score", s.box_score,
              s.box_score_estimated ? " *" : "", s.box_frame_scores.size(), s.classifier.c_str());
  std::printf("%-34s %10.4f  = 0.5 box + 0.5 keypoints\n", "quality", s.combined.quality);
  std::printf("%-34s %10.4f  (processing time %.2f s)\n", "speed", s.combined.speed, s.processing_time);
  std::printf("%-34s %10.4f  = 0.65 quality + 0.35 speed\n", "final estimate", s.combined.final_score);
  for (const std::string& note : s.notes) std::printf("note: %s\n", note.c_str());
}

void run_score(const ScoreCommandOptions& options) {
  const scoring::MinerResult result = scoring::read_miner_result(options.result);
  scoring::ClipScoreOptions score_options;
  if (!options.all && options.frames > 0) score_options.frame_count = options.frames;
  score_options.seed = options.seed;
  if (options.fastest >= 0) score_options.fastest_seconds = options.fastest;
  const scoring::ClipScore score = scoring::score_clip(options.video, result, score_options);
  if (options.json) {
    print_json(score);
  } else {
    print_table(score);
  }
}

}  // namespace

void add_score_command(CLI::App& app) {
  auto options = std::make_shared<ScoreCommandOptions>();
  CLI::App* command = app.add_subcommand("score", "Estimate the validator's score of a result for a clip, component by component");
  command->add_option("--video", options->video, "The challenge clip")->required();
  command->add_option("--result", options->result, "The miner's result JSON for that clip")->required();
  auto* frames = command->add_option("--frames", options->frames, "Score N random frames (default: every frame)")
                     ->check(CLI::PositiveNumber);
  command->add_flag("--all", options->all, "Score every frame (the default)")->excludes(frames);
  command->add_option("--seed", options->seed, "Seed of the random frame draws");
  command->add_option("--fastest-time", options->fastest,
                      "Fastest competing miner's time in seconds (default: this result's own time)")
      ->check(CLI::NonNegativeNumber);
  command->add_flag("--json", options->json, "Print JSON instead of a table");
  command->callback([options] { run_score(*options); });
}

}  // namespace sn44::cli
