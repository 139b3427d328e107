#include "plans/plan_service.h"

#include <algorithm>
#include <map>

namespace redshield::plans {
namespace {

using platform::Permission;
using platform::Principal;

tl::unexpected<Error> Denied() {
  return Fail(ErrorCode::kPermissionDenied, "无权修改该地区的工作要点");
}

// kRegion and kAll are the only scopes plan.write is granted with; an
// own-organisation scope would not cover a region.
Status CheckRegion(const Principal& who, std::string_view region_code) {
  if (!who.Has(Permission::kPlanWrite)) return Denied();
  switch (platform::ScopeOf(who.user.roles, Permission::kPlanWrite)) {
    case platform::Scope::kAll:
      return Ok();
    case platform::Scope::kRegion:
      return platform::RegionCovers(who.user.org_region, region_code) ? Ok() : Denied();
    case platform::Scope::kOwnOrg:
      return Denied();
  }
  return Denied();
}

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

PlanService::PlanService(PlanStore& store, const Clock& clock, IdGenerator& ids)
    : store_(store), clock_(clock), ids_(ids) {}

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
  PlanTree tree;
  tree.plan = PlanRecord{ids_.Next(),  request.year,          request.region_code,
                         plan.title,   request.source_sha256, FormatUtc(clock_.Now()),
                         actor.user_id};
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
  RS_TRY(CheckRegion(who, request.region_code));
  return Import(who.actor, plan, request);
}

Result<std::vector<PlanRecord>> PlanService::ListPlans(const Principal&) {
  // Every signed-in user reads the plans: they are what the work is measured against.
  return store_.ListPlans();
}

Result<PlanTree> PlanService::GetPlan(const Principal&, Id id) { return store_.FindPlan(id); }

Result<std::vector<Assignment>> PlanService::ListAssignments(const Principal&, Id plan_id,
                                                             std::optional<Id> org_id) {
  Result<std::vector<PlanRecord>> plans = store_.ListPlans();
  RS_TRY(plans);
  if (std::none_of(plans->begin(), plans->end(),
                   [plan_id](const PlanRecord& p) { return p.id == plan_id; })) {
    return Fail(ErrorCode::kNotFound, "工作要点不存在");
  }
  return store_.ListAssignments(AssignmentQuery{plan_id, org_id});
}

Result<Assignment> PlanService::UpdateAssignmentDue(const Principal& who, Id assignment_id,
                                                    std::string_view due_date) {
  Result<Date> due = Date::Parse(due_date);
  if (!due) return Fail(ErrorCode::kInvalidArgument, due.error().message, "due_date");
  Result<Assignment> existing = store_.FindAssignment(assignment_id);
  RS_TRY(existing);
  RS_TRY(CheckRegion(who, existing->region_code));
  const std::string text = due->ToString();
  RS_TRY(store_.UpdateAssignmentDue(
      assignment_id, text,
      {who.actor, "plan.assignment.update", "plan_assignment", std::to_string(assignment_id),
       "修改 " + existing->org_name + " 的任务期限：" + existing->due_date + " → " + text}));
  return store_.FindAssignment(assignment_id);
}

}  // namespace redshield::plans
