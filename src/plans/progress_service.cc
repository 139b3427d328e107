#include "plans/progress_service.h"

#include <algorithm>
#include <cmath>
#include <map>

#include "core/crypto.h"
#include "core/text.h"
#include "plans/access.h"
#include "plans/deadlines.h"

namespace redshield::plans {
namespace {

using platform::Principal;

int ParseNumber(std::string_view digits) {
  int value = 0;
  for (char c : digits) {
    if (c < '0' || c > '9') return -1;
    value = value * 10 + (c - '0');
  }
  return digits.empty() ? -1 : value;
}

// The first day of `period` if it is a period of `cycle` in `year`.
Result<Date> PeriodStart(std::string_view period, const std::string& cycle, int year) {
  const std::string expected = cycle == "quarterly" ? std::to_string(year) + "-Q1 至 -Q4"
                                                    : std::to_string(year) + "-01 至 -12";
  auto bad = [&] {
    return Fail(ErrorCode::kInvalidArgument,
                "报送期间“" + std::string(period) + "”无效：本工作要点按" +
                    (cycle == "quarterly" ? "季" : "月") + "报送，应为 " + expected,
                "period");
  };
  if (period.size() < 7 || ParseNumber(period.substr(0, 4)) != year || period[4] != '-') {
    return bad();
  }
  int month = 0;
  if (cycle == "quarterly") {
    const int quarter = period.size() == 7 && period[5] == 'Q' ? ParseNumber(period.substr(6)) : -1;
    if (quarter < 1 || quarter > 4) return bad();
    month = quarter * 3 - 2;
  } else {
    month = period.size() == 7 ? ParseNumber(period.substr(5)) : -1;
    if (month < 1 || month > 12) return bad();
  }
  return Date::FromYmd(year, month, 1);
}

Status CheckIndicators(const std::vector<Indicator>& indicators) {
  if (indicators.size() > kMaxIndicators) {
    return Fail(ErrorCode::kInvalidArgument,
                "指标最多 " + std::to_string(kMaxIndicators) + " 项", "indicators");
  }
  for (size_t i = 0; i < indicators.size(); ++i) {
    const Indicator& indicator = indicators[i];
    const std::string where = "第 " + std::to_string(i + 1) + " 项指标";
    if (TrimAscii(indicator.name).empty() || indicator.name.size() > 100) {
      return Fail(ErrorCode::kInvalidArgument, where + "缺少名称（或超过 100 字节）",
                  "indicators");
    }
    if (!std::isfinite(indicator.value) || std::fabs(indicator.value) > 1e15) {
      return Fail(ErrorCode::kInvalidArgument, where + "的数值无效", "indicators");
    }
    if (indicator.unit.size() > 40) {
      return Fail(ErrorCode::kInvalidArgument, where + "的单位过长", "indicators");
    }
  }
  return Ok();
}


std::string PrefectureOf(const std::string& region_code) {
  if (region_code.size() != 6) return region_code;
  return region_code.substr(0, 4) + "00";
}

bool MoreUrgent(const Assignment& a, const Assignment& b) {
  if (a.due_in_working_days != b.due_in_working_days) {
    return a.due_in_working_days < b.due_in_working_days;
  }
  return a.id < b.id;
}

}  // namespace

void BoardCounts::Add(const Assignment& a) {
  ++assignments;
  if (a.status == "已完成") {
    ++done;
  } else if (a.status == "进行中") {
    ++in_progress;
  } else if (a.status == "受阻") {
    ++blocked;
  } else {
    ++not_started;
  }
  if (a.overdue) ++overdue;
}


ProgressService::ProgressService(PlanStore& store, platform::PlatformStore& platform,
                                 const WorkCalendar& calendar, const Clock& clock,
                                 IdGenerator& ids)
    : store_(store), platform_(platform), calendar_(calendar), clock_(clock), ids_(ids) {}

Result<Report> ProgressService::SubmitReport(const Principal& who, Id assignment_id,
                                             const ReportDraft& draft) {
  Result<Assignment> assignment = store_.FindAssignment(assignment_id);
  RS_TRY(assignment);
  RS_TRY(CheckOwnOrgReport(who, assignment->org_id));
  Result<PlanTree> plan = store_.FindPlan(assignment->plan_id);
  RS_TRY(plan);
  Result<Date> start = PeriodStart(draft.period, plan->plan.report_cycle, plan->plan.year);
  RS_TRY(start);
  if (*start > TodayIn(clock_)) {
    return Fail(ErrorCode::kInvalidArgument, "报送期间“" + draft.period + "”尚未开始", "period");
  }
  if (!IsAssignmentStatus(draft.status)) {
    return Fail(ErrorCode::kInvalidArgument, "状态须为 未开始、进行中、已完成 或 受阻", "status");
  }
  if (draft.narrative.size() > 20000) {
    return Fail(ErrorCode::kInvalidArgument, "进展情况不超过 20000 字节", "narrative");
  }
  if (draft.status == "受阻" && TrimAscii(draft.narrative).empty()) {
    return Fail(ErrorCode::kInvalidArgument, "状态为“受阻”时须说明受阻原因", "narrative");
  }
  RS_TRY(CheckIndicators(draft.indicators));
  Report report;
  report.id = ids_.Next();
  Result<std::vector<Attachment>> files = MakeAttachments(
      draft.files, kPlanFileLimits, {"report", report.id, assignment->org_id, assignment->region_code, ""},
      ids_);
  RS_TRY(files);
  report.assignment_id = assignment_id;
  report.period = draft.period;
  report.status = draft.status;
  report.narrative = draft.narrative;
  report.indicators = draft.indicators;
  for (const Attachment& file : *files) report.attachments.push_back(file.meta);
  report.reported_by = who.user.id;
  report.reported_by_name = who.user.display_name;
  report.reported_by_org = who.user.org_name;
  report.reported_at = FormatUtc(clock_.Now());
  RS_TRY(store_.InsertReport(
      report, *files,
      {who.actor, "plan.report", "plan_assignment", std::to_string(assignment_id),
       assignment->org_name + " 报送 " + draft.period + " 进展：" + draft.status + "（任务 " +
           assignment->item_number + "-" + assignment->task_number + "，" +
           std::to_string(draft.indicators.size()) + " 项指标、" +
           std::to_string(files->size()) + " 个附件）"}));
  return report;
}

Result<AssignmentDetail> ProgressService::GetAssignment(const Principal&, Id assignment_id) {
  // Plans and their progress are open to every signed-in user, like the plans.
  Result<Assignment> assignment = store_.FindAssignment(assignment_id);
  RS_TRY(assignment);
  AnnotateDue(*assignment, TodayIn(clock_), calendar_);
  Result<std::vector<Report>> reports = store_.ListReports(assignment_id);
  RS_TRY(reports);
  return AssignmentDetail{std::move(*assignment), std::move(*reports)};
}

Result<Attachment> ProgressService::GetAttachment(const Principal& who, Id attachment_id) {
  Result<Attachment> file = store_.FindAttachment(attachment_id);
  RS_TRY(file);
  if (who.user.org_id != file->org_id && !CanPlanWrite(who, file->region_code)) {
    return Fail(ErrorCode::kPermissionDenied, "无权下载该附件");
  }
  return file;
}

Result<std::vector<Reminder>> ProgressService::Reminders(const Principal& who) {
  Result<std::vector<PlanRecord>> plans = store_.ListPlans();
  RS_TRY(plans);
  std::map<Id, PlanRecord> by_id;
  for (const PlanRecord& plan : *plans) by_id[plan.id] = plan;
  Result<std::vector<Assignment>> mine =
      store_.ListAssignments(AssignmentQuery{std::nullopt, who.user.org_id});
  RS_TRY(mine);
  const Date today = TodayIn(clock_);
  std::vector<Reminder> out;
  for (Assignment& a : *mine) {
    if (a.status == "已完成") continue;
    AnnotateDue(a, today, calendar_);
    const PlanRecord& plan = by_id[a.plan_id];
    if (!a.overdue && a.due_in_working_days > plan.remind_days) continue;
    out.push_back(Reminder{a.overdue ? "overdue" : "due_soon", std::move(a), plan});
  }
  std::sort(out.begin(), out.end(), [](const Reminder& x, const Reminder& y) {
    return MoreUrgent(x.assignment, y.assignment);
  });
  return out;
}

Result<Board> ProgressService::GetBoard(const Principal& who, Id plan_id,
                                        const std::string& region_code) {
  std::optional<std::string> scope = PlanWriteRegion(who);
  if (!scope) return Fail(ErrorCode::kPermissionDenied, "督查看板仅供领导小组办公室使用");
  if (!region_code.empty() && !CanPlanWrite(who, region_code)) {
    return Fail(ErrorCode::kPermissionDenied, "无权查看该地区", "region_code");
  }
  Result<PlanTree> plan = store_.FindPlan(plan_id);
  RS_TRY(plan);
  Result<std::vector<Assignment>> all = store_.ListAssignments(AssignmentQuery{plan_id, {}});
  RS_TRY(all);
  Result<std::vector<platform::Region>> regions = platform_.ListRegions();
  RS_TRY(regions);
  std::map<std::string, std::string> region_names;
  for (const platform::Region& r : *regions) region_names[r.code] = r.name;
  const std::string& limit = region_code.empty() ? *scope : region_code;

  const Date today = TodayIn(clock_);
  Board board;
  board.as_of = today.ToString();
  std::map<std::string, BoardRow> by_region;
  std::map<Id, BoardRow> by_org;
  for (Assignment& a : *all) {
    if (!limit.empty() && !platform::RegionCovers(limit, a.region_code)) continue;
    AnnotateDue(a, today, calendar_);
    board.totals.Add(a);
    const std::string prefecture = PrefectureOf(a.region_code);
    BoardRow& region = by_region[prefecture];
    region.key = region.region_code = prefecture;
    region.name = prefecture.ends_with("0000") ? "自治区本级" : region_names[prefecture];
    region.counts.Add(a);
    BoardRow& org = by_org[a.org_id];
    org.key = std::to_string(a.org_id);
    org.name = a.org_name;
    org.code = a.org_code;
    org.region_code = a.region_code;
    org.counts.Add(a);
    if (a.overdue) board.overdue.push_back(a);
    if (a.status == "受阻") board.blocked.push_back(a);
  }
  for (auto& [code, row] : by_region) board.by_region.push_back(std::move(row));
  for (auto& [id, row] : by_org) board.by_org.push_back(std::move(row));
  std::stable_sort(board.by_org.begin(), board.by_org.end(),
                   [](const BoardRow& x, const BoardRow& y) {
                     if (x.counts.overdue != y.counts.overdue) {
                       return x.counts.overdue > y.counts.overdue;
                     }
                     return x.code < y.code;
                   });
  std::stable_sort(board.overdue.begin(), board.overdue.end(), MoreUrgent);
  return board;
}

}  // namespace redshield::plans
