#pragma once
// What the LibTorch backends (TorchScript, ONNX) share: the device and thread settings, and the
// conversion of the engine's input and output to and from tensors. Included by backend sources
// only: LibTorch headers are slow to compile.

#include <torch/torch.h>

#include <span>
#include <string>

#include "inference/model.h"

namespace sn44::inference {

// "cpu", "cuda" or "cuda:N". Throws Error: unsupported (no usable CUDA), invalid_argument.
torch::Device parse_device(const std::string& name);

// A model LibTorch runs as one module on tensors of its device: what the batched device path
// (inference/device_batch.h) feeds directly, without the engine's float buffers.
class TensorModel : public Model {
 public:
  virtual torch::Device device() const = 0;
  // The dtype the model computes in (float32, or float16 with half_precision).
  virtual torch::ScalarType dtype() const = 0;
  // `input`: [batch, 3, height, width] of dtype() on device(), at a size forward() accepts. Returns
  // the raw [batch, channels, anchors] output, on the device. Throws Error(unsupported) when the
  // module fails or returns no tensor.
  virtual torch::Tensor forward_tensor(const torch::Tensor& input) = 0;
};

// Process-wide LibTorch settings, made by the first model loaded: the intra-op threads (0: one per
// core) and, under AddressSanitizer, the pool of CPU tensor memory (inference/tensor_memory_pool.h).
void configure_runtime(int threads);

// `batch` letterboxed images of `size` as a [batch, 3, height, width] tensor on `device` (on the
// CPU, the caller's buffer itself). Throws Error: invalid_argument for a size the model cannot take
// (another than its own, unless any_input_size, or not a multiple of its stride), internal when
// the input does not hold that many images.
torch::Tensor input_tensor(std::span<const float> input, int batch, InputSize size, const ModelInfo& info, torch::Device device);

// The same check for an input tensor made elsewhere (on the device).
void check_input_size(InputSize size, const ModelInfo& info);

// The model's [batch, channels, anchors] output copied to the CPU as float32. Throws
// Error(unsupported) for another shape.
ModelOutput model_output(const torch::Tensor& output, int batch, const ModelInfo& info);

std::string shape_text(const torch::Tensor& tensor);

}  // namespace sn44::inference
