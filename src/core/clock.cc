#include "core/clock.h"

#include <cstdio>

namespace redshield {
namespace {

constexpr std::chrono::hours kShanghaiOffset{8};

bool ReadInt(std::string_view text, size_t pos, size_t len, int& out) {
  if (pos + len > text.size()) return false;
  int value = 0;
  for (size_t i = pos; i < pos + len; ++i) {
    char c = text[i];
    if (c < '0' || c > '9') return false;
    value = value * 10 + (c - '0');
  }
  out = value;
  return true;
}

Result<TimePoint> ParseOffset(std::string_view rest, TimePoint local) {
  if (rest == "Z" || rest == "z") return local;
  int hours = 0;
  int minutes = 0;
  if (rest.size() != 6 || (rest[0] != '+' && rest[0] != '-') || rest[3] != ':' ||
      !ReadInt(rest, 1, 2, hours) || !ReadInt(rest, 4, 2, minutes) || hours > 23 || minutes > 59) {
    return Fail(ErrorCode::kInvalidArgument, "时间格式错误：时区应为 Z 或 ±HH:MM");
  }
  auto offset = std::chrono::hours(hours) + std::chrono::minutes(minutes);
  return rest[0] == '+' ? local - offset : local + offset;
}

}  // namespace

TimePoint SystemClock::Now() const {
  return std::chrono::time_point_cast<std::chrono::milliseconds>(std::chrono::system_clock::now());
}

// Written digit by digit: snprintf took some 3,500 instructions a call, and
// every public verification formats the time of its scan (callgrind).
std::string FormatUtc(TimePoint t) {
  auto days = std::chrono::floor<std::chrono::days>(t);
  std::chrono::year_month_day ymd{days};
  std::chrono::hh_mm_ss<std::chrono::milliseconds> hms{t - days};
  const int year = int(ymd.year());
  if (year < 0 || year > 9999) {  // never from the clock or ParseTime
    char buf[48];
    std::snprintf(buf, sizeof buf, "%d-%02u-%02uT%02d:%02d:%02d.%03dZ", year, unsigned(ymd.month()),
                  unsigned(ymd.day()), int(hms.hours().count()), int(hms.minutes().count()),
                  int(hms.seconds().count()), int(hms.subseconds().count()));
    return buf;
  }
  std::string out = "0000-00-00T00:00:00.000Z";
  auto put = [&out](std::size_t end, long value, int width) {
    for (int i = 1; i <= width; ++i, value /= 10)
      out[end - i] = static_cast<char>('0' + value % 10);
  };
  put(4, year, 4);
  put(7, unsigned(ymd.month()), 2);
  put(10, unsigned(ymd.day()), 2);
  put(13, hms.hours().count(), 2);
  put(16, hms.minutes().count(), 2);
  put(19, hms.seconds().count(), 2);
  put(23, hms.subseconds().count(), 3);
  return out;
}

Result<TimePoint> ParseTime(std::string_view text) {
  int y = 0, mo = 0, d = 0;
  if (text.size() < 10 || !ReadInt(text, 0, 4, y) || text[4] != '-' || !ReadInt(text, 5, 2, mo) ||
      text[7] != '-' || !ReadInt(text, 8, 2, d)) {
    return Fail(ErrorCode::kInvalidArgument, "时间格式错误：应为 YYYY-MM-DD 或 ISO 8601");
  }
  std::chrono::year_month_day ymd{std::chrono::year(y), std::chrono::month(unsigned(mo)),
                                  std::chrono::day(unsigned(d))};
  if (!ymd.ok()) return Fail(ErrorCode::kInvalidArgument, "日期不存在：" + std::string(text));
  TimePoint midnight{std::chrono::sys_days(ymd).time_since_epoch()};
  if (text.size() == 10) return midnight - kShanghaiOffset;
  int h = 0, mi = 0, s = 0;
  if (text.size() < 19 || (text[10] != 'T' && text[10] != ' ') || !ReadInt(text, 11, 2, h) ||
      text[13] != ':' || !ReadInt(text, 14, 2, mi) || text[16] != ':' || !ReadInt(text, 17, 2, s) ||
      h > 23 || mi > 59 || s > 60) {
    return Fail(ErrorCode::kInvalidArgument, "时间格式错误：应为 YYYY-MM-DDTHH:MM:SSZ");
  }
  size_t pos = 19;
  int millis = 0;
  if (pos < text.size() && text[pos] == '.') {
    size_t start = ++pos;
    while (pos < text.size() && text[pos] >= '0' && text[pos] <= '9') ++pos;
    if (pos == start) return Fail(ErrorCode::kInvalidArgument, "时间格式错误：小数秒为空");
    std::string frac(text.substr(start, std::min<size_t>(3, pos - start)));
    while (frac.size() < 3) frac += '0';
    millis = std::stoi(frac);
  }
  TimePoint local = midnight + std::chrono::hours(h) + std::chrono::minutes(mi) +
                    std::chrono::seconds(s) + std::chrono::milliseconds(millis);
  return ParseOffset(text.substr(pos), local);
}

std::string ShanghaiDate(TimePoint t) {
  std::chrono::year_month_day ymd{std::chrono::floor<std::chrono::days>(t + kShanghaiOffset)};
  char buf[16];
  std::snprintf(buf, sizeof buf, "%04d-%02u-%02u", int(ymd.year()), unsigned(ymd.month()),
                unsigned(ymd.day()));
  return buf;
}

}  // namespace redshield
