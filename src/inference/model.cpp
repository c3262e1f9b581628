#include "inference/model.h"

#include "core/error.h"
#include "inference/torchscript_model.h"
#if SN44_WITH_ONNX
#include "inference/onnx_model.h"
#endif

namespace sn44::inference {

std::unique_ptr<Model> load_model(const std::filesystem::path& path, const ModelOptions& options) {
  std::error_code error;
  if (!std::filesystem::exists(path, error)) throw Error(ErrorKind::not_found, "model '" + path.string() + "': no such file");
  if (!std::filesystem::is_regular_file(path, error)) {
    throw Error(ErrorKind::not_found, "model '" + path.string() + "': not a file (a folder or a device)");
  }
  if (path.extension() == ".onnx") {
#if SN44_WITH_ONNX
    if (options.half_precision) {
      throw Error(ErrorKind::unsupported, "model '" + path.string() + "': FP16 runs TorchScript files only; use PRECISION=fp32 for ONNX");
    }
    return load_onnx_model(path, options);
#else
    throw Error(ErrorKind::unsupported, "model '" + path.string() + "': this build has no ONNX backend (SN44_ONNX=OFF); use a TorchScript file");
#endif
  }
  return load_torchscript_model(path, options);
}

}  // namespace sn44::inference
