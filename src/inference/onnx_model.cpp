#include "inference/onnx_model.h"

#include <c10/core/InferenceMode.h>
#include <nlohmann/json.hpp>
#include <onnx/onnx_pb.h>

#include <algorithm>
#include <cmath>
#include <cstring>
#include <fstream>
#include <functional>
#include <limits>
#include <numeric>
#include <optional>
#include <string>
#include <unordered_map>
#include <vector>

#include "core/error.h"
#include "inference/libtorch_runtime.h"
#include "inference/model_metadata.h"

// No library runs ONNX graphs among the project's dependencies (Debian packages no ONNX Runtime,
// and its OpenCV 4.6 cannot import YOLOv8 exports), so this backend interprets the graph: the
// ONNX library reads the file, each node becomes a LibTorch call. YOLOv8 needs some twenty
// operators; the shape arithmetic of unsimplified exports (Shape, Gather, Unsqueeze, ...) runs on
// small int64 tensors on the CPU, the rest on the model's device.

namespace sn44::inference {
namespace {

using Tensors = std::vector<torch::Tensor>;
// One node's computation, bound to its attributes when the file is read.
using Kernel = std::function<Tensors(const Tensors& inputs)>;

[[noreturn]] void refuse(const std::string& where, const std::string& what) {
  throw Error(ErrorKind::unsupported, where + ": " + what);
}

// A node's attributes, with the defaults ONNX gives them.
class Attributes {
 public:
  explicit Attributes(const onnx::NodeProto& node) {
    for (const onnx::AttributeProto& attribute : node.attribute()) by_name_[attribute.name()] = &attribute;
  }
  int64_t integer(const std::string& name, int64_t fallback) const {
    const onnx::AttributeProto* attribute = find(name);
    return attribute != nullptr ? attribute->i() : fallback;
  }
  std::vector<int64_t> integers(const std::string& name, std::vector<int64_t> fallback = {}) const {
    const onnx::AttributeProto* attribute = find(name);
    return attribute != nullptr ? std::vector<int64_t>(attribute->ints().begin(), attribute->ints().end()) : fallback;
  }
  std::string text(const std::string& name, const std::string& fallback) const {
    const onnx::AttributeProto* attribute = find(name);
    return attribute != nullptr ? attribute->s() : fallback;
  }
  const onnx::AttributeProto* find(const std::string& name) const {
    const auto found = by_name_.find(name);
    return found == by_name_.end() ? nullptr : found->second;
  }

