#pragma once
// The engine interface: a YOLOv8 model that maps a batch of letterboxed images to its raw output.
// Backends (TorchScript and ONNX files, both run by LibTorch) live behind it; pre- and
// post-processing are backend-independent.

#include <filesystem>
#include <memory>
#include <span>
#include <string>
#include <vector>

namespace sn44::inference {

enum class ModelTask { detect, pose };

// What a model file says about itself (ultralytics writes this metadata into its exports) and what
// loading it established.
struct ModelInfo {
  std::filesystem::path path;
  ModelTask task = ModelTask::detect;
  int input_width = 0;   // the fixed input size the model was exported at
  int input_height = 0;
  int stride = 32;
  std::vector<std::string> class_names;
  int num_keypoints = 0;  // pose models, when the file says
  std::string device;
  std::vector<std::string> notes;  // what the backend found in the file that costs speed or answers
};

struct ModelOptions {
  std::string device = "cpu";   // "cpu", "cuda" or "cuda:<index>"
  int threads = 0;              // CPU threads for the forward pass; 0 = one per core
  int fallback_input_size = 0;  // input size (square) for a model whose file does not say; 0 = refuse
};

// Raw model output for a batch: [batch, channels, anchors], float32, anchors innermost.
struct ModelOutput {
  std::vector<float> values;
  int batch = 0;
  int channels = 0;
  int anchors = 0;

  std::span<const float> image(int index) const {
    const size_t size = static_cast<size_t>(channels) * static_cast<size_t>(anchors);
    return std::span<const float>(values).subspan(static_cast<size_t>(index) * size, size);
  }
};

class Model {
 public:
  virtual ~Model() = default;
  virtual const ModelInfo& info() const = 0;
  // `input` holds `batch` images, each 3 x input_height x input_width floats (RGB planes in [0, 1]).
  virtual ModelOutput forward(std::span<const float> input, int batch) = 0;
};

// Loads a model file, picking the backend from its name (.onnx: ONNX, anything else: TorchScript).
// Throws Error: not_found (no file), unsupported (an operator, format or device this build cannot
// run), corrupt_data (a file the backend cannot read).
std::unique_ptr<Model> load_model(const std::filesystem::path& path, const ModelOptions& options);

}  // namespace sn44::inference
