// Routes: assessment (考核) rubrics, scores, results and their Excel export,
// and 一票否决 (issue 4 §5). Reading is open to every signed-in user; writing
// needs plan.write, and the service checks the region scope.
#include <charconv>
#include <tuple>

#include "api/api.h"
#include "api/mapping.h"
#include "api/xlsx.h"
#include "plans/assessment_service.h"

namespace redshield::api {
namespace {

using plans::ItemScore;
using plans::PersonRef;
using plans::ResultRow;
using plans::Rubric;
using plans::RubricItem;
using plans::TargetKind;
using plans::Veto;
using platform::Permission;

#define RS_API_TRY(var, expr) \
  auto var = (expr);          \
  if (!var) return ErrorResponse(var.error(), ctx.request.request_id)

// Whole points as integers, others with their one decimal (8.5).
json::value PointsJson(int tenths) {
  if (tenths % 10 == 0) return json::value(static_cast<std::int64_t>(tenths / 10));
  return json::value(tenths / 10.0);
}

json::value PointsJson(const std::optional<int>& tenths) {
  return tenths ? PointsJson(*tenths) : json::value(nullptr);
}

json::object ToJson(const PersonRef& p) {
  return {{"id", IdText(p.id)}, {"display_name", p.id == 0 ? "系统" : p.display_name}};
}

json::object ToJson(const plans::Target& t) {
  return {{"kind", std::string(plans::TargetKindName(t.kind))},
          {"id", t.id},
          {"code", t.code},
          {"name", t.name}};
}

json::object ToJson(const Veto& v) {
  json::object out{{"id", IdText(v.id)},
                   {"year", v.year},
                   {"target", ToJson(v.target)},
                   {"reason", v.reason},
                   {"status", v.in_force ? "in_force" : "revoked"},
                   {"created_by", ToJson(v.created_by)},
                   {"created_at", v.created_at}};
  if (!v.in_force) {
    out["revoked_reason"] = v.revoked_reason;
    out["revoked_by"] = ToJson(v.revoked_by);
    out["revoked_at"] = v.revoked_at;
  }
  return out;
}

json::object ToJson(const Rubric& r) {
  json::array items;
  for (const RubricItem& item : r.items) {
    items.push_back(json::object{
        {"id", IdText(item.id)},
        {"ordinal", item.ordinal},
        {"name", item.name},
        {"max_points", PointsJson(item.max_tenths)},
        {"guidance", item.guidance},
        {"computed", item.computed.empty() ? json::value(nullptr) : json::value(item.computed)}});
  }
  return {{"id", IdText(r.id)},
          {"year", r.year},
          {"target", std::string(plans::TargetKindName(r.target))},
          {"region_code", r.region_code},
          {"title", r.title},
          {"source", r.source},
          {"note", r.note},
          {"max_total", PointsJson(r.MaxTotalTenths())},
          {"items", items},
          {"created_at", r.created_at},
          {"updated_at", r.updated_at}};
}

json::object ToJson(const ResultRow& row) {
  json::array scores;
  for (const ItemScore& s : row.scores) {
    scores.push_back(json::object{
        {"item_id", IdText(s.item_id)},
        {"points", PointsJson(s.points_tenths)},
        {"computed", s.computed},
        {"evidence", s.evidence},
        {"comment", s.comment},
        {"scored_by", s.scored_by ? json::value(ToJson(*s.scored_by)) : json::value(nullptr)},
        {"scored_at", s.scored_at.empty() ? json::value(nullptr) : json::value(s.scored_at)}});
  }
  return {{"target", ToJson(row.target)},
          {"scores", scores},
          {"total", PointsJson(row.total_tenths)},
          {"rank", row.rank ? json::value(*row.rank) : json::value(nullptr)},
          {"veto", row.veto ? json::value(ToJson(*row.veto)) : json::value(nullptr)},
          {"previous_total", PointsJson(row.previous_total_tenths)},
          {"change", PointsJson(row.change_tenths)}};
}

// ---------------------------------------------------------------- input

Result<int> GetInt(const json::object& obj, const char* field) {
  const json::value* v = obj.if_contains(field);
  if (v == nullptr || v->is_null()) {
    return Fail(ErrorCode::kInvalidArgument, std::string("缺少字段 ") + field, field);
  }
  if (v->is_int64() && v->as_int64() >= -1000000 && v->as_int64() <= 1000000) {
    return static_cast<int>(v->as_int64());
  }
  return Fail(ErrorCode::kInvalidArgument, std::string("字段 ") + field + " 须为整数", field);
}

// obj[key] as points, errors naming `field`; null when `allow_null`.
Result<std::optional<int>> GetPoints(const json::object& obj, const char* key,
                                     const std::string& field, bool allow_null) {
  const json::value* v = obj.if_contains(key);
  if (v == nullptr || (v->is_null() && !allow_null)) {
    return Fail(ErrorCode::kInvalidArgument, std::string("缺少字段 ") + key, field);
  }
  if (v->is_null()) return std::optional<int>();
  if (!v->is_number()) {
    return Fail(ErrorCode::kInvalidArgument, std::string("字段 ") + key + " 须为数字", field);
  }
  Result<int> tenths = plans::PointsToTenths(v->to_number<double>(), field);
  RS_TRY(tenths);
  return std::optional<int>(*tenths);
}

Result<std::optional<int>> QueryYear(const HttpRequest& request) {
  std::string text = request.Query("year");
  if (text.empty()) return std::optional<int>();
  int year = 0;
  auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), year);
  if (ec != std::errc() || end != text.data() + text.size()) {
    return Fail(ErrorCode::kInvalidArgument, "参数 year 须为整数年度", "year");
  }
  return std::optional<int>(year);
}

