#include "pipeline/result_json.h"

#include <gtest/gtest.h>

#include <limits>
#include <nlohmann/json.hpp>

#include "support/result_document.h"

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

TEST(ResultJson, IsTheTextOfTheDocumentBuiltWithNlohmann) {
  const std::vector<FrameResult> frames = testing::random_full_size_result(11);
  const std::string text = result_to_json("full \"size\" \\ challenge\n", frames, 3.2105);
  const std::string expected = testing::result_via_document("full \"size\" \\ challenge\n", frames, 3.2105);
  EXPECT_EQ(nlohmann::ordered_json::parse(text), nlohmann::ordered_json::parse(expected)) << "same fields, order and values";
  // The digits too: both print the shortest text that reads back as the same double. (Compared
  // as a bool: the texts are 1.9 MB each.)
  EXPECT_TRUE(text == expected) << "the texts differ; sizes " << text.size() << " and " << expected.size();
}

TEST(ResultJson, NumbersPrintAsPythonsJsonPrintsFloats) {
  FrameResult frame;
  frame.frame_number = 1'000'000'000'000;
  frame.keypoints[0] = {0.0f, 1280.0f};
  frame.keypoints[1] = {0.004f, -3.5f};  // rounds to 0.0: "0.0", not "-0.0" or "0"
  frame.objects.push_back({-1, {std::numeric_limits<float>::quiet_NaN(), std::numeric_limits<float>::infinity(), 6e-3f, 1e7f}, 0, 0.00001f});
  const std::string text = result_to_json("", {frame}, 12.0);
  EXPECT_EQ(text.find("{\"challenge_id\":\"\",\"frames\":[{\"frame_number\":1000000000000,\"keypoints\":[[0.0,1280.0],[0.0,-3.5],"), 0u)
      << text.substr(0, 120);
  EXPECT_NE(text.find("{\"id\":-1,\"bbox\":[null,null,0.01,10000000.0],\"class_id\":0,\"confidence\":0.0}"), std::string::npos)
      << "non-finite numbers are null, as nlohmann writes them";
  EXPECT_NE(text.find("\"processing_time\":12.0}"), std::string::npos);
  EXPECT_EQ(nlohmann::json::parse(text), nlohmann::json::parse(testing::result_via_document("", {frame}, 12.0)));
}

}  // namespace
}  // namespace sn44::pipeline
