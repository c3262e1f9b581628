#include "inference/device_batch.h"

#include <c10/core/Event.h>
#include <c10/core/InferenceMode.h>
#include <c10/core/Stream.h>
#include <c10/core/StreamGuard.h>
#include <c10/core/impl/VirtualGuardImpl.h>
#include <torch/torch.h>

#include <algorithm>
#include <array>
#include <chrono>
#include <cstring>
#include <deque>
#include <optional>
#include <thread>

#include "core/error.h"
#include "core/stopwatch.h"
#include "inference/libtorch_runtime.h"

namespace sn44::inference {
namespace {

// A stream of its own from the device's pool (none on the CPU, which runs everything in order).
std::optional<c10::Stream> pool_stream(torch::Device device) {
  if (!device.is_cuda()) return std::nullopt;
  return c10::impl::VirtualGuardImpl(device.type()).getStreamFromGlobalPool(device, /*isHighPriority=*/false);
}

c10::Event recorded_event(const c10::Stream& stream) {
  c10::Event event(stream.device_type());
  event.record(stream);
  return event;
}

// Blocks the host until the device has passed `event`. c10::Event has no host-side wait in
// Debian's LibTorch 1.13; polling at 50 us costs nothing next to a batch (tens of milliseconds).
void wait_for(const c10::Event& event) {
  while (!event.query()) std::this_thread::sleep_for(std::chrono::microseconds(50));
}

// `tensor` on the host. On a GPU the copy goes to pinned memory and is queued on the current
// stream: it is complete once an event recorded after it has passed.
torch::Tensor queue_copy_to_host(const torch::Tensor& tensor) {
  if (!tensor.is_cuda()) return tensor.contiguous();
  torch::Tensor host = torch::empty(tensor.sizes(), tensor.options().device(torch::kCPU).pinned_memory(true));
  host.copy_(tensor, /*non_blocking=*/true);
  return host;
}

// ultralytics' LetterBox on the device, for [batch, height, width, 3] BGR bytes: the same geometry
// as letterbox_to_chw. cv2 resizes 8-bit images to 8-bit results, rounding half up; so does this,
// exactly where the weights are exact (a 1280x720 frame halved to 640x360, which OpenCV averages
// 2x2 blocks for) and within one level of 255 elsewhere.
torch::Tensor letterbox_on_device(const torch::Tensor& frames, const LetterboxGeometry& geometry, torch::ScalarType dtype) {
  torch::Tensor images = frames.permute({0, 3, 1, 2}).flip({1}).to(torch::kFloat32);  // [batch, 3, h, w], RGB
  if (geometry.resized != geometry.frame) {
    namespace F = torch::nn::functional;
    images = F::interpolate(images, F::InterpolateFuncOptions()
                                        .size(std::vector<int64_t>{geometry.resized.height, geometry.resized.width})
                                        .mode(torch::kBilinear)
                                        .align_corners(false));
    images = images.add_(0.5).floor_().clamp_(0, 255);
  }
  images = torch::constant_pad_nd(images, {geometry.pad_left, geometry.pad_right, geometry.pad_top, geometry.pad_bottom}, 114);
  images = images.div_(255).to(dtype);
  // Channels-last, the layout of the GPU weights (inference/torchscript_model.cpp).
  return images.is_cuda() ? images.contiguous(at::MemoryFormat::ChannelsLast) : images.contiguous();
}

}  // namespace

struct DeviceFrames {
  torch::Tensor frames;  // [padded batch, height, width, 3] BGR bytes on the device
  int count = 0;         // frames of the clip; the rest only pad the batch
  std::optional<c10::Event> uploaded;  // passed once the copy is done (GPU only)
};

struct FrameUploader::State {
  torch::Device device;
  std::optional<c10::Stream> stream;
  std::vector<int> padded_sizes;
  // Pinned buffers the frames are gathered in, used in turn: one fills while the other's copy to
  // the device may still run.
  struct Staging {
    torch::Tensor host;
    std::optional<c10::Event> copied;
  };
  std::array<Staging, 2> staging;
  size_t next_staging = 0;
};

FrameUploader::FrameUploader(const std::string& device) {
  const torch::Device parsed = parse_device(device);
  state_ = std::make_unique<State>(State{parsed, pool_stream(parsed), {}, {}, 0});
}

FrameUploader::~FrameUploader() {
  // A staging buffer must outlive its copy.
  for (const State::Staging& staging : state_->staging) {
    if (staging.copied) wait_for(*staging.copied);
  }
}

void FrameUploader::pad_batches_to(std::vector<int> sizes) {
  std::sort(sizes.begin(), sizes.end());
  state_->padded_sizes = std::move(sizes);
}

std::shared_ptr<const DeviceFrames> FrameUploader::upload(std::span<const cv::Mat> frames) {
  if (frames.empty()) throw Error(ErrorKind::internal, "no frames to upload");
  const cv::Size size = frames.front().size();
  for (const cv::Mat& frame : frames) {
    if (frame.type() != CV_8UC3 || frame.size() != size) {
      throw Error(ErrorKind::internal, "a batch uploaded to the device must hold BGR frames of one size");
    }
  }
  const int count = static_cast<int>(frames.size());
  const auto padded = std::lower_bound(state_->padded_sizes.begin(), state_->padded_sizes.end(), count);
  const int64_t batch = padded == state_->padded_sizes.end() ? count : *padded;
  const std::vector<int64_t> shape{batch, size.height, size.width, 3};

  State::Staging& staging = state_->staging[state_->next_staging];
  state_->next_staging = (state_->next_staging + 1) % state_->staging.size();
  if (staging.copied) wait_for(*staging.copied);
  if (!staging.host.defined() || staging.host.sizes() != c10::IntArrayRef(shape)) {
    staging.host = torch::zeros(shape, torch::TensorOptions(torch::kUInt8).pinned_memory(state_->device.is_cuda()));
  }
  const size_t row_bytes = static_cast<size_t>(size.width) * 3;
  auto* destination = staging.host.data_ptr<uint8_t>();
  for (const cv::Mat& frame : frames) {
    if (frame.isContinuous()) {
      std::memcpy(destination, frame.data, row_bytes * static_cast<size_t>(size.height));
    } else {
      for (int y = 0; y < size.height; ++y) std::memcpy(destination + row_bytes * static_cast<size_t>(y), frame.ptr(y), row_bytes);
    }
    destination += row_bytes * static_cast<size_t>(size.height);
  }

  auto uploaded = std::make_shared<DeviceFrames>();
  uploaded->count = count;
  if (!state_->stream) {
    // On the CPU the staging buffer is the batch; the next upload gets a buffer of its own.
    uploaded->frames = std::move(staging.host);
    return uploaded;
  }
  const c10::StreamGuard guard(*state_->stream);
  uploaded->frames = staging.host.to(state_->device, /*non_blocking=*/true);
  uploaded->uploaded = recorded_event(*state_->stream);
  staging.copied = recorded_event(*state_->stream);
  return uploaded;
}

struct DeviceYoloEngine::State {
  TensorModel& model;
  int num_classes;
  DecodeOptions options;
  int max_rows;
  std::optional<c10::Stream> stream;

