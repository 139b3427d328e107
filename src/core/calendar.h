// The Chinese working-day calendar used for statutory deadlines counted in
// working days (工作日). A day is a working day if it is Monday–Friday and not
// an official holiday, or if it is a weekend day declared a make-up working
// day (调休上班). Holidays and make-up days are data, published each year by
// the State Council; data/calendar/cn_holidays.csv holds them.
//
// The calendar knows which years its data covers: first_year()..last_year().
// IsWorkday answers for any date (by the weekend rule outside the covered
// years); the counting methods refuse dates outside the covered years, since
// a deadline computed without the holidays would be silently wrong.
//
// Immutable after construction; safe to share between threads.
#pragma once

#include <cstdint>
#include <string_view>
#include <unordered_map>

#include "core/date.h"
#include "core/error.h"

namespace redshield {

class WorkCalendar {
 public:
  // From CSV text with columns date,kind (name and other columns ignored), as
  // in data/calendar/cn_holidays.csv. kind is "holiday" (a day off; weekend
  // days inside a holiday block may be listed too) or "workday" (a make-up
  // working day, which must fall on a weekend).
  //
  // Covered years: each row belongs to the year of the notice that set it,
  // which is the next year for a December date (the 元旦 block of year Y may
  // start on Y-1-12-30). The covered years run from the first to the last
  // notice year, each in full; every year in between must have rows. So the
  // last days of December of the last year are treated as covered although
  // the next notice could still change them.
  //
  // kInvalidArgument naming the line for a bad date, unknown kind, duplicate
  // date or a workday on a weekday; also for a gap year or no rows.
  static Result<WorkCalendar> FromCsv(std::string_view csv_text);

  int first_year() const { return first_year_; }
  int last_year() const { return last_year_; }
  bool Covers(Date date) const;
  // kFailedPrecondition if `date` lies outside the covered years:
  // "日期 2027-03-01 超出节假日数据覆盖的范围（2017–2026 年）".
  Status CheckCovered(Date date) const;

  // True on a working day. Outside the covered years only weekends are off.
  bool IsWorkday(Date date) const;

  // The n-th working day after `start` (`start` itself if n == 0), so
  // AddWorkdays(d, 1) is the next working day. kInvalidArgument if n < 0;
  // kFailedPrecondition if `start` or the result is outside the covered years.
  Result<Date> AddWorkdays(Date start, int64_t n) const;

  // The number of working days d with from < d <= to (negative, counted the
  // same way, if to < from), so WorkdaysBetween(d, AddWorkdays(d, n)) == n.
  // kFailedPrecondition if either date is outside the covered years.
  Result<int64_t> WorkdaysBetween(Date from, Date to) const;

 private:
  enum class DayKind { kHoliday, kWorkday };

  WorkCalendar(std::unordered_map<int64_t, DayKind> exceptions, int first_year, int last_year);

  // IsWorkday for a day count since 1970-01-01.
  bool IsWorkdayAt(int64_t days) const;
  bool CoversDay(int64_t days) const { return days >= first_day_ && days <= last_day_; }
  Error OutOfRange(std::string_view what) const;

  // Days since epoch → the exception to the weekend rule on that day.
  std::unordered_map<int64_t, DayKind> exceptions_;
  int first_year_;
  int last_year_;
  int64_t first_day_;  // first_year-01-01, days since epoch
  int64_t last_day_;   // last_year-12-31
};

}  // namespace redshield
