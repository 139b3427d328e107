#include "plans/deadlines.h"

#include <algorithm>

namespace redshield::plans {

Date TodayIn(const Clock& clock) { return Date::ParseOrDie(ShanghaiDate(clock.Now())); }

int WorkingDaysUntil(const WorkCalendar& calendar, Date today, Date due) {
  Result<int64_t> counted = calendar.WorkdaysBetween(today, due);
  if (counted) return static_cast<int>(*counted);
  // Outside the years with holiday data: weekends only (IsWorkday's rule there).
  const int64_t from = std::min(today, due).DaysSinceEpoch();
  const int64_t to = std::max(today, due).DaysSinceEpoch();
  int count = 0;
  for (int64_t day = from + 1; day <= to; ++day) {
    Result<Date> date = Date::FromDays(day);
    if (date && calendar.IsWorkday(*date)) ++count;
  }
  return due < today ? -count : count;
}

void AnnotateDue(Assignment& a, Date today, const WorkCalendar& calendar) {
  Result<Date> due = Date::Parse(a.due_date);
  if (!due) return;
  a.due_in_working_days = WorkingDaysUntil(calendar, today, *due);
  a.overdue = a.status != "已完成" && *due < today;
}

}  // namespace redshield::plans
