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
  int input_width = 0;   // the input size the model was exported at: the one it takes, or with
  int input_height = 0;  // any_input_size the largest the letterbox scales a frame to (imgsz)
  bool any_input_size = false;  // height and width left open (a dynamic=True ONNX export): any multiple of the stride
  int stride = 32;
  std::vector<std::string> class_names;
  int num_keypoints = 0;  // pose models, when the file says
  std::string device;
  bool half_precision = false;  // weights and activations in FP16
  std::vector<std::string> notes;  // what the backend found in the file that costs speed or answers
};

struct ModelOptions {
  std::string device = "cpu";   // "cpu", "cuda" or "cuda:<index>"
  int threads = 0;              // CPU threads for the forward pass; 0 = one per core
  int fallback_input_size = 0;  // input size (square) for a model whose file does not say; 0 = refuse
  bool half_precision = false;  // FP16 weights and activations: CUDA devices and TorchScript files only
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

// Host time spent per step, summed over calls. On a GPU the steps are queued and overlap: then
// preprocess is the upload and the queuing of the letterbox, forward the queuing of the model and the
// wait for the device's results, postprocess the decoding of the rows that come back.
struct StageSeconds {
  double preprocess = 0;
  double forward = 0;
  double postprocess = 0;
};

struct InputSize {
  int width = 0;
  int height = 0;
  bool operator==(const InputSize&) const = default;
};

class Model {
 public:
  virtual ~Model() = default;
  virtual const ModelInfo& info() const = 0;
  // `input` holds `batch` images, each 3 x size.height x size.width floats (RGB planes in [0, 1]).
  // `size` is the model's own unless any_input_size. Throws Error(invalid_argument) for a size
  // the model cannot take.
  virtual ModelOutput forward(std::span<const float> input, int batch, InputSize size) = 0;
  // At the model's own input size.
  ModelOutput forward(std::span<const float> input, int batch) { return forward(input, batch, InputSize{info().input_width, info().input_height}); }
};

// Loads a model file, picking the backend from its name (.onnx: ONNX, anything else: TorchScript).
// Throws Error: not_found (no file), unsupported (an operator, format or device this build cannot
// run), corrupt_data (a file the backend cannot read).
std::unique_ptr<Model> load_model(const std::filesystem::path& path, const ModelOptions& options);

}  // namespace sn44::inference
