#pragma once
// The ONNX backend: files as written by `yolo export format=onnx`, read with the ONNX library and
// run operator by operator with LibTorch (CPU, or CUDA where LibTorch has it). It runs the
// operators YOLOv8 exports use, float or int8 (dynamically quantised), in the opsets ultralytics
// writes (11 to 20); a file with another operator is refused, naming it.

#include <filesystem>
#include <memory>

#include "inference/model.h"

namespace sn44::inference {

// Throws Error: corrupt_data (not an ONNX file), unsupported (an operator, data type or input
// this backend does not run, naming it; an unknown input size).
std::unique_ptr<Model> load_onnx_model(const std::filesystem::path& path, const ModelOptions& options);

}  // namespace sn44::inference
