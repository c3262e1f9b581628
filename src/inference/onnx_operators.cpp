#include "inference/onnx_operators.h"

#include <algorithm>
#include <cmath>
#include <cstring>
#include <limits>
#include <map>
#include <numeric>
#include <unordered_map>

#include "core/error.h"

// YOLOv8 exports need some twenty operators; ultralytics' int8 (dynamically quantised) and
// dynamic=True exports, and YOLO11's attention, a few more. Their meaning follows the ONNX operator specification, opset by opset
// where it changed; the official conformance cases (libonnx-testdata) check it in the tests.

namespace sn44::inference {
namespace {

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
  std::vector<double> reals(const std::string& name) const {
    const onnx::AttributeProto* attribute = find(name);
    return attribute != nullptr ? std::vector<double>(attribute->floats().begin(), attribute->floats().end())
                                : std::vector<double>{};
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

// What a kernel factory knows of its node.
struct NodeContext {
  const Attributes& attributes;
  int64_t opset;
  size_t outputs;
  const std::string& where;
  torch::Device device;  // where values live (onnx_value_on)
};

// A small tensor's elements (shapes, indices, scales) as a vector of T.
template <typename T = int64_t>
std::vector<T> values_of(const torch::Tensor& tensor) {
  const torch::Tensor values = tensor.to(torch::kCPU, c10::CppTypeToScalarType<T>::value).contiguous().view({-1});
  return std::vector<T>(values.data_ptr<T>(), values.data_ptr<T>() + values.numel());
}

int64_t normal_axis(int64_t axis, int64_t rank) { return axis < 0 ? axis + rank : axis; }

// An axis of `x` counted from 0. Throws Error(corrupt_data) for one outside its axes.
int64_t axis_of(int64_t axis, const torch::Tensor& x, const std::string& where) {
  const int64_t axis_from_zero = normal_axis(axis, x.dim());
  if (axis_from_zero < 0 || axis_from_zero >= x.dim()) {
    throw Error(ErrorKind::corrupt_data, where + ": axis " + std::to_string(axis) + " of a tensor with " + std::to_string(x.dim()) + " axes");
  }
  return axis_from_zero;
}

// Input `index`, or an undefined tensor when the node leaves it out.
torch::Tensor optional_input(const OnnxTensors& in, size_t index) { return index < in.size() ? in[index] : torch::Tensor(); }

// The operands of an element-wise node on one device: shape arithmetic lives on the CPU, a
// constant scalar may meet activations on the GPU.
std::pair<torch::Tensor, torch::Tensor> on_one_device(const torch::Tensor& a, const torch::Tensor& b) {
  if (a.device() == b.device()) return {a, b};
  return a.device().is_cpu() ? std::pair{a.to(b.device()), b} : std::pair{a, b.to(a.device())};
}

OnnxKernel binary(torch::Tensor (*operation)(const torch::Tensor&, const torch::Tensor&)) {
  return [operation](const OnnxTensors& in) {
    const auto [a, b] = on_one_device(in.at(0), in.at(1));
    return OnnxTensors{operation(a, b)};
  };
}

// Padding split into what a LibTorch call takes (the same before and after each axis) and what
// must be added first; ONNX pads are [begin..., end...].
struct Padding {
  std::vector<int64_t> symmetric;
  std::vector<int64_t> extra;  // for constant_pad_nd (last axis first); empty when symmetric
};

Padding split_padding(const std::vector<int64_t>& pads, const std::string& where) {
  if (pads.size() != 4) refuse_onnx(where, "only 2-D windows are supported");
  if (pads[0] == pads[2] && pads[1] == pads[3]) return {{pads[0], pads[1]}, {}};
  return {{0, 0}, {pads[1], pads[3], pads[0], pads[2]}};
}

void require_no_auto_pad(const Attributes& attributes, const std::string& where) {
  const std::string auto_pad = attributes.text("auto_pad", "NOTSET");
  if (auto_pad != "NOTSET") refuse_onnx(where, "auto_pad " + auto_pad + " is not supported (explicit pads are)");
}

// The window of a Conv or ConvInteger node.
struct Convolution {
  std::vector<int64_t> strides;
  std::vector<int64_t> dilations;
  int64_t group;
  Padding padding;

  torch::Tensor apply(torch::Tensor x, const torch::Tensor& weights, const torch::Tensor& bias) const {
    if (!padding.extra.empty()) x = torch::constant_pad_nd(x, padding.extra);
    return torch::conv2d(x, weights, bias, strides, padding.symmetric, dilations, group);
  }
};

Convolution convolution(const NodeContext& node) {
  require_no_auto_pad(node.attributes, node.where);
  Convolution window{node.attributes.integers("strides", {1, 1}), node.attributes.integers("dilations", {1, 1}),
                     node.attributes.integer("group", 1), split_padding(node.attributes.integers("pads", {0, 0, 0, 0}), node.where)};
  if (window.strides.size() != 2 || window.dilations.size() != 2) refuse_onnx(node.where, "only 2-D convolutions are supported");
  return window;
}

OnnxKernel conv(const NodeContext& node) {
  return [window = convolution(node)](const OnnxTensors& in) {
    return OnnxTensors{window.apply(in.at(0), in.at(1), optional_input(in, 2))};
  };
}

// Quantised values less their zero point, as float. The zero point is one for the tensor, or a
// vector (one per output channel, row or column) that `vector_shape` lines up with `values`.
torch::Tensor dequantised(const torch::Tensor& values, const torch::Tensor& zero_point, c10::IntArrayRef vector_shape) {
  torch::Tensor result = values.to(torch::kFloat32);
  if (!zero_point.defined()) return result;
  torch::Tensor offset = zero_point.to(result.device(), torch::kFloat32);
  if (offset.dim() == 1 && offset.numel() > 1) offset = offset.view(vector_shape);
  return result - offset;
}

OnnxKernel conv_integer(const NodeContext& node) {
  // ONNX asks for the exact int32 sums. The operands, 8-bit values less their zero points, are
  // whole numbers under 2^9, so a float convolution differs from them only by the float rounding
  // of its sums (a relative 6e-8), and runs on any LibTorch device. Padding is the input's zero
  // point, i.e. zero once it is subtracted.
  return [window = convolution(node)](const OnnxTensors& in) {
    const torch::Tensor x = dequantised(in.at(0), optional_input(in, 2), {});  // one zero point for the tensor
    const torch::Tensor weights = dequantised(in.at(1), optional_input(in, 3), {-1, 1, 1, 1});  // or per output channel
    return OnnxTensors{torch::round(window.apply(x, weights, {})).to(torch::kInt32)};
  };
}

// MatMul as numpy's matmul, which LibTorch's is; YOLO11's attention blocks use it.
OnnxKernel matmul(const NodeContext&) {
  return binary([](const torch::Tensor& a, const torch::Tensor& b) { return torch::matmul(a, b); });
}

OnnxKernel matmul_integer(const NodeContext&) {
  // As ConvInteger: the int32 sums, from a float product of the operands less their zero points
  // (A's per tensor or per row, B's per tensor or per column).
  return [](const OnnxTensors& in) {
    const auto [a_values, b_values] = on_one_device(in.at(0), in.at(1));
    const torch::Tensor a = dequantised(a_values, optional_input(in, 2), {-1, 1});  // a zero point per row
    const torch::Tensor b = dequantised(b_values, optional_input(in, 3), {-1});     // per column
    return OnnxTensors{torch::round(torch::matmul(a, b)).to(torch::kInt32)};
  };
}

OnnxKernel dynamic_quantize_linear(const NodeContext& node) {
  return [where = node.where](const OnnxTensors& in) {
    const torch::Tensor& x = in.at(0);
    if (!x.is_floating_point()) refuse_onnx(where, "DynamicQuantizeLinear of a tensor that is not float");
    // The range always holds 0, so that 0 quantises exactly; uint8: 255 steps.
    const torch::Tensor low = torch::clamp_max(x.min(), 0);
    const torch::Tensor scale = (torch::clamp_min(x.max(), 0) - low) / 255;
    // An all-zero input has no range: it quantises to zeros (ONNX leaves it to a division by 0).
    const torch::Tensor divisor = torch::where(scale > 0, scale, torch::ones_like(scale));
    const torch::Tensor zero_point = torch::clamp(torch::round(-low / divisor), 0, 255);  // round: half to even
    const torch::Tensor y = torch::clamp(torch::round(x / divisor) + zero_point, 0, 255);
    return OnnxTensors{y.to(torch::kUInt8), scale.to(torch::kFloat32), zero_point.to(torch::kUInt8)};
  };
}

OnnxKernel max_pool(const NodeContext& node) {
  require_no_auto_pad(node.attributes, node.where);
  const std::vector<int64_t> kernel = node.attributes.integers("kernel_shape");
  const std::vector<int64_t> strides = node.attributes.integers("strides", {1, 1});
  const std::vector<int64_t> dilations = node.attributes.integers("dilations", {1, 1});
  const bool ceil_mode = node.attributes.integer("ceil_mode", 0) != 0;
  if (kernel.size() != 2 || strides.size() != 2 || dilations.size() != 2) refuse_onnx(node.where, "only 2-D pooling is supported");
  if (node.outputs != 1) refuse_onnx(node.where, "pooling indices are not supported");
  Padding padding = split_padding(node.attributes.integers("pads", {0, 0, 0, 0}), node.where);
  if (padding.extra.empty() && (padding.symmetric[0] > kernel[0] / 2 || padding.symmetric[1] > kernel[1] / 2)) {
    // LibTorch pads a window by at most half its size itself; more is added beforehand.
    padding = {{0, 0}, {padding.symmetric[1], padding.symmetric[1], padding.symmetric[0], padding.symmetric[0]}};
  }
  return [=](const OnnxTensors& in) {
    // LibTorch pools floats only; integers (8-bit images) are exact as floats.
    const torch::Tensor& input = in.at(0);
    torch::Tensor x = input.is_floating_point() ? input : input.to(torch::kFloat32);
    if (!padding.extra.empty()) x = torch::constant_pad_nd(x, padding.extra, -std::numeric_limits<double>::infinity());
    return OnnxTensors{torch::max_pool2d(x, kernel, strides, padding.symmetric, dilations, ceil_mode).to(input.scalar_type())};
  };
}

OnnxKernel sigmoid(const NodeContext&) {
  return [](const OnnxTensors& in) { return OnnxTensors{torch::sigmoid(in.at(0))}; };
}

OnnxKernel identity(const NodeContext&) {
  return [](const OnnxTensors& in) { return OnnxTensors{in.at(0)}; };
}

OnnxKernel add(const NodeContext&) {
  return binary([](const torch::Tensor& a, const torch::Tensor& b) { return a + b; });
}

OnnxKernel subtract(const NodeContext&) {
  return binary([](const torch::Tensor& a, const torch::Tensor& b) { return a - b; });
}

OnnxKernel multiply(const NodeContext&) {
  return binary([](const torch::Tensor& a, const torch::Tensor& b) { return a * b; });
}

OnnxKernel divide(const NodeContext&) {
  // ONNX divides integers with truncation (shape arithmetic), LibTorch's `/` never does.
  return binary([](const torch::Tensor& a, const torch::Tensor& b) {
    return a.is_floating_point() || b.is_floating_point() ? a / b : torch::div(a, b, "trunc");
  });
}

OnnxKernel concat(const NodeContext& node) {
  return [axis = node.attributes.integer("axis", 0)](const OnnxTensors& in) { return OnnxTensors{torch::cat(in, axis)}; };
}

OnnxKernel split(const NodeContext& node) {
  const int64_t axis = node.attributes.integer("axis", 0);
  const std::vector<int64_t> split_attribute = node.attributes.integers("split");  // before opset 13; an input since
  const auto parts = static_cast<int64_t>(node.outputs);
  if (parts == 0) throw Error(ErrorKind::corrupt_data, node.where + ": a Split without outputs");
  return [=](const OnnxTensors& in) {
    const torch::Tensor& x = in.at(0);
    const torch::Tensor split_input = optional_input(in, 1);
    const std::vector<int64_t> sizes = split_input.defined() ? values_of(split_input) : split_attribute;
    if (!sizes.empty()) {
      const std::vector<torch::Tensor> pieces = torch::split_with_sizes(x, sizes, axis);
      return OnnxTensors(pieces.begin(), pieces.end());
    }
    // Equal parts; since opset 18 the last may be smaller.
    const int64_t length = x.size(axis);
    const std::vector<torch::Tensor> pieces = torch::split(x, std::max<int64_t>(1, (length + parts - 1) / parts), axis);
    return OnnxTensors(pieces.begin(), pieces.end());
  };
}

OnnxKernel slice(const NodeContext& node) {
  if (node.opset < 10) refuse_onnx(node.where, "Slice before opset 10 is not supported");
  return [where = node.where](const OnnxTensors& in) {
    torch::Tensor x = in.at(0);
    const std::vector<int64_t> starts = values_of(in.at(1));
    const std::vector<int64_t> ends = values_of(in.at(2));
    std::vector<int64_t> axes(starts.size());
    std::iota(axes.begin(), axes.end(), 0);
    if (const torch::Tensor axes_input = optional_input(in, 3); axes_input.defined()) axes = values_of(axes_input);
    const torch::Tensor steps_input = optional_input(in, 4);
    const std::vector<int64_t> steps = steps_input.defined() ? values_of(steps_input) : std::vector<int64_t>(starts.size(), 1);
    for (size_t i = 0; i < starts.size(); ++i) {
      if (steps.at(i) <= 0) refuse_onnx(where, "Slice with a step under 1 is not supported");
      const int64_t axis = normal_axis(axes.at(i), x.dim());
      const int64_t size = x.size(axis);
      const auto clamp = [size](int64_t index) { return std::clamp<int64_t>(index < 0 ? index + size : index, 0, size); };
      const int64_t start = clamp(starts[i]);
      x = x.slice(axis, start, std::max(start, clamp(ends.at(i))), steps[i]);
    }
    return OnnxTensors{x};
  };
}

OnnxKernel reshape(const NodeContext& node) {
  return [allow_zero = node.attributes.integer("allowzero", 0) != 0](const OnnxTensors& in) {
    std::vector<int64_t> shape = values_of(in.at(1));
    for (size_t i = 0; i < shape.size(); ++i) {
      if (shape[i] == 0 && !allow_zero) shape[i] = in.at(0).size(static_cast<int64_t>(i));  // 0 keeps that dimension
    }
    return OnnxTensors{in.at(0).reshape(shape)};
  };
}

OnnxKernel transpose(const NodeContext& node) {
  return [perm = node.attributes.integers("perm")](const OnnxTensors& in) {
    std::vector<int64_t> order = perm;
    if (order.empty()) {
      order.resize(static_cast<size_t>(in.at(0).dim()));
      std::iota(order.rbegin(), order.rend(), 0);  // no perm: reverse the axes
    }
    return OnnxTensors{in.at(0).permute(order)};
  };
}

OnnxKernel softmax(const NodeContext& node) {
  const int64_t opset = node.opset;
  const int64_t axis = node.attributes.integer("axis", opset < 13 ? 1 : -1);
  return [=, where = node.where](const OnnxTensors& in) {
    const torch::Tensor& x = in.at(0);
    const int64_t from = axis_of(axis, x, where);
    if (opset >= 13) return OnnxTensors{torch::softmax(x, from)};
    // Before opset 13 the input is seen as 2-D: the axes before `axis`, and those from it on.
    const std::vector<int64_t> sizes = x.sizes().vec();
    const int64_t outer = std::accumulate(sizes.begin(), sizes.begin() + from, int64_t{1}, std::multiplies<>());
    return OnnxTensors{torch::softmax(x.reshape({outer, -1}), 1).reshape(sizes)};
  };
}

OnnxKernel resize(const NodeContext& node, bool upsample) {
  const Attributes& attributes = node.attributes;
  const std::string& where = node.where;
  const int64_t opset = node.opset;
  const std::string mode = attributes.text("mode", "nearest");
  const std::string transform = attributes.text("coordinate_transformation_mode", opset < 11 ? "asymmetric" : "half_pixel");
  const std::string rounding = attributes.text("nearest_mode", opset < 11 ? "floor" : "round_prefer_floor");
  if (mode != "nearest" || transform != "asymmetric" || rounding != "floor") {
    refuse_onnx(where, "Resize " + mode + "/" + transform + "/" + rounding +
                      " is not supported (YOLOv8 exports use nearest/asymmetric/floor)");
  }
  // Since opset 18: a subset of axes, or sizes that keep the aspect ratio.
  if (attributes.find("axes") != nullptr) refuse_onnx(where, "Resize over a subset of axes is not supported");
  if (attributes.text("keep_aspect_ratio_policy", "stretch") != "stretch") refuse_onnx(where, "Resize keeping the aspect ratio is not supported");
  // Upsample-7 has its scales as an attribute; Upsample-9 and Resize-10 as the second input,
  // Resize-11 on as the third, or the output sizes as the fourth.
  const std::vector<double> scales_attribute = attributes.reals("scales");
  const size_t scales_input = upsample || opset < 11 ? 1 : 2;
  return [=](const OnnxTensors& in) {
    const torch::Tensor& x = in.at(0);
    if (x.dim() != 4) refuse_onnx(where, "only images (4-D tensors) are resized");
    if (const torch::Tensor sizes_input = optional_input(in, 3); sizes_input.defined() && sizes_input.numel() == 4) {
      const std::vector<int64_t> sizes = values_of(sizes_input);
      if (sizes[0] != x.size(0) || sizes[1] != x.size(1)) refuse_onnx(where, "only height and width are resized");
      return OnnxTensors{torch::upsample_nearest2d(x, {sizes[2], sizes[3]})};
    }
    const torch::Tensor scales_tensor = optional_input(in, scales_input);
    const std::vector<double> scales = scales_tensor.defined() ? values_of<double>(scales_tensor) : scales_attribute;
    if (scales.size() != 4 || scales[0] != 1 || scales[1] != 1) refuse_onnx(where, "only height and width are resized");
    const std::vector<int64_t> size{static_cast<int64_t>(std::floor(static_cast<double>(x.size(2)) * scales[2])),
                                    static_cast<int64_t>(std::floor(static_cast<double>(x.size(3)) * scales[3]))};
    // The scales themselves map output to input pixels (asymmetric), not the ratio of the sizes.
    return OnnxTensors{torch::upsample_nearest2d(x, size, scales[2], scales[3])};
  };
}

OnnxKernel shape(const NodeContext& node) {
  const int64_t start = node.attributes.integer("start", 0);
  const auto* end_attribute = node.attributes.find("end");
  const std::optional<int64_t> end = end_attribute ? std::optional(end_attribute->i()) : std::nullopt;
  return [=](const OnnxTensors& in) {
    const std::vector<int64_t> sizes = in.at(0).sizes().vec();
    const auto rank = static_cast<int64_t>(sizes.size());
    const int64_t first = std::clamp<int64_t>(normal_axis(start, rank), 0, rank);
    const int64_t last = std::clamp<int64_t>(end ? normal_axis(*end, rank) : rank, first, rank);
    return OnnxTensors{torch::tensor(std::vector<int64_t>(sizes.begin() + first, sizes.begin() + last), torch::kInt64)};
  };
}

OnnxKernel gather(const NodeContext& node) {
  return [axis_attribute = node.attributes.integer("axis", 0), where = node.where](const OnnxTensors& in) {
    const torch::Tensor& data = in.at(0);
    const int64_t axis = axis_of(axis_attribute, data, where);
    torch::Tensor indices = in.at(1).to(data.device(), torch::kInt64);
    indices = torch::where(indices < 0, indices + data.size(axis), indices);
    if (indices.dim() == 0) return OnnxTensors{data.select(axis, indices.item<int64_t>())};
    std::vector<int64_t> shape(data.sizes().begin(), data.sizes().begin() + axis);
    shape.insert(shape.end(), indices.sizes().begin(), indices.sizes().end());
    shape.insert(shape.end(), data.sizes().begin() + axis + 1, data.sizes().end());
    return OnnxTensors{data.index_select(axis, indices.view({-1})).reshape(shape)};
  };
}

OnnxKernel unsqueeze(const NodeContext& node) {
  // The axes: an attribute before opset 13, an input since.
  return [axes_attribute = node.attributes.integers("axes")](const OnnxTensors& in) {
    const torch::Tensor axes_input = optional_input(in, 1);
    std::vector<int64_t> axes = axes_input.defined() ? values_of(axes_input) : axes_attribute;
    const auto rank = in.at(0).dim() + static_cast<int64_t>(axes.size());
    for (int64_t& axis : axes) axis = normal_axis(axis, rank);
    std::sort(axes.begin(), axes.end());
    torch::Tensor x = in.at(0);
    for (const int64_t axis : axes) x = x.unsqueeze(axis);
    return OnnxTensors{x};
  };
}

OnnxKernel expand(const NodeContext&) {
  return [](const OnnxTensors& in) {
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
    return OnnxTensors{x.expand(shape)};
  };
}

OnnxKernel cast(const NodeContext& node) {
  const int64_t to = node.attributes.integer("to", onnx::TensorProto::FLOAT);
  const std::optional<torch::ScalarType> type = onnx_scalar_type(to);
  if (!type) refuse_onnx(node.where, "Cast to data type " + onnx::TensorProto::DataType_Name(static_cast<int>(to)) + " is not supported");
  return [type = *type, device = node.device](const OnnxTensors& in) { return OnnxTensors{onnx_value_on(in.at(0).to(type), device)}; };
}

OnnxKernel constant_of_shape(const NodeContext& node) {
  torch::Tensor fill = torch::zeros({1}, torch::kFloat32);
  if (const auto* value = node.attributes.find("value")) fill = tensor_from_onnx(value->t(), node.where);
  if (fill.numel() != 1) refuse_onnx(node.where, "a ConstantOfShape value that is not one element");
  return [value = fill.item(), options = fill.options(), device = node.device](const OnnxTensors& in) {
    return OnnxTensors{onnx_value_on(torch::full(values_of(in.at(0)), value, options), device)};
  };
}

OnnxKernel range_sequence(const NodeContext& node) {
  return [where = node.where, device = node.device](const OnnxTensors& in) {
    const torch::ScalarType type = in.at(0).scalar_type();
    const double start = values_of<double>(in.at(0)).at(0);
    const double limit = values_of<double>(in.at(1)).at(0);
    const double delta = values_of<double>(in.at(2)).at(0);
    // ONNX: max(ceil((limit - start) / delta), 0) values start + i * delta.
    const double count = std::max(std::ceil((limit - start) / delta), 0.0);
    if (!std::isfinite(count) || count > static_cast<double>(std::numeric_limits<int32_t>::max())) {
      throw Error(ErrorKind::corrupt_data, where + ": a Range from " + std::to_string(start) + " to " + std::to_string(limit) +
                                               " by " + std::to_string(delta));
    }
    const torch::Tensor steps = torch::arange(static_cast<int64_t>(count), torch::kFloat64);
    return OnnxTensors{onnx_value_on((steps * delta + start).to(type), device)};
  };
}

using KernelFactory = OnnxKernel (*)(const NodeContext&);

const std::map<std::string, KernelFactory, std::less<>>& kernel_factories() {
  static const std::map<std::string, KernelFactory, std::less<>> factories{
      {"Add", add},
      {"Cast", cast},
      {"Concat", concat},
      {"ConstantOfShape", constant_of_shape},
      {"Conv", conv},
      {"ConvInteger", conv_integer},
      {"Div", divide},
      {"DynamicQuantizeLinear", dynamic_quantize_linear},
      {"Expand", expand},
      {"Gather", gather},
      {"Identity", identity},
      {"MatMul", matmul},
      {"MatMulInteger", matmul_integer},
      {"MaxPool", max_pool},
      {"Mul", multiply},
      {"Range", range_sequence},
      {"Reshape", reshape},
      {"Resize", [](const NodeContext& node) { return resize(node, false); }},
      {"Shape", shape},
      {"Sigmoid", sigmoid},
      {"Slice", slice},
      {"Softmax", softmax},
      {"Split", split},
      {"Sub", subtract},
      {"Transpose", transpose},
      {"Unsqueeze", unsqueeze},
      {"Upsample", [](const NodeContext& node) { return resize(node, true); }},
  };
  return factories;
}

}  // namespace

void refuse_onnx(const std::string& where, const std::string& what) {
  throw Error(ErrorKind::unsupported, where + ": " + what);
}

OnnxKernel make_onnx_kernel(const onnx::NodeProto& node, int64_t opset, torch::Device device, const std::string& where) {
  const std::string& op = node.op_type();
  const bool default_domain = onnx_default_domain(node.domain());
  const auto factory = kernel_factories().find(op);
  if (!default_domain || factory == kernel_factories().end()) {
    std::string known;
    for (const std::string& name : onnx_operators()) known += (known.empty() ? "" : ", ") + name;
    refuse_onnx(where, "operator " + (default_domain ? "" : node.domain() + ".") + op + " is not one this backend runs (it runs " +
                      known + ")");
  }
  const Attributes attributes(node);
  return factory->second(NodeContext{attributes, opset, static_cast<size_t>(node.output_size()), where, device});
}

std::vector<std::string> onnx_operators() {
  std::vector<std::string> names{"Constant"};  // a value, read when the file is
  for (const auto& [name, factory] : kernel_factories()) names.push_back(name);
  std::sort(names.begin(), names.end());
  return names;
}

torch::Tensor onnx_value_on(torch::Tensor value, torch::Device device) {
  const torch::ScalarType type = value.scalar_type();
  const bool shape_arithmetic = type == torch::kInt64 || type == torch::kInt32 || type == torch::kBool;
  return value.to(shape_arithmetic ? torch::Device(torch::kCPU) : device);
}

std::optional<torch::ScalarType> onnx_scalar_type(int64_t onnx_type) {
  switch (onnx_type) {
    case onnx::TensorProto::FLOAT: return torch::kFloat32;
    case onnx::TensorProto::DOUBLE: return torch::kFloat64;
    case onnx::TensorProto::INT64: return torch::kInt64;
    case onnx::TensorProto::INT32: return torch::kInt32;
    case onnx::TensorProto::UINT8: return torch::kUInt8;
    case onnx::TensorProto::INT8: return torch::kInt8;
    case onnx::TensorProto::BOOL: return torch::kBool;
    default: return std::nullopt;
  }
}

torch::Tensor tensor_from_onnx(const onnx::TensorProto& proto, const std::string& where) {
  const std::vector<int64_t> dims(proto.dims().begin(), proto.dims().end());
  if (proto.data_type() == onnx::TensorProto::FLOAT16) {
    refuse_onnx(where, "half-precision weights (an export with half=True); export in full precision");
  }
  const std::optional<torch::ScalarType> known_type = onnx_scalar_type(proto.data_type());
  if (!known_type) {
    refuse_onnx(where, "tensor data type " + onnx::TensorProto::DataType_Name(proto.data_type()) + " is not one this backend reads");
  }
  const torch::ScalarType type = *known_type;
  if (proto.data_location() == onnx::TensorProto::EXTERNAL) refuse_onnx(where, "weights kept in an external file");
  // The size the dimensions give is checked against the data before anything is allocated.
  const auto element_size = static_cast<int64_t>(c10::elementSize(type));
  int64_t count = 1;
  for (const int64_t dim : dims) {
    if (dim < 0 || (dim > 0 && count > std::numeric_limits<int64_t>::max() / element_size / dim)) {
      throw Error(ErrorKind::corrupt_data, where + ": impossible dimensions " + c10::str(c10::IntArrayRef(dims)));
    }
    count *= dim;
  }
  const auto copied = [&](const void* data, size_t size) {
    if (size != static_cast<size_t>(count * element_size)) {
      throw Error(ErrorKind::corrupt_data, where + ": " + std::to_string(size) + " bytes of data for a tensor of " +
                                               std::to_string(count * element_size));
    }
    torch::Tensor tensor = torch::empty(dims, type);
    if (size > 0) std::memcpy(tensor.data_ptr(), data, size);  // ONNX stores little-endian, as the host is
    return tensor;
  };
  if (!proto.raw_data().empty() || count == 0) return copied(proto.raw_data().data(), proto.raw_data().size());
  if (type == torch::kFloat32) return copied(proto.float_data().data(), static_cast<size_t>(proto.float_data_size()) * sizeof(float));
  if (type == torch::kFloat64) {
    return copied(proto.double_data().data(), static_cast<size_t>(proto.double_data_size()) * sizeof(double));
  }
  if (type == torch::kInt64) return copied(proto.int64_data().data(), static_cast<size_t>(proto.int64_data_size()) * sizeof(int64_t));
  const auto values = static_cast<size_t>(proto.int32_data_size());
  if (type == torch::kInt32) return copied(proto.int32_data().data(), values * sizeof(int32_t));
  // bool, uint8, int8: one int32 per value
  if (values != static_cast<size_t>(count)) {
    throw Error(ErrorKind::corrupt_data, where + ": " + std::to_string(values) + " values for a tensor of " + std::to_string(count));
  }
  const torch::Tensor widened = torch::tensor(std::vector<int32_t>(proto.int32_data().begin(), proto.int32_data().end()), torch::kInt32);
  return (type == torch::kBool ? widened.ne(0) : widened.to(type)).reshape(dims);
}

torch::Tensor onnx_constant_value(const onnx::NodeProto& node, const std::string& where) {
  const Attributes attributes(node);
  if (const auto* value = attributes.find("value")) return tensor_from_onnx(value->t(), where);
  if (const auto* value = attributes.find("value_float")) return torch::tensor(value->f(), torch::kFloat32);
  if (const auto* value = attributes.find("value_int")) return torch::tensor(value->i(), torch::kInt64);
  if (const auto* value = attributes.find("value_floats")) {
    return torch::tensor(std::vector<float>(value->floats().begin(), value->floats().end()), torch::kFloat32);
  }
  if (const auto* value = attributes.find("value_ints")) {
    return torch::tensor(std::vector<int64_t>(value->ints().begin(), value->ints().end()), torch::kInt64);
  }
  refuse_onnx(where, "a Constant without a value this backend reads");
}

}  // namespace sn44::inference