 private:
  std::unordered_map<std::string, const onnx::AttributeProto*> by_name_;
};

// The LibTorch type of an ONNX data type this backend runs, if it is one.
std::optional<torch::ScalarType> scalar_type(int64_t onnx_type) {
  switch (onnx_type) {
    case onnx::TensorProto::FLOAT: return torch::kFloat32;
    case onnx::TensorProto::DOUBLE: return torch::kFloat64;
    case onnx::TensorProto::INT64: return torch::kInt64;
    case onnx::TensorProto::INT32: return torch::kInt32;
    case onnx::TensorProto::BOOL: return torch::kBool;
    default: return std::nullopt;
  }
}

torch::Tensor tensor_from_proto(const onnx::TensorProto& proto, const std::string& where) {
  const std::vector<int64_t> dims(proto.dims().begin(), proto.dims().end());
  if (proto.data_type() == onnx::TensorProto::FLOAT16) {
    refuse(where, "half-precision weights (an export with half=True); export in full precision");
  }
  const std::optional<torch::ScalarType> known_type = scalar_type(proto.data_type());
  if (!known_type) refuse(where, "tensor data type " + std::to_string(proto.data_type()) + " is not one this backend reads");
  const torch::ScalarType type = *known_type;
  if (proto.data_location() == onnx::TensorProto::EXTERNAL) refuse(where, "weights kept in an external file");
  torch::Tensor tensor = torch::empty(dims, type);
  const size_t bytes = static_cast<size_t>(tensor.numel()) * tensor.element_size();
  const auto copy_from = [&](const void* data, size_t size) {
    if (size != bytes) {
      throw Error(ErrorKind::corrupt_data, where + ": " + std::to_string(size) + " bytes of data for a tensor of " +
                                               std::to_string(bytes));
    }
    if (bytes > 0) std::memcpy(tensor.data_ptr(), data, bytes);  // ONNX stores little-endian, as the host is
  };
  if (!proto.raw_data().empty() || bytes == 0) {
    copy_from(proto.raw_data().data(), proto.raw_data().size());
  } else if (type == torch::kFloat32) {
    copy_from(proto.float_data().data(), static_cast<size_t>(proto.float_data_size()) * sizeof(float));
  } else if (type == torch::kFloat64) {
    copy_from(proto.double_data().data(), static_cast<size_t>(proto.double_data_size()) * sizeof(double));
  } else if (type == torch::kInt64) {
    copy_from(proto.int64_data().data(), static_cast<size_t>(proto.int64_data_size()) * sizeof(int64_t));
  } else if (type == torch::kInt32) {
    copy_from(proto.int32_data().data(), static_cast<size_t>(proto.int32_data_size()) * sizeof(int32_t));
  } else {  // bool: one int32 per value
    const std::vector<int32_t> values(proto.int32_data().begin(), proto.int32_data().end());
    const torch::Tensor widened = torch::tensor(values, torch::kInt32);
    if (widened.numel() != tensor.numel()) {
      throw Error(ErrorKind::corrupt_data, where + ": " + std::to_string(values.size()) + " values for a tensor of " +
                                               std::to_string(tensor.numel()));
    }
    tensor = widened.ne(0).reshape(dims);
  }
  return tensor;
}

// A small tensor's elements (shapes, indices, scales) as a vector of T.
template <typename T = int64_t>
std::vector<T> values_of(const torch::Tensor& tensor) {
  const torch::Tensor values = tensor.to(torch::kCPU, c10::CppTypeToScalarType<T>::value).contiguous().view({-1});
  return std::vector<T>(values.data_ptr<T>(), values.data_ptr<T>() + values.numel());
}

int64_t normal_axis(int64_t axis, int64_t rank) { return axis < 0 ? axis + rank : axis; }

// The operands of an element-wise node on one device: shape arithmetic lives on the CPU, a
// constant scalar may meet activations on the GPU.
std::pair<torch::Tensor, torch::Tensor> on_one_device(const torch::Tensor& a, const torch::Tensor& b) {
  if (a.device() == b.device()) return {a, b};
  return a.device().is_cpu() ? std::pair{a.to(b.device()), b} : std::pair{a, b.to(a.device())};
}

Kernel binary(std::function<torch::Tensor(const torch::Tensor&, const torch::Tensor&)> operation) {
  return [operation = std::move(operation)](const Tensors& in) {
    const auto [a, b] = on_one_device(in.at(0), in.at(1));
    return Tensors{operation(a, b)};
  };
}

// Padding split into what a LibTorch call takes (the same before and after each axis) and what
// must be added first; ONNX pads are [begin..., end...].
struct Padding {
  std::vector<int64_t> symmetric;
  std::vector<int64_t> extra;  // for constant_pad_nd (last axis first); empty when symmetric
};

Padding split_padding(const std::vector<int64_t>& pads, const std::string& where) {
  if (pads.size() != 4) refuse(where, "only 2-D windows are supported");
  if (pads[0] == pads[2] && pads[1] == pads[3]) return {{pads[0], pads[1]}, {}};
  return {{0, 0}, {pads[1], pads[3], pads[0], pads[2]}};
}

void require_no_auto_pad(const Attributes& attributes, const std::string& where) {
  const std::string auto_pad = attributes.text("auto_pad", "NOTSET");
  if (auto_pad != "NOTSET") refuse(where, "auto_pad " + auto_pad + " is not supported (explicit pads are)");
}

Kernel make_kernel(const onnx::NodeProto& node, int64_t opset, const std::string& where) {
  const std::string& op = node.op_type();
  const Attributes attributes(node);
  const auto outputs = static_cast<size_t>(node.output_size());

  if (op == "Conv") {
    require_no_auto_pad(attributes, where);
    const int64_t group = attributes.integer("group", 1);
    const std::vector<int64_t> strides = attributes.integers("strides", {1, 1});
    const std::vector<int64_t> dilations = attributes.integers("dilations", {1, 1});
    const Padding padding = split_padding(attributes.integers("pads", {0, 0, 0, 0}), where);
    if (strides.size() != 2 || dilations.size() != 2) refuse(where, "only 2-D convolutions are supported");
    return [=](const Tensors& in) {
      torch::Tensor x = in.at(0);
      if (!padding.extra.empty()) x = torch::constant_pad_nd(x, padding.extra);
      const torch::Tensor bias = in.size() > 2 ? in[2] : torch::Tensor();
      return Tensors{torch::conv2d(x, in.at(1), bias, strides, padding.symmetric, dilations, group)};
    };
  }
  if (op == "MaxPool") {
    require_no_auto_pad(attributes, where);
    const std::vector<int64_t> kernel = attributes.integers("kernel_shape");
    const std::vector<int64_t> strides = attributes.integers("strides", {1, 1});
    const std::vector<int64_t> dilations = attributes.integers("dilations", {1, 1});
    const bool ceil_mode = attributes.integer("ceil_mode", 0) != 0;
    const Padding padding = split_padding(attributes.integers("pads", {0, 0, 0, 0}), where);
    if (kernel.size() != 2 || strides.size() != 2 || dilations.size() != 2) refuse(where, "only 2-D pooling is supported");
    if (outputs != 1) refuse(where, "pooling indices are not supported");
    return [=](const Tensors& in) {
      torch::Tensor x = in.at(0);
      if (!padding.extra.empty()) x = torch::constant_pad_nd(x, padding.extra, -std::numeric_limits<double>::infinity());
      return Tensors{torch::max_pool2d(x, kernel, strides, padding.symmetric, dilations, ceil_mode)};
    };
  }
  if (op == "Sigmoid") return [](const Tensors& in) { return Tensors{torch::sigmoid(in.at(0))}; };
  if (op == "Identity") return [](const Tensors& in) { return Tensors{in.at(0)}; };
  if (op == "Add") return binary([](const torch::Tensor& a, const torch::Tensor& b) { return a + b; });
  if (op == "Sub") return binary([](const torch::Tensor& a, const torch::Tensor& b) { return a - b; });
  if (op == "Mul") return binary([](const torch::Tensor& a, const torch::Tensor& b) { return a * b; });
  if (op == "Div") {
    // ONNX divides integers with truncation (shape arithmetic), LibTorch's `/` never does.
    return binary([](const torch::Tensor& a, const torch::Tensor& b) {
      return a.is_floating_point() || b.is_floating_point() ? a / b : torch::div(a, b, "trunc");
    });
  }
  if (op == "Concat") {
    const int64_t axis = attributes.integer("axis", 0);
    return [axis](const Tensors& in) { return Tensors{torch::cat(in, axis)}; };
  }
  if (op == "Split") {
    const int64_t axis = attributes.integer("axis", 0);
    const std::vector<int64_t> split = attributes.integers("split");  // before opset 13; an input since
    return [=](const Tensors& in) {
      std::vector<int64_t> sizes = in.size() > 1 && in[1].defined() ? values_of(in[1]) : split;
      if (sizes.empty()) sizes.assign(outputs, in.at(0).size(axis) / static_cast<int64_t>(outputs));
      const std::vector<torch::Tensor> parts = torch::split_with_sizes(in.at(0), sizes, axis);
      return Tensors(parts.begin(), parts.end());
    };
  }
  if (op == "Slice") {
    if (opset < 10) refuse(where, "Slice before opset 10 is not supported");
    return [where](const Tensors& in) {
      torch::Tensor x = in.at(0);
      const std::vector<int64_t> starts = values_of(in.at(1));
      const std::vector<int64_t> ends = values_of(in.at(2));
      std::vector<int64_t> axes(starts.size());
      std::iota(axes.begin(), axes.end(), 0);
      if (in.size() > 3 && in[3].defined()) axes = values_of(in[3]);
      const std::vector<int64_t> steps = in.size() > 4 && in[4].defined() ? values_of(in[4]) : std::vector<int64_t>(starts.size(), 1);
      for (size_t i = 0; i < starts.size(); ++i) {
        if (steps.at(i) <= 0) refuse(where, "Slice with a step under 1 is not supported");
        const int64_t axis = normal_axis(axes.at(i), x.dim());
        const int64_t size = x.size(axis);
        const auto clamp = [size](int64_t index) { return std::clamp<int64_t>(index < 0 ? index + size : index, 0, size); };
        const int64_t start = clamp(starts[i]);
        x = x.slice(axis, start, std::max(start, clamp(ends.at(i))), steps[i]);
      }
      return Tensors{x};
    };
  }
  if (op == "Reshape") {
    const bool allow_zero = attributes.integer("allowzero", 0) != 0;
    return [allow_zero](const Tensors& in) {
      std::vector<int64_t> shape = values_of(in.at(1));
      for (size_t i = 0; i < shape.size(); ++i) {
        if (shape[i] == 0 && !allow_zero) shape[i] = in.at(0).size(static_cast<int64_t>(i));  // 0 keeps that dimension
      }
      return Tensors{in.at(0).reshape(shape)};
    };
  }
  if (op == "Transpose") {
    const std::vector<int64_t> perm = attributes.integers("perm");
    return [perm](const Tensors& in) {
      std::vector<int64_t> order = perm;
      if (order.empty()) {
        order.resize(static_cast<size_t>(in.at(0).dim()));
        std::iota(order.rbegin(), order.rend(), 0);  // no perm: reverse the axes
      }
      return Tensors{in.at(0).permute(order)};
    };
  }
  if (op == "Softmax") {
    const int64_t axis = attributes.integer("axis", opset < 13 ? 1 : -1);
    return [=](const Tensors& in) {
      const torch::Tensor& x = in.at(0);
      const int64_t from = normal_axis(axis, x.dim());
      if (opset >= 13) return Tensors{torch::softmax(x, from)};
      // Before opset 13 the input is seen as 2-D: the axes before `axis`, and those from it on.
      const std::vector<int64_t> sizes = x.sizes().vec();
      const int64_t outer = std::accumulate(sizes.begin(), sizes.begin() + from, int64_t{1}, std::multiplies<>());
      return Tensors{torch::softmax(x.reshape({outer, -1}), 1).reshape(sizes)};
    };
  }
  if (op == "Resize" || op == "Upsample") {
    const std::string mode = attributes.text("mode", "nearest");
    const std::string transform = attributes.text("coordinate_transformation_mode", opset < 11 ? "asymmetric" : "half_pixel");
    const std::string rounding = attributes.text("nearest_mode", opset < 11 ? "floor" : "round_prefer_floor");
    if (mode != "nearest" || transform != "asymmetric" || rounding != "floor") {
      refuse(where, "Resize " + mode + "/" + transform + "/" + rounding +
                        " is not supported (YOLOv8 exports use nearest/asymmetric/floor)");
    }
    const size_t scales_input = op == "Upsample" || opset < 11 ? 1 : 2;
    return [=](const Tensors& in) {
      const torch::Tensor& x = in.at(0);
      if (x.dim() != 4) refuse(where, "only images (4-D tensors) are resized");
      std::vector<int64_t> size;
      if (in.size() > 3 && in[3].defined() && in[3].numel() == 4) {
        const std::vector<int64_t> sizes = values_of(in[3]);
        size = {sizes[2], sizes[3]};
      } else {
        const std::vector<double> scales = values_of<double>(in.at(scales_input));
        if (scales.size() != 4 || scales[0] != 1 || scales[1] != 1) refuse(where, "only height and width are resized");
        size = {static_cast<int64_t>(std::floor(static_cast<double>(x.size(2)) * scales[2])),
                static_cast<int64_t>(std::floor(static_cast<double>(x.size(3)) * scales[3]))};
      }
      return Tensors{torch::upsample_nearest2d(x, size)};
    };
  }
  if (op == "Shape") {
    const int64_t start = attributes.integer("start", 0);
    const auto* end_attribute = attributes.find("end");
    const std::optional<int64_t> end = end_attribute ? std::optional(end_attribute->i()) : std::nullopt;
    return [=](const Tensors& in) {
      const std::vector<int64_t> sizes = in.at(0).sizes().vec();
      const auto rank = static_cast<int64_t>(sizes.size());
      const int64_t first = std::clamp<int64_t>(normal_axis(start, rank), 0, rank);
      const int64_t last = std::clamp<int64_t>(end ? normal_axis(*end, rank) : rank, first, rank);
      return Tensors{torch::tensor(std::vector<int64_t>(sizes.begin() + first, sizes.begin() + last), torch::kInt64)};
    };
  }
  if (op == "Gather") {
    const int64_t axis_attribute = attributes.integer("axis", 0);
    return [axis_attribute](const Tensors& in) {
      const torch::Tensor& data = in.at(0);
      const int64_t axis = normal_axis(axis_attribute, data.dim());
      torch::Tensor indices = in.at(1).to(data.device(), torch::kInt64);
      indices = torch::where(indices < 0, indices + data.size(axis), indices);
      if (indices.dim() == 0) return Tensors{data.select(axis, indices.item<int64_t>())};
      std::vector<int64_t> shape(data.sizes().begin(), data.sizes().begin() + axis);
      shape.insert(shape.end(), indices.sizes().begin(), indices.sizes().end());
      shape.insert(shape.end(), data.sizes().begin() + axis + 1, data.sizes().end());
      return Tensors{data.index_select(axis, indices.view({-1})).reshape(shape)};
    };
  }
  if (op == "Unsqueeze") {
    const std::vector<int64_t> axes_attribute = attributes.integers("axes");  // before opset 13; an input since
    return [axes_attribute](const Tensors& in) {
      std::vector<int64_t> axes = in.size() > 1 && in[1].defined() ? values_of(in[1]) : axes_attribute;
      const auto rank = in.at(0).dim() + static_cast<int64_t>(axes.size());
      for (int64_t& axis : axes) axis = normal_axis(axis, rank);
      std::sort(axes.begin(), axes.end());
      torch::Tensor x = in.at(0);
      for (const int64_t axis : axes) x = x.unsqueeze(axis);
      return Tensors{x};
    };
  }
  if (op == "Expand") {
    return [](const Tensors& in) {
      // Two-way broadcasting: a 1 in the requested shape keeps the input's dimension.
      const torch::Tensor& x = in.at(0);
      const std::vector<int64_t> requested = values_of(in.at(1));
      const auto rank = std::max<int64_t>(x.dim(), static_cast<int64_t>(requested.size()));
      std::vector<int64_t> shape(static_cast<size_t>(rank));
      for (int64_t i = 0; i < rank; ++i) {
        const int64_t from_input = i - (rank - x.dim());
        const int64_t from_request = i - (rank - static_cast<int64_t>(requested.size()));
        const int64_t a = from_input >= 0 ? x.size(from_input) : 1;
        const int64_t b = from_request >= 0 ? requested[static_cast<size_t>(from_request)] : 1;
        shape[static_cast<size_t>(i)] = a == 1 ? b : a;
      }
      return Tensors{x.expand(shape)};
    };
  }
  if (op == "Cast") {
    const int64_t to = attributes.integer("to", onnx::TensorProto::FLOAT);
    const std::optional<torch::ScalarType> type = scalar_type(to);
    if (!type) refuse(where, "Cast to data type " + std::to_string(to) + " is not supported");
    return [type = *type](const Tensors& in) { return Tensors{in.at(0).to(type)}; };
  }
  refuse(where, "operator " + (node.domain().empty() ? "" : node.domain() + ".") + op + " is not one this backend runs");
}

// A Constant node's value.
torch::Tensor constant_value(const onnx::NodeProto& node, const std::string& where) {
  const Attributes attributes(node);
  if (const auto* value = attributes.find("value")) return tensor_from_proto(value->t(), where);
  if (const auto* value = attributes.find("value_float")) return torch::tensor(value->f(), torch::kFloat32);
  if (const auto* value = attributes.find("value_int")) return torch::tensor(value->i(), torch::kInt64);
  if (const auto* value = attributes.find("value_floats")) {
    return torch::tensor(std::vector<float>(value->floats().begin(), value->floats().end()), torch::kFloat32);
  }
  if (const auto* value = attributes.find("value_ints")) {
    return torch::tensor(std::vector<int64_t>(value->ints().begin(), value->ints().end()), torch::kInt64);
  }
  refuse(where, "a Constant without a value this backend reads");
}

// The graph, read once: every value has a slot; initializers and constants are filled at load,
// each node is a step that reads and writes slots, and a value is dropped after its last reader.
class OnnxGraph {
 public:
  OnnxGraph(const onnx::ModelProto& model, torch::Device device, const std::string& name) {
    int64_t opset = 1;
    for (const onnx::OperatorSetIdProto& set : model.opset_import()) {
      if (set.domain().empty() || set.domain() == "ai.onnx") opset = set.version();
    }
    const onnx::GraphProto& graph = model.graph();
    const auto place = [device](torch::Tensor tensor) {  // shape arithmetic stays on the CPU
      return tensor.is_floating_point() ? tensor.to(device) : tensor;
    };
    for (const onnx::TensorProto& initializer : graph.initializer()) {
      set_constant(slot(initializer.name()), place(tensor_from_proto(initializer, name + " weight '" + initializer.name() + "'")));
    }
    for (const onnx::ValueInfoProto& input : graph.input()) {
      if (const auto known = slots_.find(input.name()); known != slots_.end() && known->second < constants_.size() &&
                                                         constants_[known->second].defined()) {
        continue;  // an initializer listed as an input (older exporters)
      }
      const auto& type = input.type().tensor_type();
      if (type.elem_type() != onnx::TensorProto::FLOAT) {
        refuse(name, "the input '" + input.name() + "' is not float32 (a half-precision export?); export in full precision");
      }
      for (const onnx::TensorShapeProto::Dimension& dim : type.shape().dim()) {
        input_shape_.push_back(dim.has_dim_value() ? dim.dim_value() : -1);
      }
      input_slot_ = static_cast<int>(slot(input.name()));
      break;
    }
    if (input_slot_ < 0) refuse(name, "the graph has no input");
    if (input_shape_.size() != 4) refuse(name, "the input is not an image batch [batch, 3, height, width]");

    std::vector<bool> produced(slots_.size(), false);
    const auto mark_produced = [&](size_t index) {
      if (produced.size() <= index) produced.resize(index + 1, false);
      produced[index] = true;
    };
    for (size_t i = 0; i < constants_.size(); ++i) {
      if (constants_[i].defined()) mark_produced(i);
    }
    mark_produced(static_cast<size_t>(input_slot_));
    for (const onnx::NodeProto& node : graph.node()) {
      const std::string where = name + " node '" + node.name() + "' (" + node.op_type() + ")";
      if (node.op_type() == "Constant" && (node.domain().empty() || node.domain() == "ai.onnx")) {
        const size_t output = slot(node.output(0));
        set_constant(output, place(constant_value(node, where)));
        mark_produced(output);
        continue;
      }
      Step step{make_kernel(node, opset, where), {}, {}, {}, where};
      for (const std::string& input : node.input()) {
        if (input.empty()) {
          step.inputs.push_back(-1);  // an optional input left out
          continue;
        }
        const size_t index = slot(input);
        if (index >= produced.size() || !produced[index]) {
          throw Error(ErrorKind::corrupt_data, where + " reads '" + input + "', which nothing before it produces");
        }
        step.inputs.push_back(static_cast<int>(index));
      }
      for (const std::string& output : node.output()) {
        step.outputs.push_back(static_cast<int>(slot(output)));
        mark_produced(slot(output));
      }
      steps_.push_back(std::move(step));
    }
    if (graph.output_size() == 0) refuse(name, "the graph has no output");
    const size_t output = slot(graph.output(0).name());
    if (output >= produced.size() || !produced[output]) {
      throw Error(ErrorKind::corrupt_data, name + ": nothing produces the output '" + graph.output(0).name() + "'");
    }
    output_slot_ = static_cast<int>(output);
    constants_.resize(slots_.size());
    release_after_last_use();
  }

