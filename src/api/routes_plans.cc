// Routes: imported work plans and their assignments (issue 4 §2). Reading is
// open to every signed-in user; editing a due date needs plan.write.
#include "api/api.h"
#include "api/mapping.h"

namespace redshield::api {
namespace {

using platform::Permission;

#define RS_API_TRY(var, expr) \
  auto var = (expr);          \
  if (!var) return ErrorResponse(var.error(), ctx.request.request_id)

json::object ToJson(const plans::PlanRecord& p) {
  return {{"id", IdText(p.id)},
          {"year", p.year},
          {"region_code", p.region_code},
          {"title", p.title},
          {"source_text_sha256", p.source_text_sha256},
          {"imported_at", p.imported_at},
          {"imported_by",
           p.imported_by == 0 ? json::value(nullptr) : json::value(IdText(p.imported_by))},
          {"counts", json::object{{"sections", p.sections},
                                  {"items", p.items},
                                  {"tasks", p.tasks},
                                  {"assignments", p.assignments}}}};
}

json::object ToJson(const plans::Assignment& a, bool with_task) {
  json::object out{{"id", IdText(a.id)},
                   {"plan_id", IdText(a.plan_id)},
                   {"task_id", IdText(a.task_id)},
                   {"org", json::object{{"id", IdText(a.org_id)},
                                        {"code", a.org_code},
                                        {"name", a.org_name},
                                        {"region_code", a.region_code}}},
                   {"role", std::string(plans::UnitRoleName(a.role))},
                   {"due_date", a.due_date},
                   {"status", a.status},
                   {"unit_text", a.unit_text}};
  if (with_task) {
    out["task"] = json::object{
        {"item_number", a.item_number}, {"number", a.task_number}, {"text", a.task_text}};
  }
  return out;
}

json::object ToJson(const plans::PlanTree& tree) {
  json::array sections;
  for (const plans::StoredSection& section : tree.sections) {
    json::array items;
    for (const plans::StoredItem& item : section.items) {
      json::array tasks;
      for (const plans::StoredTask& task : item.tasks) {
        json::array assignments;
        for (const plans::Assignment& a : task.assignments) assignments.push_back(ToJson(a, false));
        tasks.push_back(json::object{{"id", IdText(task.id)},
                                     {"ordinal", task.ordinal},
                                     {"number", task.number},
                                     {"text", task.text},
                                     {"note", task.note},
                                     {"assignments", assignments}});
      }
      items.push_back(json::object{{"id", IdText(item.id)},
                                   {"ordinal", item.ordinal},
                                   {"number", item.number},
                                   {"title", item.title},
                                   {"intro", item.intro},
                                   {"tasks", tasks}});
    }
    sections.push_back(json::object{{"id", IdText(section.id)},
                                    {"ordinal", section.ordinal},
                                    {"number", section.number},
                                    {"title", section.title},
                                    {"items", items}});
  }
  json::object out = ToJson(tree.plan);
  out["sections"] = sections;
  return out;
}

HttpResponse ListPlans(RequestContext& ctx, Services& s) {
  RS_API_TRY(plans, s.plans.ListPlans(*ctx.principal));
  json::array items;
  for (const plans::PlanRecord& p : *plans) items.push_back(ToJson(p));
  return JsonResponse(200, json::object{{"items", items}});
}

HttpResponse GetPlan(RequestContext& ctx, Services& s) {
  RS_API_TRY(id, PathId(ctx));
  RS_API_TRY(tree, s.plans.GetPlan(*ctx.principal, *id));
  return JsonResponse(200, ToJson(*tree));
}

HttpResponse ListAssignments(RequestContext& ctx, Services& s) {
  RS_API_TRY(id, PathId(ctx));
  std::optional<Id> org_id;
  if (!ctx.request.Query("org_id").empty()) {
    RS_API_TRY(org, ParseId(ctx.request.Query("org_id"), "org_id"));
    org_id = *org;
  }
  RS_API_TRY(assignments, s.plans.ListAssignments(*ctx.principal, *id, org_id));
  json::array items;
  for (const plans::Assignment& a : *assignments) items.push_back(ToJson(a, true));
  return JsonResponse(200, json::object{{"items", items}});
}

HttpResponse UpdateAssignment(RequestContext& ctx, Services& s) {
  RS_API_TRY(id, PathId(ctx));
  RS_API_TRY(body, ParseObject(ctx.request.body));
  RS_API_TRY(due, GetString(*body, "due_date"));
  RS_API_TRY(assignment, s.plans.UpdateAssignmentDue(*ctx.principal, *id, *due));
  return JsonResponse(200, ToJson(*assignment, true));
}

}  // namespace

void AddPlanRoutes(Router& r, Services& s) {
  auto bind = [&s](HttpResponse (*fn)(RequestContext&, Services&)) {
    return [&s, fn](RequestContext& ctx) { return fn(ctx, s); };
  };
  r.Add("GET", "/api/v1/plans", Access::Authenticated(), {"工作要点列表", "plans", "", "PlanList"},
        bind(ListPlans));
  r.Add("GET", "/api/v1/plans/{id}", Access::Authenticated(),
        {"工作要点详情（部分、条目、任务、分工）", "plans", "", "PlanTree"}, bind(GetPlan));
  r.Add("GET", "/api/v1/plans/{id}/assignments", Access::Authenticated(),
        {"工作要点的任务分工（可按机构筛选）", "plans", "", "AssignmentList", {"org_id"}},
        bind(ListAssignments));
  r.Add("PUT", "/api/v1/plan-assignments/{id}", Access::Require(Permission::kPlanWrite),
        {"修改任务分工的期限", "plans", "AssignmentInput", "Assignment"}, bind(UpdateAssignment));
}

}  // namespace redshield::api
