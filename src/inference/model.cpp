#include "inference/model.h"

#include "core/error.h"
#include "inference/onnx_model.h"
#include "inference/torchscript_model.h"

namespace sn44::inference {

std::unique_ptr<Model> load_model(const std::filesystem::path& path, const ModelOptions& options) {
  std::error_code error;
  if (!std::filesystem::exists(path, error)) throw Error(ErrorKind::not_found, "model '" + path.string() + "': no such file");
  if (!std::filesystem::is_regular_file(path, error)) {
    throw Error(ErrorKind::not_found, "model '" + path.string() + "': not a file (a folder or a device)");
  }
  if (path.extension() == ".onnx") return load_onnx_model(path, options);
  return load_torchscript_model(path, options);
}

}  // namespace sn44::inference
