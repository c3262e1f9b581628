#pragma once
// The TorchScript backend: files as written by `yolo export format=torchscript`, run by LibTorch.
// LibTorch headers stay in the backends' sources (they are slow to compile).

#include <filesystem>
#include <memory>

#include "inference/model.h"

namespace sn44::inference {

std::unique_ptr<Model> load_torchscript_model(const std::filesystem::path& path, const ModelOptions& options);

// Whether this build's LibTorch can run on a CUDA GPU here.
bool cuda_available();

}  // namespace sn44::inference
