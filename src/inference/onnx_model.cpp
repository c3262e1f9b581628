#include "inference/onnx_model.h"

#include <c10/core/InferenceMode.h>
#include <nlohmann/json.hpp>

#include <algorithm>
#include <string>
#include <utility>
#include <vector>

#include "core/error.h"
#include "inference/libtorch_runtime.h"
#include "inference/model_metadata.h"
#include "inference/onnx_graph.h"

// No library runs ONNX graphs among the project's dependencies (Debian packages no ONNX Runtime,
// and its OpenCV 4.6 cannot import YOLOv8 exports), so this backend interprets the graph: the
// ONNX library reads the file, each node becomes a LibTorch call (inference/onnx_operators.h).

namespace sn44::inference {
namespace {

// An image model's one input: a float32 batch [batch, 3, height, width].
const OnnxInput& image_input(const OnnxGraph& graph, const std::string& name) {
  if (graph.inputs().size() != 1) {
    refuse_onnx(name, "the graph takes " + std::to_string(graph.inputs().size()) + " inputs; an image model takes one");
  }
  const OnnxInput& input = graph.inputs().front();
  if (input.data_type != onnx::TensorProto::FLOAT) {
    refuse_onnx(name, "the input '" + input.name + "' is " + onnx::TensorProto::DataType_Name(input.data_type) + ", not FLOAT (images)");
  }
  if (input.shape.size() != 4) refuse_onnx(name, "the input is not an image batch [batch, 3, height, width]");
  if (input.shape[0] > 1) refuse_onnx(name, "the graph's batch size is fixed at " + std::to_string(input.shape[0]) + "; export with batch=1");
  if (input.shape[1] >= 0 && input.shape[1] != 3) {
    refuse_onnx(name, "the input has " + std::to_string(input.shape[1]) + " channels, not 3 (RGB)");
  }
  return input;
}

class OnnxModel final : public Model {
 public:
  OnnxModel(OnnxGraph graph, bool fixed_batch_of_one, torch::Device device, ModelInfo info)
      : graph_(std::move(graph)), fixed_batch_of_one_(fixed_batch_of_one), device_(device), info_(std::move(info)) {}

  const ModelInfo& info() const override { return info_; }

  ModelOutput forward(std::span<const float> input, int batch, InputSize size) override {
    c10::InferenceMode inference_mode;
    const torch::Tensor images = input_tensor(input, batch, size, info_, device_);
    // ultralytics exports batch 1 by default, with that batch size written into its reshapes:
    // such a graph runs image by image.
    if (!fixed_batch_of_one_ || batch == 1) return model_output(first_output({images}), batch, info_);
    OnnxTensors outputs;
    for (int64_t image = 0; image < batch; ++image) outputs.push_back(first_output({images.narrow(0, image, 1)}));
    return model_output(torch::cat(outputs, 0), batch, info_);
  }

 private:
  torch::Tensor first_output(const OnnxTensors& inputs) const { return graph_.run(inputs).front(); }

  OnnxGraph graph_;
  bool fixed_batch_of_one_;
  torch::Device device_;
  ModelInfo info_;
};

}  // namespace

std::unique_ptr<Model> load_onnx_model(const std::filesystem::path& path, const ModelOptions& options) {
  const torch::Device device = parse_device(options.device);
  configure_runtime(options.threads);
  const std::string name = "model '" + path.string() + "'";
  const onnx::ModelProto model = read_onnx_file(path, name);
  OnnxGraph graph(model, device, name);
  const std::vector<int64_t> shape = image_input(graph, name).shape;

  std::vector<std::pair<std::string, std::string>> properties;
  for (const onnx::StringStringEntryProto& entry : model.metadata_props()) properties.emplace_back(entry.key(), entry.value());
  nlohmann::json metadata = nlohmann::json::parse(onnx_metadata_as_json(properties, path));
  if (shape[2] > 0 && shape[3] > 0) metadata["imgsz"] = {shape[2], shape[3]};  // what the graph takes, whatever the metadata says
  ModelInfo info = parse_model_metadata(metadata.dump(), path, options);
  info.any_input_size = shape[2] <= 0 && shape[3] <= 0;
  info.device = options.device;
  const auto& nodes = model.graph().node();
  if (std::any_of(nodes.begin(), nodes.end(), [](const onnx::NodeProto& node) { return node.op_type() == "ConvInteger"; })) {
    info.notes.push_back("an int8 export, computed in float here with its quantisation steps on top: slower than the float "
                         "export of the same weights (1.8x on a CPU), so export without int8 (docs/models.md)");
  }
  return std::make_unique<OnnxModel>(std::move(graph), shape[0] == 1, device, std::move(info));
}

}  // namespace sn44::inference
