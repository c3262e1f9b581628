// The ONNX backend: the same network exported to ONNX (as ultralytics does, opsets 12 and 17)
// and to TorchScript gives the same outputs and the same boxes and keypoints; small graphs built
// here check the operators whose meaning changed between opsets, the shape arithmetic of
// unsimplified exports, and what is refused; a real ultralytics int8 export finds the people of
// labelled frames. Each operator's meaning: onnx_conformance_test.cpp.

#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <onnx/onnx_pb.h>
#include <opencv2/imgcodecs.hpp>

#include <algorithm>
#include <cmath>
#include <fstream>
#include <random>
#include <span>
#include <utility>
#include <vector>

#include "core/error.h"
#include "inference/detectors.h"
#include "inference/model.h"
#include "scoring/eval_metrics.h"
#include "support/expect_error.h"
#include "support/generated_models.h"
#include "support/temp_dir.h"
#include "support/test_data.h"
#include "video/decoder.h"

namespace sn44::inference {
namespace {

using ::testing::HasSubstr;

const ModelOptions kTwoCpuThreads{"cpu", 2, 0};

std::vector<float> random_images(int width, int height, int batch) {
  std::vector<float> values(static_cast<size_t>(batch) * 3 * static_cast<size_t>(width * height));
  std::mt19937 generator(7);
  std::uniform_real_distribution<float> uniform(0, 1);
  for (float& value : values) value = uniform(generator);
  return values;
}

TEST(OnnxModel, GivesTheOutputsOfTheTorchScriptExportOfTheSameNetwork) {
  SN44_REQUIRE_GENERATED_MODELS(models);
  // Exported at opsets 12 and 17, and with batch and size left open (the anchor grid computed in
  // the graph; a batch runs at once).
  for (const auto& [onnx_file, torchscript_file] : {std::pair{"player.onnx", "player.torchscript"},
                                                    std::pair{"pitch.onnx", "pitch.torchscript"},
                                                    std::pair{"player_dynamic.onnx", "player.torchscript"}}) {
    SCOPED_TRACE(onnx_file);
    const auto onnx = load_model(models / onnx_file, kTwoCpuThreads);
    const auto torchscript = load_model(models / torchscript_file, kTwoCpuThreads);
    EXPECT_EQ(onnx->info().task, torchscript->info().task);
    EXPECT_EQ(onnx->info().input_width, 320);
    EXPECT_EQ(onnx->info().input_height, 192);
    EXPECT_EQ(onnx->info().class_names, torchscript->info().class_names);
    EXPECT_EQ(onnx->info().num_keypoints, torchscript->info().num_keypoints);
    EXPECT_THAT(onnx->info().notes, ::testing::IsEmpty());
    for (const int batch : {1, 3}) {
      const std::vector<float> images = random_images(onnx->info().input_width, onnx->info().input_height, batch);
      const ModelOutput expected = torchscript->forward(images, batch);
      const ModelOutput output = onnx->forward(images, batch);
      ASSERT_EQ(output.channels, expected.channels);
      ASSERT_EQ(output.anchors, expected.anchors);
      ASSERT_EQ(output.values.size(), expected.values.size());
      for (size_t i = 0; i < output.values.size(); ++i) {
        // Float rounding only (the exporter folds and reorders some arithmetic), over a hundred
        // layers: up to 3e-4 of (1 + |value|) here, as much as the TorchScript file itself
        // differs between batch sizes (2e-4 for the pitch model).
        ASSERT_NEAR(output.values[i], expected.values[i], 1e-3 * (1 + std::abs(expected.values[i]))) << "batch " << batch << " value " << i;
      }
    }
  }
}

TEST(OnnxModel, ADynamicExportRunsAtAnyMultipleOfTheStrideAsTheNetworkTracedAtThatSize) {
  SN44_REQUIRE_GENERATED_MODELS(models);
  const auto dynamic = load_model(models / "player_dynamic.onnx", kTwoCpuThreads);
  const auto fixed = load_model(models / "player.onnx", kTwoCpuThreads);
  const auto traced = load_model(models / "player_160x320.torchscript", kTwoCpuThreads);
  EXPECT_TRUE(dynamic->info().any_input_size);
  EXPECT_FALSE(fixed->info().any_input_size);
  EXPECT_FALSE(traced->info().any_input_size);
  const InputSize size{320, 160};  // what a 1280x574 clip letterboxes to, up to 320x192
  const std::vector<float> images = random_images(size.width, size.height, 2);
  const ModelOutput expected = traced->forward(images, 2);
  const ModelOutput output = dynamic->forward(images, 2, size);
  ASSERT_EQ(output.anchors, 1050);  // 40x20 + 20x10 + 10x5
  ASSERT_EQ(output.anchors, expected.anchors);
  ASSERT_EQ(output.values.size(), expected.values.size());
  for (size_t i = 0; i < output.values.size(); ++i)
    ASSERT_NEAR(output.values[i], expected.values[i], 1e-3 * (1 + std::abs(expected.values[i]))) << "value " << i;
  // A fixed export takes only its own size; no model takes one off the stride.
  testing::expect_error(ErrorKind::invalid_argument, "cannot take a 320x160 input; it takes 320x192", [&] { fixed->forward(images, 2, size); });
  const std::vector<float> off_stride = random_images(320, 170, 1);
  testing::expect_error(ErrorKind::invalid_argument, "cannot take a 320x170 input; it takes multiples of 32",
                        [&] { dynamic->forward(off_stride, 1, InputSize{320, 170}); });
}
TEST(OnnxModel, TheDetectorsFindTheSameBoxesAndKeypointsOnARealFrame) {
  SN44_REQUIRE_GENERATED_MODELS(models);
  SN44_REQUIRE_SHARED_FILE(clip, "videos/dfl_bundesliga_08fd33_4_848x478_25fps_7s.mp4");
  std::vector<cv::Mat> frames;
  video::Decoder decoder(clip);
  for (int i = 0; i < 2; ++i) frames.push_back(decoder.next().value().bgr);

  PlayerDetector onnx_players(load_model(models / "player.onnx", kTwoCpuThreads), DecodeOptions{});
  PlayerDetector players(load_model(models / "player.torchscript", kTwoCpuThreads), DecodeOptions{});
  const auto onnx_boxes = onnx_players.detect(frames);
  const auto boxes = players.detect(frames);
  for (size_t f = 0; f < frames.size(); ++f) {
    ASSERT_FALSE(boxes[f].empty());
    ASSERT_EQ(onnx_boxes[f].size(), boxes[f].size()) << "frame " << f;
    // Boxes of nearly equal scores may come in either order: each has its twin, wherever it is.
    for (const Detection& box : boxes[f]) {
      const auto twin = std::find_if(onnx_boxes[f].begin(), onnx_boxes[f].end(), [&](const Detection& other) {
        return other.class_id == box.class_id && std::abs(other.score - box.score) < 1e-4 &&
               std::abs(other.box.x1 - box.box.x1) < 1e-2 && std::abs(other.box.y1 - box.box.y1) < 1e-2 &&
               std::abs(other.box.x2 - box.box.x2) < 1e-2 && std::abs(other.box.y2 - box.box.y2) < 1e-2;
      });
      EXPECT_NE(twin, onnx_boxes[f].end()) << "frame " << f << ": no ONNX box for class " << box.class_id << " score " << box.score;
    }
  }

  PitchDetector onnx_pitch(load_model(models / "pitch.onnx", kTwoCpuThreads), DecodeOptions{}, 0.5f);
  PitchDetector pitch(load_model(models / "pitch.torchscript", kTwoCpuThreads), DecodeOptions{}, 0.5f);
  const auto onnx_points = onnx_pitch.detect(frames);
  const auto points = pitch.detect(frames);
  for (size_t f = 0; f < frames.size(); ++f) {
    ASSERT_EQ(onnx_points[f].detected, points[f].detected);
    for (size_t k = 0; k < points[f].keypoints.size(); ++k) {
      EXPECT_NEAR(onnx_points[f].keypoints[k].x, points[f].keypoints[k].x, 1e-2) << "frame " << f << " keypoint " << k;
      EXPECT_NEAR(onnx_points[f].keypoints[k].y, points[f].keypoints[k].y, 1e-2);
    }
  }
}

TEST(OnnxModel, RunsARealUltralyticsInt8ExportThatFindsThePeopleOfLabelledFrames) {
  // YOLOv8n trained on COCO, exported by ultralytics 8.4 (opset 20, simplified) and quantised to
  // int8 (DynamicQuantizeLinear + ConvInteger): its "person" boxes against the labelled players,
  // goalkeepers and referees of real 1920x1080 frames.
  SN44_REQUIRE_SHARED_FILE(model_file, "models/generic/yolov8n_coco_640_dynamic_int8.onnx");
  SN44_REQUIRE_SHARED_FILE(dataset, "labeled/football-players-detection-v1/valid");
  auto model = load_model(model_file, kTwoCpuThreads);
  const ModelInfo& info = model->info();
  EXPECT_EQ(info.task, ModelTask::detect);
  EXPECT_EQ(info.input_width, 640);
  EXPECT_EQ(info.input_height, 640);
  ASSERT_EQ(info.class_names.size(), 80U);
  EXPECT_EQ(info.class_names[0], "person");
  EXPECT_EQ(info.class_names[32], "sports ball");
  ASSERT_EQ(info.notes.size(), 1U);  // the start-up log tells the operator what int8 costs here
  EXPECT_THAT(info.notes[0], HasSubstr("an int8 export, computed in float here"));
  YoloRunner runner(std::move(model), ExpectedLayout{"COCO", ModelTask::detect, 80, 0, "4 box values + 80 COCO classes", {}},
                    DecodeOptions{});

  constexpr int kPerson = 0;
  constexpr int kPeople = 2;  // the labels' "player" class stands for all three kinds of people
  std::vector<scoring::LabelledImage> labels = scoring::read_yolo_labels(dataset);
  ASSERT_GE(labels.size(), 8U);
  labels.resize(8);
  scoring::Predictions predictions;
  for (scoring::LabelledImage& image : labels) {
    std::erase_if(image.boxes, [](const scoring::LabelledBox& box) { return box.class_id == 0; });  // the ball
    for (scoring::LabelledBox& box : image.boxes) box.class_id = kPeople;
    const cv::Mat frame = cv::imread(image.path.string());
    ASSERT_FALSE(frame.empty()) << image.path;
    auto& predicted = predictions[image.name].detections;
    const YoloRunner::ImageResult result = runner.run(std::span(&frame, 1)).front();
    for (const RawDetection& raw : result.detections) {
      if (raw.class_id == kPerson) predicted.push_back(Detection{box_to_frame(raw.box, result.geometry), raw.score, kPeople});
    }
  }
  const scoring::DetectionMetrics metrics = scoring::evaluate_detections(labels, predictions);
  const scoring::ClassDetectionMetrics& people = metrics.classes[kPeople];
  // 183 people labelled; measured: precision 0.78, recall 0.61 (a nano model at 640 misses the
  // smallest players). A wrong zero point or rounding gives none.
  EXPECT_GT(people.labelled, 150);
  EXPECT_GE(people.precision, 0.7);
  EXPECT_GE(people.recall, 0.5);
}

// A graph built here: one image input [batch, 3, 32, 32] named "images", nodes added in order,
// output "output0".
class GraphBuilder {
 public:
  GraphBuilder(int64_t opset, int64_t batch, int elem_type = onnx::TensorProto::FLOAT) {
    model_.set_ir_version(7);
    model_.add_opset_import()->set_version(opset);
    onnx::ValueInfoProto* input = graph().add_input();
    input->set_name("images");
    auto* type = input->mutable_type()->mutable_tensor_type();
    type->set_elem_type(elem_type);
    for (const int64_t dim : {batch, int64_t{3}, int64_t{32}, int64_t{32}}) {
      auto* d = type->mutable_shape()->add_dim();
      if (dim > 0) {
        d->set_dim_value(dim);
      } else {
        d->set_dim_param("batch");
      }
    }
    graph().add_output()->set_name("output0");
  }