Result<RubricItem> ParseItem(const json::value& value, size_t index) {
  const std::string prefix = "items[" + std::to_string(index) + "]";
  if (!value.is_object()) {
    return Fail(ErrorCode::kInvalidArgument, "考核项须为对象", prefix);
  }
  const json::object& obj = value.as_object();
  RubricItem item;
  auto text = [&](const char* name, bool required) -> Result<std::string> {
    Result<std::string> got = GetString(obj, name, required);
    if (!got) return Fail(ErrorCode::kInvalidArgument, got.error().message, prefix + "." + name);
    return got;
  };
  Result<std::optional<std::int64_t>> id = GetId(obj, "id", false);
  if (!id) return Fail(ErrorCode::kInvalidArgument, id.error().message, prefix + ".id");
  item.id = id->value_or(0);
  Result<std::string> name = text("name", true);
  RS_TRY(name);
  item.name = *name;
  Result<std::optional<int>> max = GetPoints(obj, "max_points", prefix + ".max_points", false);
  RS_TRY(max);
  item.max_tenths = max->value_or(0);
  Result<std::string> guidance = text("guidance", false);
  RS_TRY(guidance);
  item.guidance = *guidance;
  Result<std::string> computed = text("computed", false);
  RS_TRY(computed);
  item.computed = *computed;
  return item;
}

Result<Rubric> ParseRubric(const json::object& body) {
  Rubric rubric;
  Result<int> year = GetInt(body, "year");
  RS_TRY(year);
  rubric.year = *year;
  Result<std::string> target = GetString(body, "target");
  RS_TRY(target);
  std::optional<TargetKind> kind = plans::ParseTargetKind(*target);
  if (!kind) return Fail(ErrorCode::kInvalidArgument, "考核对象须为 region 或 unit", "target");
  rubric.target = *kind;
  for (auto [name, out, required] :
       {std::tuple{"title", &rubric.title, true}, std::tuple{"source", &rubric.source, false},
        std::tuple{"note", &rubric.note, false}}) {
    Result<std::string> value = GetString(body, name, required);
    RS_TRY(value);
    *out = *value;
  }
  const json::value* items = body.if_contains("items");
  if (items == nullptr || !items->is_array()) {
    return Fail(ErrorCode::kInvalidArgument, "字段 items 须为考核项数组", "items");
  }
  for (size_t item_idx = 0; item_idx < items->as_array().size(); ++item_idx) {
    Result<RubricItem> item = ParseItem(items->as_array()[item_idx], item_idx);
    RS_TRY(item);
    rubric.items.push_back(std::move(*item));
  }
  return rubric;
}

// ---------------------------------------------------------------- handlers

HttpResponse ListVetoes(RequestContext& ctx, Services& s) {
  RS_API_TRY(year, QueryYear(ctx.request));
  RS_API_TRY(vetoes, s.assessment.ListVetoes(*ctx.principal, *year));
  json::array items;
  for (const Veto& v : *vetoes) items.push_back(ToJson(v));
  return JsonResponse(200, json::object{{"items", items}});
}

