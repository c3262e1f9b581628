#include "pipeline/result_json.h"

#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

namespace sn44::pipeline {
namespace {

TEST(ResultJson, MatchesTheValidatorsResultBody) {
  FrameResult frame;
  frame.frame_number = 0;
  frame.keypoints[0] = {12.3456f, 7.004f};
  frame.objects.push_back({3, {1.005f, 2.499f, 100.126f, 200.0f}, 2, 0.876543f});
  const std::string text = result_to_json("abc-123", {frame}, 4.56789);

  const auto body = nlohmann::json::parse(text);
  EXPECT_EQ(body["challenge_id"], "abc-123");
  EXPECT_DOUBLE_EQ(body["processing_time"].get<double>(), 4.568);
  ASSERT_EQ(body["frames"].size(), 1u);
  const auto& out = body["frames"][0];
  EXPECT_EQ(out["frame_number"], 0);
  ASSERT_EQ(out["keypoints"].size(), 32u);
  EXPECT_DOUBLE_EQ(out["keypoints"][0][0].get<double>(), 12.35);
  EXPECT_DOUBLE_EQ(out["keypoints"][0][1].get<double>(), 7.0);
  EXPECT_EQ(out["keypoints"][31], nlohmann::json::parse("[0.0, 0.0]"));
  ASSERT_EQ(out["objects"].size(), 1u);
  const auto& object = out["objects"][0];
  EXPECT_EQ(object["id"], 3);
  EXPECT_EQ(object["class_id"], 2);
  EXPECT_DOUBLE_EQ(object["bbox"][0].get<double>(), 1.0);  // 1.005f is 1.00499...
  EXPECT_DOUBLE_EQ(object["bbox"][1].get<double>(), 2.5);
  EXPECT_DOUBLE_EQ(object["bbox"][2].get<double>(), 100.13);
  EXPECT_DOUBLE_EQ(object["confidence"].get<double>(), 0.8765);
  // Field order as the specification lists it, and rounded numbers printed short.
  EXPECT_EQ(text.find("{\"challenge_id\":\"abc-123\",\"frames\":[{\"frame_number\":0,\"keypoints\":[[12.35,7.0]"), 0u) << text.substr(0, 80);
  EXPECT_NE(text.find("{\"id\":3,\"bbox\":[1.0,2.5,100.13,200.0],\"class_id\":2,\"confidence\":0.8765}"), std::string::npos);
}

TEST(ResultJson, EmptyFramesStillCarryTheirKeypointsAndObjectList) {
  FrameResult frame;
  frame.frame_number = 7;
  const auto body = nlohmann::json::parse(result_to_json("x", {frame}, 0));
  EXPECT_EQ(body["frames"][0]["objects"], nlohmann::json::array());
  EXPECT_EQ(body["frames"][0]["keypoints"].size(), 32u);
}

}  // namespace
}  // namespace sn44::pipeline
