#include "scoring/miner_result.h"

#include <gtest/gtest.h>

#include "core/error.h"
#include "support/expect_error.h"

namespace sn44::scoring {
namespace {

std::string zeros(int pairs) {
  std::string text = "[";
  for (int i = 0; i < pairs; ++i) text += std::string(i ? "," : "") + "[0,0]";
  return text + "]";
}

TEST(MinerResult, ParsesFramesObjectsAndTime) {
  const std::string keypoints = "[[12.25,40.5]," + zeros(31).substr(1);
  const MinerResult result = parse_miner_result(
      R"({"challenge_id":"c","processing_time":3.5,"frames":[{"frame_number":7,"keypoints":)" + keypoints +
      R"(,"objects":[{"id":4,"bbox":[1,2,30.5,60],"class_id":2,"confidence":0.9}]},{"keypoints":)" + zeros(32) + "}]}");
  ASSERT_EQ(result.frames.size(), 2u);
  EXPECT_DOUBLE_EQ(result.processing_time, 3.5);
  EXPECT_EQ(result.frames[0].frame_number, 7);
  EXPECT_DOUBLE_EQ(result.frames[0].keypoints[0][0], 12.25);
  EXPECT_DOUBLE_EQ(result.frames[0].keypoints[0][1], 40.5);
  ASSERT_EQ(result.frames[0].objects.size(), 1u);
  EXPECT_EQ(result.frames[0].objects[0].id, 4);
  EXPECT_DOUBLE_EQ(result.frames[0].objects[0].bbox[2], 30.5);
  EXPECT_EQ(result.frames[1].frame_number, 1);  // no frame_number: its position, as the validator does
  EXPECT_TRUE(result.frames[1].objects.empty());
}

TEST(MinerResult, MalformedBodiesNameTheirCause) {
  testing::expect_error(ErrorKind::invalid_argument, "not valid JSON", [&] { parse_miner_result("{"); });
  testing::expect_error(ErrorKind::invalid_argument, "missing \"frames\"", [&] { parse_miner_result("{}"); });
  testing::expect_error(ErrorKind::invalid_argument, "frames[0].keypoints", [&] { parse_miner_result(R"({"frames":[{"keypoints":)" + zeros(31) + "}]}"); });
  testing::expect_error(ErrorKind::invalid_argument, "frames[0].objects[0].bbox", [&] { parse_miner_result(R"({"frames":[{"keypoints":)" + zeros(32) + R"(,"objects":[{"id":1,"bbox":[1,2,3],"class_id":2}]}]})"); });
  testing::expect_error(ErrorKind::invalid_argument, "appears twice", [&] { parse_miner_result(R"({"frames":[{"frame_number":3,"keypoints":)" + zeros(32) +
                                       R"(},{"frame_number":3,"keypoints":)" + zeros(32) + "}]}"); });
  testing::expect_error(ErrorKind::not_found, "/nonexistent/result.json", [&] { read_miner_result("/nonexistent/result.json"); });
}

}  // namespace
}  // namespace sn44::scoring
