#include "support/synthetic_video.h"

#include <fstream>
#include <vector>

#include "video/encoder.h"

namespace sn44::testing {

cv::Scalar synthetic_frame_colour(int index) {
  return cv::Scalar((index * 37) % 200 + 30, (index * 71) % 200 + 30, (index * 13) % 200 + 30);
}

void write_synthetic_video(const std::filesystem::path& path, int frames, int width, int height) {
  video::Encoder encoder(path, width, height, 25.0);
  for (int i = 0; i < frames; ++i) encoder.write(cv::Mat(height, width, CV_8UC3, synthetic_frame_colour(i)));
  encoder.finish();
}

void write_truncated_copy(const std::filesystem::path& source, const std::filesystem::path& destination, size_t bytes) {
  std::ifstream in(source, std::ios::binary);
  std::vector<char> data(bytes);
  in.read(data.data(), static_cast<std::streamsize>(bytes));
  std::ofstream(destination, std::ios::binary).write(data.data(), in.gcount());
}

}  // namespace sn44::testing
