#include "inference/letterbox.h"

#include <gtest/gtest.h>

#include <opencv2/core.hpp>
#include <opencv2/imgproc.hpp>
#include <ostream>
#include <vector>

namespace sn44::inference {
namespace {

// `target`: the fixed input, or with a stride the largest one (auto=True), whose input is then the
// resized frame and its padding.
struct LetterboxCase {
  cv::Size frame, target, resized;
  int left, top, right, bottom;
  int stride = 0;
};

// Names the case in test listings ("1280x720 into 640x384") instead of its raw bytes.
void PrintTo(const LetterboxCase& c, std::ostream* out) {
  *out << c.frame.width << "x" << c.frame.height << (c.stride ? " up to " : " into ") << c.target.width << "x" << c.target.height;
}

class LetterboxGeometryTest : public ::testing::TestWithParam<LetterboxCase> {};

TEST_P(LetterboxGeometryTest, MatchesHandComputedPadding) {
  const LetterboxCase& c = GetParam();
  const LetterboxGeometry g = c.stride ? compute_letterbox_to_stride(c.frame, c.target, c.stride) : compute_letterbox(c.frame, c.target);
  EXPECT_EQ(g.resized, c.resized);
  EXPECT_EQ(g.pad_left, c.left);
  EXPECT_EQ(g.pad_top, c.top);
  EXPECT_EQ(g.pad_right, c.right);
  EXPECT_EQ(g.pad_bottom, c.bottom);
  const cv::Size input = c.stride ? cv::Size(c.resized.width + c.left + c.right, c.resized.height + c.top + c.bottom) : c.target;
  EXPECT_EQ(g.input, input);
  EXPECT_EQ(g.resized.width + g.pad_left + g.pad_right, g.input.width);
  EXPECT_EQ(g.resized.height + g.pad_top + g.pad_bottom, g.input.height);
}

// r = min(in_h / h, in_w / w); resized = round(w r), round(h r); padding split with the -0.1/+0.1 rounding.
INSTANTIATE_TEST_SUITE_P(
    HandComputed, LetterboxGeometryTest,
    ::testing::Values(
        // 16:9 broadcast into the square player input: r = 1, 560 rows of padding split 280/280.
        LetterboxCase{{1280, 720}, {1280, 1280}, {1280, 720}, 0, 280, 0, 280},
        // The rectangular input ultralytics uses for 16:9 (1280x736): 16 rows split 8/8.
        LetterboxCase{{1280, 720}, {1280, 736}, {1280, 720}, 0, 8, 0, 8},
        // Pitch model at 640x384: r = 0.5, 24 rows split 12/12.
        LetterboxCase{{1280, 720}, {640, 384}, {640, 360}, 0, 12, 0, 12},
        // Odd height 574: 706 rows split 353/353.
        LetterboxCase{{1280, 574}, {1280, 1280}, {1280, 574}, 0, 353, 0, 353},
        // 1280x574 into 640: r = 0.5, 287 rows; 353 rows of padding: round(176.4) = 176 above, round(176.6) = 177 below.
        LetterboxCase{{1280, 574}, {640, 640}, {640, 287}, 0, 176, 0, 177},
        // 848x478 into 640: r = 640/848, 478 r = 360.75 -> 361; 279 rows split 139/140.
        LetterboxCase{{848, 478}, {640, 640}, {640, 361}, 0, 139, 0, 140},
        // Portrait frame: padding left and right instead.
        LetterboxCase{{720, 1280}, {640, 640}, {360, 640}, 140, 0, 140, 0},
        // Python rounds halves to even: 5 x 0.5 = 2.5 -> 2 (not 3).
        LetterboxCase{{10, 5}, {5, 8}, {5, 2}, 0, 3, 0, 3}));

// auto=True: scaled to fit the largest input, padded only up to a multiple of 32 (split as above).
INSTANTIATE_TEST_SUITE_P(
    ToStride, LetterboxGeometryTest,
    ::testing::Values(
        // 16:9 at imgsz 1280 (the reference's player input): 560 spare rows, 560 % 32 = 16 padded, 8/8: 1280x736.
        LetterboxCase{{1280, 720}, {1280, 1280}, {1280, 720}, 0, 8, 0, 8, 32},
        // ... and at 640 (its pitch input): r = 0.5, 280 % 32 = 24 rows, 12/12: 640x384.
        LetterboxCase{{1280, 720}, {640, 640}, {640, 360}, 0, 12, 0, 12, 32},
        // 1280x574: 706 % 32 = 2 rows, 1/1 (1280x576), where a fixed 1280x736 export pads 81/81.
        LetterboxCase{{1280, 574}, {1280, 1280}, {1280, 574}, 0, 1, 0, 1, 32},
        // r = 0.5 gives 287 rows; 353 % 32 = 1 row: round(0.4) = 0 above, round(0.6) = 1 below: 640x288.
        LetterboxCase{{1280, 574}, {640, 640}, {640, 287}, 0, 0, 0, 1, 32},
        // Portrait: the columns are padded, 280 % 32 = 24, 12/12: 384x640.
        LetterboxCase{{720, 1280}, {640, 640}, {360, 640}, 12, 0, 12, 0, 32},
        // A rectangular largest size: r = min(192/574, 320/1280) = 0.25, 143.5 rounds to 144 (even); 48 % 32 = 16: 320x160.
        LetterboxCase{{1280, 574}, {320, 192}, {320, 144}, 0, 8, 0, 8, 32}));

TEST(Letterbox, FillsPaddingWithGreyAndConvertsBgrToRgbPlanes) {
  // 4x2 frame into a 4x4 input: r = 1, one grey row above and below.
  cv::Mat frame(2, 4, CV_8UC3);
  for (int y = 0; y < 2; ++y) {
    for (int x = 0; x < 4; ++x) frame.at<cv::Vec3b>(y, x) = cv::Vec3b(static_cast<uint8_t>(10 * x), 100, static_cast<uint8_t>(200 + y));
  }
  const LetterboxGeometry g = compute_letterbox(frame.size(), {4, 4});
  ASSERT_EQ(g.pad_top, 1);
  std::vector<float> chw(3 * 16, -1.0f);
  cv::Mat scratch;
  letterbox_to_chw(frame, g, chw.data(), scratch);

  const auto at = [&](int plane, int y, int x) { return chw[static_cast<size_t>(plane * 16 + y * 4 + x)]; };
  for (int x = 0; x < 4; ++x) {
    for (int plane = 0; plane < 3; ++plane) {
      EXPECT_FLOAT_EQ(at(plane, 0, x), 114.0f / 255.0f);
      EXPECT_FLOAT_EQ(at(plane, 3, x), 114.0f / 255.0f);
    }
    EXPECT_FLOAT_EQ(at(0, 1, x), 200.0f / 255.0f) << "red plane first, from the frame's third channel";
    EXPECT_FLOAT_EQ(at(0, 2, x), 201.0f / 255.0f);
    EXPECT_FLOAT_EQ(at(1, 1, x), 100.0f / 255.0f);
    EXPECT_FLOAT_EQ(at(2, 1, x), static_cast<float>(10 * x) / 255.0f) << "blue plane last";
  }
}

TEST(Letterbox, ResizesWithBilinearInterpolationLikeOpenCv) {
  cv::Mat frame(4, 8, CV_8UC3);
  cv::randu(frame, 0, 255);
  const LetterboxGeometry g = compute_letterbox(frame.size(), {4, 4});  // r = 0.5 -> 4x2
  std::vector<float> chw(3 * 16);
  cv::Mat scratch;
  letterbox_to_chw(frame, g, chw.data(), scratch);
  cv::Mat expected;
  cv::resize(frame, expected, {4, 2}, 0, 0, cv::INTER_LINEAR);
  for (int y = 0; y < 2; ++y) {
    for (int x = 0; x < 4; ++x) {
      EXPECT_FLOAT_EQ(chw[static_cast<size_t>(16 + (y + g.pad_top) * 4 + x)], expected.at<cv::Vec3b>(y, x)[1] / 255.0f);
    }
  }
}

TEST(Letterbox, BoxesMapBackToTheFrameAndAreClipped) {
  const LetterboxGeometry g = compute_letterbox({1280, 720}, {1280, 1280});
  EXPECT_EQ(box_to_frame(Box{100, 380, 200, 480}, g), (Box{100, 100, 200, 200}));
  EXPECT_EQ(box_to_frame(Box{-5, 270, 1300, 1100}, g), (Box{0, 0, 1280, 720}));
}

TEST(Letterbox, BoxesUseRoundedPaddingAndKeypointsTheExactOne) {
  // 848x478 into 640: gain = 640/848; vertical padding (640 - 478 gain) / 2 = 139.6226...
  // scale_boxes rounds it to 140 (round(139.5226)); scale_coords keeps 139.6226.
  const LetterboxGeometry g = compute_letterbox({848, 478}, {640, 640});
  const double gain = 640.0 / 848.0;
  const double exact_pad = (640.0 - 478.0 * gain) / 2.0;
  const auto to_input = [&](double v, double pad) { return static_cast<float>(v * gain + pad); };

  const Box box = box_to_frame(Box{to_input(100, 0), to_input(100, 140), to_input(200, 0), to_input(200, 140)}, g);
  EXPECT_NEAR(box.x1, 100, 1e-3);
  EXPECT_NEAR(box.y1, 100, 1e-3);
  EXPECT_NEAR(box.x2, 200, 1e-3);
  EXPECT_NEAR(box.y2, 200, 1e-3);

  const Keypoint point = keypoint_to_frame(Keypoint{to_input(100, 0), to_input(100, exact_pad), 0.9f}, g);
  EXPECT_NEAR(point.x, 100, 1e-3);
  EXPECT_NEAR(point.y, 100, 1e-3);
  EXPECT_FLOAT_EQ(point.conf, 0.9f);
  const Keypoint outside = keypoint_to_frame(Keypoint{-10, 700, 0.2f}, g);
  EXPECT_EQ(outside.x, 0.0f);
  EXPECT_EQ(outside.y, 478.0f);
}

}  // namespace
}  // namespace sn44::inference
