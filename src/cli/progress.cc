#include "cli/progress.h"

#include <unistd.h>

#include <algorithm>
#include <cstdio>
#include <string>

namespace redshield::cli {

ProgressBar::ProgressBar() : enabled_(isatty(STDERR_FILENO) == 1) {}

void ProgressBar::Draw(double fraction, std::string_view detail, bool final) {
  if (!enabled_) return;
  const auto now = std::chrono::steady_clock::now();
  if (!final && now - last_ < std::chrono::milliseconds(200)) return;
  last_ = now;
  fraction = std::clamp(fraction, 0.0, 1.0);
  constexpr int kWidth = 30;
  const int filled = static_cast<int>(fraction * kWidth);
  std::string bar(static_cast<size_t>(filled), '#');
  bar.append(static_cast<size_t>(kWidth - filled), '-');
  std::fprintf(stderr, "\r\033[K[%s] %5.1f%%  %.*s%s", bar.c_str(), fraction * 100, static_cast<int>(detail.size()),
               detail.data(), final ? "\n" : "");
  std::fflush(stderr);
}

void ProgressBar::Clear() {
  if (enabled_) std::fputs("\r\033[K", stderr);
}

}  // namespace redshield::cli
