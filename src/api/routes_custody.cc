// Routes: custody and destruction (issue 5 §4, plan item (七)) — seized items
// of a case with their chain of custody, destruction orders with photo
// evidence (base64 JSON like progress reports), and the directory of qualified
// destruction units, also published on the public API (rate limited per
// client like every public route). Amounts in fen, weights in kg.
#include "api/api.h"
#include "api/mapping.h"
#include "core/crypto.h"

namespace redshield::api {
namespace {

using platform::Permission;

json::array Strings(const std::vector<std::string>& items) {
  json::array out;
  for (const std::string& item : items) out.push_back(json::value(item));
  return out;
}

json::object ToJson(const cases::SeizedItem& i) {
  return {{"id", IdText(i.id)}, {"case_id", IdText(i.case_id)}, {"description", i.description},
          {"quantity", i.quantity}, {"unit", i.unit}, {"weight_kg", i.weight_kg},
          {"value_fen", i.value_fen}, {"storage_place", i.storage_place}, {"status", i.status},
          {"created_at", i.created_at}, {"updated_at", i.updated_at}};
}

json::object ToJson(const cases::CustodyEvent& e) {
  return {{"id", IdText(e.id)}, {"item_id", IdText(e.item_id)}, {"action", e.action},
          {"from", e.from_place}, {"to", e.to_place}, {"note", e.note},
          {"by", json::object{{"id", IdText(e.by)}, {"display_name", e.by_name}}}, {"at", e.at}};
}

json::object ToJson(const cases::DestructionUnit& u) {
  return {{"id", IdText(u.id)}, {"name", u.name}, {"licence_number", u.licence_number},
          {"region_code", u.region_code}, {"methods", Strings(u.methods)},
          {"valid_until", u.valid_until}};
}

json::object ToJson(const cases::DestructionOrder& o) {
  json::array items;
  for (Id id : o.item_ids) items.push_back(json::value(IdText(id)));
  std::vector<AttachmentMeta> metas;
  for (const Attachment& f : o.photos) metas.push_back(f.meta);
  json::array photos = api::ToJson(metas);  // mapping.h (hidden by the local overloads)
  return {{"id", IdText(o.id)}, {"case_id", IdText(o.case_id)},
          {"unit", json::object{{"id", IdText(o.unit_id)}, {"name", o.unit_name}}},
          {"method", o.method}, {"destroyed_on", o.destroyed_on}, {"weight_kg", o.weight_kg},
          {"value_fen", o.value_fen}, {"witnesses", Strings(o.witnesses)}, {"item_ids", items},
          {"photos", photos}, {"created_at", o.created_at}};
}

Result<double> GetDouble(const json::object& body, const char* field, double fallback) {
  Result<std::optional<double>> number = GetNumber(body, field);
  if (!number) return tl::unexpected(number.error());
  return number->value_or(fallback);
}

Result<int64_t> GetFen(const json::object& body, const char* field, int64_t fallback) {
  Result<std::optional<double>> number = GetNumber(body, field);
  if (!number) return tl::unexpected(number.error());
  if (!*number) return fallback;
  double value = **number;
  if (value < 0 || value > 9e15 || value != static_cast<double>(static_cast<int64_t>(value))) {
    return Fail(ErrorCode::kInvalidArgument, std::string("字段 ") + field + " 须为非负整数（分）", field);
  }
  return static_cast<int64_t>(value);
}

Result<cases::ItemDraft> ParseItem(const json::object& body) {
  cases::ItemDraft d;
  for (auto [name, target] : {std::pair{"description", &d.description}, {"unit", &d.unit},
                              {"storage_place", &d.storage_place}}) {
    Result<std::string> text = GetString(body, name, false);
    if (!text) return tl::unexpected(text.error());
    *target = *text;
  }
  Result<double> quantity = GetDouble(body, "quantity", 0);
  if (!quantity) return tl::unexpected(quantity.error());
  d.quantity = *quantity;
  Result<double> weight = GetDouble(body, "weight_kg", 0);
  if (!weight) return tl::unexpected(weight.error());
  d.weight_kg = *weight;
  Result<int64_t> value = GetFen(body, "value_fen", 0);
  if (!value) return tl::unexpected(value.error());
  d.value_fen = *value;
  return d;
}

Result<cases::OrderDraft> ParseOrder(const json::object& body) {
  cases::OrderDraft d;
  Result<std::vector<std::string>> items = GetStringList(body, "item_ids");
  if (!items) return tl::unexpected(items.error());
  for (const std::string& text : *items) {
    Result<int64_t> id = ParseId(text, "item_ids");
    if (!id) return tl::unexpected(id.error());
    d.item_ids.push_back(*id);
  }
  Result<std::string> unit = GetString(body, "unit_id");
  if (!unit) return tl::unexpected(unit.error());
  Result<int64_t> unit_id = ParseId(*unit, "unit_id");
  if (!unit_id) return tl::unexpected(unit_id.error());
  d.unit_id = *unit_id;
  for (auto [name, target] : {std::pair{"method", &d.method}, {"destroyed_on", &d.destroyed_on}}) {
    Result<std::string> text = GetString(body, name, false);
    if (!text) return tl::unexpected(text.error());
    *target = *text;
  }
  Result<double> weight = GetDouble(body, "weight_kg", -1);
  if (!weight) return tl::unexpected(weight.error());
  d.weight_kg = *weight;
  Result<std::optional<double>> value = GetNumber(body, "value_fen");
  if (!value) return tl::unexpected(value.error());
  if (*value) {
    Result<int64_t> fen = GetFen(body, "value_fen", 0);
    if (!fen) return tl::unexpected(fen.error());
    d.value_fen = *fen;
  }
  Result<std::vector<std::string>> witnesses = GetStringList(body, "witnesses");
  if (!witnesses) return tl::unexpected(witnesses.error());
  d.witnesses = *witnesses;
  Result<std::vector<FileDraft>> photos = ParseFileDrafts(body);
  if (!photos) return tl::unexpected(photos.error());
  d.photos = std::move(*photos);
  return d;
}

Result<cases::UnitDraft> ParseUnit(const json::object& body) {
  cases::UnitDraft d;
  for (auto [name, target] : {std::pair{"name", &d.name}, {"licence_number", &d.licence_number},
                              {"region_code", &d.region_code}, {"valid_until", &d.valid_until}}) {
    Result<std::string> text = GetString(body, name, false);
    if (!text) return tl::unexpected(text.error());
    *target = *text;
  }
  Result<std::vector<std::string>> methods = GetStringList(body, "methods");
  if (!methods) return tl::unexpected(methods.error());
  d.methods = *methods;
  return d;
}

HttpResponse GetCustody(RequestContext& ctx, Services& s) {
  RS_API_TRY(id, PathId(ctx));
  RS_API_TRY(custody, s.custody->Get(*ctx.principal, *id));
  json::array items, events, orders;
  for (const cases::SeizedItem& i : custody->items) items.push_back(ToJson(i));
  for (const cases::CustodyEvent& e : custody->events) events.push_back(ToJson(e));
  for (const cases::DestructionOrder& o : custody->orders) orders.push_back(ToJson(o));
  return JsonResponse(200, json::object{{"items", items}, {"events", events}, {"orders", orders}});
}

HttpResponse AddItem(RequestContext& ctx, Services& s) {
  RS_API_TRY(id, PathId(ctx));
  RS_API_TRY(body, ParseObject(ctx.request.body));
  RS_API_TRY(draft, ParseItem(*body));
  RS_API_TRY(item, s.custody->AddItem(*ctx.principal, *id, *draft));
  return JsonResponse(201, ToJson(*item));
}

HttpResponse MoveItem(RequestContext& ctx, Services& s) {
  RS_API_TRY(id, PathId(ctx));
  RS_API_TRY(item_id, ParseId(ctx.params.at("item"), "item"));
  RS_API_TRY(body, ParseObject(ctx.request.body));
  cases::MoveDraft draft;
  for (auto [name, target] : {std::pair{"action", &draft.action}, {"to", &draft.to_place},
                              {"note", &draft.note}}) {
    RS_API_TRY(text, GetString(*body, name, false));
    *target = *text;
  }
  RS_API_TRY(item, s.custody->MoveItem(*ctx.principal, *id, *item_id, draft));
  return JsonResponse(200, ToJson(*item));
}

HttpResponse Destroy(RequestContext& ctx, Services& s) {
  RS_API_TRY(id, PathId(ctx));
  RS_API_TRY(body, ParseObject(ctx.request.body));
  RS_API_TRY(draft, ParseOrder(*body));
  RS_API_TRY(order, s.custody->Destroy(*ctx.principal, *id, *draft));
  return JsonResponse(201, ToJson(*order));
}

HttpResponse Photo(RequestContext& ctx, Services& s) {
  RS_API_TRY(id, PathId(ctx));
  RS_API_TRY(order_id, ParseId(ctx.params.at("order"), "order"));
  RS_API_TRY(photo_id, ParseId(ctx.params.at("photo"), "photo"));
  RS_API_TRY(file, s.custody->Photo(*ctx.principal, *id, *order_id, *photo_id));
  return FileDownload(file->meta.content_type, file->meta.filename, std::move(file->data));
}

HttpResponse UnitList(const RequestContext& ctx,
                      const Result<std::vector<cases::DestructionUnit>>& units) {
  if (!units) return ErrorResponse(units.error(), ctx.request.request_id);
  json::array out;
  for (const cases::DestructionUnit& u : *units) out.push_back(ToJson(u));
  return JsonResponse(200, json::object{{"items", out}});
}

HttpResponse Units(RequestContext& ctx, Services& s) {
  return UnitList(ctx, s.custody->Units(*ctx.principal));
}

HttpResponse PublicUnits(RequestContext& ctx, Services& s) {
  return UnitList(ctx, s.custody->PublicUnits(ctx.request.Query("region_code")));
}

HttpResponse AddUnit(RequestContext& ctx, Services& s) {
  RS_API_TRY(body, ParseObject(ctx.request.body));
  RS_API_TRY(draft, ParseUnit(*body));
  RS_API_TRY(unit, s.custody->AddUnit(*ctx.principal, *draft));
  return JsonResponse(201, ToJson(*unit));
}

}  // namespace

void AddCustodyRoutes(Router& r, Services& s) {
  auto bind = [&s](HttpResponse (*handler)(RequestContext&, Services&)) {
    return [&s, handler](RequestContext& ctx) { return handler(ctx, s); };
  };
  r.Add("GET", "/api/v1/cases/{id}/custody", Access::Authenticated(),
        {"涉案物品、保管流转记录和销毁单", "cases", "", "Custody"}, bind(GetCustody));
  r.Add("POST", "/api/v1/cases/{id}/items", Access::Require(Permission::kCaseWrite),
        {"登记涉案物品（扣押入库）", "cases", "SeizedItemInput", "SeizedItem"}, bind(AddItem));
  r.Add("POST", "/api/v1/cases/{id}/items/{item}/moves", Access::Require(Permission::kCaseWrite),
        {"物品移库或移交（保管链）", "cases", "CustodyMove", "SeizedItem"}, bind(MoveItem));
  r.Add("POST", "/api/v1/cases/{id}/destruction-orders", Access::Require(Permission::kCaseWrite),
        {"销毁涉案物品（有资质单位、见证人、现场照片）", "cases", "DestructionOrderInput",
         "DestructionOrder"},
        bind(Destroy));
  r.Add("GET", "/api/v1/cases/{id}/destruction-orders/{order}/photos/{photo}",
        Access::Authenticated(), {"下载销毁现场照片", "cases", "", ""}, bind(Photo));
  r.Add("GET", "/api/v1/destruction-units", Access::Authenticated(),
        {"销毁单位名录（含已过期的）", "cases", "", "DestructionUnits"}, bind(Units));
  r.Add("POST", "/api/v1/destruction-units", Access::Require(Permission::kCaseRead),
        {"登记有资质的销毁单位（双打办，本地区）", "cases", "DestructionUnitInput", "DestructionUnit"},
        bind(AddUnit));
  r.Add("GET", "/api/v1/public/destruction-units", Access::Public(),
        {"公开：当前有效的销毁单位名录（无需登录，按客户端限流）", "cases", "", "DestructionUnits",
         {"region_code"}},
        bind(PublicUnits));
}

}  // namespace redshield::api
