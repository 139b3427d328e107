#include "plans/plan_service.h"

#include <algorithm>
#include <map>

#include "core/crypto.h"
#include "plans/access.h"
#include "plans/deadlines.h"
#include "core/text.h"
#include "plans/plan_parser.h"

namespace redshield::plans {
namespace {

using platform::Permission;
using platform::Principal;

bool IsRegionCode(std::string_view code) {
  return code.size() == 6 &&
         std::all_of(code.begin(), code.end(), [](char c) { return c >= '0' && c <= '9'; });
}

Status CheckResolved(const Plan& plan) {
  int unresolved = 0;
  for (const Section& section : plan.sections) {
    for (const Item& item : section.items) {
      for (const Task& task : item.tasks) {
        for (const Unit& unit : task.units) {
          bool has_ids = unit.org ? unit.org->id != 0 : !unit.group.empty();
          for (const OrgRef& member : unit.members) has_ids = has_ids && member.id != 0;
          if (!has_ids) ++unresolved;
        }
      }
    }
  }
  if (unresolved == 0) return Ok();
  return Fail(ErrorCode::kInvalidArgument,
              "有 " + std::to_string(unresolved) + " 个责任单位未对应到数据库中的机构", "units");
}

void AddAssignment(std::map<Id, Assignment>& by_org, const OrgRef& org, const Unit& unit) {
  auto [it, added] = by_org.try_emplace(org.id);
  Assignment& a = it->second;
  if (added) {
    a.org_id = org.id;
    a.org_code = org.code;
    a.org_name = org.name;
    a.role = unit.role;
    a.unit_text = unit.text;
  } else if (unit.role == UnitRole::kLead && a.role != UnitRole::kLead) {
    // Named twice (e.g. as lead and within a group): the lead role wins.
    a.role = UnitRole::kLead;
    a.unit_text = unit.text;
  }
}

}  // namespace

PlanService::PlanService(PlanStore& store, platform::PlatformStore& platform,
                         const WorkCalendar& calendar, std::string org_groups_csv,
                         const Clock& clock, IdGenerator& ids)
    : store_(store),
      platform_(platform),
      calendar_(calendar),
      org_groups_csv_(std::move(org_groups_csv)),
      clock_(clock),
      ids_(ids) {}

Result<UnitResolver> PlanService::MakeResolver(const std::string& region_code) {
  if (!IsRegionCode(region_code)) {
    return Fail(ErrorCode::kInvalidArgument, "地区代码须为 6 位数字", "region_code");
  }
  std::vector<OrgEntry> orgs;
  platform::OrgQuery query;
  query.page.page_size = 200;
  for (query.page.page = 1;; ++query.page.page) {
    Result<platform::Page<platform::Organization>> page = platform_.ListOrganizations(query);
    RS_TRY(page);
    for (platform::Organization& org : page->items) {
      orgs.push_back(OrgEntry{org.id, org.code, org.name, org.short_name, std::move(org.aliases),
                              org.region_code});
    }
    if (page->items.empty() || static_cast<std::int64_t>(orgs.size()) >= page->total) break;
  }
  Result<std::vector<OrgGroup>> groups = ParseOrgGroupsCsv(org_groups_csv_);
  RS_TRY(groups);
  return UnitResolver(std::move(orgs), std::move(*groups), region_code);
}

Result<ParsedPlan> PlanService::Parse(const Principal& who, std::string_view bytes,
                                      const std::string& region_code) {
  if (!PlanWriteRegion(who)) return Fail(ErrorCode::kPermissionDenied, "无权导入工作要点");
  return ParseResolve(bytes, region_code);
}

Result<ParsedPlan> PlanService::ParseResolve(std::string_view bytes,
                                             const std::string& region_code) {
  Result<std::unique_ptr<SimplifiedConverter>> converter = SimplifiedConverter::Create();
  RS_TRY(converter);
  Result<Plan> plan = ParsePlan(bytes, converter->get());
  if (!plan) return Fail(plan.error().code, plan.error().message, "file");
  Result<UnitResolver> resolver = MakeResolver(region_code);
  RS_TRY(resolver);
  ParsedPlan parsed{std::move(*plan), {}};
  parsed.unresolved = resolver->ResolvePlan(parsed.plan);
  return parsed;
}

Result<Id> PlanService::ImportFile(const Principal& who, std::string_view bytes,
                                   ImportRequest request) {
  RS_TRY(CheckPlanWrite(who, request.region_code));
  return ImportFile(who.actor, bytes, std::move(request));
}

Result<Id> PlanService::ImportFile(const Actor& actor, std::string_view bytes,
                                   ImportRequest request) {
  Result<ParsedPlan> parsed = ParseResolve(bytes, request.region_code);
  RS_TRY(parsed);
  if (parsed->plan.year != 0 && parsed->plan.year != request.year) {
    return Fail(ErrorCode::kInvalidArgument,
                "文件是 " + std::to_string(parsed->plan.year) + " 年的工作要点，与所选年度 " +
                    std::to_string(request.year) + " 不符",
                "year");
  }
  request.source_sha256 = Sha256Hex(bytes);
  return Import(actor, parsed->plan, request);
}

Result<platform::Organization> PlanService::AddUnitAlias(const Principal& who,
                                                         std::string_view text, Id org_id) {
  const std::string alias(TrimAscii(text));
  if (alias.empty() || alias.size() > 200) {
    return Fail(ErrorCode::kInvalidArgument, "请填写计划中的单位名称（不超过 200 字节）", "text");
  }
  Result<platform::Organization> org = platform_.FindOrganization(org_id);
  if (!org) return Fail(org.error().code, org.error().message, "org_id");
  RS_TRY(CheckPlanWrite(who, org->region_code));
  if (std::find(org->aliases.begin(), org->aliases.end(), alias) != org->aliases.end()) return org;
  org->aliases.push_back(alias);
  RS_TRY(platform_.UpdateOrganization(
      *org, {who.actor, "org.alias.add", "organization", std::to_string(org->id),
             "将工作要点中的“" + alias + "”对应到 " + org->name}));
  return platform_.FindOrganization(org_id);
}

Result<PlanRecord> PlanService::UpdateSettings(const Principal& who, Id plan_id,
                                               std::string_view report_cycle, int remind_days) {
  if (report_cycle != "monthly" && report_cycle != "quarterly") {
    return Fail(ErrorCode::kInvalidArgument, "报送周期须为 monthly（月报）或 quarterly（季报）",
                "report_cycle");
  }
  if (remind_days < 0 || remind_days > 30) {
    return Fail(ErrorCode::kInvalidArgument, "提前提醒的工作日数须在 0 至 30 之间",
                "remind_days");
  }
  Result<PlanTree> tree = store_.FindPlan(plan_id);
  RS_TRY(tree);
  RS_TRY(CheckPlanWrite(who, tree->plan.region_code));
  const std::string cycle(report_cycle);
  RS_TRY(store_.UpdatePlanSettings(
      plan_id, cycle, remind_days,
      {who.actor, "plan.update", "plan", std::to_string(plan_id),
       "修改 " + std::to_string(tree->plan.year) + " 年工作要点的报送周期为 " +
           (cycle == "monthly" ? "月报" : "季报") + "，提前 " + std::to_string(remind_days) +
           " 个工作日提醒"}));
  tree->plan.report_cycle = cycle;
  tree->plan.remind_days = remind_days;
  return tree->plan;
}

std::vector<Assignment> PlanService::AssignmentsOf(const Task& task) {
  std::map<Id, Assignment> by_org;
  for (const Unit& unit : task.units) {
    if (unit.org) AddAssignment(by_org, *unit.org, unit);
    for (const OrgRef& member : unit.members) AddAssignment(by_org, member, unit);
  }
  std::vector<Assignment> out;
  for (auto& [org_id, assignment] : by_org) out.push_back(std::move(assignment));
  std::stable_sort(out.begin(), out.end(), [](const Assignment& a, const Assignment& b) {
    return a.role == UnitRole::kLead && b.role != UnitRole::kLead;
  });
  return out;
}

Result<PlanTree> PlanService::BuildTree(const Plan& plan, const ImportRequest& request,
                                        const Actor& actor) {
  if (request.year < 2000 || request.year > 2100) {
    return Fail(ErrorCode::kInvalidArgument, "年度须在 2000 至 2100 之间", "year");
  }
  if (!IsRegionCode(request.region_code)) {
    return Fail(ErrorCode::kInvalidArgument, "地区代码须为 6 位数字", "region");
  }
  if (plan.TaskCount() == 0) return Fail(ErrorCode::kInvalidArgument, "工作要点中没有任务", "file");
  RS_TRY(CheckResolved(plan));
  Result<Date> due = request.due ? Result<Date>(*request.due) : Date::FromYmd(request.year, 12, 31);
  RS_TRY(due);
  if (request.report_cycle != "monthly" && request.report_cycle != "quarterly") {
    return Fail(ErrorCode::kInvalidArgument, "报送周期须为 monthly（月报）或 quarterly（季报）",
                "report_cycle");
  }
  PlanTree tree;
  tree.plan = PlanRecord{ids_.Next(),  request.year,          request.region_code,
                         plan.title,   request.source_sha256, FormatUtc(clock_.Now()),
                         actor.user_id};
  tree.plan.report_cycle = request.report_cycle;
  for (const Section& section : plan.sections) {
    StoredSection& s = tree.sections.emplace_back();
    s = {ids_.Next(), static_cast<int>(tree.sections.size()), section.number, section.title, {}};
    for (const Item& item : section.items) {
      StoredItem& i = s.items.emplace_back();
      i = {ids_.Next(), static_cast<int>(s.items.size()), item.number, item.title, item.intro, {}};
      for (const Task& task : item.tasks) {
        StoredTask& t = i.tasks.emplace_back();
        t = {ids_.Next(), static_cast<int>(i.tasks.size()), task.number, task.text, task.note, {}};
        t.assignments = AssignmentsOf(task);
        for (Assignment& a : t.assignments) {
          a.id = ids_.Next();
          a.plan_id = tree.plan.id;
          a.task_id = t.id;
          a.due_date = due->ToString();
        }
        tree.plan.assignments += static_cast<int>(t.assignments.size());
      }
      tree.plan.tasks += static_cast<int>(i.tasks.size());
    }
    tree.plan.items += static_cast<int>(s.items.size());
  }
  tree.plan.sections = static_cast<int>(tree.sections.size());
  return tree;
}

Result<Id> PlanService::Import(const Actor& actor, const Plan& plan, const ImportRequest& request) {
  Result<PlanTree> tree = BuildTree(plan, request, actor);
  RS_TRY(tree);
  const PlanRecord& p = tree->plan;
  RS_TRY(store_.InsertPlan(
      *tree,
      {actor, "plan.import", "plan", std::to_string(p.id),
       "导入 " + std::to_string(p.year) + " 年工作要点（" + p.region_code + "）：" +
           std::to_string(p.sections) + " 个部分、" + std::to_string(p.items) + " 项、" +
           std::to_string(p.tasks) + " 条任务、" + std::to_string(p.assignments) + " 条分工"}));
  return p.id;
}

Result<Id> PlanService::Import(const Principal& who, const Plan& plan,
                               const ImportRequest& request) {
  RS_TRY(CheckPlanWrite(who, request.region_code));
  return Import(who.actor, plan, request);
}

Result<std::vector<PlanRecord>> PlanService::ListPlans(const Principal&) {
  // Every signed-in user reads the plans: they are what the work is measured against.
  return store_.ListPlans();
}

Result<PlanTree> PlanService::GetPlan(const Principal&, Id id) {
  Result<PlanTree> tree = store_.FindPlan(id);
  RS_TRY(tree);
  const Date today = TodayIn(clock_);
  for (StoredSection& section : tree->sections) {
    for (StoredItem& item : section.items) {
      for (StoredTask& task : item.tasks) {
        for (Assignment& a : task.assignments) AnnotateDue(a, today, calendar_);
      }
    }
  }
  return tree;
}

Result<std::vector<Assignment>> PlanService::ListAssignments(const Principal&, Id plan_id,
                                                             const AssignmentFilter& filter) {
  Result<std::vector<PlanRecord>> plans = store_.ListPlans();
  RS_TRY(plans);
  if (std::none_of(plans->begin(), plans->end(),
                   [plan_id](const PlanRecord& p) { return p.id == plan_id; })) {
    return Fail(ErrorCode::kNotFound, "工作要点不存在");
  }
  if (!filter.status.empty() && !IsAssignmentStatus(filter.status)) {
    return Fail(ErrorCode::kInvalidArgument, "状态须为 未开始、进行中、已完成 或 受阻", "status");
  }
  Result<std::vector<Assignment>> all =
      store_.ListAssignments(AssignmentQuery{plan_id, filter.org_id});
  RS_TRY(all);
  const Date today = TodayIn(clock_);
  std::vector<Assignment> out;
  for (Assignment& a : *all) {
    AnnotateDue(a, today, calendar_);
    if (!filter.status.empty() && a.status != filter.status) continue;
    if (filter.overdue_only && !a.overdue) continue;
    out.push_back(std::move(a));
  }
  return out;
}

Result<Assignment> PlanService::UpdateAssignmentDue(const Principal& who, Id assignment_id,
                                                    std::string_view due_date) {
  Result<Date> due = Date::Parse(due_date);
  if (!due) return Fail(ErrorCode::kInvalidArgument, due.error().message, "due_date");
  Result<Assignment> existing = store_.FindAssignment(assignment_id);
  RS_TRY(existing);
  RS_TRY(CheckPlanWrite(who, existing->region_code));
  const std::string text = due->ToString();
  RS_TRY(store_.UpdateAssignmentDue(
      assignment_id, text,
      {who.actor, "plan.assignment.update", "plan_assignment", std::to_string(assignment_id),
       "修改 " + existing->org_name + " 的任务期限：" + existing->due_date + " → " + text}));
  Result<Assignment> updated = store_.FindAssignment(assignment_id);
  RS_TRY(updated);
  AnnotateDue(*updated, TodayIn(clock_), calendar_);
  return updated;
}

}  // namespace redshield::plans
