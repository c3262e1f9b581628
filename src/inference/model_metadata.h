#pragma once
// Reading the metadata ultralytics embeds in its exports (the JSON `config.txt` of a TorchScript
// file, the string properties of an ONNX file): task, input size, stride, class names, keypoint shape.

#include <filesystem>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "inference/model.h"

namespace sn44::inference {

// `json_text` is the metadata (empty when the file has none). A file without an input size gets
// options.fallback_input_size (square); without a task, `detect`. Throws Error(unsupported) when the
// input size is unknown or the metadata is malformed.
ModelInfo parse_model_metadata(std::string_view json_text, const std::filesystem::path& path, const ModelOptions& options);

// ultralytics' ONNX exports keep the same metadata as string properties, each value the Python
// text of the value ("32", "[736, 1280]", "detect", "{0: 'ball', 1: 'goalkeeper'}"): the JSON
// parse_model_metadata reads. Throws Error(unsupported) for names that are not such a mapping.
std::string onnx_metadata_as_json(const std::vector<std::pair<std::string, std::string>>& properties,
                                  const std::filesystem::path& path);

// The number of anchors YOLOv8 produces for an input size: one per cell at strides 8, 16 and 32.
int yolo_anchor_count(int input_width, int input_height);

}  // namespace sn44::inference
