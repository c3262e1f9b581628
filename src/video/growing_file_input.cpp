#include "video/growing_file_input.h"

extern "C" {
#include <libavformat/avio.h>
#include <libavutil/error.h>
#include <libavutil/mem.h>
}

#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstdio>
#include <cstring>
#include <string>

namespace sn44::video {

GrowingFileInput::GrowingFileInput(const GrowingFile& file, Access access) : file_(file), fd_(open_read_only(file.path())) {
  if (!fd_) throw Error(ErrorKind::not_found, "video '" + file.path().string() + "': cannot open: " + std::strerror(errno));
  constexpr int kBufferBytes = 64 * 1024;
  auto* buffer = static_cast<unsigned char*>(av_malloc(kBufferBytes));
  if (buffer == nullptr) throw Error(ErrorKind::internal, "out of memory allocating the read buffer");
  // Without a seek function FFmpeg marks the input as a stream; the demuxer then reads it in order.
  context_ = avio_alloc_context(buffer, kBufferBytes, 0, this, &read, nullptr, access == Access::seekable ? &seek : nullptr);
  if (context_ == nullptr) {
    av_free(buffer);
    throw Error(ErrorKind::internal, "out of memory allocating the read context");
  }
}

GrowingFileInput::~GrowingFileInput() {
  if (context_ != nullptr) av_freep(&context_->buffer);
  avio_context_free(&context_);
}

int GrowingFileInput::read(void* opaque, uint8_t* buffer, int size) {
  auto& self = *static_cast<GrowingFileInput*>(opaque);
  try {
    const int64_t available = self.file_.wait_for(self.position_ + 1, self.interrupt_.get_token());
    if (available <= self.position_) return AVERROR_EOF;
    const size_t wanted = static_cast<size_t>(std::min<int64_t>(size, available - self.position_));
    const ssize_t got = ::pread(self.fd_.get(), buffer, wanted, self.position_);
    if (got <= 0) return AVERROR(EIO);
    self.position_ += got;
    return static_cast<int>(got);
  } catch (const Error& error) {
    self.failure_ = error;
    return AVERROR_EXIT;
  }
}

int64_t GrowingFileInput::seek(void* opaque, int64_t offset, int whence) {
  auto& self = *static_cast<GrowingFileInput*>(opaque);
  try {
    whence &= ~AVSEEK_FORCE;
    if (whence == AVSEEK_SIZE) return self.file_.wait_for_size(self.interrupt_.get_token());
    int64_t position = offset;
    if (whence == SEEK_CUR) position += self.position_;
    if (whence == SEEK_END) position += self.file_.wait_for_size(self.interrupt_.get_token());
    if ((whence != SEEK_SET && whence != SEEK_CUR && whence != SEEK_END) || position < 0) return AVERROR(EINVAL);
    self.position_ = position;
    return position;
  } catch (const Error& error) {
    self.failure_ = error;
    return AVERROR_EXIT;
  }
}

}  // namespace sn44::video