  // -1 for a dimension the file leaves open.
  const std::vector<int64_t>& input_shape() const { return input_shape_; }

  torch::Tensor run(const torch::Tensor& input) const {
    std::vector<torch::Tensor> values = constants_;
    values[static_cast<size_t>(input_slot_)] = input;
    Tensors inputs;
    for (const Step& step : steps_) {
      inputs.clear();
      for (const int index : step.inputs) inputs.push_back(index >= 0 ? values[static_cast<size_t>(index)] : torch::Tensor());
      Tensors outputs;
      try {
        outputs = step.kernel(inputs);
      } catch (const c10::Error& error) {
        throw Error(ErrorKind::unsupported, step.where + " failed: " + error.what_without_backtrace());
      }
      if (outputs.size() < step.outputs.size()) throw Error(ErrorKind::unsupported, step.where + " gave too few outputs");
      for (size_t i = 0; i < step.outputs.size(); ++i) values[static_cast<size_t>(step.outputs[i])] = std::move(outputs[i]);
      for (const int index : step.released) values[static_cast<size_t>(index)].reset();
    }
    return values[static_cast<size_t>(output_slot_)];
  }

 private:
  struct Step {
    Kernel kernel;
    std::vector<int> inputs;    // slots; -1 for an optional input left out
    std::vector<int> outputs;
    std::vector<int> released;  // computed values no later step reads
    std::string where;          // the node, for messages
  };

