#include "video/encoder.h"

#include <gtest/gtest.h>

#include "core/error.h"
#include "support/expect_error.h"
#include "support/temp_dir.h"
#include "video/decoder.h"

namespace sn44::video {
namespace {

TEST(Encoder, OddFrameSizesAreRoundedDownToEven) {
  testing::TempDir dir;
  {
    Encoder encoder(dir / "odd.mp4", 65, 49, 30.0);
    for (int i = 0; i < 5; ++i) encoder.write(cv::Mat(49, 65, CV_8UC3, cv::Scalar(10, 200, 90)));
  }  // the destructor finishes the file
  Decoder decoder(dir / "odd.mp4");
  EXPECT_EQ(decoder.info().width, 64);
  EXPECT_EQ(decoder.info().height, 48);
  EXPECT_NEAR(decoder.info().fps, 30.0, 1e-6);
  int frames = 0;
  while (decoder.next()) ++frames;
  EXPECT_EQ(frames, 5);
}

TEST(Encoder, RejectsFramesOfAnotherSizeOrType) {
  testing::TempDir dir;
  Encoder encoder(dir / "clip.mp4", 64, 48, 25.0);
  EXPECT_EQ(testing::expect_error([&] { encoder.write(cv::Mat(24, 32, CV_8UC3)); }).kind(), ErrorKind::invalid_argument);
  EXPECT_EQ(testing::expect_error([&] { encoder.write(cv::Mat(48, 64, CV_8UC1)); }).kind(), ErrorKind::invalid_argument);
}

TEST(Encoder, UnwritablePathIsAnError) {
  EXPECT_EQ(testing::expect_error([] { Encoder("/nonexistent-folder/out.mp4", 64, 48, 25.0); }).kind(),
            ErrorKind::invalid_argument);
}

}  // namespace
}  // namespace sn44::video
