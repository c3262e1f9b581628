// A long-running miner's footprint: `sn44-miner serve` answers challenge after challenge for the
// same clip, and after each one this prints the time the answer took, the process's resident
// memory, open descriptors and threads, and whether the download folder is empty again. Growth
// after the first few challenges would be a leak; the first ones fill the allocator's caches.
//
//   build/bench/serve_soak --miner build/bin/sn44-miner --player-model P --pitch-model Q --clip CLIP [--challenges 20]

#include <chrono>
#include <cstdio>
#include <filesystem>
#include <string>

#include "support/served_miner.h"
#include "support/test_http_server.h"

int main(int argc, char** argv) {
  std::filesystem::path miner_executable = "build/bin/sn44-miner", player_model, pitch_model, clip;
  int challenges = 20;
  for (int i = 1; i + 1 < argc; i += 2) {
    const std::string flag = argv[i];
    const char* value = argv[i + 1];
    if (flag == "--miner") {
      miner_executable = value;
    } else if (flag == "--player-model") {
      player_model = value;
    } else if (flag == "--pitch-model") {
      pitch_model = value;
    } else if (flag == "--clip") {
      clip = value;
    } else if (flag == "--challenges") {
      challenges = std::stoi(value);
    } else {
      std::fprintf(stderr, "error: unknown option %s\n", flag.c_str());
      return 2;
    }
  }
  for (const auto* file : {&miner_executable, &player_model, &pitch_model, &clip}) {
    if (!std::filesystem::is_regular_file(*file)) {
      std::fprintf(stderr, "error: '%s' is not a file (give --miner, --player-model, --pitch-model and --clip)\n", file->c_str());
      return 2;
    }
  }

  sn44::testing::TestHttpServer files;
  files.serve_file("/clip.mp4", clip);
  sn44::testing::ServedMiner miner(miner_executable, player_model, pitch_model);
  if (!miner.ready()) {
    std::fprintf(stderr, "error: the miner did not start:\n%s\n", miner.stop().standard_error.c_str());
    return 1;
  }
  const sn44::testing::ProcessStats started = sn44::testing::process_stats(miner.pid());
  std::printf("%9s  %9s  %8s  %11s  %7s  %s\n", "challenge", "answer s", "RSS MB", "descriptors", "threads", "downloads left");
  std::printf("%9s  %9s  %8.1f  %11d  %7d\n", "start", "", static_cast<double>(started.resident_bytes) / 1e6,
              started.open_descriptors, started.threads);
  int failures = 0;
  for (int challenge = 1; challenge <= challenges; ++challenge) {
    const auto begin = std::chrono::steady_clock::now();
    const sn44::testing::CommandResult answer = miner.challenge("validator.json", files.url("/clip.mp4"));
    const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - begin).count();
    if (answer.exit_code != 0) {
      ++failures;
      std::fprintf(stderr, "challenge %d failed: %s%s\n", challenge, answer.standard_output.c_str(), answer.standard_error.c_str());
    }
    const sn44::testing::ProcessStats now = sn44::testing::process_stats(miner.pid());
    const auto left = std::distance(std::filesystem::directory_iterator(miner.dir() / "downloads"), {});
    std::printf("%9d  %9.2f  %8.1f  %11d  %7d  %ld\n", challenge, seconds, static_cast<double>(now.resident_bytes) / 1e6,
                now.open_descriptors, now.threads, static_cast<long>(left));
    std::fflush(stdout);
  }
  const sn44::testing::CommandResult stopped = miner.stop();
  if (stopped.exit_code != 0) std::fprintf(stderr, "the miner exited with %d:\n%s\n", stopped.exit_code, stopped.standard_error.c_str());
  return failures == 0 && stopped.exit_code == 0 ? 0 : 1;
}
