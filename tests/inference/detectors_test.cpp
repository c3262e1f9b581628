#include "inference/detectors.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <vector>

#include "core/error.h"
#include "support/expect_error.h"

namespace sn44::inference {
namespace {

using ::testing::HasSubstr;

// A model that returns a prepared [channels x anchors] output for every image, so that the
// detectors' mapping from model output to frame pixels can be checked by hand.
class FakeModel final : public Model {
 public:
  FakeModel(ModelTask task, int input_width, int input_height, int channels, std::vector<std::pair<int, std::vector<float>>> anchors)
      : channels_(channels), anchor_values_(std::move(anchors)) {
    info_.path = "fake.torchscript";
    info_.task = task;
    info_.input_width = input_width;
    info_.input_height = input_height;
  }
  const ModelInfo& info() const override { return info_; }
  ModelOutput forward(std::span<const float> input, int batch, InputSize size) override {
    EXPECT_EQ(input.size(), static_cast<size_t>(batch) * 3 * static_cast<size_t>(size.width * size.height));
    if (!info_.any_input_size) {
      EXPECT_EQ(size, (InputSize{info_.input_width, info_.input_height}));
    }
    ++calls;
    passes.emplace_back(size, batch);
    ModelOutput output;
    output.batch = batch;
    output.channels = channels_;
    output.anchors = anchors_ >= 0 ? anchors_ : (size.width / 8) * (size.height / 8) + (size.width / 16) * (size.height / 16) +
                                                     (size.width / 32) * (size.height / 32);
    const size_t image = static_cast<size_t>(output.channels) * static_cast<size_t>(output.anchors);
    output.values.assign(image * static_cast<size_t>(batch), 0.0f);
    for (int b = 0; b < batch; ++b) {
      for (const auto& [anchor, values] : anchor_values_) {
        for (size_t c = 0; c < values.size(); ++c) {
          output.values[static_cast<size_t>(b) * image + c * static_cast<size_t>(output.anchors) + static_cast<size_t>(anchor)] = values[c];
        }
      }
    }
    return output;
  }
  void set_class_names(std::vector<std::string> names) { info_.class_names = std::move(names); }
  void add_note(std::string note) { info_.notes.push_back(std::move(note)); }
  void take_any_input_size() { info_.any_input_size = true; }
  int anchors_ = -1;  // override the anchor count to simulate a non-YOLOv8 model
  int calls = 0;
  std::vector<std::pair<InputSize, int>> passes;  // input size and batch of every forward pass

