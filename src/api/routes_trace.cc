// Routes: traceability of agricultural inputs (issue 7). Access: trace.capture
// to post EPCIS documents, trace.read for events, histories, batches and the
// clone board, trace.issue to request code batches and export labels,
// trace.recall to recall and close batches; checking a code's format needs
// only a session; verification is public (rate limited per client). Callers
// holding trace.issue (enterprises) see and act on their own organisation's
// batches only.
#include <algorithm>
#include <chrono>
#include <cmath>
#include <numeric>

#include "api/api.h"
#include "api/mapping.h"
#include "core/region_code.h"
#include "ingest/epcis_reader.h"
#include "platform/permissions.h"
#include "trace/codes.h"
#include "trace/labels.h"

namespace redshield::api {
namespace {

using platform::Permission;

#define RS_API_TRY(var, expr) \
  auto var = (expr);          \
  if (!var) return ErrorResponse(var.error(), ctx.request.request_id)

json::object ToJson(const trace::StoredEvent& s) {
  const trace::EpcisEvent& e = s.event;
  json::array codes;
  for (const trace::EventCode& c : e.codes) {
    json::object code{{"role", trace::CodeRoleName(c.role)}, {"id", c.raw}, {"key", c.key}};
    if (!c.lot.empty()) code["lot"] = c.lot;
    if (c.quantity != 0) code["quantity"] = c.quantity;
    if (!c.uom.empty()) code["uom"] = c.uom;
    codes.push_back(std::move(code));
  }
  json::array refs;
  for (const trace::EventRef& r : e.refs) {
    refs.push_back(json::object{{"kind", r.kind}, {"type", r.type}, {"id", r.value}, {"key", r.key}});
  }
  boost::system::error_code ec;
  json::value body = json::parse(e.body, ec);
  return {{"id", IdText(e.id)},
          {"event_id", e.event_id},
          {"type", e.type},
          {"event_time", e.event_time},
          {"event_time_zone_offset", e.time_zone_offset},
          {"record_time", e.record_time},
          {"action", e.action},
          {"biz_step", e.biz_step},
          {"disposition", e.disposition},
          {"read_point", e.read_point},
          {"biz_location", e.biz_location},
          {"codes", codes},
          {"refs", refs},
          {"declared_error", s.declared_error.empty() ? json::value(nullptr) : json::value(s.declared_error)},
          {"declared_at", s.declared_at.empty() ? json::value(nullptr) : json::value(s.declared_at)},
          {"capture_id", IdText(s.capture_id)},
          {"body", ec ? json::value(nullptr) : body}};
}

json::array EventsJson(const std::vector<trace::StoredEvent>& events) {
  json::array out;
  for (const trace::StoredEvent& e : events) out.push_back(ToJson(e));
  return out;
}

// The body arrives in a spool file (an upload route: a million events are
// far beyond the body limit) and is read from there one event at a time,
// inside the store's transaction.
HttpResponse Capture(RequestContext& ctx, Services& s) {
  const ingest::EpcisSource source{"", ctx.request.body_file};
  if (source.path.empty()) {
    return ErrorResponse(Error{ErrorCode::kInvalidArgument, "不是有效的 JSON 文档", "body"}, ctx.request.request_id);
  }
  std::string name = ctx.request.Query("name");
  auto events = [&source](const trace::EventSink& sink) -> Status {
    Result<size_t> read = ingest::ReadEpcisEvents(source, sink);
    if (!read) return tl::unexpected(read.error());
    return Ok();
  };
  RS_API_TRY(result, s.trace->Capture(events, name.empty() ? "(HTTP)" : name, ctx.principal->actor));
  return JsonResponse(201, json::object{{"capture_id", IdText(result->capture_id)},
                                        {"events", result->events},
                                        {"duplicates", result->duplicates},
                                        {"declarations", result->declarations},
                                        {"notified", result->notified}});
}

Result<trace::EventQuery> EventQueryFrom(const HttpRequest& req) {
  trace::EventQuery q;
  if (std::string code = req.Query("code"); !code.empty()) q.code_keys.push_back(trace::TraceService::KeyOf(code));
  q.lot = req.Query("lot");
  if (std::string place = req.Query("place"); !place.empty()) q.place = trace::TraceService::KeyOf(place);
  q.region = req.Query("region");
  if (!q.region.empty() && !CheckRegionCodeFormat(q.region)) return Fail(ErrorCode::kInvalidArgument, "行政区划代码不正确", "region");
  q.biz_step = req.Query("biz_step");
  for (auto [name, target] : {std::pair{"from", &q.from}, std::pair{"to", &q.to}}) {
    std::string text = req.Query(name);
    if (text.empty()) continue;
    Result<TimePoint> t = ParseTime(text);
    if (!t) return Fail(ErrorCode::kInvalidArgument, "时间格式不正确", name);
    *target = FormatUtc(*t);
  }
  if (std::string limit = req.Query("limit"); !limit.empty()) {
    Result<std::int64_t> n = ParseId(limit, "limit");
    if (!n || *n < 1 || *n > 5000) return Fail(ErrorCode::kInvalidArgument, "limit 应为 1 到 5000", "limit");
    q.limit = static_cast<int>(*n);
  }
  return q;
}

HttpResponse Events(RequestContext& ctx, Services& s) {
  RS_API_TRY(query, EventQueryFrom(ctx.request));
  RS_API_TRY(events, s.trace->FindEvents(*query));
  return JsonResponse(200, json::object{{"items", EventsJson(*events)}, {"total", events->size()}});
}

HttpResponse HistoryRoute(RequestContext& ctx, Services& s) {
  RS_API_TRY(history, s.trace->HistoryOf(ctx.request.Query("code")));
  json::array related;
  for (const trace::CodeLink& link : history->related) {
    related.push_back(json::object{{"key", link.key}, {"relation", link.relation}, {"event_id", link.event_id}});
  }
  return JsonResponse(200, json::object{{"key", history->key},
                                        {"related", related},
                                        {"events", EventsJson(history->events)}});
}

HttpResponse Check(RequestContext& ctx, Services&) {
  const std::string code = ctx.request.Query("code");
  const std::string kind_name = ctx.request.Query("kind");
  trace::CodeKind kind{};
  if (!kind_name.empty() && kind_name != "auto" && !trace::CodeKindFromName(kind_name, kind)) {
    return ErrorResponse(Error{ErrorCode::kInvalidArgument, "未知的码制", "kind"}, ctx.request.request_id);
  }
  Result<trace::DecodedCode> decoded =
      kind_name.empty() || kind_name == "auto" ? trace::ParseAnyCode(code) : trace::ParseCodeAs(code, kind);
  if (!decoded) {
    return JsonResponse(200, json::object{{"valid", false}, {"reason", decoded.error().message},
                                          {"field", decoded.error().field}});
  }
  json::object fields;
  for (const auto& [name, value] : decoded->fields) fields[name] = value;
  return JsonResponse(200, json::object{{"valid", true}, {"kind", trace::CodeKindName(decoded->kind)},
                                        {"key", decoded->key}, {"fields", fields}});
}


// Enterprises (trace.issue) act on their own organisation's batches only.
Result<trace::Batch> VisibleBatch(RequestContext& ctx, Services& s) {
  Result<Id> id = PathId(ctx);
  if (!id) return tl::unexpected(id.error());
  Result<trace::Batch> batch = s.codes->GetBatch(*id);
  if (!batch) return batch;
  if (ctx.principal->permissions.Has(Permission::kTraceIssue) && batch->org_id != ctx.principal->user.org_id) {
    return Fail(ErrorCode::kNotFound, "批次不存在");
  }
  return batch;
}

json::array IntArray(const std::vector<int>& values) {
  json::array out;
  for (int v : values) out.push_back(v);
  return out;
}

json::object ToJson(const trace::Batch& b) {
  const trace::BatchRequest& r = b.request;
  const std::vector<int> counts = trace::LevelCounts(r);
  return {{"id", IdText(b.id)},
          {"kind", r.kind},
          {"enterprise_uscc", r.enterprise_uscc},
          {"enterprise_name", r.enterprise_name},
          {"registration_no", r.registration_no},
          {"product_name", r.product_name},
          {"spec", r.spec},
          {"production_type", r.production_type},
          {"enterprise_code", r.enterprise_code},
          {"lot", r.lot},
          {"production_date", r.production_date},
          {"quantity", r.quantity},
          {"region_code", r.region_code},
          {"random_bits", b.random_bits},
          {"status", b.status},
          {"org_id", IdText(b.org_id)},
          {"created_by", IdText(b.created_by)},
          {"created_at", b.created_at},
          {"recalled_at", b.recalled_at.empty() ? json::value(nullptr) : json::value(b.recalled_at)},
          {"recall_reason", b.recall_reason},
          {"destroyed_at", b.destroyed_at.empty() ? json::value(nullptr) : json::value(b.destroyed_at)},
          {"scans", b.scans},
          {"pack_sizes", IntArray(b.request.pack_sizes)},
          {"pack_counts", IntArray(std::vector<int>(counts.begin() + 1, counts.end()))}};
}

json::array HoldersJson(const std::vector<trace::Holder>& holders) {
  json::array out;
  for (const trace::Holder& h : holders) {
    json::value notice = nullptr;
    if (h.notice) {
      notice = json::object{{"id", IdText(h.notice->id)}, {"status", h.notice->status},
                            {"routed", h.notice->routed}, {"org_name", h.notice->org_name},
                            {"acknowledged_at", h.notice->acknowledged_at}, {"ack_note", h.notice->ack_note}};
    }
    out.push_back(json::object{{"key", h.key}, {"id", h.id}, {"role", h.role}, {"last_event_time", h.last_event_time},
                               {"name", h.name}, {"region_code", h.region_code}, {"region_name", h.region_name},
                               {"org_id", h.org_id == 0 ? json::value(nullptr) : json::value(IdText(h.org_id))},
                               {"org_name", h.org_name}, {"notice", notice}});
  }
  return out;
}

// What the caller may see of records sent to organisations: its own
// organisation's, or (region-wide roles) its region's.
trace::Visibility VisibilityOf(const RequestContext& ctx, Permission p) {
  const platform::User& user = ctx.principal->user;
  switch (platform::ScopeOf(user.roles, p)) {
    case platform::Scope::kAll: return {};
    case platform::Scope::kRegion: return {0, user.org_region};
    case platform::Scope::kOwnOrg: break;
  }
  return {user.org_id, ""};
}

json::object ToJson(const trace::Place& p) {
  return {{"key", p.key}, {"id", p.id}, {"name", p.name}, {"region_code", p.region_code},
          {"region_name", p.region_name}, {"retail", p.retail},
          {"org_id", p.org_id == 0 ? json::value(nullptr) : json::value(IdText(p.org_id))},
          {"org_name", p.org_name}, {"updated_at", p.updated_at}};
}

json::object ToJson(const trace::RecallNotice& n) {
  json::object out{{"id", IdText(n.id)}, {"batch_id", IdText(n.batch_id)}, {"org_id", IdText(n.org_id)},
                   {"acknowledged_by", n.acknowledged_by == 0 ? json::value(nullptr) : json::value(IdText(n.acknowledged_by))}};
  for (auto [name, value] : {std::pair{"product_name", &n.product_name}, {"lot", &n.lot},
                             {"enterprise_name", &n.enterprise_name}, {"recall_reason", &n.recall_reason},
                             {"recalled_at", &n.recalled_at}, {"holder_key", &n.holder_key}, {"holder_id", &n.holder_id},
                             {"holder_name", &n.holder_name}, {"region_code", &n.region_code},
                             {"region_name", &n.region_name}, {"org_name", &n.org_name}, {"routed", &n.routed},
                             {"status", &n.status}, {"created_at", &n.created_at},
                             {"acknowledged_at", &n.acknowledged_at},
                             {"acknowledged_by_name", &n.acknowledged_by_name}, {"ack_note", &n.ack_note}}) {
    out[name] = *value;
  }
  return out;
}

json::object ToJson(const trace::Suspicion& x) {
  return {{"id", IdText(x.id)}, {"rule", x.rule}, {"code_key", x.code_key},
          {"batch_id", x.batch_id == 0 ? json::value(nullptr) : json::value(IdText(x.batch_id))},
          {"region_code", x.region_code}, {"org_id", IdText(x.org_id)}, {"org_name", x.org_name},
          {"detail", x.detail}, {"status", x.status}, {"hits", x.hits},
          {"created_at", x.created_at}, {"updated_at", x.updated_at},
          {"reviewed_by_name", x.reviewed_by_name}, {"reviewed_at", x.reviewed_at},
          {"review_comment", x.review_comment}};
}

HttpResponse Issue(RequestContext& ctx, Services& s) {
  RS_API_TRY(body, ParseObject(ctx.request.body));
  trace::BatchRequest r;
  for (auto [field, target] : {std::pair{"kind", &r.kind}, std::pair{"enterprise_uscc", &r.enterprise_uscc},
                               std::pair{"enterprise_name", &r.enterprise_name},
                               std::pair{"registration_no", &r.registration_no},
                               std::pair{"product_name", &r.product_name}, std::pair{"lot", &r.lot},
                               std::pair{"production_date", &r.production_date}}) {
    RS_API_TRY(value, GetString(*body, field));
    *target = *value;
  }
  for (auto [field, target] : {std::pair{"spec", &r.spec}, std::pair{"enterprise_code", &r.enterprise_code},
                               std::pair{"region_code", &r.region_code}}) {
    RS_API_TRY(value, GetString(*body, field, false));
    if (!value->empty()) *target = *value;
  }
  RS_API_TRY(quantity, GetNumber(*body, "quantity"));
  RS_API_TRY(production_type, GetNumber(*body, "production_type"));
  if (!*quantity) return ErrorResponse(Error{ErrorCode::kInvalidArgument, "请填写数量", "quantity"}, ctx.request.request_id);
  r.quantity = static_cast<int>(**quantity);
  if (*production_type) r.production_type = static_cast<int>(**production_type);
  if (const json::value* packs = body->if_contains("pack_sizes"); packs != nullptr && !packs->is_null()) {
    const Error bad{ErrorCode::kInvalidArgument, "包装层级应为整数数组，如 [20, 10]", "pack_sizes"};
    if (!packs->is_array()) return ErrorResponse(bad, ctx.request.request_id);
    for (const json::value& n : packs->as_array()) {
      if (!n.is_int64()) return ErrorResponse(bad, ctx.request.request_id);
      r.pack_sizes.push_back(static_cast<int>(std::clamp<std::int64_t>(n.as_int64(), -1, 1000000)));
    }
  }
  if (r.region_code.empty()) r.region_code = ctx.principal->user.org_region;
  RS_API_TRY(batch, s.codes->Issue(r, ctx.principal->user.org_id, ctx.principal->actor));
  return JsonResponse(201, ToJson(*batch));
}

HttpResponse ListBatches(RequestContext& ctx, Services& s) {
  const bool own = ctx.principal->permissions.Has(Permission::kTraceIssue);
  RS_API_TRY(batches, s.codes->ListBatches(own ? ctx.principal->user.org_id : 0));
  json::array items;
  for (const trace::Batch& b : *batches) items.push_back(ToJson(b));
  return JsonResponse(200, json::object{{"items", items}, {"total", items.size()}});
}

HttpResponse GetBatch(RequestContext& ctx, Services& s) {
  RS_API_TRY(batch, VisibleBatch(ctx, s));
  RS_API_TRY(codes, s.codes->Labels(batch->id, 20));
  json::array samples;
  for (const trace::IssuedCode& c : *codes) {
    samples.push_back(json::object{{"code", c.text}, {"url", s.codes->LabelUrl(c.text)}, {"level", c.level}});
  }
  json::object out = ToJson(*batch);
  out["sample_codes"] = samples;
  return JsonResponse(200, out);
}

HttpResponse LabelsCsvRoute(RequestContext& ctx, Services& s) {
  RS_API_TRY(batch, VisibleBatch(ctx, s));
  RS_API_TRY(codes, s.codes->Labels(batch->id));
  HttpResponse response;
  response.content_type = "text/csv; charset=utf-8";
  response.body = "\xEF\xBB\xBF" + trace::LabelsCsv(*batch, *codes, s.codes->label_base_url());
  response.AddHeader("Content-Disposition", "attachment; filename=\"labels-" + IdText(batch->id) + ".csv\"");
  return response;
}

HttpResponse LabelQr(RequestContext& ctx, Services& s) {
  RS_API_TRY(batch, VisibleBatch(ctx, s));
  std::string seq_text = ctx.request.Query("seq");
  RS_API_TRY(seq, ParseId(seq_text.empty() ? "1" : seq_text, "seq"));
  const std::vector<int> counts = trace::LevelCounts(batch->request);
  if (*seq < 1 || *seq > std::accumulate(counts.begin(), counts.end(), 0)) {
    return ErrorResponse(Error{ErrorCode::kInvalidArgument, "序号超出范围", "seq"}, ctx.request.request_id);
  }
  RS_API_TRY(codes, s.codes->Labels(batch->id, static_cast<int>(*seq)));
  if (codes->size() < static_cast<size_t>(*seq)) {
    return ErrorResponse(Error{ErrorCode::kNotFound, "码不存在", "seq"}, ctx.request.request_id);
  }
  RS_API_TRY(svg, trace::QrSvg(s.codes->LabelUrl(codes->back().text)));
  HttpResponse response;
  response.content_type = "image/svg+xml";
  response.body = std::move(*svg);
  return response;
}

HttpResponse HoldersRoute(RequestContext& ctx, Services& s) {
  RS_API_TRY(batch, VisibleBatch(ctx, s));
  RS_API_TRY(holders, s.codes->Holders(batch->id));
  return JsonResponse(200, json::object{{"items", HoldersJson(*holders)}, {"total", holders->size()}});
}

HttpResponse Recall(RequestContext& ctx, Services& s) {
  RS_API_TRY(batch, VisibleBatch(ctx, s));
  RS_API_TRY(body, ParseObject(ctx.request.body));
  RS_API_TRY(reason, GetString(*body, "reason"));
  RS_API_TRY(holders, s.codes->Recall(batch->id, *reason, ctx.principal->actor));
  RS_API_TRY(updated, s.codes->GetBatch(batch->id));
  return JsonResponse(200, json::object{{"batch", ToJson(*updated)}, {"holders", HoldersJson(*holders)}});
}

HttpResponse Destroy(RequestContext& ctx, Services& s) {
  RS_API_TRY(batch, VisibleBatch(ctx, s));
  RS_API_TRY(body, ParseObject(ctx.request.body.empty() ? "{}" : ctx.request.body));
  RS_API_TRY(note, GetString(*body, "note", false));
  Status destroyed = s.codes->Destroy(batch->id, *note, ctx.principal->actor);
  if (!destroyed) return ErrorResponse(destroyed.error(), ctx.request.request_id);
  RS_API_TRY(updated, s.codes->GetBatch(batch->id));
  return JsonResponse(200, ToJson(*updated));
}

HttpResponse SuspicionsRoute(RequestContext& ctx, Services& s) {
  RS_API_TRY(items, s.codes->Suspicions(ctx.request.Query("status"), VisibilityOf(ctx, Permission::kTraceRead)));
  json::array out;
  for (const trace::Suspicion& x : *items) out.push_back(ToJson(x));
  return JsonResponse(200, json::object{{"items", out}, {"total", out.size()}});
}

HttpResponse ReviewSuspicion(RequestContext& ctx, Services& s) {
  RS_API_TRY(id, PathId(ctx));
  RS_API_TRY(body, ParseObject(ctx.request.body));
  RS_API_TRY(decision, GetString(*body, "decision"));
  RS_API_TRY(comment, GetString(*body, "comment", false));
  RS_API_TRY(reviewed, s.codes->Review(*id, VisibilityOf(ctx, Permission::kTraceReview), *decision, *comment,
                                       ctx.principal->actor));
  return JsonResponse(200, ToJson(*reviewed));
}

json::object ToJson(const trace::CloneRules& r) {
  return {{"scans_per_unit", r.scans_per_unit},
          {"distant_window_hours", r.distant_window_hours},
          {"cluster_threshold", r.cluster_threshold},
          {"cluster_window_minutes", r.cluster_window_minutes}};
}

HttpResponse RulesRoute(RequestContext& ctx, Services& s) {
  RS_API_TRY(versions, s.codes->RuleHistory());
  json::array history;
  for (const trace::RuleVersion& v : *versions) {
    json::object row = ToJson(v.rules);
    row["id"] = IdText(v.id);
    row["note"] = v.note;
    row["changed_by"] = IdText(v.changed_by);
    row["changed_by_name"] = v.changed_by_name;
    row["changed_at"] = v.changed_at;
    history.push_back(std::move(row));
  }
  return JsonResponse(200, json::object{{"rules", ToJson(s.codes->Rules())},
                                        {"defaults", ToJson(s.codes->DefaultRules())},
                                        {"versions", std::move(history)}});
}

HttpResponse SetRulesRoute(RequestContext& ctx, Services& s) {
  RS_API_TRY(body, ParseObject(ctx.request.body));
  trace::CloneRules rules;
  for (auto [field, value] : {std::pair{"scans_per_unit", &rules.scans_per_unit},
                              std::pair{"distant_window_hours", &rules.distant_window_hours},
                              std::pair{"cluster_threshold", &rules.cluster_threshold},
                              std::pair{"cluster_window_minutes", &rules.cluster_window_minutes}}) {
    RS_API_TRY(number, GetNumber(*body, field));
    if (!*number || **number != std::floor(**number) || std::abs(**number) > 1e6) {
      return ErrorResponse({ErrorCode::kInvalidArgument, "应为整数", field}, ctx.request.request_id);
    }
    *value = static_cast<int>(**number);
  }
  RS_API_TRY(note, GetString(*body, "note", false));
  RS_API_TRY(saved, s.codes->SetRules(rules, *note, ctx.principal->actor));
  return RulesRoute(ctx, s);
}

HttpResponse NoticesRoute(RequestContext& ctx, Services& s) {
  RS_API_TRY(page, ParsePage(ctx.request));
  trace::NoticeQuery q;
  q.status = ctx.request.Query("status");
  if (std::string b = ctx.request.Query("batch_id"); !b.empty()) {
    RS_API_TRY(batch, ParseId(b, "batch_id"));
    q.batch_id = *batch;
  }
  q.visibility = VisibilityOf(ctx, Permission::kTraceRead);
  q.page = page->page;
  q.page_size = page->page_size;
  RS_API_TRY(notices, s.codes->Notices(q));
  json::array items;
  for (const trace::RecallNotice& n : notices->items) items.push_back(ToJson(n));
  return JsonResponse(200, json::object{{"items", items}, {"total", notices->total}});
}

HttpResponse AcknowledgeNotice(RequestContext& ctx, Services& s) {
  RS_API_TRY(id, PathId(ctx));
  RS_API_TRY(body, ParseObject(ctx.request.body));
  RS_API_TRY(note, GetString(*body, "note", false));
  RS_API_TRY(notice, s.codes->Acknowledge(*id, VisibilityOf(ctx, Permission::kTraceRead), *note, ctx.principal->actor));
  return JsonResponse(200, ToJson(*notice));
}

HttpResponse PlacesRoute(RequestContext& ctx, Services& s) {
  RS_API_TRY(page, ParsePage(ctx.request));
  trace::PlaceQuery q;
  q.region = ctx.request.Query("region");
  q.text = ctx.request.Query("q");
  if (std::string retail = ctx.request.Query("retail"); retail == "1" || retail == "0") q.retail = retail == "1";
  q.page = page->page;
  q.page_size = page->page_size;
  RS_API_TRY(places, s.codes->Places(q));
  json::array items;
  for (const trace::Place& p : places->items) items.push_back(ToJson(p));
  return JsonResponse(200, json::object{{"items", items}, {"total", places->total}});
}

// Callers whose trace.capture holds over their own organisation (enterprises)
// register places of their own or of nobody, and cannot change a place that
// another organisation registered as its own.
HttpResponse SavePlace(RequestContext& ctx, Services& s) {
  RS_API_TRY(body, ParseObject(ctx.request.body));
  trace::Place p;
  for (auto [field, target] : {std::pair{"id", &p.id}, std::pair{"name", &p.name}, std::pair{"region_code", &p.region_code}}) {
    RS_API_TRY(value, GetString(*body, field));
    *target = *value;
  }
  RS_API_TRY(retail, GetFlag(*body, "retail"));
  p.retail = *retail;
  RS_API_TRY(org, GetId(*body, "org_id", false));
  p.org_id = org->value_or(0);
  const trace::Visibility own = VisibilityOf(ctx, Permission::kTraceCapture);
  if (own.org_id != 0) {
    if (p.org_id != 0 && p.org_id != own.org_id) {
      return ErrorResponse(Error{ErrorCode::kPermissionDenied, "只能登记本单位或未入驻单位的地点", "org_id"}, ctx.request.request_id);
    }
    Result<trace::Place> existing = s.codes->FindPlace(p.id);
    if (existing && existing->org_id != 0 && existing->org_id != own.org_id) {
      return ErrorResponse(Error{ErrorCode::kPermissionDenied, "该地点由其他单位登记，不能修改", "id"}, ctx.request.request_id);
    }
  }
  RS_API_TRY(saved, s.codes->SavePlace(p, ctx.principal->actor));
  return JsonResponse(200, ToJson(*saved));
}

// CSV "id,name,region_code,retail"; an enterprise's places are its own.
HttpResponse ImportPlaces(RequestContext& ctx, Services& s) {
  const trace::Visibility own = VisibilityOf(ctx, Permission::kTraceCapture);
  RS_API_TRY(count, s.codes->ImportPlaces(ctx.request.body, own.org_id, ctx.principal->actor));
  return JsonResponse(200, json::object{{"imported", *count}});
}

HttpResponse ScanStatsRoute(RequestContext& ctx, Services& s) {
  Id batch_id = 0;
  if (std::string b = ctx.request.Query("batch_id"); !b.empty()) {
    RS_API_TRY(id, ParseId(b, "batch_id"));
    batch_id = *id;
  }
  int days = 30;
  if (std::string d = ctx.request.Query("days"); !d.empty()) {
    RS_API_TRY(n, ParseId(d, "days"));
    days = static_cast<int>(std::clamp<std::int64_t>(*n, 1, 366));
  }
  const std::string since = FormatUtc(SystemClock().Now() - std::chrono::hours(24 * days));
  RS_API_TRY(stats, s.codes->Stats(batch_id, since));
  auto counts = [](const std::vector<std::pair<std::string, std::int64_t>>& rows) {
    json::array out;
    for (const auto& [k, n] : rows) out.push_back(json::object{{"key", k}, {"count", n}});
    return out;
  };
  return JsonResponse(200, json::object{{"by_region", counts(stats->by_region)}, {"by_day", counts(stats->by_day)}});
}

// The public answer. Unknown and malformed codes get the same body, so that
// a forger cannot probe which codes exist in a given format.
// The body is written field by field (FlatJsonWriter).
HttpResponse Verify(RequestContext& ctx, Services& s) {
  trace::VerifyResult result = s.codes->Verify(ctx.params["code"], ctx.request.Query("region"));
  FlatJsonWriter out;
  out.Field("status", result.status);
  if (!result.found) {
    out.Field("message", "该码未发放，谨防假冒，请向当地农牧部门举报");
  } else {
    const trace::CodeInfo& c = *result.code;
    const trace::BatchRequest& r = c.batch->request;
    out.Field("kind", r.kind)
        .Field("product", r.product_name)
        .Field("registrant", r.enterprise_name)
        .Field("registration_no", r.registration_no)
        .Field("batch", r.lot)
        .Field("production_date", r.production_date)
        .Field("first_scan_at", c.first_scan_at)
        .Field("first_scan_region", c.first_scan_region)
        .Field("scan_count", c.scan_count)
        .Field("level", c.level)
        .Field("contains", c.contains)
        .Field("parent", c.parent_text);
  }
  HttpResponse response;  // Cache-Control: no-store (Api::Finish)
  response.body = out.Take();
  return response;
}

}  // namespace

void AddTraceRoutes(Router& r, Services& s) {
  auto bind = [&s](HttpResponse (*fn)(RequestContext&, Services&)) {
    return [&s, fn](RequestContext& ctx) { return fn(ctx, s); };
  };
  r.AddUpload("POST", "/api/v1/trace/capture", Access::Require(Permission::kTraceCapture),
        {"导入 EPCIS 2.0 JSON/JSON-LD 文档（校验 GS1 JSON Schema 与 CBV）；返回 201", "trace", "", "",
         {"name"}},
        bind(Capture));
  r.Add("GET", "/api/v1/trace/events", Access::Require(Permission::kTraceRead),
        {"按码、批号、地点（GLN 或行政区划）、业务步骤、时间查询 EPCIS 事件", "trace", "", "",
         {"code", "lot", "place", "region", "biz_step", "from", "to", "limit"}},
        bind(Events));
  r.Add("GET", "/api/v1/trace/history", Access::Require(Permission::kTraceRead),
        {"追溯码的全程记录：沿包装层级上下、经转化事件", "trace", "", "", {"code"}}, bind(HistoryRoute));
  r.Add("GET", "/api/v1/trace/check", Access::Authenticated(),
        {"解析并校验追溯码、GS1 标识、登记证号、批准文号", "trace", "", "", {"code", "kind"}},
        bind(Check));
  if (s.codes == nullptr) return;
  r.Add("POST", "/api/v1/trace/batches", Access::Require(Permission::kTraceIssue),
        {"企业申请一批追溯码（随机部分来自 CSPRNG）；返回 201", "trace", "", ""}, bind(Issue));
  r.Add("GET", "/api/v1/trace/batches", Access::Require(Permission::kTraceRead),
        {"追溯码批次列表（企业只看本企业的）", "trace", "", ""}, bind(ListBatches));
  r.Add("GET", "/api/v1/trace/batches/{id}", Access::Require(Permission::kTraceRead),
        {"批次详情与前 20 个码", "trace", "", ""}, bind(GetBatch));
  r.Add("GET", "/api/v1/trace/batches/{id}/labels.csv", Access::Require(Permission::kTraceIssue),
        {"导出标签 CSV（供标签打印机）", "trace", "", ""}, bind(LabelsCsvRoute));
  r.Add("GET", "/api/v1/trace/batches/{id}/qr.svg", Access::Require(Permission::kTraceIssue),
        {"第 seq 个码的二维码（SVG）", "trace", "", "", {"seq"}}, bind(LabelQr));
  r.Add("GET", "/api/v1/trace/batches/{id}/holders", Access::Require(Permission::kTraceRead),
        {"批次的下游持有者（来自发货、收货事件）", "trace", "", ""}, bind(HoldersRoute));
  r.Add("POST", "/api/v1/trace/batches/{id}/recall", Access::Require(Permission::kTraceRecall),
        {"召回批次；返回下游持有者", "trace", "", ""}, bind(Recall));
  r.Add("POST", "/api/v1/trace/batches/{id}/destroy", Access::Require(Permission::kTraceRecall),
        {"召回批次已销毁，关闭召回", "trace", "", ""}, bind(Destroy));
  r.Add("GET", "/api/v1/trace/suspicions", Access::Require(Permission::kTraceRead),
        {"疑似克隆码（规则触发）", "trace", "", "", {"status"}}, bind(SuspicionsRoute));
  r.Add("GET", "/api/v1/trace/rules", Access::Require(Permission::kTraceRead),
        {"克隆码检测规则：现行阈值、默认值和历史版本", "trace", "", ""}, bind(RulesRoute));
  r.Add("PUT", "/api/v1/trace/rules", Access::Require(Permission::kTraceRules),
        {"修改克隆码检测规则的阈值（立即生效，记入审计）", "trace", "", ""}, bind(SetRulesRoute));
  r.Add("POST", "/api/v1/trace/suspicions/{id}/review", Access::Require(Permission::kTraceReview),
        {"核查疑似克隆码：确认或排除（排除须填意见）", "trace", "", ""}, bind(ReviewSuspicion));
  r.Add("GET", "/api/v1/trace/recall-notices", Access::Require(Permission::kTraceRead),
        {"召回通知（本单位收到的；地区角色看本地区）", "trace", "", "", {"status", "batch_id", "page", "page_size"}},
        bind(NoticesRoute));
  r.Add("POST", "/api/v1/trace/recall-notices/{id}/ack", Access::Require(Permission::kTraceRead),
        {"确认收到召回通知并说明处置", "trace", "", ""}, bind(AcknowledgeNotice));
  r.Add("GET", "/api/v1/trace/places", Access::Require(Permission::kTraceRead),
        {"追溯地点（GLN、名称、区划、所属单位）", "trace", "", "", {"region", "q", "retail", "page", "page_size"}},
        bind(PlacesRoute));
  r.Add("POST", "/api/v1/trace/places", Access::Require(Permission::kTraceCapture),
        {"登记或修改追溯地点（按 GLN）", "trace", "", ""}, bind(SavePlace));
  r.Add("POST", "/api/v1/trace/places/import", Access::Require(Permission::kTraceCapture),
        {"导入追溯地点 CSV（id,name,region_code,retail），全部成功或全部不导入", "trace", "", ""}, bind(ImportPlaces));
  r.Add("GET", "/api/v1/trace/scan-stats", Access::Require(Permission::kTraceRead),
        {"扫码统计：按盟市、按日", "trace", "", "", {"batch_id", "days"}}, bind(ScanStatsRoute));
  r.Add("GET", "/api/v1/public/verify/{code}", Access::Public(),
        {"公开验证追溯码（无需登录，按客户端限流）", "trace", "", "", {"region"}}, bind(Verify));
}

}  // namespace redshield::api
