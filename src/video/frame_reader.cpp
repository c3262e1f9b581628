#include "video/frame_reader.h"

#include <algorithm>
#include <utility>

namespace sn44::video {

FrameReader::FrameReader(const std::filesystem::path& path, const DecoderOptions& options, size_t prefetch)
    : FrameReader(Decoder(path, options), prefetch) {}

FrameReader::FrameReader(const GrowingFile& file, const DecoderOptions& options, size_t prefetch)
    : FrameReader(Decoder(file, options), prefetch) {}

FrameReader::FrameReader(Decoder decoder, size_t prefetch)
    : decoder_(std::move(decoder)), info_(decoder_.info()), capacity_(std::max<size_t>(prefetch, 1)) {
  thread_ = std::thread([this] { decode_loop(); });
}

FrameReader::~FrameReader() {
  {
    std::lock_guard lock(mutex_);
    stop_ = true;
  }
  space_ready_.notify_all();
  decoder_.interrupt();  // a decode thread waiting for the download gives up
  thread_.join();
}

void FrameReader::decode_loop() {
  try {
    while (true) {
      const auto started = std::chrono::steady_clock::now();
      std::optional<Frame> frame = decoder_.next();
      const auto elapsed = std::chrono::steady_clock::now() - started;
      std::unique_lock lock(mutex_);
      decode_time_ += elapsed;
      if (!frame) {
        damage_ = decoder_.damage();
        end_of_stream_ = true;
        break;
      }
      space_ready_.wait(lock, [&] { return stop_ || queue_.size() < capacity_; });
      if (stop_) return;
      queue_.push_back(std::move(*frame));
      lock.unlock();
      frame_ready_.notify_one();
    }
  } catch (...) {
    std::lock_guard lock(mutex_);
    error_ = std::current_exception();
    end_of_stream_ = true;
  }
  frame_ready_.notify_all();
}

std::optional<Frame> FrameReader::next() {
  std::unique_lock lock(mutex_);
  frame_ready_.wait(lock, [&] { return !queue_.empty() || end_of_stream_; });
  if (queue_.empty()) {
    if (error_) std::rethrow_exception(error_);
    return std::nullopt;
  }
  Frame frame = std::move(queue_.front());
  queue_.pop_front();
  lock.unlock();
  space_ready_.notify_one();
  return frame;
}

std::string FrameReader::damage() const {
  std::lock_guard lock(mutex_);
  return damage_;
}

double FrameReader::decode_seconds() const {
  std::lock_guard lock(mutex_);
  return std::chrono::duration<double>(decode_time_).count();
}

}  // namespace sn44::video
