// `sn44-miner eval --model`: the generated models run on the shared labelled datasets as the miner
// runs them, and the numbers are those of the prediction file they write.

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>
#include <opencv2/imgcodecs.hpp>

#include "scoring/eval_metrics.h"
#include "support/file_text.h"
#include "support/generated_models.h"
#include "support/run_command.h"
#include "support/temp_dir.h"
#include "support/test_data.h"

namespace sn44::scoring {
namespace {

using nlohmann::json;

json run_eval_json(const std::vector<std::string>& arguments) {
  std::vector<std::string> all = {"eval", "--json"};
  all.insert(all.end(), arguments.begin(), arguments.end());
  const testing::CommandResult run = testing::run_command(SN44_MINER_EXECUTABLE, all);
  EXPECT_EQ(run.exit_code, 0) << run.standard_error;
  return run.exit_code == 0 ? json::parse(run.standard_output) : json{};
}

json read_json(const std::filesystem::path& path) {
  return json::parse(testing::file_text(path));
}

TEST(EvalWithModel, DetectionNumbersAreThoseOfTheModelsOwnPredictions) {
  SN44_REQUIRE_GENERATED_MODELS(models);
  SN44_REQUIRE_SHARED_FILE(dataset, "labeled/football-players-detection-v1/data.yaml");
  const std::filesystem::path folder = dataset.parent_path();
  const std::vector<LabelledImage> labels = read_yolo_labels(folder);
  testing::TempDir dir;
  const std::string model = (models / "player.torchscript").string();
  const json from_model = run_eval_json({"--labels", folder.string(), "--model", model, "--conf", "0.3",
                                         "--write-predictions", (dir / "predictions.json").string()});
  const json written = read_json(dir / "predictions.json");

  // One entry per labelled image; every box a known class, inside its image, over the threshold.
  ASSERT_EQ(written["images"].size(), labels.size());
  int boxes = 0;
  for (const LabelledImage& image : labels) {
    const json& detections = written["images"][image.name]["detections"];
    for (const json& d : detections) {
      EXPECT_GE(d["score"].get<double>(), 0.3);
      EXPECT_THAT(d["class_id"].get<int>(), ::testing::AllOf(::testing::Ge(0), ::testing::Lt(kDetectionClassCount)));
      const std::vector<double> box = d["bbox"].get<std::vector<double>>();
      EXPECT_LE(0, box[0]);
      EXPECT_LT(box[0], box[2]);
      EXPECT_LE(box[2], image.width);
      EXPECT_LE(0, box[1]);
      EXPECT_LT(box[1], box[3]);
      EXPECT_LE(box[3], image.height);
    }
    boxes += static_cast<int>(detections.size());
  }
  int predicted = 0;
  for (const auto& [name, metrics] : from_model["detection"]["classes"].items()) predicted += metrics["predicted"].get<int>();
  EXPECT_EQ(predicted, boxes);
  ASSERT_GT(boxes, 0) << "the generated model should find something to score on real frames";

  // Scoring the written file gives the same numbers, to the last digit.
  EXPECT_EQ(run_eval_json({"--labels", folder.string(), "--predictions", (dir / "predictions.json").string()}), from_model);

  // A higher threshold keeps a subset.
  const json stricter = run_eval_json({"--labels", folder.string(), "--model", model, "--conf", "0.6"});
  int stricter_predicted = 0;
  for (const auto& [name, metrics] : stricter["detection"]["classes"].items()) stricter_predicted += metrics["predicted"].get<int>();
  int over_06 = 0;
  for (const auto& [name, image] : written["images"].items()) {
    for (const json& d : image["detections"]) over_06 += d["score"].get<double>() >= 0.6;
  }
  EXPECT_EQ(stricter_predicted, over_06);
}

TEST(EvalWithModel, KeypointSetRunsThePitchModel) {
  SN44_REQUIRE_GENERATED_MODELS(models);
  SN44_REQUIRE_SHARED_FILE(dataset, "labeled/soccer-field-localization-v9-kpt32/data.yaml");
  const std::filesystem::path folder = dataset.parent_path();
  testing::TempDir dir;
  // Low thresholds, so that the untrained model reports keypoints to count.
  const json from_model = run_eval_json({"--labels", folder.string(), "--model", (models / "pitch.torchscript").string(), "--conf",
                                         "0.01", "--keypoint-conf", "0.1", "--write-predictions",
                                         (dir / "predictions.json").string()});
  EXPECT_FALSE(from_model.contains("detection"));
  const json written = read_json(dir / "predictions.json");
  int visible = 0;
  for (const auto& [name, image] : written["images"].items()) {
    ASSERT_EQ(image["keypoints"].size(), static_cast<size_t>(kPitchVertexCount)) << name;
    for (const json& k : image["keypoints"]) visible += k[0].get<double>() != 0 || k[1].get<double>() != 0;
  }
  EXPECT_GT(visible, 0);
  EXPECT_EQ(from_model["keypoints"]["predicted_visible"].get<int>(), visible);
  EXPECT_EQ(run_eval_json({"--labels", folder.string(), "--predictions", (dir / "predictions.json").string()}), from_model);
}

TEST(EvalWithModel, ModelAndPredictionsAreExclusiveAndAMissingModelIsNamed) {
  testing::TempDir dir;
  std::filesystem::create_directories(dir / "images");
  const auto run = [&](const std::vector<std::string>& arguments) {
    std::vector<std::string> all = {"eval", "--labels", dir.path().string()};
    all.insert(all.end(), arguments.begin(), arguments.end());
    return testing::run_command(SN44_MINER_EXECUTABLE, all);
  };
  const testing::CommandResult neither = run({});
  EXPECT_NE(neither.exit_code, 0);
  EXPECT_THAT(neither.standard_error, ::testing::HasSubstr("either --predictions or --model"));

  const testing::CommandResult both = run({"--predictions", "p.json", "--model", "m.torchscript"});
  EXPECT_NE(both.exit_code, 0);
  EXPECT_THAT(both.standard_error, ::testing::HasSubstr("excludes"));

  cv::imwrite((dir / "images" / "frame.png").string(), cv::Mat(64, 64, CV_8UC3, cv::Scalar(40, 120, 40)));
  const testing::CommandResult missing = run({"--model", (dir / "no-such-model.torchscript").string()});
  EXPECT_NE(missing.exit_code, 0);
  EXPECT_THAT(missing.standard_error, ::testing::HasSubstr("no-such-model.torchscript"));
}

}  // namespace
}  // namespace sn44::scoring
