#include "inference/model.h"

#include "core/error.h"
#include "inference/torchscript_model.h"

namespace sn44::inference {

std::unique_ptr<Model> load_model(const std::filesystem::path& path, const ModelOptions& options) {
  std::error_code error;
  if (!std::filesystem::exists(path, error)) throw Error(ErrorKind::not_found, "model '" + path.string() + "': no such file");
  if (!std::filesystem::is_regular_file(path, error)) {
    throw Error(ErrorKind::not_found, "model '" + path.string() + "': not a file (a folder or a device)");
  }
  if (path.extension() == ".onnx") {
    throw Error(ErrorKind::unsupported,
                "model '" + path.string() +
                    "': ONNX models are not supported (Debian's OpenCV 4.6 cannot import YOLOv8 ONNX exports); export "
                    "TorchScript instead: yolo export model=best.pt format=torchscript");
  }
  return load_torchscript_model(path, options);
}

}  // namespace sn44::inference
