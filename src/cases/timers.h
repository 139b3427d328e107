// Statutory timers of the transfer workflow (国务院令第730号) and of penalty
// publication (国发〔2014〕6号) as data: data/cases/timers.csv names each timer,
// its length (days or hours), how days count (calendar or working days, the
// latter through core's WorkCalendar), the action that starts it, the actions
// that stop it, who must act before it runs out and the legal source.
// Immutable after FromCsv; thread-safe.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "cases/case_store.h"
#include "core/calendar.h"
#include "core/clock.h"
#include "core/error.h"

namespace redshield::cases {

struct TimerRule {
  std::string kind;
  std::string name;
  int amount = 0;
  bool hours = false;    // else days
  bool working = false;  // working days (WorkCalendar), else calendar days
  std::string starts_on;                // action
  std::vector<std::string> stops_on;    // actions
  // Who must act: agency_head (the handling organisation's reviewers),
  // agency (its officers) or police (the organisation the case was sent to).
  std::string responsible;
  std::string legal_source;
  std::string note;
};

class TimerRules {
 public:
  // kInvalidArgument naming the line and column.
  static Result<TimerRules> FromCsv(std::string_view csv);

  // Applies `action` taken at `now` to `timers`: stops the running timers it
  // ends and starts those it begins. Deadlines in days end at 24:00 Asia/Shanghai
  // of the last day. kInvalidArgument if a working-day deadline leaves the calendar.
  Status Apply(std::string_view action, TimePoint now, const WorkCalendar& calendar,
               std::vector<CaseTimer>& timers) const;

  const std::vector<TimerRule>& rules() const { return rules_; }
  // The kinds whose `responsible` is `who`.
  std::vector<std::string> KindsFor(std::string_view who) const;

 private:
  explicit TimerRules(std::vector<TimerRule> rules) : rules_(std::move(rules)) {}
  std::vector<TimerRule> rules_;
};

// Running and past its deadline at `now`, or finished after it.
bool IsOverdue(const CaseTimer& timer, TimePoint now);

}  // namespace redshield::cases
