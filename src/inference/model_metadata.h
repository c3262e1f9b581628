#pragma once
// Reading the metadata ultralytics embeds in its exports (the JSON `config.txt` of a TorchScript
// file): task, input size, stride, class names, keypoint shape.

#include <filesystem>
#include <string_view>

#include "inference/model.h"

namespace sn44::inference {

// `json_text` is the metadata (empty when the file has none). A file without an input size gets
// options.fallback_input_size (square); without a task, `detect`. Throws Error(unsupported) when the
// input size is unknown or the metadata is malformed.
ModelInfo parse_model_metadata(std::string_view json_text, const std::filesystem::path& path, const ModelOptions& options);

// The number of anchors YOLOv8 produces for an input size: one per cell at strides 8, 16 and 32.
int yolo_anchor_count(int input_width, int input_height);

}  // namespace sn44::inference