  struct Batch {
    std::shared_ptr<const DeviceFrames> frames;  // held until the device has read them
    torch::Tensor output;   // [frames, channels, anchors] float32 on the device: the whole-output fallback
    torch::Tensor rows;     // [frames, rows, channels] float32 on the host: the anchors over the threshold, and others
    torch::Tensor anchors;  // [frames, rows] int64 on the host: the anchor of each row
    torch::Tensor counts;   // [frames] int64 on the host: anchors over the threshold
    std::optional<c10::Event> done;
  };
  std::deque<Batch> queue;
  StageSeconds seconds;
  int64_t whole_output_frames = 0;
};

bool DeviceYoloEngine::supports(const Model& model) { return dynamic_cast<const TensorModel*>(&model) != nullptr; }

DeviceYoloEngine::DeviceYoloEngine(Model& model, int num_classes, DecodeOptions options, int max_rows) {
  auto* tensor_model = dynamic_cast<TensorModel*>(&model);
  if (tensor_model == nullptr) {
    throw Error(ErrorKind::unsupported, "model '" + model.info().path.string() + "': the device path runs TorchScript files only");
  }
  state_ = std::make_unique<State>(State{*tensor_model, num_classes, options, std::max(1, max_rows), pool_stream(tensor_model->device()), {}, {}, 0});
}

DeviceYoloEngine::~DeviceYoloEngine() { discard_queued(); }

void DeviceYoloEngine::discard_queued() {
  // Tensors the device may still read are freed only after it has.
  for (const State::Batch& batch : state_->queue) {
    if (batch.done) wait_for(*batch.done);
  }
  state_->queue.clear();
}

const StageSeconds& DeviceYoloEngine::seconds() const { return state_->seconds; }

int64_t DeviceYoloEngine::whole_output_frames() const { return state_->whole_output_frames; }

void DeviceYoloEngine::submit(std::shared_ptr<const DeviceFrames> frames, const LetterboxGeometry& geometry) {
  State& state = *state_;
  const c10::InferenceMode inference_mode;
  std::optional<c10::StreamGuard> on_stream;
  if (state.stream) {
    on_stream.emplace(*state.stream);
    if (frames->uploaded) frames->uploaded->block(*state.stream);
  }
  check_input_size(InputSize{geometry.input.width, geometry.input.height}, state.model.info());

  const Stopwatch preprocess;
  const torch::Tensor input = letterbox_on_device(frames->frames, geometry, state.model.dtype());
  state.seconds.preprocess += preprocess.seconds();

  const Stopwatch forward;
  torch::Tensor output = state.model.forward_tensor(input);
  if (output.dim() != 3 || output.size(0) != input.size(0) || output.size(1) < 4 + state.num_classes) {
    throw Error(ErrorKind::unsupported, "model '" + state.model.info().path.string() + "' returns a tensor of shape " + shape_text(output) +
                                            " for an input of " + shape_text(input));
  }
  output = output.narrow(0, 0, frames->count).to(torch::kFloat32);
  state.seconds.forward += forward.seconds();

  // The anchors over the threshold, found on the device: the best class score of each anchor, and
  // the top rows by that score, in descending order (so those over the threshold come first); the
  // host decodes only these.
  const Stopwatch postprocess;
  const int64_t anchors = output.size(2);
  const int64_t rows = std::min<int64_t>(anchors, state.max_rows);
  const torch::Tensor best_score = std::get<0>(output.narrow(1, 4, state.num_classes).max(1));
  const torch::Tensor over = best_score > state.options.confidence_threshold;
  const torch::Tensor top_anchors = std::get<1>(best_score.masked_fill(over.logical_not(), -1).topk(rows, 1, /*largest=*/true, /*sorted=*/true));
  const torch::Tensor top_rows = output.transpose(1, 2).gather(1, top_anchors.unsqueeze(2).expand({-1, -1, output.size(1)}));

  State::Batch batch;
  batch.frames = std::move(frames);
  batch.output = output;
  batch.rows = queue_copy_to_host(top_rows);
  batch.anchors = queue_copy_to_host(top_anchors);
  batch.counts = queue_copy_to_host(over.sum(1));
  if (state.stream) batch.done = recorded_event(*state.stream);
  state.queue.push_back(std::move(batch));
  state.seconds.postprocess += postprocess.seconds();
}

std::vector<std::vector<RawDetection>> DeviceYoloEngine::collect() {
  State& state = *state_;
  if (state.queue.empty()) throw Error(ErrorKind::internal, "no batch was submitted to the device engine");
  State::Batch batch = std::move(state.queue.front());
  state.queue.pop_front();

  const Stopwatch waiting;
  if (batch.done) wait_for(*batch.done);
  state.seconds.forward += waiting.seconds();

  const Stopwatch postprocess;
  const c10::InferenceMode inference_mode;
  const auto frames = static_cast<size_t>(batch.rows.size(0));
  const auto rows = static_cast<size_t>(batch.rows.size(1));
  const auto channels = static_cast<size_t>(batch.rows.size(2));
  const float* row_values = batch.rows.data_ptr<float>();
  const int64_t* row_anchors = batch.anchors.data_ptr<int64_t>();
  const int64_t* counts = batch.counts.data_ptr<int64_t>();

  std::vector<std::vector<RawDetection>> detections(frames);
  std::vector<size_t> order;
  std::vector<float> ordered_rows;
  for (size_t frame = 0; frame < frames; ++frame) {
    if (counts[frame] > static_cast<int64_t>(rows)) {
      const torch::Tensor whole = batch.output[static_cast<int64_t>(frame)].to(torch::kCPU).contiguous();
      detections[frame] = decode_yolo_output(std::span<const float>(whole.data_ptr<float>(), static_cast<size_t>(whole.numel())),
                                             static_cast<int>(channels), static_cast<int>(whole.size(1)), state.num_classes, state.options);
      ++state.whole_output_frames;
      continue;
    }
    // The rows over the threshold are the first counts[frame]; decoding takes them in anchor order,
    // as the whole output has them.
    const int64_t* anchors = row_anchors + frame * rows;
    order.resize(static_cast<size_t>(counts[frame]));
    for (size_t i = 0; i < order.size(); ++i) order[i] = i;
    std::sort(order.begin(), order.end(), [anchors](size_t a, size_t b) { return anchors[a] < anchors[b]; });
    ordered_rows.resize(order.size() * channels);
    const float* frame_rows = row_values + frame * rows * channels;
    for (size_t i = 0; i < order.size(); ++i) {
      std::memcpy(ordered_rows.data() + i * channels, frame_rows + order[i] * channels, channels * sizeof(float));
    }
    detections[frame] = decode_yolo_rows(ordered_rows, static_cast<int>(channels), state.num_classes, state.options);
  }
  state.seconds.postprocess += postprocess.seconds();
  return detections;
}

}  // namespace sn44::inference
