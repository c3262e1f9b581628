#include "inference/torchscript_model.h"

#include <ATen/Context.h>
#include <c10/core/InferenceMode.h>
#include <torch/csrc/jit/ir/constants.h>
#include <torch/csrc/jit/ir/ir.h>
#include <torch/cuda.h>
#include <torch/script.h>

#include <vector>

#include "core/error.h"
#include "inference/libtorch_runtime.h"
#include "inference/model_metadata.h"

namespace sn44::inference {
namespace {

class TorchScriptModel final : public TensorModel {
 public:
  TorchScriptModel(torch::jit::Module module, torch::Device device, torch::ScalarType dtype, ModelInfo info)
      : module_(std::move(module)), device_(device), dtype_(dtype), info_(std::move(info)) {}

  const ModelInfo& info() const override { return info_; }
  torch::Device device() const override { return device_; }
  torch::ScalarType dtype() const override { return dtype_; }

  torch::Tensor forward_tensor(const torch::Tensor& input) override {
    c10::InferenceMode inference_mode;
    torch::IValue result;
    try {
      result = module_.forward({input});
    } catch (const c10::Error& error) {
      throw Error(ErrorKind::unsupported, "model '" + info_.path.string() + "' failed on input " + shape_text(input) + ": " +
                                              error.what_without_backtrace());
    }
    // Exports in training form return (predictions, feature maps): the predictions come first.
    if (result.isTuple()) result = result.toTuple()->elements().at(0);
    if (result.isList()) result = result.toListRef().at(0);
    if (!result.isTensor()) {
      throw Error(ErrorKind::unsupported, "model '" + info_.path.string() + "' does not return a tensor");
    }
    return result.toTensor();
  }

  ModelOutput forward(std::span<const float> input, int batch, InputSize size) override {
    c10::InferenceMode inference_mode;
    const torch::Tensor tensor = input_tensor(input, batch, size, info_, device_).to(dtype_);
    return model_output(forward_tensor(tensor), batch, info_);
  }

 private:
  torch::jit::Module module_;
  torch::Device device_;
  torch::ScalarType dtype_;
  ModelInfo info_;
};

// A file traced on the CPU records the device of the tensors its forward creates (YOLOv8's anchor
// grid) as constants, and fails on a GPU ("Expected all tensors to be on the same device"):
// ultralytics' own answer is to export on the device that runs the model. Here such constants are
// pointed at the device the model was loaded on, so that one exported file runs anywhere.
void retarget_device_constants(torch::jit::Module& module, torch::Device device) {
  for (const torch::jit::Module& submodule : module.modules()) {
    for (const torch::jit::Method& method : submodule.get_methods()) {
      const std::shared_ptr<torch::jit::Graph> graph = method.graph();
      std::vector<torch::jit::Node*> device_constants;
      for (torch::jit::Node* node : graph->nodes()) {
        if (node->kind() == c10::prim::Constant && node->outputs().size() == 1 &&
            node->output()->type()->kind() == c10::TypeKind::DeviceObjType) {
          device_constants.push_back(node);
        }
      }
      for (torch::jit::Node* node : device_constants) {
        const auto value = torch::jit::toIValue(node->output());
        if (!value || value->toDevice() == device) continue;
        const torch::jit::WithInsertPoint insert_before(node);
        node->output()->replaceAllUsesWith(graph->insertConstant(device));
        node->destroy();
      }
    }
  }
}

// On a GPU: FP16 on request, and the weights in channels-last order (NHWC), the layout whose
// convolution kernels use the tensor cores without transposing every activation; cuDNN picks the
// fastest kernel for each shape it meets (the start-up warm-up meets them).
void prepare_for_gpu(torch::jit::Module& module, torch::Device device, bool half_precision) {
  retarget_device_constants(module, device);
  at::globalContext().setBenchmarkCuDNN(true);
  if (half_precision) module.to(torch::kHalf);
  torch::NoGradGuard no_grad;
  for (torch::Tensor parameter : module.parameters()) {
    if (parameter.dim() == 4) parameter.set_data(parameter.contiguous(at::MemoryFormat::ChannelsLast));
  }
}

}  // namespace

bool cuda_available() { return torch::cuda::is_available(); }

std::unique_ptr<Model> load_torchscript_model(const std::filesystem::path& path, const ModelOptions& options) {
  const torch::Device device = parse_device(options.device);
  if (options.half_precision && !device.is_cuda()) {
    throw Error(ErrorKind::invalid_argument, "model '" + path.string() + "': FP16 runs on a CUDA device only (DEVICE=" + options.device + ")");
  }
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
  if (device.is_cuda()) prepare_for_gpu(module, device, options.half_precision);
  ModelInfo info = parse_model_metadata(extra_files["config.txt"], path, options);
  info.device = options.device;
  info.half_precision = options.half_precision;
  return std::make_unique<TorchScriptModel>(std::move(module), device, options.half_precision ? torch::kHalf : torch::kFloat32,
                                            std::move(info));
}

}  // namespace sn44::inference