  onnx::NodeProto& node(const std::string& op, std::vector<std::string> inputs, std::vector<std::string> outputs) {
    onnx::NodeProto* node = graph().add_node();
    node->set_op_type(op);
    node->set_name(op + std::to_string(graph().node_size()));
    for (const auto& input : inputs) node->add_input(input);
    for (const auto& output : outputs) node->add_output(output);
    return *node;
  }

  void integers(const std::string& name, const std::vector<int64_t>& values, bool scalar = false) {
    onnx::TensorProto* tensor = graph().add_initializer();
    tensor->set_name(name);
    tensor->set_data_type(onnx::TensorProto::INT64);
    if (!scalar) tensor->add_dims(static_cast<int64_t>(values.size()));
    for (const int64_t value : values) tensor->add_int64_data(value);
  }

  // An initializer without data, to be filled by the caller.
  onnx::TensorProto& tensor(const std::string& name, int data_type, const std::vector<int64_t>& dims) {
    onnx::TensorProto* tensor = graph().add_initializer();
    tensor->set_name(name);
    tensor->set_data_type(data_type);
    for (const int64_t dim : dims) tensor->add_dims(dim);
    return *tensor;
  }

  std::filesystem::path save(const std::filesystem::path& path) const {
    std::ofstream file(path, std::ios::binary);
    model_.SerializeToOstream(&file);
    return path;
  }

