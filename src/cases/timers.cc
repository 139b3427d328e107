#include "cases/timers.h"

#include <charconv>
#include <chrono>

#include "core/csv.h"
#include "core/date.h"

namespace redshield::cases {
namespace {

constexpr std::chrono::hours kShanghaiOffset{8};

// The instant 24:00 Asia/Shanghai ends `date`.
TimePoint EndOfShanghaiDay(Date date) {
  std::chrono::sys_days day{std::chrono::days{date.DaysSinceEpoch() + 1}};
  return std::chrono::time_point_cast<std::chrono::milliseconds>(day - kShanghaiOffset);
}

std::vector<std::string> SplitBar(std::string_view text) {
  std::vector<std::string> parts;
  size_t start = 0;
  while (start <= text.size()) {
    size_t bar = text.find('|', start);
    if (bar == std::string_view::npos) bar = text.size();
    if (bar > start) parts.emplace_back(text.substr(start, bar - start));
    start = bar + 1;
  }
  return parts;
}

Result<TimerRule> ParseRule(const CsvRecord& record) {
  TimerRule rule;
  for (auto [column, target] :
       {std::pair{"kind", &rule.kind}, {"name", &rule.name}, {"starts_on", &rule.starts_on},
        {"legal_source", &rule.legal_source}, {"responsible", &rule.responsible}}) {
    Result<std::string_view> value = record.RequiredField(column);
    if (!value) return tl::unexpected(value.error());
    *target = std::string(*value);
  }
  rule.note = std::string(record.OptionalField("note").value_or(""));
  Result<std::string_view> amount = record.RequiredField("amount");
  if (!amount) return tl::unexpected(amount.error());
  auto [end, ec] = std::from_chars(amount->data(), amount->data() + amount->size(), rule.amount);
  if (ec != std::errc() || end != amount->data() + amount->size() || rule.amount <= 0) {
    return tl::unexpected(record.FieldError("amount", "应为正整数"));
  }
  Result<std::string_view> unit = record.RequiredField("unit");
  if (!unit) return tl::unexpected(unit.error());
  if (*unit != "days" && *unit != "hours") {
    return tl::unexpected(record.FieldError("unit", "应为 days 或 hours"));
  }
  rule.hours = *unit == "hours";
  Result<std::string_view> counting = record.RequiredField("counting");
  if (!counting) return tl::unexpected(counting.error());
  if (*counting != "calendar" && *counting != "working") {
    return tl::unexpected(record.FieldError("counting", "应为 calendar 或 working"));
  }
  rule.working = *counting == "working";
  if (rule.responsible != "agency_head" && rule.responsible != "agency" &&
      rule.responsible != "police") {
    return tl::unexpected(record.FieldError("responsible", "应为 agency_head、agency 或 police"));
  }
  if (rule.working && rule.hours) {
    return tl::unexpected(record.FieldError("counting", "按小时计算的期限不能按工作日"));
  }
  Result<std::string_view> stops = record.RequiredField("stops_on");
  if (!stops) return tl::unexpected(stops.error());
  rule.stops_on = SplitBar(*stops);
  return rule;
}

std::string RuleText(const TimerRule& rule) {
  if (rule.hours) return std::to_string(rule.amount) + " 小时";
  return std::to_string(rule.amount) + (rule.working ? " 个工作日" : " 日（自然日）");
}

Result<TimePoint> Deadline(const TimerRule& rule, TimePoint start, const WorkCalendar& calendar) {
  if (rule.hours) return start + std::chrono::hours(rule.amount);
  Result<Date> day = Date::Parse(ShanghaiDate(start));
  if (!day) return tl::unexpected(day.error());
  Result<Date> last = rule.working ? calendar.AddWorkdays(*day, rule.amount) : day->AddDays(rule.amount);
  if (!last) return tl::unexpected(last.error());
  return EndOfShanghaiDay(*last);
}

}  // namespace

Result<TimerRules> TimerRules::FromCsv(std::string_view csv) {
  Result<CsvTable> table = CsvTable::Parse(
      csv, {"kind", "name", "amount", "unit", "counting", "starts_on", "stops_on", "responsible", "legal_source"});
  if (!table) return tl::unexpected(table.error());
  std::vector<TimerRule> rules;
  for (const CsvRecord& record : table->records()) {
    Result<TimerRule> rule = ParseRule(record);
    if (!rule) return tl::unexpected(rule.error());
    rules.push_back(std::move(*rule));
  }
  return TimerRules(std::move(rules));
}

Status TimerRules::Apply(std::string_view action, TimePoint now, const WorkCalendar& calendar,
                         std::vector<CaseTimer>& timers) const {
  std::string at = FormatUtc(now);
  for (const TimerRule& rule : rules_) {
    for (CaseTimer& timer : timers) {
      if (timer.kind != rule.kind || !timer.done_at.empty()) continue;
      for (const std::string& stop : rule.stops_on) {
        if (stop == action) timer.done_at = at;
      }
    }
  }
  for (const TimerRule& rule : rules_) {
    if (rule.starts_on != action) continue;
    Result<TimePoint> deadline = Deadline(rule, now, calendar);
    if (!deadline) return Fail(ErrorCode::kInvalidArgument, "期限超出工作日历范围", "calendar");
    timers.push_back({rule.kind, rule.name, at, FormatUtc(*deadline), "", rule.legal_source,
                      RuleText(rule)});
  }
  return Ok();
}

std::vector<std::string> TimerRules::KindsFor(std::string_view who) const {
  std::vector<std::string> kinds;
  for (const TimerRule& rule : rules_) {
    if (rule.responsible == who) kinds.push_back(rule.kind);
  }
  return kinds;
}

bool IsOverdue(const CaseTimer& timer, TimePoint now) {
  if (!timer.done_at.empty()) return timer.done_at > timer.deadline_at;
  return FormatUtc(now) > timer.deadline_at;
}

}  // namespace redshield::cases
