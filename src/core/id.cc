#include "core/id.h"

#include <chrono>
#include <thread>

#include "core/check.h"

namespace redshield {
namespace {
constexpr std::int64_t kEpochMs = 1577836800000;  // 2020-01-01T00:00:00Z

std::int64_t NowMs() {
  return std::chrono::duration_cast<std::chrono::milliseconds>(
             std::chrono::system_clock::now().time_since_epoch())
             .count() -
         kEpochMs;
}
}  // namespace

IdGenerator::IdGenerator(int node) : node_(node) {
  RS_CHECK(node >= 0 && node < 1024) << "node id out of range: " << node;
}

Id IdGenerator::Next() {
  std::lock_guard lock(mu_);
  std::int64_t now = NowMs();
  // A clock that steps back must not produce duplicates: keep counting from the last time.
  if (now < last_ms_) now = last_ms_;
  if (now == last_ms_) {
    sequence_ = (sequence_ + 1) & 0xFFF;
    if (sequence_ == 0) {
      while (now <= last_ms_) {
        std::this_thread::yield();
        now = std::max(NowMs(), last_ms_ + 1);
      }
    }
  } else {
    sequence_ = 0;
  }
  last_ms_ = now;
  return (now << 22) | (node_ << 12) | sequence_;
}

}  // namespace redshield