 private:
  ModelInfo info_;
  int channels_;
  std::vector<std::pair<int, std::vector<float>>> anchor_values_;
};

TEST(PlayerDetector, MapsBoxesFromTheLetterboxedInputToTheFrame) {
  // A 1280x720 frame in a 1280x1280 input sits 280 rows down.
  auto model = std::make_unique<FakeModel>(ModelTask::detect, 1280, 1280, 8,
                                           std::vector<std::pair<int, std::vector<float>>>{
                                               {7, {150, 430, 100, 100, 0, 0, 0.9f, 0}},
                                               {9, {600, 300, 10, 10, 0.5f, 0, 0, 0}},
                                           });
  PlayerDetector detector(std::move(model), DecodeOptions{});
  const std::vector<cv::Mat> frames(2, cv::Mat(720, 1280, CV_8UC3, cv::Scalar(0, 0, 0)));
  const auto detections = detector.detect(frames);
  ASSERT_EQ(detections.size(), 2u);
  for (const auto& frame : detections) {
    ASSERT_EQ(frame.size(), 2u);
    EXPECT_EQ(frame[0].class_id, 2);
    EXPECT_EQ(frame[0].box, (Box{100, 100, 200, 200}));
    EXPECT_EQ(frame[1].class_id, 0);
    EXPECT_EQ(frame[1].box, (Box{595, 15, 605, 25}));
  }
  EXPECT_GT(detector.runner().seconds().forward, 0.0);
}

TEST(PlayerDetector, AModelThatTakesAnySizeRunsEachFrameAtTheSmallestInputThatHoldsIt) {
  // A box centred 101 rows down the input: one row of padding above a 1280x574 frame (576 high),
  // eight above a 1280x720 one (736 high).
  auto model = std::make_unique<FakeModel>(ModelTask::detect, 1280, 1280, 8,
                                           std::vector<std::pair<int, std::vector<float>>>{{7, {150, 101, 100, 100, 0, 0, 0.9f, 0}}});
  model->take_any_input_size();
  FakeModel& fake = *model;
  PlayerDetector detector(std::move(model), DecodeOptions{});
  EXPECT_THAT(detector.runner().notes(), ::testing::IsEmpty()) << "no square-input warning: it runs rectangular";
  fake.passes.clear();  // the start-up check
  const std::vector<cv::Mat> frames = {cv::Mat(574, 1280, CV_8UC3, cv::Scalar::all(0)), cv::Mat(574, 1280, CV_8UC3, cv::Scalar::all(0)),
                                       cv::Mat(720, 1280, CV_8UC3, cv::Scalar::all(0))};
  const auto detections = detector.detect(frames);
  EXPECT_EQ(fake.passes, (std::vector<std::pair<InputSize, int>>{{{1280, 576}, 2}, {{1280, 736}, 1}}));
  ASSERT_EQ(detections.size(), 3u);
  for (const auto& frame : detections) ASSERT_EQ(frame.size(), 1u);
  EXPECT_EQ(detections[0][0].box, (Box{100, 50, 200, 150}));
  EXPECT_EQ(detections[1][0].box, (Box{100, 50, 200, 150}));
  EXPECT_EQ(detections[2][0].box, (Box{100, 43, 200, 143}));
}

std::vector<float> pose_anchor(float score, float keypoint_conf_even, float keypoint_conf_odd) {
  std::vector<float> values = {320, 320, 600, 300, score};
  for (int k = 0; k < kPitchKeypointCount; ++k) {
    values.push_back(static_cast<float>(10 * k));             // x
    values.push_back(static_cast<float>(140 + k));            // y: the frame starts 140 rows down
    values.push_back(k % 2 == 0 ? keypoint_conf_even : keypoint_conf_odd);
  }
  return values;
}

TEST(PitchDetector, TakesTheBestDetectionAndZeroesUnconfidentKeypoints) {
  // 1280x720 frame into 640x640: gain 0.5, 140 rows of padding above.
  auto model = std::make_unique<FakeModel>(ModelTask::pose, 640, 640, 101,
                                           std::vector<std::pair<int, std::vector<float>>>{
                                               {3, pose_anchor(0.6f, 0.2f, 0.2f)},
                                               {5, pose_anchor(0.8f, 0.9f, 0.49f)},
                                           });
  PitchDetector detector(std::move(model), DecodeOptions{}, 0.5f);
  const std::vector<cv::Mat> frames{cv::Mat(720, 1280, CV_8UC3, cv::Scalar(0, 0, 0))};
  const auto observations = detector.detect(frames);
  ASSERT_EQ(observations.size(), 1u);
  ASSERT_TRUE(observations[0].detected);
  for (int k = 0; k < kPitchKeypointCount; ++k) {
    const Keypoint& point = observations[0].keypoints[static_cast<size_t>(k)];
    if (k % 2 == 0) {
      EXPECT_FLOAT_EQ(point.x, 20.0f * k) << k;
      EXPECT_FLOAT_EQ(point.y, 2.0f * k) << k;
      EXPECT_FLOAT_EQ(point.conf, 0.9f);
    } else {
      EXPECT_EQ(point.x, 0.0f) << "conf 0.49 is under the 0.5 threshold";
      EXPECT_EQ(point.y, 0.0f);
    }
  }
}

TEST(PitchDetector, NoDetectionMeansNoKeypoints) {
  auto model = std::make_unique<FakeModel>(ModelTask::pose, 640, 640, 101, std::vector<std::pair<int, std::vector<float>>>{});
  PitchDetector detector(std::move(model), DecodeOptions{}, 0.5f);
  const auto observations = detector.detect(std::vector<cv::Mat>{cv::Mat(720, 1280, CV_8UC3)});
  ASSERT_EQ(observations.size(), 1u);
  EXPECT_FALSE(observations[0].detected);
  EXPECT_EQ(observations[0].keypoints[0].x, 0.0f);
}

TEST(Detectors, RefuseAModelWhoseOutputDoesNotFitTheRole) {
  const auto refusal = [](std::unique_ptr<FakeModel> model, bool as_player) {
    return testing::expect_error([&] {
      if (as_player) {
        PlayerDetector(std::move(model), DecodeOptions{});
      } else {
        PitchDetector(std::move(model), DecodeOptions{}, 0.5f);
      }
    });
  };
  const Error coco = refusal(std::make_unique<FakeModel>(ModelTask::detect, 640, 640, 84, std::vector<std::pair<int, std::vector<float>>>{}), true);
  EXPECT_EQ(coco.kind(), ErrorKind::unsupported);
  EXPECT_THAT(coco.what(), HasSubstr("player model 'fake.torchscript' outputs 84 values per anchor; expected 8"));

  const Error wrong_task = refusal(std::make_unique<FakeModel>(ModelTask::detect, 640, 640, 8, std::vector<std::pair<int, std::vector<float>>>{}), false);
  EXPECT_THAT(wrong_task.what(), HasSubstr("the pitch model must be a pose model"));

  const Error human_pose = refusal(std::make_unique<FakeModel>(ModelTask::pose, 640, 640, 56, std::vector<std::pair<int, std::vector<float>>>{}), false);
  EXPECT_THAT(human_pose.what(), HasSubstr("outputs 56 values per anchor; expected 101"));

  auto odd_anchors = std::make_unique<FakeModel>(ModelTask::detect, 640, 640, 8, std::vector<std::pair<int, std::vector<float>>>{});
  odd_anchors->anchors_ = 100;
  EXPECT_THAT(refusal(std::move(odd_anchors), true).what(), HasSubstr("outputs 100 anchors for a 640x640 input; a YOLOv8 model gives 8400"));
}

std::vector<std::string> player_notes(int width, int height, std::vector<std::string> class_names) {
  auto model = std::make_unique<FakeModel>(ModelTask::detect, width, height, 8, std::vector<std::pair<int, std::vector<float>>>{});
  model->set_class_names(std::move(class_names));
  return PlayerDetector(std::move(model), DecodeOptions{}).runner().notes();
}

TEST(Detectors, NoteClassesNamedInAnotherOrderThanTheValidatorsIds) {
  EXPECT_THAT(player_notes(320, 192, {"ball", "goalkeeper", "player", "referee"}), ::testing::IsEmpty());
  EXPECT_THAT(player_notes(320, 192, {"Ball", "Goalkeeper", "Player", "Referee"}), ::testing::IsEmpty()) << "case aside";
  EXPECT_THAT(player_notes(320, 192, {}), ::testing::IsEmpty()) << "a file without names says nothing to check";
  EXPECT_THAT(player_notes(320, 192, {"player", "ball", "referee", "goalkeeper"}),
              ::testing::ElementsAre("player model 'fake.torchscript' numbers its classes 0 player, 1 ball, 2 referee, 3 goalkeeper; "
                                     "the validator reads 0 ball, 1 goalkeeper, 2 player, 3 referee, and ids are sent as the "
                                     "model numbers them"));
}

TEST(Detectors, NoteASquareInputWithTheReferencesShapeForA16By9Clip) {
  const std::vector<std::string> player = player_notes(1280, 1280, {"ball", "goalkeeper", "player", "referee"});
  ASSERT_EQ(player.size(), 1u);
  EXPECT_THAT(player[0], HasSubstr("takes a square 1280x1280 input; the reference runs a 16:9 clip at 1280x736"));
  EXPECT_THAT(player[0], HasSubstr("export with imgsz=736,1280"));

  PitchDetector pitch(std::make_unique<FakeModel>(ModelTask::pose, 640, 640, 101, std::vector<std::pair<int, std::vector<float>>>{}),
                      DecodeOptions{}, 0.5f);
  ASSERT_EQ(pitch.runner().notes().size(), 1u);
  EXPECT_THAT(pitch.runner().notes()[0], HasSubstr("pitch model 'fake.torchscript' takes a square 640x640 input; the reference runs a 16:9 clip at 640x384"));
  EXPECT_THAT(pitch.runner().notes()[0], HasSubstr("export with imgsz=384,640"));
}

TEST(Detectors, PassOnWhatTheBackendNotedNamingTheModel) {
  auto model = std::make_unique<FakeModel>(ModelTask::detect, 320, 192, 8, std::vector<std::pair<int, std::vector<float>>>{});
  model->add_note("an int8 export");
  EXPECT_THAT(PlayerDetector(std::move(model), DecodeOptions{}).runner().notes(),
              ::testing::ElementsAre("player model 'fake.torchscript': an int8 export"));
}

}  // namespace
}  // namespace sn44::inference