HttpResponse CreateVeto(RequestContext& ctx, Services& s) {
  RS_API_TRY(body, ParseObject(ctx.request.body));
  plans::VetoRequest request;
  RS_API_TRY(year, GetInt(*body, "year"));
  request.year = *year;
  RS_API_TRY(region, GetString(*body, "region_code", false));
  request.region_code = *region;
  RS_API_TRY(org, GetId(*body, "org_id", false));
  request.org_id = *org;
  RS_API_TRY(reason, GetString(*body, "reason"));
  request.reason = *reason;
  RS_API_TRY(veto, s.assessment.CreateVeto(*ctx.principal, request));
  return JsonResponse(201, ToJson(*veto));
}

HttpResponse RevokeVeto(RequestContext& ctx, Services& s) {
  RS_API_TRY(id, PathId(ctx));
  RS_API_TRY(body, ParseObject(ctx.request.body));
  RS_API_TRY(reason, GetString(*body, "reason"));
  RS_API_TRY(veto, s.assessment.RevokeVeto(*ctx.principal, *id, *reason));
  return JsonResponse(200, ToJson(*veto));
}

HttpResponse ListRubrics(RequestContext& ctx, Services& s) {
  plans::RubricQuery query;
  RS_API_TRY(year, QueryYear(ctx.request));
  query.year = *year;
  if (std::string target = ctx.request.Query("target"); !target.empty()) {
    query.target = plans::ParseTargetKind(target);
    if (!query.target) {
      return ErrorResponse(
          {ErrorCode::kInvalidArgument, "参数 target 须为 region 或 unit", "target"},
          ctx.request.request_id);
    }
  }
  RS_API_TRY(rubrics, s.assessment.ListRubrics(*ctx.principal, query));
  json::array items;
  for (const Rubric& r : *rubrics) items.push_back(ToJson(r));
  return JsonResponse(200, json::object{{"items", items}});
}

HttpResponse GetRubric(RequestContext& ctx, Services& s) {
  RS_API_TRY(id, PathId(ctx));
  RS_API_TRY(rubric, s.assessment.GetRubric(*ctx.principal, *id));
  return JsonResponse(200, ToJson(*rubric));
}

HttpResponse CreateRubric(RequestContext& ctx, Services& s) {
  RS_API_TRY(body, ParseObject(ctx.request.body));
  if (body->contains("copy_from")) {
    RS_API_TRY(from, GetId(*body, "copy_from", true));
    RS_API_TRY(year, GetInt(*body, "year"));
    RS_API_TRY(copy, s.assessment.CopyRubric(*ctx.principal, **from, *year));
    return JsonResponse(201, ToJson(*copy));
  }
  RS_API_TRY(draft, ParseRubric(*body));
  RS_API_TRY(rubric, s.assessment.CreateRubric(*ctx.principal, *draft));
  return JsonResponse(201, ToJson(*rubric));
}

HttpResponse UpdateRubric(RequestContext& ctx, Services& s) {
  RS_API_TRY(id, PathId(ctx));
  RS_API_TRY(body, ParseObject(ctx.request.body));
  RS_API_TRY(draft, ParseRubric(*body));
  RS_API_TRY(rubric, s.assessment.UpdateRubric(*ctx.principal, *id, *draft));
  return JsonResponse(200, ToJson(*rubric));
}

HttpResponse Results(RequestContext& ctx, Services& s) {
  RS_API_TRY(id, PathId(ctx));
  RS_API_TRY(results, s.assessment.GetResults(*ctx.principal, *id));
  json::array rows;
  for (const ResultRow& row : results->rows) rows.push_back(ToJson(row));
  return JsonResponse(200, json::object{{"rubric", ToJson(results->rubric)}, {"rows", rows}});
}

HttpResponse PutScore(RequestContext& ctx, Services& s) {
  RS_API_TRY(id, PathId(ctx));
  RS_API_TRY(body, ParseObject(ctx.request.body));
  plans::ScoreRequest request;
  RS_API_TRY(target, GetString(*body, "target_id"));
  request.target_id = *target;
  RS_API_TRY(item, GetId(*body, "item_id", true));
  request.item_id = **item;
  RS_API_TRY(points, GetPoints(*body, "points", "points", true));
  request.points_tenths = *points;
  RS_API_TRY(evidence, GetString(*body, "evidence", false));
  request.evidence = *evidence;
  RS_API_TRY(comment, GetString(*body, "comment", false));
  request.comment = *comment;
  RS_API_TRY(row, s.assessment.PutScore(*ctx.principal, *id, request));
  return JsonResponse(200, ToJson(*row));
}