  void set_constant(size_t index, torch::Tensor value) {
    if (constants_.size() <= index) constants_.resize(index + 1);
    constants_[index] = std::move(value);
  }

  size_t slot(const std::string& value) {
    const auto [found, added] = slots_.try_emplace(value, slots_.size());
    return found->second;
  }

  void release_after_last_use() {
    std::vector<int> last_reader(slots_.size(), -1);
    for (size_t s = 0; s < steps_.size(); ++s) {
      for (const int index : steps_[s].inputs) {
        if (index >= 0) last_reader[static_cast<size_t>(index)] = static_cast<int>(s);
      }
    }
    for (size_t index = 0; index < last_reader.size(); ++index) {
      if (last_reader[index] >= 0 && !constants_[index].defined() && static_cast<int>(index) != output_slot_) {
        steps_[static_cast<size_t>(last_reader[index])].released.push_back(static_cast<int>(index));
      }
    }
  }

  std::unordered_map<std::string, size_t> slots_;
  std::vector<torch::Tensor> constants_;  // by slot; undefined for values computed per run
  std::vector<Step> steps_;
  std::vector<int64_t> input_shape_;
  int input_slot_ = -1;
  int output_slot_ = -1;
};

class OnnxModel final : public Model {
 public:
  OnnxModel(OnnxGraph graph, torch::Device device, ModelInfo info)
      : graph_(std::move(graph)), device_(device), info_(std::move(info)) {}

