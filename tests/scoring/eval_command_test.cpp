// `sn44-miner eval` on the shared labelled datasets with prediction files the test derives from the
// labels: perfect ones score 1, and known defects lower exactly the numbers they should.

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <cmath>
#include <fstream>
#include <nlohmann/json.hpp>

#include "scoring/eval_metrics.h"
#include "support/run_command.h"
#include "support/temp_dir.h"
#include "support/test_data.h"

namespace sn44::scoring {
namespace {

using nlohmann::json;

// The labels as a prediction file; `edit` may change each image's prediction first.
template <typename Edit>
json predictions_from(const std::vector<LabelledImage>& labels, Edit edit) {
  json images = json::object();
  for (const LabelledImage& image : labels) {
    json entry = json::object();
    json detections = json::array();
    for (const LabelledBox& box : image.boxes) {
      detections.push_back({{"bbox", {box.box.x1, box.box.y1, box.box.x2, box.box.y2}}, {"class_id", box.class_id}, {"score", 0.9}});
    }
    entry["detections"] = detections;
    if (image.keypoints) {
      json keypoints = json::array();
      for (const EvalKeypoint& k : *image.keypoints) keypoints.push_back(k.visible ? json{k.x, k.y} : json{0, 0});
      entry["keypoints"] = keypoints;
    }
    edit(entry);
    images[image.name] = entry;
  }
  return {{"images", images}};
}

json run_eval(const std::filesystem::path& labels, const json& predictions) {
  testing::TempDir dir;
  std::ofstream(dir / "predictions.json") << predictions.dump();
  const testing::CommandResult run = testing::run_command(
      SN44_MINER_EXECUTABLE, {"eval", "--labels", labels.string(), "--predictions", (dir / "predictions.json").string(), "--json"});
  EXPECT_EQ(run.exit_code, 0) << run.standard_error;
  return json::parse(run.standard_output);
}

TEST(EvalCommand, DetectionDatasetPerfectAndMissingBalls) {
  SN44_REQUIRE_SHARED_FILE(dataset, "labeled/football-players-detection-v1/data.yaml");
  const std::vector<LabelledImage> labels = read_yolo_labels(dataset.parent_path());
  const json perfect = run_eval(dataset.parent_path(), predictions_from(labels, [](json&) {}));
  EXPECT_DOUBLE_EQ(perfect["detection"]["map50"].get<double>(), 1.0);
  EXPECT_DOUBLE_EQ(perfect["detection"]["precision"].get<double>(), 1.0);
  EXPECT_DOUBLE_EQ(perfect["detection"]["recall"].get<double>(), 1.0);

  // Without any ball: ball AP and recall 0, the others untouched, precision still 1.
  const json no_balls = run_eval(dataset.parent_path(), predictions_from(labels, [](json& entry) {
    json kept = json::array();
    for (const json& d : entry["detections"]) if (d["class_id"] != 0) kept.push_back(d);
    entry["detections"] = kept;
  }));
  int labelled = 0, balls = 0, classes = 0;
  for (const char* name : {"ball", "goalkeeper", "player", "referee"}) {
    const int count = perfect["detection"]["classes"][name]["labelled"].get<int>();
    labelled += count;
    classes += count > 0;
  }
  balls = perfect["detection"]["classes"]["ball"]["labelled"].get<int>();
  ASSERT_GT(balls, 0);
  EXPECT_DOUBLE_EQ(no_balls["detection"]["classes"]["ball"]["ap50"].get<double>(), 0.0);
  EXPECT_DOUBLE_EQ(no_balls["detection"]["classes"]["player"]["ap50"].get<double>(), 1.0);
  EXPECT_DOUBLE_EQ(no_balls["detection"]["map50"].get<double>(), static_cast<double>(classes - 1) / classes);
  EXPECT_DOUBLE_EQ(no_balls["detection"]["recall"].get<double>(), static_cast<double>(labelled - balls) / labelled);
  EXPECT_DOUBLE_EQ(no_balls["detection"]["precision"].get<double>(), 1.0);
}

TEST(EvalCommand, KeypointDatasetPerfectShiftedAndMissing) {
  SN44_REQUIRE_SHARED_FILE(dataset, "labeled/soccer-field-localization-v9-kpt32/data.yaml");
  const std::filesystem::path folder = dataset.parent_path();
  const std::vector<LabelledImage> labels = read_yolo_labels(folder);
  const json perfect = run_eval(folder, predictions_from(labels, [](json&) {}));
  EXPECT_DOUBLE_EQ(perfect["keypoints"]["pck5"].get<double>(), 1.0);
  EXPECT_DOUBLE_EQ(perfect["keypoints"]["pck20"].get<double>(), 1.0);
  EXPECT_DOUBLE_EQ(perfect["keypoints"]["mean_pixel_error"].get<double>(), 0.0);
  EXPECT_DOUBLE_EQ(perfect["keypoints"]["visibility_precision"].get<double>(), 1.0);
  EXPECT_DOUBLE_EQ(perfect["keypoints"]["visibility_recall"].get<double>(), 1.0);

  // Every keypoint 6 px right and 8 px down: 10 px off, so past PCK@5 and within PCK@20.
  const json shifted = run_eval(folder, predictions_from(labels, [](json& entry) {
    if (!entry.contains("keypoints")) return;
    for (json& k : entry["keypoints"]) {
      if (k[0] != 0 || k[1] != 0) k = json{k[0].get<double>() + 6, k[1].get<double>() + 8};
    }
  }));
  EXPECT_NEAR(shifted["keypoints"]["mean_pixel_error"].get<double>(), 10.0, 1e-9);
  EXPECT_DOUBLE_EQ(shifted["keypoints"]["pck5"].get<double>(), 0.0);
  EXPECT_DOUBLE_EQ(shifted["keypoints"]["pck20"].get<double>(), 1.0);
  EXPECT_DOUBLE_EQ(shifted["keypoints"]["visibility_recall"].get<double>(), 1.0);

  // Keypoint 1 (the first corner) never predicted: recall and PCK lose exactly its labelled share.
  int first_corner = 0;
  for (const LabelledImage& image : labels) first_corner += image.keypoints && (*image.keypoints)[0].visible;
  const json missing = run_eval(folder, predictions_from(labels, [](json& entry) {
    if (entry.contains("keypoints")) entry["keypoints"][0] = json{0, 0};
  }));
  const double visible = perfect["keypoints"]["labelled_visible"].get<double>();
  ASSERT_GT(first_corner, 0);
  EXPECT_DOUBLE_EQ(missing["keypoints"]["visibility_recall"].get<double>(), (visible - first_corner) / visible);
  EXPECT_DOUBLE_EQ(missing["keypoints"]["pck5"].get<double>(), (visible - first_corner) / visible);
  EXPECT_DOUBLE_EQ(missing["keypoints"]["visibility_precision"].get<double>(), 1.0);
}

TEST(EvalCommand, UnknownImageFailsWithOneLine) {
  testing::TempDir dir;
  std::filesystem::create_directories(dir / "images");
  std::ofstream(dir / "predictions.json") << R"({"images": {"x.png": {}}})";
  const testing::CommandResult run = testing::run_command(
      SN44_MINER_EXECUTABLE, {"eval", "--labels", dir.path().string(), "--predictions", (dir / "predictions.json").string()});
  EXPECT_NE(run.exit_code, 0);
  EXPECT_THAT(run.standard_error, ::testing::HasSubstr("no images in"));
}

}  // namespace
}  // namespace sn44::scoring
