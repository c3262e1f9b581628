// The whole pipeline on real clips with generated YOLOv8n models (320x192 inputs, so a clip takes
// seconds): one entry per decoded frame, persistent track ids, stride and batching behaviour.

#include "pipeline/pipeline.h"

#include <gtest/gtest.h>

#include <map>
#include <memory>
#include <set>

#include "support/expect_error.h"
#include "pipeline/result_json.h"
#include "support/generated_models.h"
#include "support/growing_copy.h"
#include "support/synthetic_video.h"
#include "support/temp_dir.h"
#include "support/test_data.h"

namespace sn44::pipeline {
namespace {

constexpr const char* kDflClip = "videos/dfl_bundesliga_08fd33_4_848x478_25fps_7s.mp4";
constexpr int64_t kDflFrames = 169;

PipelineConfig test_config(const std::filesystem::path& models) {
  PipelineConfig config;
  config.player_model = models / "player.torchscript";
  config.pitch_model = models / "pitch.torchscript";
  config.threads = 2;
  config.batch_size = 4;
  config.warmup_runs = 0;
  return config;
}

void expect_valid_frames(const std::vector<FrameResult>& frames, int64_t count, float width, float height) {
  ASSERT_EQ(static_cast<int64_t>(frames.size()), count);
  for (int64_t i = 0; i < count; ++i) {
    const FrameResult& frame = frames[static_cast<size_t>(i)];
    EXPECT_EQ(frame.frame_number, i);
    std::set<int64_t> ids;
    for (const TrackedObject& object : frame.objects) {
      EXPECT_GT(object.track_id, 0);
      EXPECT_TRUE(ids.insert(object.track_id).second) << "track id " << object.track_id << " twice in frame " << i;
      EXPECT_GE(object.box.x1, 0);
      EXPECT_GE(object.box.y1, 0);
      EXPECT_LE(object.box.x2, width);
      EXPECT_LE(object.box.y2, height);
      EXPECT_LE(object.box.x1, object.box.x2);
      EXPECT_LE(object.box.y1, object.box.y2);
      EXPECT_GE(object.class_id, 0);
      EXPECT_LE(object.class_id, 3);
    }
    for (const auto& point : frame.keypoints) {
      const bool hidden = point[0] == 0 && point[1] == 0;
      EXPECT_TRUE(hidden || (point[0] >= 0 && point[1] >= 0 && point[0] <= width && point[1] <= height));
    }
  }
}

// Keypoints of the same frame from two runs whose batches differ: a batch of another size sums in
// another order, so coordinates agree to float rounding, not to the bit.
void expect_keypoints_near(const FrameResult& a, const FrameResult& b, float tolerance) {
  ASSERT_EQ(a.keypoints.size(), b.keypoints.size());
  for (size_t k = 0; k < a.keypoints.size(); ++k) {
    for (size_t axis = 0; axis < 2; ++axis)
      EXPECT_NEAR(a.keypoints[k][axis], b.keypoints[k][axis], tolerance) << "frame " << a.frame_number << " keypoint " << k;
  }
}

// Two runs over one clip whose batches differ: the same objects in every frame, and keypoints to
// float rounding.
void expect_same_frames(const PipelineResult& a, const PipelineResult& b) {
  ASSERT_EQ(a.frames.size(), b.frames.size());
  for (size_t i = 0; i < a.frames.size(); ++i) {
    ASSERT_EQ(a.frames[i].objects.size(), b.frames[i].objects.size()) << "frame " << i;
    expect_keypoints_near(a.frames[i], b.frames[i], 1e-2f);
  }
}

// A synthetic 320x240 clip of `frames` frames in `dir`.
std::filesystem::path synthetic_clip(const testing::TempDir& dir, int frames) {
  const auto clip = dir / "clip.mp4";
  testing::write_synthetic_video(clip, frames, 320, 240);
  return clip;
}

// The DFL clip through one pipeline of test_config(), run once for the suite's process: three cases
// compare with it, and a whole-clip run takes seconds (tens under the sanitizers). Its pipeline
// serves the cases that need one that has already analysed a clip.
struct DflClipRun {
  explicit DflClipRun(const std::filesystem::path& models) : pipeline(test_config(models)) {}
  Pipeline pipeline;
  PipelineResult result;
  int64_t last_progress = 0;
};

DflClipRun& dfl_clip_run(const std::filesystem::path& models, const std::filesystem::path& clip) {
  static const std::unique_ptr<DflClipRun> run = [&] {
    auto fresh = std::make_unique<DflClipRun>(models);
    fresh->result = fresh->pipeline.process(clip, [&fresh](int64_t done, int64_t) { fresh->last_progress = done; });
    return fresh;
  }();
  return *run;
}

// How many frames each track id appears in.
std::map<int64_t, int> track_lengths(const std::vector<FrameResult>& frames) {
  std::map<int64_t, int> lengths;
  for (const FrameResult& frame : frames)
    for (const TrackedObject& object : frame.objects) ++lengths[object.track_id];
  return lengths;
}

TEST(Pipeline, EveryDecodedFrameOfARealClipHasAnEntryWithPersistentTracks) {
  SN44_REQUIRE_GENERATED_MODELS(models);
  SN44_REQUIRE_SHARED_FILE(clip, kDflClip);
  const DflClipRun& run = dfl_clip_run(models, clip);
  const PipelineResult& result = run.result;

  expect_valid_frames(result.frames, kDflFrames, 848, 478);
  EXPECT_EQ(result.stats.frames, kDflFrames);
  EXPECT_EQ(result.stats.inferred_frames, kDflFrames);
  EXPECT_EQ(run.last_progress, kDflFrames);
  EXPECT_GT(result.stats.forward_seconds, 0);
  EXPECT_GE(result.stats.total_seconds, result.stats.forward_seconds);

  // The generated models see players on a real pitch: tracks must form and last.
  const auto lengths = track_lengths(result.frames);
  ASSERT_FALSE(lengths.empty()) << "no object was tracked on a real clip";
  int longest = 0;
  for (const auto& [id, length] : lengths) longest = std::max(longest, length);
  EXPECT_GE(longest, 30) << "no track lasted 30 frames";
}

TEST(Pipeline, AClipStillDownloadingGivesTheSameResultAsTheWholeFile) {
  SN44_REQUIRE_GENERATED_MODELS(models);
  SN44_REQUIRE_SHARED_FILE(clip, kDflClip);
  DflClipRun& whole = dfl_clip_run(models, clip);
  testing::TempDir dir;
  GrowingFile arriving(dir / "clip.mp4");
  const testing::GrowingCopy copy(clip, arriving, {.chunk_bytes = 64 * 1024, .interval = std::chrono::milliseconds(10)});
  const PipelineResult streamed = whole.pipeline.process(arriving);
  EXPECT_EQ(streamed.stats.frames, kDflFrames);
  EXPECT_EQ(result_to_json("c", streamed.frames, 0), result_to_json("c", whole.result.frames, 0));
}

TEST(Pipeline, ABrokenDownloadEndsProcessingWithTheDownloadsError) {
  SN44_REQUIRE_GENERATED_MODELS(models);
  SN44_REQUIRE_SHARED_FILE(clip, kDflClip);
  Pipeline pipeline(test_config(models));
  testing::TempDir dir;
  GrowingFile arriving(dir / "clip.mp4");
  const testing::GrowingCopy copy(clip, arriving, {.chunk_bytes = 64 * 1024, .fail_after = 500'000});
  sn44::testing::expect_error(ErrorKind::unavailable, "Connection reset by peer", [&] { pipeline.process(arriving); });
}

TEST(Pipeline, StrideRunsTheModelsOnEveryNthFrameAndTheLastAndInterpolatesTheRest) {
  SN44_REQUIRE_GENERATED_MODELS(models);
  SN44_REQUIRE_SHARED_FILE(clip, kDflClip);
  const PipelineResult& every_frame = dfl_clip_run(models, clip).result;
  PipelineConfig config = test_config(models);
  config.frame_stride = 5;
  const PipelineResult strided = Pipeline(config).process(clip);

  expect_valid_frames(strided.frames, kDflFrames, 848, 478);
  // Frames 0, 5, ..., 165, and 168 (the last frame is always inferred).
  EXPECT_EQ(strided.stats.inferred_frames, 34 + 1);
  for (const int64_t inferred : {0, 5, 80, 165, 168}) expect_keypoints_near(strided.frames[inferred], every_frame.frames[inferred], 1e-2f);
  // A skipped frame lies between its inferred neighbours wherever both see a keypoint.
  const auto& before = strided.frames[80].keypoints;
  const auto& skipped = strided.frames[82].keypoints;
  const auto& after = strided.frames[85].keypoints;
  for (size_t k = 0; k < before.size(); ++k) {
    const bool both_visible = (before[k][0] != 0 || before[k][1] != 0) && (after[k][0] != 0 || after[k][1] != 0);
    if (!both_visible) continue;
    for (size_t axis = 0; axis < 2; ++axis)
      EXPECT_NEAR(skipped[k][axis], before[k][axis] + (after[k][axis] - before[k][axis]) * 0.4f, 1e-3) << "keypoint " << k;
  }
}

TEST(Pipeline, BatchSizeDoesNotChangeTheResult) {
  SN44_REQUIRE_GENERATED_MODELS(models);
  testing::TempDir dir;
  const auto clip = synthetic_clip(dir, 11);
  PipelineConfig config = test_config(models);
  config.batch_size = 1;
  const PipelineResult single = Pipeline(config).process(clip);
  config.batch_size = 4;
  const PipelineResult batched = Pipeline(config).process(clip);
  ASSERT_EQ(single.frames.size(), 11u);
  expect_same_frames(single, batched);
}

TEST(Pipeline, ARequestedStopEndsProcessingWithATimeoutError) {
  SN44_REQUIRE_GENERATED_MODELS(models);
  testing::TempDir dir;
  const auto clip = synthetic_clip(dir, 20);
  Pipeline pipeline(test_config(models));
  std::stop_source stop;
  stop.request_stop();
  testing::expect_error(ErrorKind::timeout, "time limit", [&] { pipeline.process(clip, {}, stop.get_token()); });
  // The pipeline stays usable after a stopped clip.
  EXPECT_EQ(pipeline.process(clip).frames.size(), 20u);
}

TEST(Pipeline, RefusesInvalidSettingsNamingThem) {
  PipelineConfig config;
  config.player_model = "player.torchscript";
  config.pitch_model = "pitch.torchscript";
  config.frame_stride = 0;
  testing::expect_error(ErrorKind::invalid_argument, "FRAME_STRIDE", [&] { validate(config); });
  config.frame_stride = 1;
  config.batch_size = 0;
  testing::expect_error(ErrorKind::invalid_argument, "BATCH_SIZE", [&] { validate(config); });
  config.batch_size = 1;
  config.player_input_size = 100;
  testing::expect_error(ErrorKind::invalid_argument, "IMG_SIZE", [&] { validate(config); });
  config.player_input_size = 1280;
  config.first_batch_size = 0;
  testing::expect_error(ErrorKind::invalid_argument, "FIRST_BATCH_SIZE", [&] { validate(config); });
  config.first_batch_size = 4;
  config.precision = Precision::fp16;
  testing::expect_error(ErrorKind::invalid_argument, "PRECISION=fp16", [&] { validate(config); });
  config.device = "cuda";
  EXPECT_NO_THROW(validate(config));
  config.device = "cpu";
  config.precision = Precision::automatic;
  config.player_model.clear();
  testing::expect_error(ErrorKind::invalid_argument, "PLAYER_MODEL", [&] { validate(config); });
}

TEST(Pipeline, AutomaticPrecisionIsFp16OnAGpuAndFp32OnTheCpu) {
  PipelineConfig config;
  EXPECT_FALSE(half_precision(config));
  config.device = "cuda:0";
  EXPECT_TRUE(half_precision(config));
  config.precision = Precision::fp32;
  EXPECT_FALSE(half_precision(config));
}

TEST(Pipeline, TheFirstBatchIsSmallAndTheResultTheSame) {
  SN44_REQUIRE_GENERATED_MODELS(models);
  testing::TempDir dir;
  const auto clip = synthetic_clip(dir, 11);
  PipelineConfig config = test_config(models);
  const auto batches = [&clip](const PipelineConfig& settings, PipelineResult& result) {
    int calls = 0;  // progress is reported once per batch
    result = Pipeline(settings).process(clip, [&calls](int64_t, int64_t) { ++calls; });
    return calls;
  };
  PipelineResult whole_batches;
  EXPECT_EQ(batches(config, whole_batches), 3) << "4 + 4 + 3 frames";
  config.first_batch_size = 1;
  PipelineResult small_first;
  EXPECT_EQ(batches(config, small_first), 4) << "1 + 4 + 4 + 2 frames";
  expect_same_frames(whole_batches, small_first);
}

}  // namespace
}  // namespace sn44::pipeline
