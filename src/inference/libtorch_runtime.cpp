#include "inference/libtorch_runtime.h"

#include <ATen/Parallel.h>
#include <torch/cuda.h>

#include <algorithm>
#include <mutex>
#include <thread>

#include "core/error.h"
#include "inference/tensor_memory_pool.h"

namespace sn44::inference {

torch::Device parse_device(const std::string& name) {
  if (name == "cpu") return torch::kCPU;
  if (name == "cuda" || name.starts_with("cuda:")) {
    if (!torch::cuda::is_available()) {
      throw Error(ErrorKind::unsupported, "DEVICE=" + name +
                                              " but no CUDA GPU is usable (this LibTorch build has no CUDA support, or no "
                                              "GPU/driver was found); use DEVICE=cpu");
    }
    try {
      return torch::Device(name);
    } catch (const c10::Error&) {
      throw Error(ErrorKind::invalid_argument, "DEVICE=" + name + " is not a valid device (use cpu, cuda or cuda:N)");
    }
  }
  throw Error(ErrorKind::invalid_argument, "DEVICE=" + name + " is not a valid device (use cpu, cuda or cuda:N)");
}

void configure_runtime(int threads) {
  static std::once_flag once;
  std::call_once(once, [threads] {
    const int count = threads > 0 ? threads : static_cast<int>(std::max(1u, std::thread::hardware_concurrency()));
    at::set_num_threads(count);
    pool_tensor_memory_under_address_sanitizer();
  });
}

void check_input_size(InputSize size, const ModelInfo& info) {
  const bool own_size = size == InputSize{info.input_width, info.input_height};
  const bool stride_multiple = size.width > 0 && size.height > 0 && size.width % info.stride == 0 && size.height % info.stride == 0;
  if (!(own_size || (info.any_input_size && stride_multiple))) {
    throw Error(ErrorKind::invalid_argument, "model '" + info.path.string() + "' cannot take a " + std::to_string(size.width) + "x" +
                                                 std::to_string(size.height) + " input; it takes " +
                                                 (info.any_input_size ? "multiples of " + std::to_string(info.stride)
                                                                      : std::to_string(info.input_width) + "x" + std::to_string(info.input_height)));
  }
}

torch::Tensor input_tensor(std::span<const float> input, int batch, InputSize size, const ModelInfo& info, torch::Device device) {
  check_input_size(size, info);
  const size_t image_size = 3 * static_cast<size_t>(size.height) * static_cast<size_t>(size.width);
  if (batch <= 0 || input.size() != image_size * static_cast<size_t>(batch)) {
    throw Error(ErrorKind::internal, "model input holds " + std::to_string(input.size()) + " values, not " +
                                         std::to_string(batch) + " images of " + std::to_string(image_size));
  }
  // from_blob borrows the caller's buffer: no copy on the CPU.
  torch::Tensor tensor =
      torch::from_blob(const_cast<float*>(input.data()), {batch, 3, size.height, size.width}, torch::kFloat32);
  return device == torch::kCPU ? tensor : tensor.to(device, /*non_blocking=*/false);
}

ModelOutput model_output(const torch::Tensor& output, int batch, const ModelInfo& info) {
  if (output.dim() != 3 || output.size(0) != batch) {
    throw Error(ErrorKind::unsupported, "model '" + info.path.string() + "' returns a tensor of shape " + shape_text(output) +
                                            "; expected [batch, channels, anchors]");
  }
  const torch::Tensor values = output.to(torch::kCPU, torch::kFloat32).contiguous();
  ModelOutput out;
  out.batch = batch;
  out.channels = static_cast<int>(values.size(1));
  out.anchors = static_cast<int>(values.size(2));
  const float* data = values.data_ptr<float>();
  out.values.assign(data, data + values.numel());
  return out;
}

std::string shape_text(const torch::Tensor& tensor) {
  std::string text = "[";
  for (int64_t d = 0; d < tensor.dim(); ++d) text += (d ? ", " : "") + std::to_string(tensor.size(d));
  return text + "]";
}

}  // namespace sn44::inference
