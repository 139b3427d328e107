// Due dates of assignments on the official working-day calendar: how many
// working days remain (negative once overdue) and whether an assignment is
// overdue (due date passed, not 已完成). "Today" is the date in Asia/Shanghai.
#pragma once

#include "core/calendar.h"
#include "core/clock.h"
#include "core/date.h"
#include "plans/plan_store.h"

namespace redshield::plans {

Date TodayIn(const Clock& clock);

// Working days d with today < d <= due (negative if due < today, so 0 is
// "due today or on the days off before the next working day"). Counts by the
// weekend rule alone where the calendar has no holiday data.
int WorkingDaysUntil(const WorkCalendar& calendar, Date today, Date due);

// Sets a.overdue and a.due_in_working_days as of `today`.
void AnnotateDue(Assignment& a, Date today, const WorkCalendar& calendar);

}  // namespace redshield::plans
