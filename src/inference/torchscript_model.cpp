#include "inference/torchscript_model.h"

#include <c10/core/InferenceMode.h>
#include <torch/cuda.h>
#include <torch/script.h>

#include "core/error.h"
#include "inference/libtorch_runtime.h"
#include "inference/model_metadata.h"

namespace sn44::inference {
namespace {

class TorchScriptModel final : public Model {
 public:
  TorchScriptModel(torch::jit::Module module, torch::Device device, ModelInfo info)
      : module_(std::move(module)), device_(device), info_(std::move(info)) {}

  const ModelInfo& info() const override { return info_; }

  ModelOutput forward(std::span<const float> input, int batch, InputSize size) override {
    c10::InferenceMode inference_mode;
    const torch::Tensor tensor = input_tensor(input, batch, size, info_, device_);
    torch::IValue result;
    try {
      result = module_.forward({tensor});
    } catch (const c10::Error& error) {
      throw Error(ErrorKind::unsupported, "model '" + info_.path.string() + "' failed on input " + shape_text(tensor) + ": " +
                                              error.what_without_backtrace());
    }
    // Exports in training form return (predictions, feature maps): the predictions come first.
    if (result.isTuple()) result = result.toTuple()->elements().at(0);
    if (result.isList()) result = result.toListRef().at(0);
    if (!result.isTensor()) {
      throw Error(ErrorKind::unsupported, "model '" + info_.path.string() + "' does not return a tensor");
    }
    return model_output(result.toTensor(), batch, info_);
  }

 private:
  torch::jit::Module module_;
  torch::Device device_;
  ModelInfo info_;
};

}  // namespace

bool cuda_available() { return torch::cuda::is_available(); }

std::unique_ptr<Model> load_torchscript_model(const std::filesystem::path& path, const ModelOptions& options) {
  const torch::Device device = parse_device(options.device);
  configure_runtime(options.threads);
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
