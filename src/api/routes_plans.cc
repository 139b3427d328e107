// Routes: work plans (issue 4 §1–§3): parse and import files, settings,
// unit aliases, assignments, progress reports with attachments, reminders
// and the office's board. Reading plans is open to every signed-in user; the
// services check scope (plan.write over a region, plan.report for one's own
// organisation).
#include "api/api.h"

#include <charconv>

#include "api/mapping.h"
#include "api/plan_mapping.h"
#include "plans/plan_json.h"

namespace redshield::api {
namespace {

using api::ToJson;  // the shared shapes (mapping.h, plan_mapping.h) overload the local ones
using platform::Permission;

json::object ToJson(const plans::PlanRecord& p) {
  return {{"id", IdText(p.id)},
          {"year", p.year},
          {"region_code", p.region_code},
          {"title", p.title},
          {"source_text_sha256", p.source_text_sha256},
          {"imported_at", p.imported_at},
          {"imported_by",
           p.imported_by == 0 ? json::value(nullptr) : json::value(IdText(p.imported_by))},
          {"report_cycle", p.report_cycle},
          {"remind_days", p.remind_days},
          {"counts", json::object{{"sections", p.sections},
                                  {"items", p.items},
                                  {"tasks", p.tasks},
                                  {"assignments", p.assignments}}}};
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
  plans::AssignmentFilter filter;
  if (!ctx.request.Query("org_id").empty()) {
    RS_API_TRY(org, ParseId(ctx.request.Query("org_id"), "org_id"));
    filter.org_id = *org;
  }
  filter.status = ctx.request.Query("status");
  filter.overdue_only = ctx.request.Query("overdue") == "true";
  RS_API_TRY(assignments, s.plans.ListAssignments(*ctx.principal, *id, filter));
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


Result<int> QueryYear(const HttpRequest& request) {
  const std::string text = request.Query("year");
  int year = 0;
  auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), year);
  if (text.empty() || ec != std::errc() || end != text.data() + text.size()) {
    return Fail(ErrorCode::kInvalidArgument, "请指定年度（year=YYYY）", "year");
  }
  return year;
}

std::string RegionOf(const HttpRequest& request) {
  const std::string region = request.Query("region_code");
  return region.empty() ? std::string(plans::UnitResolver::kDefaultRegion) : region;
}

HttpResponse ParsePlanFile(RequestContext& ctx, Services& s) {
  const std::string region = RegionOf(ctx.request);
  RS_API_TRY(parsed, s.plans.Parse(*ctx.principal, ctx.request.body, region));
  HttpResponse response;
  response.body = plans::PlanJson(parsed->plan, parsed->unresolved, region);
  return response;
}

HttpResponse ImportPlan(RequestContext& ctx, Services& s) {
  RS_API_TRY(year, QueryYear(ctx.request));
  plans::ImportRequest request;
  request.year = *year;
  request.region_code = RegionOf(ctx.request);
  if (!ctx.request.Query("report_cycle").empty()) {
    request.report_cycle = ctx.request.Query("report_cycle");
  }
  if (!ctx.request.Query("due").empty()) {
    Result<Date> due = Date::Parse(ctx.request.Query("due"));
    if (!due) {
      return ErrorResponse(Error{ErrorCode::kInvalidArgument, due.error().message, "due"},
                           ctx.request.request_id);
    }
    request.due = *due;
  }
  RS_API_TRY(id, s.plans.ImportFile(*ctx.principal, ctx.request.body, request));
  RS_API_TRY(tree, s.plans.GetPlan(*ctx.principal, *id));
  return JsonResponse(201, ToJson(tree->plan));
}

HttpResponse UpdatePlan(RequestContext& ctx, Services& s) {
  RS_API_TRY(id, PathId(ctx));
  RS_API_TRY(body, ParseObject(ctx.request.body));
  RS_API_TRY(cycle, GetString(*body, "report_cycle"));
  RS_API_TRY(days, GetNumber(*body, "remind_days"));
  RS_API_TRY(plan, s.plans.UpdateSettings(*ctx.principal, *id, *cycle,
                                          days->has_value() ? static_cast<int>(**days) : 5));
  return JsonResponse(200, ToJson(*plan));
}

HttpResponse AddUnitAlias(RequestContext& ctx, Services& s) {
  RS_API_TRY(body, ParseObject(ctx.request.body));
  RS_API_TRY(text, GetString(*body, "text"));
  RS_API_TRY(org_id, GetId(*body, "org_id", true));
  RS_API_TRY(org, s.plans.AddUnitAlias(*ctx.principal, *text, **org_id));
  return JsonResponse(201, ToJson(*org));
}

json::object ToJson(const plans::Report& r) {
  json::array indicators;
  for (const plans::Indicator& i : r.indicators) {
    indicators.push_back(json::object{{"name", i.name}, {"value", i.value}, {"unit", i.unit}});
  }
  return {{"id", IdText(r.id)},
          {"assignment_id", IdText(r.assignment_id)},
          {"period", r.period},
          {"status", r.status},
          {"narrative", r.narrative},
          {"indicators", indicators},
          {"attachments", ToJson(r.attachments)},
          {"reported_by", json::object{{"id", IdText(r.reported_by)},
                                       {"display_name", r.reported_by_name},
                                       {"org_name", r.reported_by_org}}},
          {"reported_at", r.reported_at}};
}

HttpResponse GetAssignment(RequestContext& ctx, Services& s) {
  RS_API_TRY(id, PathId(ctx));
  RS_API_TRY(detail, s.progress.GetAssignment(*ctx.principal, *id));
  json::object out = ToJson(detail->assignment, true);
  json::array reports;
  for (const plans::Report& r : detail->reports) reports.push_back(ToJson(r));
  out["reports"] = reports;
  return JsonResponse(200, out);
}

Result<std::vector<plans::Indicator>> ParseIndicators(const json::object& body) {
  Result<std::vector<const json::object*>> items = GetObjectList(body, "indicators");
  RS_TRY(items);
  std::vector<plans::Indicator> out;
  for (const json::object* item : *items) {
    plans::Indicator indicator;
    Result<std::string> name = GetString(*item, "name");
    Result<std::optional<double>> value = GetNumber(*item, "value");
    Result<std::string> unit = GetString(*item, "unit", false);
    for (const Error* e : {name ? nullptr : &name.error(), value ? nullptr : &value.error(),
                           unit ? nullptr : &unit.error()}) {
      if (e != nullptr) return Fail(ErrorCode::kInvalidArgument, "指标：" + e->message, "indicators");
    }
    if (!value->has_value()) {
      return Fail(ErrorCode::kInvalidArgument, "指标“" + *name + "”缺少数值", "indicators");
    }
    out.push_back(plans::Indicator{*name, **value, *unit});
  }
  return out;
}

HttpResponse SubmitReport(RequestContext& ctx, Services& s) {
  RS_API_TRY(id, PathId(ctx));
  RS_API_TRY(body, ParseObject(ctx.request.body));
  plans::ReportDraft draft;
  RS_API_TRY(period, GetString(*body, "period"));
  RS_API_TRY(status, GetString(*body, "status"));
  RS_API_TRY(narrative, GetString(*body, "narrative", false));
  RS_API_TRY(indicators, ParseIndicators(*body));
  RS_API_TRY(files, ParseFileDrafts(*body));
  draft.period = *period;
  draft.status = *status;
  draft.narrative = *narrative;
  draft.indicators = std::move(*indicators);
  draft.files = std::move(*files);
  RS_API_TRY(report, s.progress.SubmitReport(*ctx.principal, *id, draft));
  return JsonResponse(201, ToJson(*report));
}

HttpResponse DownloadAttachment(RequestContext& ctx, Services& s) {
  RS_API_TRY(id, PathId(ctx));
  RS_API_TRY(file, s.progress.GetAttachment(*ctx.principal, *id));
  return FileDownload(file->meta.content_type, file->meta.filename, std::move(file->data));
}

HttpResponse Reminders(RequestContext& ctx, Services& s) {
  RS_API_TRY(reminders, s.progress.Reminders(*ctx.principal));
  json::array items;
  for (const plans::Reminder& r : *reminders) {
    json::object assignment = ToJson(r.assignment, true);
    assignment["plan"] =
        json::object{{"id", IdText(r.plan.id)}, {"year", r.plan.year}, {"title", r.plan.title}};
    items.push_back(json::object{{"kind", r.kind},
                                 {"due_in_working_days", r.assignment.due_in_working_days},
                                 {"assignment", assignment}});
  }
  return JsonResponse(200, json::object{{"items", items}});
}

json::object ToJson(const plans::BoardCounts& c) {
  return {{"assignments", c.assignments}, {"not_started", c.not_started},
          {"in_progress", c.in_progress}, {"done", c.done},
          {"blocked", c.blocked},         {"overdue", c.overdue}};
}

HttpResponse GetBoard(RequestContext& ctx, Services& s) {
  RS_API_TRY(id, PathId(ctx));
  RS_API_TRY(board, s.progress.GetBoard(*ctx.principal, *id, ctx.request.Query("region_code")));
  json::array by_region, by_org, overdue, blocked;
  for (const plans::BoardRow& row : board->by_region) {
    json::object out = ToJson(row.counts);
    out["region_code"] = row.region_code;
    out["region_name"] = row.name;
    by_region.push_back(out);
  }
  for (const plans::BoardRow& row : board->by_org) {
    json::object out = ToJson(row.counts);
    out["org"] = json::object{
        {"id", row.key}, {"code", row.code}, {"name", row.name}, {"region_code", row.region_code}};
    by_org.push_back(out);
  }
  for (const plans::Assignment& a : board->overdue) overdue.push_back(ToJson(a, true));
  for (const plans::Assignment& a : board->blocked) blocked.push_back(ToJson(a, true));
  return JsonResponse(200, json::object{{"as_of", board->as_of},
                                        {"totals", ToJson(board->totals)},
                                        {"by_region", by_region},
                                        {"by_org", by_org},
                                        {"overdue", overdue},
                                        {"blocked", blocked}});
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
        {"工作要点的任务分工（可按机构、状态、是否逾期筛选）", "plans", "", "AssignmentList",
         {"org_id", "status", "overdue"}},
        bind(ListAssignments));
  r.Add("PUT", "/api/v1/plan-assignments/{id}", Access::Require(Permission::kPlanWrite),
        {"修改任务分工的期限", "plans", "AssignmentInput", "Assignment"}, bind(UpdateAssignment));
  r.Add("POST", "/api/v1/plans/parse", Access::Require(Permission::kPlanWrite),
        {"解析工作要点文件（预览，不保存）", "plans", "", "ParsedPlan", {"region_code"}},
        bind(ParsePlanFile));
  r.Add("POST", "/api/v1/plans", Access::Require(Permission::kPlanWrite),
        {"导入工作要点文件", "plans", "", "Plan", {"year", "region_code", "due", "report_cycle"}},
        bind(ImportPlan));
  r.Add("PUT", "/api/v1/plans/{id}", Access::Require(Permission::kPlanWrite),
        {"修改报送周期和提醒天数", "plans", "PlanSettings", "Plan"}, bind(UpdatePlan));
  r.Add("POST", "/api/v1/plans/unit-aliases", Access::Require(Permission::kPlanWrite),
        {"将未识别的责任单位对应到机构（保存为别名）", "plans", "UnitAlias", "Organization"},
        bind(AddUnitAlias));
  r.Add("GET", "/api/v1/plan-assignments/{id}", Access::Authenticated(),
        {"任务分工详情及进展报告", "plans", "", "AssignmentDetail"}, bind(GetAssignment));
  r.Add("POST", "/api/v1/plan-assignments/{id}/reports", Access::Require(Permission::kPlanReport),
        {"报送任务进展", "plans", "ReportInput", "Report"}, bind(SubmitReport));
  r.Add("GET", "/api/v1/plan-attachments/{id}", Access::Authenticated(),
        {"下载进展报告或整改报告的附件", "plans", "", ""}, bind(DownloadAttachment));
  r.Add("GET", "/api/v1/me/reminders", Access::Authenticated(),
        {"本单位即将到期和已逾期的任务", "plans", "", "Reminders"}, bind(Reminders));
  r.Add("GET", "/api/v1/plans/{id}/board", Access::Require(Permission::kPlanWrite),
        {"督查看板：按地区和单位统计进展，列出逾期和受阻任务", "plans", "", "Board",
         {"region_code"}},
        bind(GetBoard));
}

}  // namespace redshield::api