 private:
  onnx::GraphProto& graph() { return *model_.mutable_graph(); }
  onnx::ModelProto model_;
};

void set_integer(onnx::NodeProto& node, const std::string& name, int64_t value) {
  onnx::AttributeProto* attribute = node.add_attribute();
  attribute->set_name(name);
  attribute->set_type(onnx::AttributeProto::INT);
  attribute->set_i(value);
}

TEST(OnnxModel, SoftmaxBeforeOpset13SpansEveryAxisFromItsAxisOn) {
  const testing::TempDir dir;
  const std::vector<float> image = random_images(32, 32, 1);
  for (const int64_t opset : {11, 13}) {
    SCOPED_TRACE("opset " + std::to_string(opset));
    GraphBuilder graph(opset, 1);
    set_integer(graph.node("Softmax", {"images"}, {"soft"}), "axis", 1);
    graph.integers("shape", {1, 3, 1024});
    graph.node("Reshape", {"soft", "shape"}, {"output0"});
    const auto model = load_model(graph.save(dir / "softmax.onnx"), kTwoCpuThreads);
    const ModelOutput output = model->forward(image, 1);
    // opset 11: one softmax over all 3 x 1024 values; opset 13: over the 3 channels of each pixel.
    const auto index = [](size_t channel, size_t pixel) { return channel * 1024 + pixel; };
    double all = 0;
    for (const float value : image) all += std::exp(value);
    for (const size_t pixel : {size_t{0}, size_t{517}, size_t{1023}}) {
      double channels = 0;
      for (size_t c = 0; c < 3; ++c) channels += std::exp(image[index(c, pixel)]);
      for (size_t c = 0; c < 3; ++c) {
        const double expected = std::exp(image[index(c, pixel)]) / (opset < 13 ? all : channels);
        EXPECT_NEAR(output.values[index(c, pixel)], expected, 1e-6 + 1e-4 * expected);
      }
    }
  }
}

TEST(OnnxModel, RunsTheShapeArithmeticOfUnsimplifiedExportsWithIntegerDivision) {
  // [batch, 3, 32, 32] -> [batch, 3, (5 / 2) * 512] = [batch, 3, 1024]: a true division would
  // make it 1280 and the reshape impossible.
  const testing::TempDir dir;
  GraphBuilder graph(17, -1);  // a batch left open: the graph runs the batch at once
  graph.node("Shape", {"images"}, {"shape"});
  graph.integers("zero", {0}, /*scalar=*/true);
  graph.integers("one", {1}, /*scalar=*/true);
  graph.integers("five", {5}, true);
  graph.integers("two", {2}, true);
  graph.integers("half_row", {512}, true);
  graph.integers("axes", {0});
  graph.node("Gather", {"shape", "zero"}, {"batch"});
  graph.node("Gather", {"shape", "one"}, {"channels"});
  graph.node("Div", {"five", "two"}, {"quotient"});
  graph.node("Mul", {"quotient", "half_row"}, {"pixels"});
  graph.node("Unsqueeze", {"batch", "axes"}, {"batch_1d"});
  graph.node("Unsqueeze", {"channels", "axes"}, {"channels_1d"});
  graph.node("Unsqueeze", {"pixels", "axes"}, {"pixels_1d"});
  set_integer(graph.node("Concat", {"batch_1d", "channels_1d", "pixels_1d"}, {"target"}), "axis", 0);
  graph.node("Reshape", {"images", "target"}, {"output0"});
  const auto model = load_model(graph.save(dir / "shapes.onnx"), kTwoCpuThreads);
  const std::vector<float> images = random_images(32, 32, 2);
  const ModelOutput output = model->forward(images, 2);
  EXPECT_EQ(output.channels, 3);
  EXPECT_EQ(output.anchors, 1024);
  EXPECT_EQ(output.values, images);
}

TEST(OnnxModel, AGraphExportedAtBatchOneRunsABatchImageByImage) {
  const testing::TempDir dir;
  GraphBuilder graph(12, 1);
  graph.integers("shape", {1, 3, 1024});  // the batch size written into the graph
  graph.node("Reshape", {"images", "shape"}, {"output0"});
  const auto model = load_model(graph.save(dir / "batch1.onnx"), kTwoCpuThreads);
  const std::vector<float> images = random_images(32, 32, 4);
  const ModelOutput output = model->forward(images, 4);
  EXPECT_EQ(output.batch, 4);
  EXPECT_EQ(output.values, images);
}

TEST(OnnxModel, RefusesWhatItDoesNotRunNamingIt) {
  const testing::TempDir dir;
  GraphBuilder unknown_operator(17, 1);
  unknown_operator.node("Relu", {"images"}, {"output0"});
  testing::expect_error(ErrorKind::unsupported, "node 'Relu1' (Relu): operator Relu is not one this backend runs",
                        [&] { load_model(unknown_operator.save(dir / "relu.onnx"), kTwoCpuThreads); });

  GraphBuilder half(17, 1, onnx::TensorProto::FLOAT16);
  half.node("Identity", {"images"}, {"output0"});
  testing::expect_error(ErrorKind::unsupported, "has data type FLOAT16, which this backend does not run (an export with half=True",
                        [&] { load_model(half.save(dir / "half.onnx"), kTwoCpuThreads); });

  GraphBuilder dangling(17, 1);
  dangling.node("Identity", {"nowhere"}, {"output0"});
  testing::expect_error(ErrorKind::corrupt_data, "reads 'nowhere', which nothing before it produces",
                        [&] { load_model(dangling.save(dir / "dangling.onnx"), kTwoCpuThreads); });

  GraphBuilder bilinear(17, 1);
  onnx::NodeProto& resize = bilinear.node("Resize", {"images", "", "scales"}, {"output0"});
  onnx::AttributeProto* mode = resize.add_attribute();
  mode->set_name("mode");
  mode->set_type(onnx::AttributeProto::STRING);
  mode->set_s("linear");
  testing::expect_error(ErrorKind::unsupported, "Resize linear/half_pixel/round_prefer_floor is not supported",
                        [&] { load_model(bilinear.save(dir / "bilinear.onnx"), kTwoCpuThreads); });
}

TEST(OnnxModel, AMalformedGraphIsAnErrorNamingItsNode) {
  const testing::TempDir dir;
  const ModelOptions options = kTwoCpuThreads;
  GraphBuilder missing_data(17, 1);
  missing_data.tensor("weights", onnx::TensorProto::FLOAT, {1000, 1000});
  missing_data.node("Identity", {"images"}, {"output0"});
  testing::expect_error(ErrorKind::corrupt_data, "weight 'weights': 0 bytes of data for a tensor of 4000000",
                        [&] { load_model(missing_data.save(dir / "missing.onnx"), options); });

  GraphBuilder impossible_size(17, 1);  // 2^80 elements: refused before anything is allocated
  impossible_size.tensor("weights", onnx::TensorProto::FLOAT, {int64_t{1} << 40, int64_t{1} << 40}).set_raw_data("0000");
  impossible_size.node("Identity", {"images"}, {"output0"});
  testing::expect_error(ErrorKind::corrupt_data, "weight 'weights': impossible dimensions",
                        [&] { load_model(impossible_size.save(dir / "impossible.onnx"), options); });

  GraphBuilder two_valued_constant(17, 1);
  two_valued_constant.node("Constant", {}, {"a", "b"});
  two_valued_constant.node("Identity", {"images"}, {"output0"});
  testing::expect_error(ErrorKind::corrupt_data, "node 'Constant1' (Constant) has 2 outputs, not 1",
                        [&] { load_model(two_valued_constant.save(dir / "constant.onnx"), options); });

  const std::vector<float> image = random_images(32, 32, 1);
  GraphBuilder softmax_axis(11, 1);  // before opset 13 the axes before it are multiplied out
  set_integer(softmax_axis.node("Softmax", {"images"}, {"output0"}), "axis", 7);
  const auto softmax = load_model(softmax_axis.save(dir / "softmax_axis.onnx"), options);
  testing::expect_error(ErrorKind::corrupt_data, "node 'Softmax1' (Softmax): axis 7 of a tensor with 4 axes",
                        [&] { softmax->forward(image, 1); });

  GraphBuilder endless_range(17, 1);
  endless_range.integers("zero", {0}, /*scalar=*/true);
  endless_range.integers("ten", {10}, true);
  endless_range.node("Range", {"zero", "ten", "zero"}, {"steps"});
  endless_range.node("Identity", {"images"}, {"output0"});
  const auto range = load_model(endless_range.save(dir / "range.onnx"), options);
  testing::expect_error(ErrorKind::corrupt_data, "node 'Range1' (Range): a Range from 0.000000 to 10.000000 by 0.000000",
                        [&] { range->forward(image, 1); });
}

}  // namespace
}  // namespace sn44::inference
