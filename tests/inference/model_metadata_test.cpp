#include "inference/model_metadata.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "core/error.h"
#include "support/expect_error.h"

namespace sn44::inference {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;

TEST(ModelMetadata, ReadsUltralyticsExportMetadata) {
  const ModelInfo info = parse_model_metadata(
      R"({"description": "Ultralytics YOLOv8x-pose", "stride": 32, "task": "pose", "batch": 1,
          "imgsz": [384, 640], "names": {"0": "pitch"}, "kpt_shape": [32, 3]})",
      "pitch.torchscript", ModelOptions{});
  EXPECT_EQ(info.task, ModelTask::pose);
  EXPECT_EQ(info.input_height, 384);
  EXPECT_EQ(info.input_width, 640);
  EXPECT_EQ(info.num_keypoints, 32);
  EXPECT_THAT(info.class_names, ElementsAre("pitch"));
  EXPECT_EQ(info.path, "pitch.torchscript");
}

TEST(ModelMetadata, NamesMayBeAListAndImageSizeANumber) {
  const ModelInfo info = parse_model_metadata(R"({"task": "detect", "imgsz": 1280, "names": ["ball", "goalkeeper"]})",
                                              "m", ModelOptions{});
  EXPECT_EQ(info.task, ModelTask::detect);
  EXPECT_EQ(info.input_width, 1280);
  EXPECT_EQ(info.input_height, 1280);
  EXPECT_THAT(info.class_names, ElementsAre("ball", "goalkeeper"));
}

TEST(ModelMetadata, WithoutMetadataTheConfiguredSizeIsUsed) {
  ModelOptions options;
  options.fallback_input_size = 640;
  const ModelInfo info = parse_model_metadata("", "m", options);
  EXPECT_EQ(info.input_width, 640);
  EXPECT_EQ(info.task, ModelTask::detect);
  EXPECT_THAT(testing::expect_error([] { parse_model_metadata("", "m", ModelOptions{}); }).what(),
              HasSubstr("does not say its input size"));
}

TEST(ModelMetadata, RejectsMalformedOrUnsupportedMetadata) {
  const auto refusal = [](const char* json) { return std::string(testing::expect_error([&] { parse_model_metadata(json, "m", ModelOptions{}); }).what()); };
  EXPECT_THAT(refusal("{not json"), HasSubstr("not valid JSON"));
  EXPECT_THAT(refusal(R"({"task": "segment", "imgsz": 640})"), HasSubstr("'segment' model"));
  EXPECT_THAT(refusal(R"({"imgsz": [640]})"), HasSubstr("imgsz"));
  EXPECT_THAT(refusal(R"({"imgsz": 650})"), HasSubstr("multiple of 32"));
  EXPECT_THAT(refusal(R"({"imgsz": 640, "kpt_shape": [17, 2]})"), HasSubstr("kpt_shape"));
  EXPECT_THAT(refusal(R"({"imgsz": 640, "names": {"x": "ball"}})"), HasSubstr("non-numeric key"));
  EXPECT_THAT(refusal(R"({"imgsz": "big"})"), HasSubstr("imgsz"));
}

TEST(ModelMetadata, ReadsTheStringPropertiesOfAnUltralyticsOnnxExport) {
  // ultralytics writes str(value) of each metadata entry: Python's text, not JSON.
  const std::string json = onnx_metadata_as_json({{"description", "Ultralytics YOLOv8n model trained on data.yaml"},
                                                  {"stride", "32"},
                                                  {"task", "pose"},
                                                  {"batch", "1"},
                                                  {"imgsz", "[384, 640]"},
                                                  {"names", "{0: 'pitch', 1: \"keeper's box\", 2: 'a \\'quoted\\' name'}"},
                                                  {"kpt_shape", "[32, 3]"},
                                                  {"args", "{'batch': 1, 'half': False}"}},
                                                 "pitch.onnx");
  const ModelInfo info = parse_model_metadata(json, "pitch.onnx", ModelOptions{});
  EXPECT_EQ(info.task, ModelTask::pose);
  EXPECT_EQ(info.input_height, 384);
  EXPECT_EQ(info.input_width, 640);
  EXPECT_EQ(info.stride, 32);
  EXPECT_EQ(info.num_keypoints, 32);
  EXPECT_THAT(info.class_names, ElementsAre("pitch", "keeper's box", "a 'quoted' name"));
  EXPECT_THAT(parse_model_metadata(onnx_metadata_as_json({{"imgsz", "[64, 64]"}, {"names", "{}"}}, "m"), "m", ModelOptions{}).class_names,
              ::testing::IsEmpty());
}

TEST(ModelMetadata, RefusesOnnxNamesThatAreNotAMapping) {
  for (const char* names : {"['ball', 'player']", "{0: ball}", "{0: 'ball'", "{'zero': 'ball'}", "{0: 'ball'} extra", ""}) {
    SCOPED_TRACE(names);
    EXPECT_THAT(testing::expect_error([&] { onnx_metadata_as_json({{"names", names}}, "m.onnx"); }).what(),
                HasSubstr("model 'm.onnx': metadata 'names' is not a {id: 'name'} mapping"));
  }
}

TEST(ModelMetadata, AnchorCountOfYoloV8) {
  EXPECT_EQ(yolo_anchor_count(640, 640), 8400);
  EXPECT_EQ(yolo_anchor_count(1280, 1280), 33600);
  EXPECT_EQ(yolo_anchor_count(1280, 736), 160 * 92 + 80 * 46 + 40 * 23);  // 19320
}

}  // namespace
}  // namespace sn44::inference
