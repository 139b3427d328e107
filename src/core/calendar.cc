#include "core/calendar.h"

#include <algorithm>
#include <optional>
#include <set>
#include <string>

#include "core/csv.h"

namespace redshield {
namespace {

std::string_view WeekdayName(Weekday day) {
  static constexpr std::string_view kNames[] = {"星期一", "星期二", "星期三", "星期四",
                                                "星期五", "星期六", "星期日"};
  return kNames[static_cast<int>(day) - 1];
}

// Monday is 0; 1970-01-01 was a Thursday.
bool IsWeekendDay(int64_t days) { return ((days + 3) % 7 + 7) % 7 >= 5; }

int64_t FirstDayOf(int year) { return Date::FromYmd(year, 1, 1)->DaysSinceEpoch(); }
int64_t LastDayOf(int year) { return Date::FromYmd(year, 12, 31)->DaysSinceEpoch(); }

struct CalendarRow {
  Date date;
  bool is_holiday;
};

Result<CalendarRow> ParseCalendarRecord(const CsvRecord& record) {
  Result<Date> date = Date::Parse(*record.Field("date"));
  if (!date) return tl::unexpected(record.FieldError("date", date.error()));
  const std::string_view kind = *record.Field("kind");
  if (kind != "holiday" && kind != "workday") {
    return tl::unexpected(record.FieldError("kind", "应为 holiday（放假）或 workday（调休上班）"));
  }
  const bool is_holiday = kind == "holiday";
  if (!is_holiday && !date->IsWeekend()) {
    return tl::unexpected(record.FieldError("kind", date->ToString() + " 是" +
                                                        std::string(WeekdayName(date->weekday())) +
                                                        "，本来就上班，不能标为调休上班日"));
  }
  return CalendarRow{*date, is_holiday};
}

}  // namespace

WorkCalendar::WorkCalendar(std::unordered_map<int64_t, DayKind> exceptions, int first_year,
                           int last_year)
    : exceptions_(std::move(exceptions)),
      first_year_(first_year),
      last_year_(last_year),
      first_day_(FirstDayOf(first_year)),
      last_day_(LastDayOf(last_year)) {}

Result<WorkCalendar> WorkCalendar::FromCsv(std::string_view csv_text) {
  Result<CsvTable> table = CsvTable::Parse(csv_text, {"date", "kind"});
  RS_TRY(table);
  std::unordered_map<int64_t, DayKind> exceptions;
  std::set<int> years;
  for (const CsvRecord& record : table->records()) {
    Result<CalendarRow> row = ParseCalendarRecord(record);
    RS_TRY(row);
    const auto [it, inserted] = exceptions.emplace(
        row->date.DaysSinceEpoch(), row->is_holiday ? DayKind::kHoliday : DayKind::kWorkday);
    if (!inserted) return tl::unexpected(record.FieldError("date", "日期重复"));
    // A December row belongs to the next year's notice (its 元旦 block starts
    // early), so 2016-12-31 does not make 2016 a covered year.
    years.insert(row->date.month() == 12 ? row->date.year() + 1 : row->date.year());
  }
  if (years.empty()) return Fail(ErrorCode::kInvalidArgument, "节假日数据为空");
  for (int year = *years.begin(); year <= *years.rbegin(); ++year) {
    if (!years.contains(year)) {
      return Fail(ErrorCode::kInvalidArgument,
                  "节假日数据缺少 " + std::to_string(year) + " 年的安排");
    }
  }
  return WorkCalendar(std::move(exceptions), *years.begin(), *years.rbegin());
}

bool WorkCalendar::Covers(Date date) const { return CoversDay(date.DaysSinceEpoch()); }

Error WorkCalendar::OutOfRange(std::string_view what) const {
  std::string message(what);
  message += "超出节假日数据覆盖的范围（" + std::to_string(first_year_) + "–" +
             std::to_string(last_year_) + " 年）";
  return Error{ErrorCode::kFailedPrecondition, std::move(message), {}};
}

Status WorkCalendar::CheckCovered(Date date) const {
  if (Covers(date)) return Ok();
  return tl::unexpected(OutOfRange("日期 " + date.ToString() + " "));
}

bool WorkCalendar::IsWorkdayAt(int64_t days) const {
  const auto exception = exceptions_.find(days);
  if (exception != exceptions_.end()) return exception->second == DayKind::kWorkday;
  return !IsWeekendDay(days);
}

bool WorkCalendar::IsWorkday(Date date) const { return IsWorkdayAt(date.DaysSinceEpoch()); }

Result<Date> WorkCalendar::AddWorkdays(Date start, int64_t n) const {
  if (n < 0) return Fail(ErrorCode::kInvalidArgument, "工作日数不能为负数");
  RS_TRY(CheckCovered(start));
  int64_t day = start.DaysSinceEpoch();
  // Ends within the covered range: at most ~366 × years iterations.
  for (int64_t remaining = n; remaining > 0;) {
    ++day;
    if (!CoversDay(day)) {
      return tl::unexpected(
          OutOfRange("从 " + start.ToString() + " 起第 " + std::to_string(n) + " 个工作日"));
    }
    if (IsWorkdayAt(day)) --remaining;
  }
  return Date::FromDays(day);
}

Result<int64_t> WorkCalendar::WorkdaysBetween(Date from, Date to) const {
  RS_TRY(CheckCovered(from));
  RS_TRY(CheckCovered(to));
  const int64_t low = std::min(from, to).DaysSinceEpoch();
  const int64_t high = std::max(from, to).DaysSinceEpoch();
  int64_t count = 0;
  for (int64_t day = low + 1; day <= high; ++day) {
    if (IsWorkdayAt(day)) ++count;
  }
  return to < from ? -count : count;
}

}  // namespace redshield
