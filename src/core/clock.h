// Time: a Clock interface (so tests can move time), and UTC ISO 8601 text,
// which is how every time is stored and sent ("2026-11-29T19:56:32.123Z").
// SystemClock and ManualClock are safe to call from many threads.
#pragma once

#include <atomic>
#include <chrono>
#include <string>
#include <string_view>

#include "core/error.h"

namespace redshield {

using TimePoint = std::chrono::sys_time<std::chrono::milliseconds>;

class Clock {
 public:
  virtual ~Clock() = default;
  virtual TimePoint Now() const = 0;
};

class SystemClock final : public Clock {
 public:
  TimePoint Now() const override;
};

// A clock that moves only when told to. For tests.
class ManualClock final : public Clock {
 public:
  explicit ManualClock(TimePoint start) : now_ms_(start.time_since_epoch().count()) {}
  TimePoint Now() const override { return TimePoint(std::chrono::milliseconds(now_ms_.load())); }
  void Advance(std::chrono::milliseconds delta) { now_ms_ += delta.count(); }
  void Set(TimePoint t) { now_ms_ = t.time_since_epoch().count(); }

 private:
  std::atomic<long long> now_ms_;
};

// "2026-11-29T19:56:32.123Z": fixed width, so text order is time order.
std::string FormatUtc(TimePoint t);

// Accepts "YYYY-MM-DDTHH:MM:SS[.fff](Z|±HH:MM)" and "YYYY-MM-DD" (midnight
// Asia/Shanghai, the way users mean a date). kInvalidArgument otherwise.
Result<TimePoint> ParseTime(std::string_view text);

// The calendar date in Asia/Shanghai ("2026-11-30") of a time.
std::string ShanghaiDate(TimePoint t);

}  // namespace redshield
