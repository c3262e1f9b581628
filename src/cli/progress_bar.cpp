#include "cli/progress_bar.h"

#include <unistd.h>

#include <algorithm>
#include <cstdio>

namespace sn44::cli {

ProgressBar::ProgressBar(std::string label, bool enabled) : label_(std::move(label)), enabled_(enabled && ::isatty(STDERR_FILENO)) {}

ProgressBar::~ProgressBar() {
  if (drawn_) std::fputc('\n', stderr);
}

void ProgressBar::update(int64_t done, int64_t expected) {
  if (!enabled_) return;
  constexpr int kWidth = 30;
  const double elapsed = std::chrono::duration<double>(std::chrono::steady_clock::now() - start_).count();
  const double fraction = expected > 0 ? std::min(1.0, static_cast<double>(done) / static_cast<double>(expected)) : 0.0;
  const int filled = static_cast<int>(fraction * kWidth);
  std::string bar(static_cast<size_t>(filled), '#');
  bar.resize(kWidth, '.');
  std::fprintf(stderr, "\r%s [%s] %lld/%lld frames  %.1f fps  %.1fs", label_.c_str(), bar.c_str(),
               static_cast<long long>(done), static_cast<long long>(expected),
               elapsed > 0 ? static_cast<double>(done) / elapsed : 0.0, elapsed);
  std::fflush(stderr);
  drawn_ = true;
}

}  // namespace sn44::cli
