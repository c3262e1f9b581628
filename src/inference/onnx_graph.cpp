#include "inference/onnx_graph.h"

#include <fstream>
#include <stdexcept>

#include "core/error.h"

namespace sn44::inference {
namespace {

int64_t default_domain_opset(const onnx::ModelProto& model) {
  int64_t opset = 1;
  for (const onnx::OperatorSetIdProto& set : model.opset_import()) {
    if (onnx_default_domain(set.domain())) opset = set.version();
  }
  return opset;
}

OnnxInput describe_input(const onnx::ValueInfoProto& input, const std::string& name) {
  const std::string what = "the input '" + input.name() + "' ";
  if (!input.type().has_tensor_type()) refuse_onnx(name, what + "is not a tensor");
  const auto& type = input.type().tensor_type();
  if (!onnx_scalar_type(type.elem_type())) {
    const bool half = type.elem_type() == onnx::TensorProto::FLOAT16;
    refuse_onnx(name, what + "has data type " + onnx::TensorProto::DataType_Name(type.elem_type()) + ", which this backend does not run" +
                      (half ? " (an export with half=True; export in full precision)" : ""));
  }
  OnnxInput described{input.name(), type.elem_type(), {}};
  for (const onnx::TensorShapeProto::Dimension& dim : type.shape().dim()) {
    described.shape.push_back(dim.has_dim_value() ? dim.dim_value() : -1);
  }
  return described;
}

}  // namespace

onnx::ModelProto read_onnx_file(const std::filesystem::path& path, const std::string& name) {
  onnx::ModelProto model;
  std::ifstream file(path, std::ios::binary);
  if (!file || !model.ParseFromIstream(&file) || !model.has_graph() || model.graph().node_size() == 0) {
    throw Error(ErrorKind::corrupt_data, name + " is not an ONNX file (it does not read as an ONNX model with a graph)");
  }
  return model;
}

// Every value has a slot; initializers and constants are filled at load, each node is a step that
// reads and writes slots, and a computed value is dropped after its last reader.
OnnxGraph::OnnxGraph(const onnx::ModelProto& model, torch::Device device, const std::string& name) {
  const int64_t opset = default_domain_opset(model);
  const onnx::GraphProto& graph = model.graph();
  for (const onnx::TensorProto& initializer : graph.initializer()) {
    set_constant(slot(initializer.name()), onnx_value_on(tensor_from_onnx(initializer, name + " weight '" + initializer.name() + "'"), device));
  }
  for (const onnx::ValueInfoProto& input : graph.input()) {
    if (const auto known = slots_.find(input.name()); known != slots_.end() && known->second < constants_.size() &&
                                                       constants_[known->second].defined()) {
      continue;  // an initializer listed as an input (older exporters)
    }
    inputs_.push_back(describe_input(input, name));
    input_slots_.push_back(static_cast<int>(slot(input.name())));
  }

  std::vector<bool> produced(slots_.size(), false);
  const auto mark_produced = [&](size_t index) {
    if (produced.size() <= index) produced.resize(index + 1, false);
    produced[index] = true;
  };
  const auto is_produced = [&](size_t index) { return index < produced.size() && produced[index]; };
  for (size_t i = 0; i < constants_.size(); ++i) {
    if (constants_[i].defined()) mark_produced(i);
  }
  for (const int index : input_slots_) mark_produced(static_cast<size_t>(index));
  for (const onnx::NodeProto& node : graph.node()) {
    const std::string where = name + " node '" + node.name() + "' (" + node.op_type() + ")";
    if (node.op_type() == "Constant" && onnx_default_domain(node.domain())) {
      if (node.output_size() != 1) throw Error(ErrorKind::corrupt_data, where + " has " + std::to_string(node.output_size()) + " outputs, not 1");
      const size_t output = slot(node.output(0));
      set_constant(output, onnx_value_on(onnx_constant_value(node, where), device));
      mark_produced(output);
      continue;
    }
    Step step{make_onnx_kernel(node, opset, device, where), {}, {}, {}, where};
    for (const std::string& input : node.input()) {
      if (input.empty()) {
        step.inputs.push_back(-1);  // an optional input left out
        continue;
      }
      const size_t index = slot(input);
      if (!is_produced(index)) throw Error(ErrorKind::corrupt_data, where + " reads '" + input + "', which nothing before it produces");
      step.inputs.push_back(static_cast<int>(index));
    }
    for (const std::string& output : node.output()) {
      step.outputs.push_back(static_cast<int>(slot(output)));
      mark_produced(slot(output));
    }
    steps_.push_back(std::move(step));
  }
  if (graph.output_size() == 0) refuse_onnx(name, "the graph has no output");
  for (const onnx::ValueInfoProto& output : graph.output()) {
    const size_t index = slot(output.name());
    if (!is_produced(index)) throw Error(ErrorKind::corrupt_data, name + ": nothing produces the output '" + output.name() + "'");
    output_slots_.push_back(static_cast<int>(index));
  }
  constants_.resize(slots_.size());
  release_after_last_use();
}

OnnxTensors OnnxGraph::run(const OnnxTensors& inputs) const {
  if (inputs.size() != input_slots_.size()) {
    throw Error(ErrorKind::invalid_argument, "the graph takes " + std::to_string(input_slots_.size()) + " inputs, not " +
                                                 std::to_string(inputs.size()));
  }
  std::vector<torch::Tensor> values = constants_;
  for (size_t i = 0; i < inputs.size(); ++i) values[static_cast<size_t>(input_slots_[i])] = inputs[i];
  OnnxTensors step_inputs;
  for (const Step& step : steps_) {
    step_inputs.clear();
    for (const int index : step.inputs) step_inputs.push_back(index >= 0 ? values[static_cast<size_t>(index)] : torch::Tensor());
    OnnxTensors outputs;
    try {
      outputs = step.kernel(step_inputs);
    } catch (const c10::Error& error) {
      throw Error(ErrorKind::unsupported, step.where + " failed: " + error.what_without_backtrace());
    } catch (const std::out_of_range&) {
      throw Error(ErrorKind::corrupt_data, step.where + " lacks an input it needs");
    }
    if (outputs.size() < step.outputs.size()) throw Error(ErrorKind::unsupported, step.where + " gave too few outputs");
    for (size_t i = 0; i < step.outputs.size(); ++i) values[static_cast<size_t>(step.outputs[i])] = std::move(outputs[i]);
    for (const int index : step.released) values[static_cast<size_t>(index)].reset();
  }
  OnnxTensors outputs;
  for (const int index : output_slots_) outputs.push_back(values[static_cast<size_t>(index)]);
  return outputs;
}

size_t OnnxGraph::slot(const std::string& value) {
  const auto [found, added] = slots_.try_emplace(value, slots_.size());
  return found->second;
}

void OnnxGraph::set_constant(size_t index, torch::Tensor value) {
  if (constants_.size() <= index) constants_.resize(index + 1);
  constants_[index] = std::move(value);
}

void OnnxGraph::release_after_last_use() {
  std::vector<int> last_reader(slots_.size(), -1);
  for (size_t s = 0; s < steps_.size(); ++s) {
    for (const int index : steps_[s].inputs) {
      if (index >= 0) last_reader[static_cast<size_t>(index)] = static_cast<int>(s);
    }
  }
  for (const int index : output_slots_) last_reader[static_cast<size_t>(index)] = -1;  // outputs are kept
  for (size_t index = 0; index < last_reader.size(); ++index) {
    if (last_reader[index] >= 0 && !constants_[index].defined()) {
      steps_[static_cast<size_t>(last_reader[index])].released.push_back(static_cast<int>(index));
    }
  }
}

}  // namespace sn44::inference
