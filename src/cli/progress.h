// A progress bar on stderr for long CLI work, drawn only when stderr is a
// terminal (so that logs and pipes stay clean), at most every 200 ms:
//   [###########-------------------]  36.7%  detail
// Not thread-safe: draw from one thread.
#pragma once

#include <chrono>
#include <string_view>

namespace redshield::cli {

class ProgressBar {
 public:
  ProgressBar();

  bool enabled() const { return enabled_; }
  // Redraws the line with `fraction` (clamped to 0..1) and `detail`, unless
  // the last draw was under 200 ms ago; `final` always draws and ends the line.
  void Draw(double fraction, std::string_view detail, bool final = false);
  // Clears the line, before other text is written to stderr.
  void Clear();

 private:
  bool enabled_;
  std::chrono::steady_clock::time_point last_{};
};

}  // namespace redshield::cli
