// Routes: supervision (plan item 二十) — 通报, 约谈 and 挂牌督办 with their
// lifecycles. The service checks who may take each step.
#include "api/api.h"
#include "api/mapping.h"
#include "api/plan_mapping.h"

namespace redshield::api {
namespace {

using api::ToJson;  // the shared shapes (mapping.h, plan_mapping.h) overload the local ones
using platform::Permission;

json::object ToJson(const plans::SupervisionEvent& e) {
  return {{"id", IdText(e.id)},
          {"action", e.action},
          {"text", e.text},
          {"attachments", ToJson(e.attachments)},
          {"by", json::object{{"id", IdText(e.by)},
                              {"display_name", e.by_name},
                              {"org_name", e.by_org}}},
          {"at", e.at}};
}

json::object ToJson(const plans::Supervision& s, bool overdue, bool with_events) {
  json::value assignment = nullptr;
  if (s.assignment_id) {
    assignment = json::object{{"id", IdText(*s.assignment_id)},
                              {"task", json::object{{"item_number", s.item_number},
                                                    {"number", s.task_number},
                                                    {"text", s.task_text}}}};
  }
  auto text_or_null = [](const std::string& text) {
    return text.empty() ? json::value(nullptr) : json::value(text);
  };
  json::object out{{"id", IdText(s.id)},
                   {"plan_id", IdText(s.plan_id)},
                   {"kind", s.kind},
                   {"kind_name", plans::SupervisionKindName(s.kind)},
                   {"org", json::object{{"id", IdText(s.org_id)},
                                        {"code", s.org_code},
                                        {"name", s.org_name},
                                        {"region_code", s.region_code}}},
                   {"assignment", assignment},
                   {"title", s.title},
                   {"content", s.content},
                   {"deadline", text_or_null(s.deadline)},
                   {"meeting_at", text_or_null(s.meeting_at)},
                   {"place", s.place},
                   {"status", s.status},
                   {"overdue", overdue},
                   {"created_by", json::object{{"id", IdText(s.created_by)},
                                               {"display_name", s.created_by_name}}},
                   {"created_at", s.created_at},
                   {"updated_at", s.updated_at}};
  if (with_events) {
    json::array events;
    for (const plans::SupervisionEvent& e : s.events) events.push_back(ToJson(e));
    out["events"] = events;
  }
  return out;
}

HttpResponse List(RequestContext& ctx, Services& s) {
  RS_API_TRY(page, ParsePage(ctx.request));
  plans::SupervisionQuery query;
  query.page = *page;
  query.kind = ctx.request.Query("kind");
  query.status = ctx.request.Query("status");
  for (const char* field : {"plan_id", "org_id"}) {
    if (ctx.request.Query(field).empty()) continue;
    RS_API_TRY(id, ParseId(ctx.request.Query(field), field));
    (std::string_view(field) == "plan_id" ? query.plan_id : query.org_id) = *id;
  }
  RS_API_TRY(result, s.supervision.List(*ctx.principal, query));
  return JsonResponse(200, PageJson(*result, [&s](const plans::Supervision& item) {
                        return ToJson(item, s.supervision.IsOverdue(item), false);
                      }));
}

HttpResponse Get(RequestContext& ctx, Services& s) {
  RS_API_TRY(id, PathId(ctx));
  RS_API_TRY(item, s.supervision.Get(*ctx.principal, *id));
  return JsonResponse(200, ToJson(*item, s.supervision.IsOverdue(*item), true));
}

HttpResponse Create(RequestContext& ctx, Services& s) {
  RS_API_TRY(body, ParseObject(ctx.request.body));
  plans::SupervisionDraft draft;
  RS_API_TRY(plan_id, GetId(*body, "plan_id", true));
  RS_API_TRY(org_id, GetId(*body, "org_id", true));
  RS_API_TRY(assignment_id, GetId(*body, "assignment_id", false));
  RS_API_TRY(kind, GetString(*body, "kind"));
  RS_API_TRY(title, GetString(*body, "title"));
  RS_API_TRY(content, GetString(*body, "content"));
  RS_API_TRY(deadline, GetString(*body, "deadline", false));
  RS_API_TRY(meeting_at, GetString(*body, "meeting_at", false));
  RS_API_TRY(place, GetString(*body, "place", false));
  draft.plan_id = **plan_id;
  draft.org_id = **org_id;
  draft.assignment_id = *assignment_id;
  draft.kind = *kind;
  draft.title = *title;
  draft.content = *content;
  draft.deadline = *deadline;
  draft.meeting_at = *meeting_at;
  draft.place = *place;
  RS_API_TRY(item, s.supervision.Create(*ctx.principal, draft));
  return JsonResponse(201, ToJson(*item, s.supervision.IsOverdue(*item), true));
}

// POST /supervisions/{id}/<verb>: the body's text field is "text", or
// "comment" for a review, or "reason" for a cancellation.
HttpResponse Act(RequestContext& ctx, Services& s, std::string action, const char* text_field) {
  RS_API_TRY(id, PathId(ctx));
  json::object body;
  if (!ctx.request.body.empty()) {
    RS_API_TRY(parsed, ParseObject(ctx.request.body));
    body = std::move(*parsed);
  }
  if (action == "review") {
    RS_API_TRY(decision, GetString(body, "decision"));
    if (*decision != "accept" && *decision != "return") {
      return ErrorResponse(Error{ErrorCode::kInvalidArgument,
                                 "验收结论须为 accept（通过）或 return（退回）", "decision"},
                           ctx.request.request_id);
    }
    action = *decision;
  }
  RS_API_TRY(text, GetString(body, text_field, false));
  RS_API_TRY(files, ParseFileDrafts(body));
  RS_API_TRY(item, s.supervision.Act(*ctx.principal, *id, action, *text, *files));
  return JsonResponse(200, ToJson(*item, s.supervision.IsOverdue(*item), true));
}

}  // namespace

void AddSupervisionRoutes(Router& r, Services& s) {
  r.Add("GET", "/api/v1/supervisions", Access::Authenticated(),
        {"督办事项列表", "supervision", "", "SupervisionPage",
         {"plan_id", "kind", "status", "org_id", "page", "page_size"}},
        [&s](RequestContext& ctx) { return List(ctx, s); });
  r.Add("GET", "/api/v1/supervisions/{id}", Access::Authenticated(),
        {"督办事项详情及处理经过", "supervision", "", "Supervision"},
        [&s](RequestContext& ctx) { return Get(ctx, s); });
  r.Add("POST", "/api/v1/supervisions", Access::Require(Permission::kPlanWrite),
        {"发出通报、约谈或挂牌督办", "supervision", "SupervisionInput", "Supervision"},
        [&s](RequestContext& ctx) { return Create(ctx, s); });
  struct Verb {
    const char* path;
    const char* action;
    const char* text_field;
    Permission permission;
    const char* summary;
  };
  static const Verb kVerbs[] = {
      {"acknowledge", "acknowledge", "text", Permission::kPlanReport, "签收通报"},
      {"record", "record", "text", Permission::kPlanWrite, "记录约谈情况"},
      {"rectification", "rectification", "text", Permission::kPlanReport, "提交整改报告"},
      {"review", "review", "comment", Permission::kPlanWrite, "验收整改：通过销号或退回"},
      {"cancel", "cancel", "reason", Permission::kPlanWrite, "撤销督办"},
  };
  for (const Verb& verb : kVerbs) {
    r.Add("POST", std::string("/api/v1/supervisions/{id}/") + verb.path,
          Access::Require(verb.permission), {verb.summary, "supervision", "SupervisionAction", "Supervision"},
          [&s, verb](RequestContext& ctx) { return Act(ctx, s, verb.action, verb.text_field); });
  }
}

}  // namespace redshield::api