std::string CellPoints(const std::optional<int>& tenths) {
  return tenths ? plans::FormatTenths(*tenths) : "";
}

HttpResponse Export(RequestContext& ctx, Services& s) {
  RS_API_TRY(id, PathId(ctx));
  RS_API_TRY(results, s.assessment.GetResults(*ctx.principal, *id));
  const Rubric& rubric = results->rubric;
  Sheet sheet{"考核结果", {"排名", "考核对象", "代码"}, {}, {6, 24, 10}};
  for (const RubricItem& item : rubric.items) {
    sheet.header.push_back(item.name + "（" + plans::FormatTenths(item.max_tenths) + "）");
    sheet.column_widths.push_back(14);
  }
  for (const char* title : {"合计", "上年得分", "变化", "一票否决"}) {
    sheet.header.emplace_back(title);
    sheet.column_widths.push_back(10);
  }
  sheet.column_widths.back() = 40;
  for (const ResultRow& row : results->rows) {
    std::vector<std::string> cells = {row.rank ? std::to_string(*row.rank) : "", row.target.name,
                                      row.target.code};
    for (const ItemScore& score : row.scores) cells.push_back(CellPoints(score.points_tenths));
    cells.push_back(plans::FormatTenths(row.total_tenths));
    cells.push_back(CellPoints(row.previous_total_tenths));
    cells.push_back(CellPoints(row.change_tenths));
    cells.push_back(row.veto ? row.veto->reason : "");
    sheet.rows.push_back(std::move(cells));
  }
  RS_API_TRY(bytes, WriteXlsx(sheet));
  return XlsxDownload(std::move(*bytes), "assessment-" + std::to_string(rubric.year) + "-" +
                                             std::string(plans::TargetKindName(rubric.target)) +
                                             ".xlsx");
}

}  // namespace

void AddAssessmentRoutes(Router& r, Services& s) {
  auto bind = [&s](HttpResponse (*fn)(RequestContext&, Services&)) {
    return [&s, fn](RequestContext& ctx) { return fn(ctx, s); };
  };
  const Access write = Access::Require(Permission::kPlanWrite);
  r.Add("GET", "/api/v1/vetoes", Access::Authenticated(),
        {"一票否决列表", "assessment", "", "VetoList", {"year"}}, bind(ListVetoes));
  r.Add("POST", "/api/v1/vetoes", write,
        {"一票否决（地区或单位）", "assessment", "VetoInput", "Veto"}, bind(CreateVeto));
  r.Add("POST", "/api/v1/vetoes/{id}/revoke", write,
        {"撤销一票否决", "assessment", "ReasonInput", "Veto"}, bind(RevokeVeto));
  r.Add("GET", "/api/v1/assessment-rubrics", Access::Authenticated(),
        {"考核表列表", "assessment", "", "RubricList", {"year", "target"}}, bind(ListRubrics));
  r.Add("POST", "/api/v1/assessment-rubrics", write,
        {"新建考核表（或复制已有考核表）", "assessment", "RubricInput", "Rubric"},
        bind(CreateRubric));
  r.Add("GET", "/api/v1/assessment-rubrics/{id}", Access::Authenticated(),
        {"考核表详情", "assessment", "", "Rubric"}, bind(GetRubric));
  r.Add("PUT", "/api/v1/assessment-rubrics/{id}", write,
        {"修改考核表", "assessment", "RubricInput", "Rubric"}, bind(UpdateRubric));
  r.Add("GET", "/api/v1/assessment-rubrics/{id}/results", Access::Authenticated(),
        {"考核结果（排名、一票否决、与上年比较）", "assessment", "", "AssessmentResults"},
        bind(Results));
  r.Add("PUT", "/api/v1/assessment-rubrics/{id}/scores", write,
        {"录入或修改一个考核项得分", "assessment", "ScoreInput", "AssessmentRow"}, bind(PutScore));
  r.Add("GET", "/api/v1/assessment-rubrics/{id}/export", Access::Authenticated(),
        {"导出考核结果（Excel）", "assessment", "", ""}, bind(Export));
}

}  // namespace redshield::api