  const ModelInfo& info() const override { return info_; }

  ModelOutput forward(std::span<const float> input, int batch) override {
    c10::InferenceMode inference_mode;
    const torch::Tensor images = input_tensor(input, batch, info_, device_);
    // ultralytics exports batch 1 by default, with that batch size written into its reshapes:
    // such a graph runs image by image.
    if (graph_.input_shape()[0] < 0 || batch == 1) return model_output(graph_.run(images), batch, info_);
    Tensors outputs;
    for (int64_t image = 0; image < batch; ++image) outputs.push_back(graph_.run(images.narrow(0, image, 1)));
    return model_output(torch::cat(outputs, 0), batch, info_);
  }

 private:
  OnnxGraph graph_;
  torch::Device device_;
  ModelInfo info_;
};

}  // namespace

std::unique_ptr<Model> load_onnx_model(const std::filesystem::path& path, const ModelOptions& options) {
  const torch::Device device = parse_device(options.device);
  configure_threads(options.threads);
  const std::string name = "model '" + path.string() + "'";
  onnx::ModelProto model;
  {
    std::ifstream file(path, std::ios::binary);
    if (!file || !model.ParseFromIstream(&file) || !model.has_graph() || model.graph().node_size() == 0) {
      throw Error(ErrorKind::corrupt_data, name + " is not an ONNX file (it does not read as an ONNX model with a graph)");
    }
  }
  OnnxGraph graph(model, device, name);
  const std::vector<int64_t>& shape = graph.input_shape();
  if (shape[0] > 1) refuse(name, "the graph's batch size is fixed at " + std::to_string(shape[0]) + "; export with batch=1");
  if (shape[1] >= 0 && shape[1] != 3) refuse(name, "the input has " + std::to_string(shape[1]) + " channels, not 3 (RGB)");

  std::vector<std::pair<std::string, std::string>> properties;
  for (const onnx::StringStringEntryProto& entry : model.metadata_props()) properties.emplace_back(entry.key(), entry.value());
  nlohmann::json metadata = nlohmann::json::parse(onnx_metadata_as_json(properties, path));
  if (shape[2] > 0 && shape[3] > 0) metadata["imgsz"] = {shape[2], shape[3]};  // what the graph takes, whatever the metadata says
  ModelInfo info = parse_model_metadata(metadata.dump(), path, options);
  info.device = options.device;
  return std::make_unique<OnnxModel>(std::move(graph), device, std::move(info));
}

}  // namespace sn44::inference
