#pragma once
// The ONNX operators the ONNX backend runs, each as LibTorch calls, and ONNX tensors read as
// LibTorch tensors. Included by the ONNX backend's sources and tests only.

#include <onnx/onnx_pb.h>
#include <torch/torch.h>

#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <vector>

namespace sn44::inference {

using OnnxTensors = std::vector<torch::Tensor>;
// One node's computation, bound to its attributes when the file is read. An optional input left
// out arrives as an undefined tensor.
using OnnxKernel = std::function<OnnxTensors(const OnnxTensors& inputs)>;

// Throws Error(unsupported) with the message `where`: `what`, for what the backend does not run.
[[noreturn]] void refuse_onnx(const std::string& where, const std::string& what);

// Whether a node or opset domain is ONNX's default one (written "" or "ai.onnx"), the only one
// the backend runs.
inline bool onnx_default_domain(const std::string& domain) { return domain.empty() || domain == "ai.onnx"; }

// The kernel of `node` in the default domain at `opset`; values it makes from shape arithmetic go
// where onnx_value_on puts them.
// Throws Error(unsupported), prefixed with `where`, for an operator, attribute value or opset it
// does not run.
OnnxKernel make_onnx_kernel(const onnx::NodeProto& node, int64_t opset, torch::Device device, const std::string& where);

// The operators make_onnx_kernel runs, in alphabetical order.
std::vector<std::string> onnx_operators();

// A value made by Cast, ConstantOfShape, Range or read from the file, where it lives: integer
// shape arithmetic (int64, int32, bool), whose values kernels read, on the CPU; the rest
// (weights, activations, their quantised forms) on `device`.
torch::Tensor onnx_value_on(torch::Tensor value, torch::Device device);

// The LibTorch type of an ONNX data type the backend runs, if it is one.
std::optional<torch::ScalarType> onnx_scalar_type(int64_t onnx_type);

// An initializer, a Constant's value or a test's input. Throws Error: unsupported (a data type
// the backend does not run, external data), corrupt_data (data of the wrong size).
torch::Tensor tensor_from_onnx(const onnx::TensorProto& proto, const std::string& where);

// A Constant node's value. Throws Error(unsupported) for a form of value it does not read.
torch::Tensor onnx_constant_value(const onnx::NodeProto& node, const std::string& where);

}  // namespace sn44::inference
