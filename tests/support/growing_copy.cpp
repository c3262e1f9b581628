#include "support/growing_copy.h"

#include <algorithm>
#include <fstream>
#include <vector>

namespace sn44::testing {

GrowingCopy::GrowingCopy(const std::filesystem::path& source, GrowingFile& destination, Pace pace) {
  std::ofstream(destination.path(), std::ios::binary | std::ios::trunc);  // the file exists before the thread starts
  thread_ = std::jthread([this, source, &destination, pace](std::stop_token stop) {
    std::ifstream in(source, std::ios::binary);
    std::ofstream out(destination.path(), std::ios::binary | std::ios::trunc);
    const auto size = static_cast<int64_t>(std::filesystem::file_size(source));
    if (pace.announce_size) destination.expect_size(size);
    std::vector<char> chunk(pace.chunk_bytes);
    int64_t written = 0;
    while (written < size && !stop.stop_requested()) {
      int64_t bytes = std::min<int64_t>(static_cast<int64_t>(chunk.size()), size - written);
      if (pace.fail_after) bytes = std::min(bytes, *pace.fail_after - written);
      if (bytes <= 0) break;
      in.read(chunk.data(), bytes);
      out.write(chunk.data(), bytes);
      out.flush();
      written += bytes;
      destination.grew_to(written);
      if (pace.interval.count() > 0) std::this_thread::sleep_for(pace.interval);
    }
    if (written == size) {
      destination.complete();
    } else {
      destination.fail(pace.failure);
    }
    finished_ = true;
  });
}

GrowingCopy::~GrowingCopy() = default;  // the jthread asks the copy to stop, then joins

}  // namespace sn44::testing
