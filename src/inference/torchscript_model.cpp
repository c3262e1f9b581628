#include "inference/torchscript_model.h"

#include <ATen/Parallel.h>
#include <c10/core/InferenceMode.h>
#include <nlohmann/json.hpp>
#include <torch/cuda.h>
#include <torch/script.h>

#include <mutex>
#include <thread>

#include "core/error.h"
#include "inference/model_metadata.h"

namespace sn44::inference {
namespace {

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

// Intra-op threads are a process-wide LibTorch setting; the first model loaded decides them.
void configure_threads(int threads) {
  static std::once_flag once;
  std::call_once(once, [threads] {
    const int count = threads > 0 ? threads : static_cast<int>(std::max(1u, std::thread::hardware_concurrency()));
    at::set_num_threads(count);
  });
}

class TorchScriptModel final : public Model {
 public:
  TorchScriptModel(torch::jit::Module module, torch::Device device, ModelInfo info)
      : module_(std::move(module)), device_(device), info_(std::move(info)) {}

  const ModelInfo& info() const override { return info_; }

  ModelOutput forward(std::span<const float> input, int batch) override {
    const size_t image_size = 3 * static_cast<size_t>(info_.input_height) * static_cast<size_t>(info_.input_width);
    if (batch <= 0 || input.size() != image_size * static_cast<size_t>(batch)) {
      throw Error(ErrorKind::internal, "model input holds " + std::to_string(input.size()) + " values, not " +
                                           std::to_string(batch) + " images of " + std::to_string(image_size));
    }
    c10::InferenceMode inference_mode;
    // from_blob borrows the caller's buffer: no copy on the CPU.
    torch::Tensor tensor = torch::from_blob(const_cast<float*>(input.data()),
                                            {batch, 3, info_.input_height, info_.input_width}, torch::kFloat32);
    if (device_ != torch::kCPU) tensor = tensor.to(device_, /*non_blocking=*/false);
    torch::IValue result;
    try {
      result = module_.forward({tensor});
    } catch (const c10::Error& error) {
      throw Error(ErrorKind::unsupported, "model '" + info_.path.string() + "' failed on input [" + std::to_string(batch) +
                                              ", 3, " + std::to_string(info_.input_height) + ", " +
                                              std::to_string(info_.input_width) + "]: " + error.what_without_backtrace());
    }
    // Exports in training form return (predictions, feature maps): the predictions come first.
    if (result.isTuple()) result = result.toTuple()->elements().at(0);
    if (result.isList()) result = result.toListRef().at(0);
    if (!result.isTensor()) {
      throw Error(ErrorKind::unsupported, "model '" + info_.path.string() + "' does not return a tensor");
    }
    torch::Tensor output = result.toTensor();
    if (output.dim() != 3 || output.size(0) != batch) {
      throw Error(ErrorKind::unsupported, "model '" + info_.path.string() + "' returns a tensor of shape " +
                                              shape_text(output) + "; expected [batch, channels, anchors]");
    }
    output = output.to(torch::kCPU, torch::kFloat32).contiguous();
    ModelOutput out;
    out.batch = batch;
    out.channels = static_cast<int>(output.size(1));
    out.anchors = static_cast<int>(output.size(2));
    const float* data = output.data_ptr<float>();
    out.values.assign(data, data + output.numel());
    return out;
  }

 private:
  static std::string shape_text(const torch::Tensor& tensor) {
    std::string text = "[";
    for (int64_t d = 0; d < tensor.dim(); ++d) text += (d ? ", " : "") + std::to_string(tensor.size(d));
    return text + "]";
  }

  torch::jit::Module module_;
  torch::Device device_;
  ModelInfo info_;
};

}  // namespace

bool cuda_available() { return torch::cuda::is_available(); }

std::unique_ptr<Model> load_torchscript_model(const std::filesystem::path& path, const ModelOptions& options) {
  const torch::Device device = parse_device(options.device);
  configure_threads(options.threads);
  torch::jit::ExtraFilesMap extra_files{{"config.txt", ""}};
  torch::jit::Module module;
  try {
    module = torch::jit::load(path.string(), device, extra_files);
  } catch (const c10::Error& error) {
    throw Error(ErrorKind::corrupt_data, "model '" + path.string() + "' is not a TorchScript file LibTorch can load: " +
                                             error.what_without_backtrace());
  }
  module.eval();
  ModelInfo info = parse_model_metadata(extra_files["config.txt"], path, options);
  info.device = options.device;
  return std::make_unique<TorchScriptModel>(std::move(module), device, std::move(info));
}

}  // namespace sn44::inference
