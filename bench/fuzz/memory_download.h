#pragma once
// A fuzz input as a finished download: the bytes kept in memory (one memfd per target, rewritten
// for each input) and read through its /proc path, as the decoder reads a downloaded clip.

#include <sys/mman.h>
#include <unistd.h>

#include <cstdint>
#include <cstdlib>
#include <string>

#include "core/growing_file.h"

namespace sn44::fuzz {

struct MemoryDownload {
  MemoryDownload(const uint8_t* data, size_t size) : file(write(data, size)) {
    file.grew_to(static_cast<int64_t>(size));
    file.complete();
  }
  GrowingFile file;

 private:
  static std::string write(const uint8_t* data, size_t size) {
    static const int memory_file = memfd_create("fuzz_input", MFD_CLOEXEC);
    if (memory_file < 0 || ftruncate(memory_file, 0) != 0) std::abort();
    if (size > 0 && pwrite(memory_file, data, size, 0) != static_cast<ssize_t>(size)) std::abort();
    return "/proc/self/fd/" + std::to_string(memory_file);
  }
};

}  // namespace sn44::fuzz
