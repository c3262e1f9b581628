// What decoding while downloading saves: a real clip served over loopback at a set rate, fetched by
// the miner's downloader and decoded by its decoder, first one after the other (how the reference
// miner, and this one before, handled a challenge), then at once, as `serve` does now. Rounds
// alternate the two, so both see the same machine state.
//
//   build/bench/download_overlap [--rate MB/s ...] [--rounds N] [--clip PATH] [--chunked]
//
// The clip defaults to the 1280x720 Serie A clip in $SN44_TEST_DATA/videos; rates default to 8 32.
// --chunked serves it as a server without Content-Length does (Transfer-Encoding: chunked).

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <optional>
#include <string>
#include <thread>
#include <vector>

#include "core/error.h"
#include "core/file_contents.h"
#include "core/growing_file.h"
#include "server/downloader.h"
#include "server/temp_file.h"
#include "support/slow_file_server.h"
#include "video/decoder.h"

namespace {

using namespace sn44;
using Clock = std::chrono::steady_clock;

struct Timing {
  double first_frame = 0;  // seconds from the start of the download
  double last_frame = 0;
};

double since(Clock::time_point start) { return std::chrono::duration<double>(Clock::now() - start).count(); }

int64_t decode_all(video::Decoder& decoder, Clock::time_point start, Timing& timing) {
  int64_t frames = 0;
  while (decoder.next()) {
    if (frames++ == 0) timing.first_frame = since(start);
  }
  timing.last_frame = since(start);
  return frames;
}

Timing one_after_the_other(const std::string& url, int64_t& frames) {
  const server::TempFile file("clip.mp4");
  GrowingFile arriving(file.path());
  const auto start = Clock::now();
  server::download(url, arriving, server::DownloadOptions{});
  video::Decoder decoder(file.path());
  Timing timing;
  frames = decode_all(decoder, start, timing);
  return timing;
}

Timing at_once(const std::string& url, int64_t& frames) {
  const server::TempFile file("clip.mp4");
  GrowingFile arriving(file.path());
  const auto start = Clock::now();
  std::jthread downloading([&](std::stop_token stop) { server::download(url, arriving, server::DownloadOptions{}, stop); });
  arriving.wait_for(1);
  video::Decoder decoder(arriving);
  Timing timing;
  frames = decode_all(decoder, start, timing);
  return timing;
}

double median(std::vector<double> values) {
  std::sort(values.begin(), values.end());
  return values[values.size() / 2];
}

}  // namespace

int main(int argc, char** argv) {
  std::filesystem::path clip;
  if (const char* data = std::getenv("SN44_TEST_DATA")) clip = std::filesystem::path(data) / "videos" / "seriea_inter_napoli_broadcast_1280x720_25fps_33s.mp4";
  std::vector<double> rates;
  int rounds = 3;
  bool chunked = false;
  for (int i = 1; i < argc; ++i) {
    const std::string flag = argv[i];
    const bool has_value = i + 1 < argc;
    if (flag == "--chunked") {
      chunked = true;
    } else if (flag == "--rate" && has_value) {
      rates.push_back(std::stod(argv[++i]));
    } else if (flag == "--rounds" && has_value) {
      rounds = std::max(1, std::stoi(argv[++i]));
    } else if (flag == "--clip" && has_value) {
      clip = argv[++i];
    } else {
      std::fprintf(stderr, "error: unknown option or missing value: %s\n", flag.c_str());
      return 2;
    }
  }
  if (rates.empty()) rates = {8, 32};
  if (clip.empty() || !std::filesystem::is_regular_file(clip)) {
    std::fprintf(stderr, "error: no clip: pass --clip FILE, or set SN44_TEST_DATA to the test data folder\n");
    return 1;
  }
  const std::optional<std::string> read = read_file_contents(clip);
  if (!read) {
    std::fprintf(stderr, "error: cannot read %s\n", clip.string().c_str());
    return 1;
  }
  const std::string& body = *read;
  std::printf("clip: %s (%.2f MB), %s, %d rounds, medians in seconds from the start of the download\n", clip.string().c_str(),
              static_cast<double>(body.size()) / 1e6, chunked ? "chunked, no Content-Length" : "with Content-Length", rounds);
  std::printf("%8s  %8s  %22s  %22s  %8s\n", "MB/s", "frames", "one after other: first/last", "at once: first/last", "saved");
  try {
    for (const double rate : rates) {
      constexpr size_t kChunk = 64 * 1024;
      const auto interval = std::chrono::microseconds(static_cast<int64_t>(static_cast<double>(kChunk) / (rate * 1e6) * 1e6));
      sn44::testing::SlowFileServer server(
          body, {.chunk_bytes = kChunk, .chunk_interval = interval, .send_length = !chunked, .chunked = chunked});
      std::vector<double> serial_first, serial_last, overlap_first, overlap_last;
      int64_t frames = 0;
      for (int round = 0; round < rounds; ++round) {
        const Timing serial = one_after_the_other(server.url(), frames);
        const Timing overlap = at_once(server.url(), frames);
        serial_first.push_back(serial.first_frame);
        serial_last.push_back(serial.last_frame);
        overlap_first.push_back(overlap.first_frame);
        overlap_last.push_back(overlap.last_frame);
      }
      std::printf("%8.1f  %8lld  %10.3f / %9.3f  %10.3f / %9.3f  %8.3f\n", rate, static_cast<long long>(frames), median(serial_first),
                  median(serial_last), median(overlap_first), median(overlap_last), median(serial_last) - median(overlap_last));
    }
  } catch (const sn44::Error& error) {
    std::fprintf(stderr, "error: %s\n", error.what());
    return 1;
  }
  return 0;
}
