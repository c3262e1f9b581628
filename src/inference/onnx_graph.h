#pragma once
// An ONNX graph, read once and run as a list of LibTorch kernels (inference/onnx_operators.h).
// Included by the ONNX backend's sources and tests only.

#include <onnx/onnx_pb.h>
#include <torch/torch.h>

#include <cstdint>
#include <filesystem>
#include <string>
#include <unordered_map>
#include <vector>

#include "inference/onnx_operators.h"

namespace sn44::inference {

// Throws Error(corrupt_data) when the file does not read as an ONNX model with a graph; `name`
// starts the message.
onnx::ModelProto read_onnx_file(const std::filesystem::path& path, const std::string& name);

struct OnnxInput {
  std::string name;
  int32_t data_type = 0;        // onnx::TensorProto::DataType
  std::vector<int64_t> shape;   // -1 for a dimension the file leaves open
};

class OnnxGraph {
 public:
  // Weights and constants go where onnx_value_on puts them. `name` starts
  // every message. Throws Error: unsupported (an operator, attribute, data type or input kind it
  // does not run, naming the node), corrupt_data (a node reads a value nothing produces).
  OnnxGraph(const onnx::ModelProto& model, torch::Device device, const std::string& name);

  // The inputs a run takes, in order (initializers listed as inputs are not among them).
  const std::vector<OnnxInput>& inputs() const { return inputs_; }

  // The graph's outputs, in order. Throws Error: unsupported (a node failed or met a case it does
  // not run, naming it), corrupt_data (a node lacks an input it needs), invalid_argument (not one
  // tensor per input).
  OnnxTensors run(const OnnxTensors& inputs) const;

 private:
  struct Step {
    OnnxKernel kernel;
    std::vector<int> inputs;    // slots; -1 for an optional input left out
    std::vector<int> outputs;
    std::vector<int> released;  // computed values no later step reads
    std::string where;          // the node, for messages
  };

  size_t slot(const std::string& value);
  void set_constant(size_t index, torch::Tensor value);
  void release_after_last_use();

  std::unordered_map<std::string, size_t> slots_;
  std::vector<torch::Tensor> constants_;  // by slot; undefined for values computed per run
  std::vector<Step> steps_;
  std::vector<OnnxInput> inputs_;
  std::vector<int> input_slots_;
  std::vector<int> output_slots_;
};

}  // namespace sn44::inference
