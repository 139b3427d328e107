// The OpenAPI 3 document, generated from the router so that it cannot drift
// from the routes; schemas of the main request and response bodies are
// written out here.
#include "api/api.h"
#include "api/json.h"

namespace redshield::api {
namespace {

// Issue 6 §5: a screening job and its progress.
json::object ScreeningJobSchema() {
  json::object props;
  for (const char* name : {"id", "file_name", "created_at", "started_at", "finished_at", "error"}) {
    props[name] = json::object{{"type", "string"}};
  }
  for (const char* name : {"threshold", "bytes_total", "bytes_read", "listings_read", "flagged",
                           "malformed", "clues_created", "clues_merged"}) {
    props[name] = json::object{{"type", "integer"}};
  }
  props["status"] = json::object{{"type", "string"},
                                 {"enum", json::array{"queued", "running", "done", "failed"}}};
  props["malformed_samples"] = json::object{{"type", "array"}, {"items", json::object{{"type", "object"}}}};
  return {{"type", "object"}, {"properties", props}};
}

json::object Schemas() {
  auto str = [] { return json::object{{"type", "string"}}; };
  auto obj = [] { return json::object{{"type", "object"}}; };
  auto ref = [](const char* name) {
    return json::object{{"$ref", std::string("#/components/schemas/") + name}};
  };
  auto page_of = [&](const char* name) {
    return json::object{{"type", "object"},
                        {"properties", json::object{{"items", json::object{{"type", "array"}, {"items", ref(name)}}},
                                                    {"total", json::object{{"type", "integer"}}},
                                                    {"page", json::object{{"type", "integer"}}},
                                                    {"page_size", json::object{{"type", "integer"}}}}}};
  };
  json::object error{{"type", "object"},
                     {"properties", json::object{{"error", json::object{{"type", "object"},
                                                 {"properties", json::object{{"code", str()}, {"message", str()},
                                                                             {"request_id", str()}, {"field", str()}}}}}}}};
  json::object user{{"type", "object"},
                    {"properties", json::object{{"id", str()}, {"username", str()}, {"display_name", str()},
                                                {"org", json::object{{"type", "object"}}},
                                                {"roles", json::object{{"type", "array"}, {"items", str()}}},
                                                {"permissions", json::object{{"type", "array"}, {"items", str()}}},
                                                {"status", json::object{{"type", "string"}, {"enum", json::array{"active", "locked", "disabled"}}}},
                                                {"must_change_password", json::object{{"type", "boolean"}}}}}};
  json::object org{{"type", "object"},
                   {"properties", json::object{{"id", str()}, {"code", str()}, {"name", str()}, {"short_name", str()},
                                               {"aliases", json::object{{"type", "array"}, {"items", str()}}},
                                               {"type", str()}, {"region_code", str()}, {"parent_id", str()}}}};
  auto date = [] { return json::object{{"type", "string"}, {"format", "date"}}; };
  auto list_of = [&](const char* name) {
    return json::object{{"type", "object"},
                        {"properties", json::object{{"items", json::object{{"type", "array"}, {"items", ref(name)}}}}}};
  };
  json::object assignment{{"type", "object"},
                          {"properties", json::object{{"id", str()}, {"plan_id", str()}, {"task_id", str()},
                                                      {"org", json::object{{"type", "object"}}},
                                                      {"role", json::object{{"type", "string"}, {"enum", json::array{"lead", "responsible"}}}},
                                                      {"due_date", date()}, {"status", str()}, {"unit_text", str()},
                                                      {"task", json::object{{"type", "object"}}}}}};
  json::object plan{{"type", "object"},
                    {"properties", json::object{{"id", str()}, {"year", json::object{{"type", "integer"}}},
                                                {"region_code", str()}, {"title", str()}, {"source_text_sha256", str()},
                                                {"imported_at", str()}, {"imported_by", str()},
                                                {"counts", json::object{{"type", "object"}}}}}};
  // Assessment and 一票否决 (routes_assessment.cc).
  auto num = [] { return json::object{{"type", "number"}}; };
  json::object target{{"type", "object"},
                      {"properties", json::object{{"kind", json::object{{"type", "string"}, {"enum", json::array{"region", "unit"}}}},
                                                  {"id", str()}, {"code", str()}, {"name", str()}}}};
  json::object veto{{"type", "object"},
                    {"properties", json::object{{"id", str()}, {"year", json::object{{"type", "integer"}}}, {"target", target},
                                                {"reason", str()},
                                                {"status", json::object{{"type", "string"}, {"enum", json::array{"in_force", "revoked"}}}},
                                                {"created_by", obj()}, {"created_at", str()}, {"revoked_reason", str()}}}};
  json::object rubric_item{{"type", "object"},
                           {"properties", json::object{{"id", str()}, {"ordinal", json::object{{"type", "integer"}}}, {"name", str()},
                                                       {"max_points", num()}, {"guidance", str()},
                                                       {"computed", json::object{{"type", "string"}, {"nullable", true}, {"enum", json::array{"plan_completion", nullptr}}}}}}};
  json::object rubric{{"type", "object"},
                      {"properties", json::object{{"id", str()}, {"year", json::object{{"type", "integer"}}},
                                                  {"target", json::object{{"type", "string"}, {"enum", json::array{"region", "unit"}}}},
                                                  {"region_code", str()}, {"title", str()}, {"source", str()}, {"note", str()},
                                                  {"max_total", num()},
                                                  {"items", json::object{{"type", "array"}, {"items", rubric_item}}}}}};
  json::object row{{"type", "object"},
                   {"properties", json::object{{"target", target}, {"scores", json::object{{"type", "array"}, {"items", obj()}}},
                                               {"total", num()}, {"rank", json::object{{"type", "integer"}, {"nullable", true}}},
                                               {"veto", ref("Veto")}, {"previous_total", num()}, {"change", num()}}}};
  json::object assessment_schemas{
      {"Veto", veto},
      {"VetoList", list_of("Veto")},
      {"VetoInput", json::object{{"type", "object"}, {"required", json::array{"year", "reason"}},
                                 {"properties", json::object{{"year", json::object{{"type", "integer"}}}, {"region_code", str()},
                                                             {"org_id", str()}, {"reason", str()}}}}},
      {"ReasonInput", json::object{{"type", "object"}, {"required", json::array{"reason"}},
                                   {"properties", json::object{{"reason", str()}}}}},
      {"Rubric", rubric},
      {"RubricList", list_of("Rubric")},
      {"RubricInput", json::object{{"type", "object"},
                                   {"properties", json::object{{"year", json::object{{"type", "integer"}}}, {"target", str()},
                                                               {"title", str()}, {"source", str()}, {"note", str()},
                                                               {"items", json::object{{"type", "array"}, {"items", rubric_item}}},
                                                               {"copy_from", str()}}}}},
      {"ScoreInput", json::object{{"type", "object"}, {"required", json::array{"target_id", "item_id", "points"}},
                                  {"properties", json::object{{"target_id", str()}, {"item_id", str()},
                                                              {"points", json::object{{"type", "number"}, {"nullable", true}}},
                                                              {"evidence", str()}, {"comment", str()}}}}},
      {"AssessmentRow", row},
      {"AssessmentResults", json::object{{"type", "object"},
                                         {"properties", json::object{{"rubric", ref("Rubric")},
                                                                     {"rows", json::object{{"type", "array"}, {"items", ref("AssessmentRow")}}}}}}}};
  json::object schemas{{"Error", error},
          {"User", user},
          {"UserPage", page_of("User")},
          {"Organization", org},
          {"OrganizationPage", page_of("Organization")},
          {"OrganizationInput", org},
          {"UserInput", json::object{{"type", "object"}, {"required", json::array{"display_name", "org_id"}},
                                     {"properties", json::object{{"username", str()}, {"display_name", str()},
                                                                 {"org_id", str()}, {"phone", str()}, {"status", str()}}}}},
          {"CreatedUser", json::object{{"type", "object"}, {"properties", json::object{{"user", ref("User")}, {"temporary_password", str()}}}}},
          {"RolesInput", json::object{{"type", "object"}, {"properties", json::object{{"roles", json::object{{"type", "array"}, {"items", str()}}}}}}},
          {"LoginRequest", json::object{{"type", "object"}, {"required", json::array{"username", "password"}},
                                        {"properties", json::object{{"username", str()}, {"password", str()}}}}},
          {"LoginResponse", json::object{{"type", "object"}, {"properties", json::object{{"token", str()}, {"expires_at", str()},
                                                                                        {"user", ref("User")}, {"must_change_password", json::object{{"type", "boolean"}}}}}}},
          {"PasswordChange", json::object{{"type", "object"}, {"properties", json::object{{"old_password", str()}, {"new_password", str()}}}}},
          {"AuditPage", json::object{{"type", "object"}}},
          {"Assignment", assignment},
          {"AssignmentList", list_of("Assignment")},
          {"AssignmentInput", json::object{{"type", "object"}, {"required", json::array{"due_date"}},
                                           {"properties", json::object{{"due_date", date()}}}}},
          {"Plan", plan},
          {"PlanList", list_of("Plan")},
          {"ParsedPlan", obj()},
          {"PlanSettings", json::object{{"type", "object"},
                                        {"properties", json::object{{"report_cycle", json::object{{"type", "string"}, {"enum", json::array{"monthly", "quarterly"}}}},
                                                                    {"remind_days", json::object{{"type", "integer"}}}}}}},
          {"UnitAlias", json::object{{"type", "object"}, {"required", json::array{"text", "org_id"}},
                                     {"properties", json::object{{"text", str()}, {"org_id", str()}}}}},
          {"AssignmentDetail", obj()},
          {"ReportInput", json::object{{"type", "object"}, {"required", json::array{"period", "status"}},
                                       {"properties", json::object{{"period", str()}, {"status", str()}, {"narrative", str()},
                                                                   {"indicators", json::object{{"type", "array"}, {"items", obj()}}},
                                                                   {"attachments", json::object{{"type", "array"}, {"items", obj()}}}}}}},
          {"Report", obj()},
          {"Reminders", obj()},
          {"Board", obj()},
          {"Supervision", obj()},
          {"SupervisionPage", page_of("Supervision")},
          {"SupervisionInput", json::object{{"type", "object"}, {"required", json::array{"plan_id", "kind", "org_id", "title", "content"}},
                                            {"properties", json::object{{"plan_id", str()}, {"kind", json::object{{"type", "string"}, {"enum", json::array{"notice", "interview", "listed"}}}},
                                                                        {"org_id", str()}, {"assignment_id", str()}, {"title", str()}, {"content", str()},
                                                                        {"deadline", date()}, {"meeting_at", str()}, {"place", str()}}}}},
          {"SupervisionAction", json::object{{"type", "object"},
                                             {"properties", json::object{{"text", str()}, {"decision", str()}, {"comment", str()}, {"reason", str()},
                                                                         {"attachments", json::object{{"type", "array"}, {"items", obj()}}}}}}},
          {"PlanTree", json::object{{"allOf", json::array{ref("Plan"), json::object{{"type", "object"},
              {"properties", json::object{{"sections", json::object{{"type", "array"}, {"items", json::object{{"type", "object"}}}}}}}}}}}},
          {"ScreeningJob", ScreeningJobSchema()},
          {"Case", obj()},
          {"CasePage", page_of("Case")},
          {"CaseInput", json::object{{"type", "object"}, {"required", json::array{"title", "category"}}}},
          {"CaseAction", json::object{{"type", "object"}, {"required", json::array{"action"}},
                                      {"properties", json::object{{"action", str()}, {"text", str()}, {"penalty_type", str()},
                                                                  {"police_org_id", str()}, {"fine_fen", json::object{{"type", "integer"}}},
                                                                  {"confiscated_fen", json::object{{"type", "integer"}}},
                                                                  {"persons", json::object{{"type", "integer"}}}}}}},
          {"CaseFacts", obj()},
          {"CaseEvaluations", obj()},
          {"CaseMeta", obj()},
          {"CaseBoard", obj()},
          {"CaseTimerReminders", obj()},
          {"CaseDocumentsInput", json::object{{"type", "object"}, {"required", json::array{"kind", "attachments"}}}},
          {"CaseSummary", obj()},
          {"Custody", obj()},
          {"SeizedItem", obj()},
          {"SeizedItemInput", json::object{{"type", "object"}, {"required", json::array{"description", "quantity", "unit", "storage_place"}}}},
          {"CustodyMove", json::object{{"type", "object"}, {"required", json::array{"action", "to"}}}},
          {"DestructionOrder", obj()},
          {"DestructionOrderInput", json::object{{"type", "object"}, {"required", json::array{"item_ids", "unit_id", "method", "destroyed_on", "witnesses", "attachments"}}}},
          {"DestructionUnit", obj()},
          {"DestructionUnits", obj()},
          {"DestructionUnitInput", json::object{{"type", "object"}, {"required", json::array{"name", "licence_number", "region_code", "methods", "valid_until"}}}},
          {"ClueReview", json::object{{"type", "object"}, {"required", json::array{"decision"}},
                                      {"properties", json::object{{"decision", json::object{{"type", "string"}, {"enum", json::array{"confirm", "dismiss"}}}},
                                                                  {"comment", json::object{{"type", "string"}}}}}}}};
  for (auto& [name, schema] : assessment_schemas) schemas[name] = schema;
  return schemas;
}

std::string Lower(std::string s) {
  for (char& c : s) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return s;
}

json::object Operation(const Route& route) {
  json::object op{{"summary", route.doc.summary}, {"tags", json::array{route.doc.tag}}};
  json::array params;
  for (size_t pos = route.pattern.find('{'); pos != std::string::npos;
       pos = route.pattern.find('{', pos + 1)) {
    std::string name = route.pattern.substr(pos + 1, route.pattern.find('}', pos) - pos - 1);
    params.push_back(json::object{{"name", name}, {"in", "path"}, {"required", true},
                                  {"schema", json::object{{"type", "string"}}}});
  }
  for (const std::string& q : route.doc.query_params) {
    params.push_back(json::object{{"name", q}, {"in", "query"}, {"schema", json::object{{"type", "string"}}}});
  }
  if (!params.empty()) op["parameters"] = params;
  if (!route.doc.request_schema.empty()) {
    op["requestBody"] = json::object{{"required", true},
        {"content", json::object{{"application/json", json::object{{"schema", json::object{
            {"$ref", "#/components/schemas/" + route.doc.request_schema}}}}}}}};
  }
  json::object ok{{"description", "成功"}};
  if (!route.doc.response_schema.empty()) {
    ok["content"] = json::object{{"application/json", json::object{{"schema", json::object{
        {"$ref", "#/components/schemas/" + route.doc.response_schema}}}}}};
  }
  json::object error_ref{{"description", "错误"}, {"content", json::object{{"application/json",
      json::object{{"schema", json::object{{"$ref", "#/components/schemas/Error"}}}}}}}};
  op["responses"] = json::object{{"200", ok}, {"default", error_ref}};
  switch (route.access.kind) {
    case AccessKind::kPublic: op["security"] = json::array{}; break;
    case AccessKind::kAuthenticated: op["x-permission"] = "authenticated"; break;
    case AccessKind::kPermission:
      op["x-permission"] = std::string(platform::PermissionName(route.access.permission));
      break;
  }
  return op;
}

}  // namespace

std::string BuildOpenApi(const Router& router, const std::string& version) {
  json::object paths;
  for (const Route& route : router.routes()) {
    json::value& item = paths[route.pattern];
    if (!item.is_object()) item = json::object{};
    item.as_object()[Lower(route.method)] = Operation(route);
  }
  json::object doc{
      {"openapi", "3.0.3"},
      {"info", json::object{{"title", "redshield 红盾 API"}, {"version", version},
                            {"description", "内蒙古自治区打击侵权假冒工作平台接口"}}},
      {"servers", json::array{json::object{{"url", "/"}}}},
      {"paths", paths},
      {"components", json::object{{"schemas", Schemas()},
                                  {"securitySchemes", json::object{
                                      {"bearer", json::object{{"type", "http"}, {"scheme", "bearer"}}},
                                      {"cookie", json::object{{"type", "apiKey"}, {"in", "cookie"}, {"name", "rs_session"}}}}}}},
      {"security", json::array{json::object{{"bearer", json::array{}}}, json::object{{"cookie", json::array{}}}}}};
  return json::serialize(doc);
}

}  // namespace redshield::api
