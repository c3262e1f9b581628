#include "video/mp4_layout.h"

#include <unistd.h>

#include <algorithm>
#include <array>
#include <cerrno>
#include <cstdint>
#include <cstring>
#include <string_view>

#include "core/error.h"
#include "core/unique_fd.h"

namespace sn44::video {
namespace {

// What comes before moov or mdat (ftyp, free, wide, vendor boxes such as "beam") is a handful of
// small boxes. A walk that would go further is reading something else, whose made-up sizes must
// not make it wait for bytes that never come (text starts with a "size" of 512 MiB or more).
constexpr int kMaxBoxes = 64;
constexpr uint64_t kMaxOffset = 64 << 20;

uint64_t big_endian(const uint8_t* bytes, size_t count) {
  uint64_t value = 0;
  for (size_t i = 0; i < count; ++i) value = (value << 8) | bytes[i];
  return value;
}

bool is_box_type(std::string_view type) {
  for (const char c : type) {
    if (c < 0x20 || c > 0x7e) return false;
  }
  return true;
}

}  // namespace

Mp4IndexPosition mp4_index_position(const GrowingFile& file, std::stop_token stop) {
  const UniqueFd fd = open_read_only(file.path());
  if (!fd) throw Error(ErrorKind::not_found, "video '" + file.path().string() + "': cannot open: " + std::strerror(errno));

  uint64_t offset = 0;
  for (int box = 0; box < kMaxBoxes; ++box) {
    // A header is 8 bytes (32-bit size, type), 16 with a 64-bit size; the file may end sooner.
    std::array<uint8_t, 16> header{};
    const int64_t available = file.wait_for(static_cast<int64_t>(offset + header.size()), stop);
    const int64_t readable = std::min<int64_t>(available - static_cast<int64_t>(offset), header.size());
    if (readable < 8 || ::pread(fd.get(), header.data(), static_cast<size_t>(readable), static_cast<off_t>(offset)) != readable) {
      return Mp4IndexPosition::unknown;
    }
    const std::string_view type(reinterpret_cast<const char*>(header.data() + 4), 4);
    if (!is_box_type(type)) return Mp4IndexPosition::unknown;
    if (type == "moov") return Mp4IndexPosition::before_media;
    if (type == "mdat") return Mp4IndexPosition::after_media;
    uint64_t size = big_endian(header.data(), 4);
    uint64_t header_size = 8;
    if (size == 1) {
      if (readable < 16) return Mp4IndexPosition::unknown;
      size = big_endian(header.data() + 8, 8);
      header_size = 16;
    }
    // Size 0 means "to the end of the file": neither box can follow.
    if (size < header_size || size > kMaxOffset - offset) return Mp4IndexPosition::unknown;
    offset += size;
  }
  return Mp4IndexPosition::unknown;
}

}  // namespace sn44::video
