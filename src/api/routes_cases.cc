// Routes: cases and 两法衔接 (issue 5) — case files, the threshold evaluator,
// lifecycle and transfer actions, the procuratorate's supervision board and
// the 双打 summary report (JSON and XLSX). Amounts are integer fen. The
// service checks who may see and do what; routes only translate.
#include <cmath>

#include "api/api.h"
#include "api/mapping.h"
#include "api/xlsx.h"
#include "core/money.h"
#include "ingest/case_facts_json.h"

namespace redshield::api {
namespace {

using platform::Permission;

json::value TextOrNull(const std::string& text) {
  return text.empty() ? json::value(nullptr) : json::value(text);
}

json::array Strings(const std::vector<std::string>& items) {
  json::array out;
  for (const std::string& item : items) out.push_back(json::value(item));
  return out;
}

json::object ToJson(const cases::CaseTimer& t, bool overdue) {
  return {{"kind", t.kind}, {"name", t.name}, {"started_at", t.started_at},
          {"deadline_at", t.deadline_at}, {"done_at", TextOrNull(t.done_at)},
          {"legal_source", t.legal_source}, {"rule", t.rule}, {"overdue", overdue}};
}

json::object ToJson(const cases::Case& c, cases::CaseService& service, bool full) {
  json::array parties;
  for (const cases::CaseParty& p : c.parties) {
    parties.push_back(json::object{{"kind", p.kind}, {"name", p.name}, {"uscc", p.uscc},
                                   {"id_masked", p.id_masked}});
  }
  json::array timers;
  bool overdue = false;
  for (const cases::CaseTimer& t : c.timers) {
    bool late = service.IsOverdue(t);
    overdue = overdue || (late && t.done_at.empty());
    timers.push_back(ToJson(t, late));
  }
  json::object out{
      {"id", IdText(c.id)}, {"case_number", c.case_number},
      {"org", json::object{{"id", IdText(c.org_id)}, {"name", c.org_name}}},
      {"region_code", c.region_code}, {"category", c.category}, {"tags", Strings(c.tags)},
      {"channel", c.channel}, {"title", c.title}, {"facts", c.facts}, {"brand", c.brand},
      {"rights_holder", c.rights_holder}, {"offence", c.offence},
      {"offence_date", TextOrNull(c.offence_date)}, {"goods_or_services", c.goods_or_services},
      {"illegal_business_fen", c.illegal_business_fen}, {"illegal_gains_fen", c.illegal_gains_fen},
      {"sales_fen", c.sales_fen}, {"unsold_value_fen", c.unsold_value_fen},
      {"production_loss_fen", c.production_loss_fen},
      {"rights_holder_loss_fen", c.rights_holder_loss_fen}, {"item_count", c.item_count},
      {"label_count", c.label_count}, {"unsold_label_count", c.unsold_label_count},
      {"copies", c.copies}, {"marks_count", c.marks_count},
      {"prior_penalty_within_2y", c.prior_penalty}, {"reasonable_suspicion", c.reasonable_suspicion},
      {"dens_destroyed", c.dens_destroyed}, {"suspects", c.suspects}, {"status", c.status},
      {"opened_on", TextOrNull(c.opened_on)}, {"decided_on", TextOrNull(c.decided_on)},
      {"closed_on", TextOrNull(c.closed_on)}, {"penalty_type", c.penalty_type},
      {"fine_fen", c.fine_fen}, {"confiscated_fen", c.confiscated_fen},
      {"transfer_status", c.transfer_status},
      {"police_org", c.police_org_id == 0 ? json::value(nullptr)
                                          : json::value(json::object{{"id", IdText(c.police_org_id)},
                                                                     {"name", c.police_org_name}})},
      {"transferred_on", TextOrNull(c.transferred_on)}, {"police_reason", c.police_reason},
      {"transfer_suggested", c.transfer_suggested}, {"filing_supervised", c.filing_supervised},
      {"arrested_persons", c.arrested_persons}, {"prosecuted_persons", c.prosecuted_persons},
      {"court_accepted", c.court_accepted}, {"court_concluded", c.court_concluded},
      {"convicted_persons", c.convicted_persons},
      {"evaluation", json::object{{"should_transfer", c.should_transfer},
                                  {"rule", TextOrNull(c.eval_rule)},
                                  {"basis", TextOrNull(c.eval_basis)},
                                  {"reasons", Strings(c.eval_reasons)},
                                  {"uncertain", c.eval_uncertain}}},
      {"parties", parties}, {"timers", timers}, {"overdue", overdue}, {"version", c.version},
      {"created_at", c.created_at}, {"updated_at", c.updated_at}};
  if (full) {
    json::array events;
    for (const cases::CaseEvent& e : c.events) {
      events.push_back(json::object{
          {"id", IdText(e.id)}, {"action", e.action}, {"from", e.from_status}, {"to", e.to_status},
          {"text", e.text},
          {"by", json::object{{"id", IdText(e.by)}, {"display_name", e.by_name}, {"org_name", e.by_org}}},
          {"at", e.at}});
    }
    out["events"] = events;
    out["documents"] = api::ToJson(c.documents);
    json::array goods;
    for (const cases::CaseGoods& g : c.goods) {
      goods.push_back(json::object{{"name", g.name}, {"brand", g.brand},
                                   {"registration_no", g.registration_no},
                                   {"rights_holder", g.rights_holder},
                                   {"rights_holder_uscc", g.rights_holder_uscc},
                                   {"quantity", g.quantity}, {"unit", g.unit}, {"value_fen", g.value_fen}});
    }
    out["goods"] = goods;  // mapping.h (hidden by the local overloads)
    json::array missing;
    for (const cases::DocumentKind* kind : service.MissingDocuments(c, "send")) {
      missing.push_back(json::value(kind->kind));
    }
    out["missing_documents"] = missing;
  }
  return out;
}

Result<int64_t> GetCount(const json::object& body, const char* field, int64_t fallback = 0) {
  Result<std::optional<double>> number = GetNumber(body, field);
  if (!number) return tl::unexpected(number.error());
  if (!*number) return fallback;
  double value = **number;
  if (value < 0 || value > 9e15 || std::floor(value) != value) {
    return Fail(ErrorCode::kInvalidArgument, std::string("字段 ") + field + " 须为非负整数", field);
  }
  return static_cast<int64_t>(value);
}

Result<cases::CaseDraft> ParseDraft(const json::object& body) {
  cases::CaseDraft d;
  struct TextField {
    const char* name;
    std::string* target;
    bool required;
  };
  for (const TextField& f : {TextField{"title", &d.title, true}, {"category", &d.category, true},
                             {"channel", &d.channel, false}, {"facts", &d.facts, false},
                             {"brand", &d.brand, false}, {"rights_holder", &d.rights_holder, false},
                             {"offence", &d.offence, false}, {"offence_date", &d.offence_date, false},
                             {"region_code", &d.region_code, false},
                             {"goods_or_services", &d.goods_or_services, false}}) {
    Result<std::string> text = GetString(body, f.name, f.required);
    if (!text) return tl::unexpected(text.error());
    *f.target = *text;
  }
  if (d.goods_or_services.empty()) d.goods_or_services = "goods";
  Result<std::vector<std::string>> tags = GetStringList(body, "tags");
  if (!tags) return tl::unexpected(tags.error());
  d.tags = *tags;
  struct CountField {
    const char* name;
    int64_t* target;
    int64_t fallback;
  };
  for (const CountField& f :
       {CountField{"illegal_business_fen", &d.illegal_business_fen, 0},
        {"illegal_gains_fen", &d.illegal_gains_fen, 0}, {"sales_fen", &d.sales_fen, 0},
        {"unsold_value_fen", &d.unsold_value_fen, 0}, {"production_loss_fen", &d.production_loss_fen, 0},
        {"rights_holder_loss_fen", &d.rights_holder_loss_fen, 0},
        {"item_count", &d.item_count, 0}, {"label_count", &d.label_count, 0},
        {"unsold_label_count", &d.unsold_label_count, 0},
        {"copies", &d.copies, 0}, {"marks_count", &d.marks_count, 1},
        {"dens_destroyed", &d.dens_destroyed, 0}, {"suspects", &d.suspects, 0}}) {
    Result<int64_t> value = GetCount(body, f.name, f.fallback);
    if (!value) return tl::unexpected(value.error());
    *f.target = *value;
  }
  Result<bool> prior = GetFlag(body, "prior_penalty_within_2y");
  if (!prior) return tl::unexpected(prior.error());
  d.prior_penalty = *prior;
  Result<bool> suspicion = GetFlag(body, "reasonable_suspicion");
  if (!suspicion) return tl::unexpected(suspicion.error());
  d.reasonable_suspicion = *suspicion;
  Result<std::vector<const json::object*>> parties = GetObjectList(body, "parties");
  if (!parties) return tl::unexpected(parties.error());
  for (const json::object* p : *parties) {
    cases::PartyDraft party;
    for (auto [name, target] : {std::pair{"kind", &party.kind}, {"name", &party.name},
                                {"uscc", &party.uscc}, {"id_number", &party.id_number}}) {
      Result<std::string> text = GetString(*p, name, false);
      if (!text) return tl::unexpected(text.error());
      *target = *text;
    }
    d.parties.push_back(std::move(party));
  }
  Result<std::vector<const json::object*>> goods = GetObjectList(body, "goods");
  if (!goods) return tl::unexpected(goods.error());
  for (const json::object* g : *goods) {
    cases::CaseGoods row;
    for (auto [name, target] :
         {std::pair{"name", &row.name}, {"brand", &row.brand}, {"registration_no", &row.registration_no},
          {"rights_holder", &row.rights_holder}, {"rights_holder_uscc", &row.rights_holder_uscc},
          {"unit", &row.unit}}) {
      Result<std::string> text = GetString(*g, name, false);
      if (!text) return tl::unexpected(text.error());
      *target = *text;
    }
    Result<std::optional<double>> quantity = GetNumber(*g, "quantity");
    if (!quantity) return tl::unexpected(quantity.error());
    row.quantity = quantity->value_or(0);
    Result<int64_t> value = GetCount(*g, "value_fen", 0);
    if (!value) return tl::unexpected(value.error());
    row.value_fen = *value;
    d.goods.push_back(std::move(row));
  }
  return d;
}

HttpResponse List(RequestContext& ctx, Services& s) {
  RS_API_TRY(page, ParsePage(ctx.request));
  cases::CaseQuery query;
  query.page = *page;
  query.number = ctx.request.Query("number");
  query.party = ctx.request.Query("party");
  query.category = ctx.request.Query("category");
  query.status = ctx.request.Query("status");
  query.transfer_status = ctx.request.Query("transfer_status");
  query.region_prefix = ctx.request.Query("region_code");
  query.from = ctx.request.Query("from");
  query.to = ctx.request.Query("to");
  RS_API_TRY(result, s.cases->List(*ctx.principal, query));
  return JsonResponse(200, PageJson(*result, [&s](const cases::Case& c) { return ToJson(c, *s.cases, false); }));
}

HttpResponse Get(RequestContext& ctx, Services& s) {
  RS_API_TRY(id, PathId(ctx));
  RS_API_TRY(c, s.cases->Get(*ctx.principal, *id));
  return JsonResponse(200, ToJson(*c, *s.cases, true));
}

HttpResponse Create(RequestContext& ctx, Services& s) {
  RS_API_TRY(body, ParseObject(ctx.request.body));
  RS_API_TRY(draft, ParseDraft(*body));
  RS_API_TRY(c, s.cases->Create(*ctx.principal, *draft));
  return JsonResponse(201, ToJson(*c, *s.cases, true));
}

HttpResponse Edit(RequestContext& ctx, Services& s) {
  RS_API_TRY(id, PathId(ctx));
  RS_API_TRY(body, ParseObject(ctx.request.body));
  RS_API_TRY(draft, ParseDraft(*body));
  RS_API_TRY(version, GetCount(*body, "version", 0));
  RS_API_TRY(c, s.cases->Edit(*ctx.principal, *id, *version, *draft));
  return JsonResponse(200, ToJson(*c, *s.cases, true));
}

HttpResponse Act(RequestContext& ctx, Services& s) {
  RS_API_TRY(id, PathId(ctx));
  RS_API_TRY(body, ParseObject(ctx.request.body));
  RS_API_TRY(action, GetString(*body, "action"));
  cases::ActionInput input;
  RS_API_TRY(text, GetString(*body, "text", false));
  RS_API_TRY(penalty, GetString(*body, "penalty_type", false));
  RS_API_TRY(police, GetId(*body, "police_org_id", false));
  RS_API_TRY(fine, GetCount(*body, "fine_fen"));
  RS_API_TRY(confiscated, GetCount(*body, "confiscated_fen"));
  RS_API_TRY(persons, GetCount(*body, "persons"));
  input.text = *text;
  input.penalty_type = *penalty;
  input.police_org_id = police->value_or(0);
  input.fine_fen = *fine;
  input.confiscated_fen = *confiscated;
  input.persons = *persons;
  RS_API_TRY(c, s.cases->Act(*ctx.principal, *id, *action, input));
  return JsonResponse(200, ToJson(*c, *s.cases, true));
}

HttpResponse Evaluate(RequestContext& ctx, Services& s) {
  RS_API_TRY(all, ingest::ParseCaseFactsJson(ctx.request.body));
  for (cases::CaseFacts& facts : *all) facts.judged_on = facts.judged_on.value_or(s.cases->Today());
  json::array out;
  for (size_t index = 0; index < all->size(); ++index) {
    Result<cases::Evaluation> eval = s.cases->thresholds().Evaluate((*all)[index]);
    if (!eval) {
      Error error = eval.error();
      error.field = (all->size() == 1 ? "$." : "$[" + std::to_string(index) + "].") + error.field;
      return ErrorResponse(error, ctx.request.request_id);
    }
    out.push_back(json::object{{"should_transfer", eval->should_transfer}, {"offence", eval->offence},
                               {"rule", TextOrNull(eval->rule)}, {"basis", TextOrNull(eval->basis)},
                               {"reasons", Strings(eval->reasons)}, {"uncertain", eval->uncertain}});
  }
  return JsonResponse(200, json::object{{"items", out}});
}

HttpResponse Meta(RequestContext& ctx, Services& s) {
  RS_API_TRY(police, s.cases->PoliceOrgs());
  json::array police_orgs;
  for (const platform::Organization& org : *police) {
    police_orgs.push_back(json::object{{"id", IdText(org.id)}, {"code", org.code}, {"name", org.name},
                                       {"region_code", org.region_code}});
  }
  json::array rules;
  for (const cases::ThresholdRule& r : s.cases->thresholds().rules()) {
    rules.push_back(json::object{
        {"rule", r.rule_id}, {"offence", r.offence}, {"version", r.version},
        {"valid_from", r.valid_from.ToString()},
        {"valid_to", r.valid_to ? json::value(r.valid_to->ToString()) : json::value(nullptr)},
        {"level", cases::RuleLevelName(r.level)}, {"metric", cases::MetricName(r.metric)},
        {"metric_label", cases::MetricLabel(r.metric)}, {"threshold", r.threshold}, {"unit", r.unit},
        {"legal_source", r.legal_source}, {"uncertain", r.uncertain}, {"note", r.note}});
  }
  json::array document_kinds;
  for (const cases::DocumentKind& d : s.cases->document_kinds().kinds()) {
    document_kinds.push_back(json::object{{"kind", d.kind}, {"name", d.name},
                                          {"required_for", d.required_for},
                                          {"legal_source", d.legal_source}});
  }
  json::array timers;
  for (const cases::TimerRule& t : s.cases->timer_rules().rules()) {
    timers.push_back(json::object{{"kind", t.kind}, {"name", t.name}, {"amount", t.amount},
                                  {"unit", t.hours ? "hours" : "days"},
                                  {"counting", t.working ? "working" : "calendar"},
                                  {"starts_on", t.starts_on}, {"legal_source", t.legal_source}});
  }
  return JsonResponse(200, json::object{
      {"categories", Strings(cases::CaseCategories())}, {"channels", Strings(cases::CaseChannels())},
      {"statuses", Strings(cases::CaseStatuses())},
      {"tags", Strings({"剑网", "秋风", "清风", "红盾护农", "质检利剑", "绿盾", "护苗", "利剑"})},
      {"offences", Strings(s.cases->thresholds().Offences())}, {"rules", rules}, {"timers", timers},
      {"police_orgs", police_orgs}, {"document_kinds", document_kinds}});
}

HttpResponse Board(RequestContext& ctx, Services& s) {
  RS_API_TRY(board, s.cases->Board(*ctx.principal));
  json::array items;
  for (const cases::SupervisionItem& item : board->cases) {
    json::object c = ToJson(item.c, *s.cases, false);
    c["supervision_kind"] = item.kind;
    items.push_back(c);
  }
  json::array overdue;
  for (const cases::TimerOnCase& t : board->overdue) {
    overdue.push_back(json::object{{"case_id", IdText(t.case_id)}, {"case_number", t.case_number},
                                   {"org_name", t.org_name}, {"timer", ToJson(t.timer, true)}});
  }
  return JsonResponse(200, json::object{{"cases", items}, {"overdue", overdue}});
}

HttpResponse AddDocuments(RequestContext& ctx, Services& s) {
  RS_API_TRY(id, PathId(ctx));
  RS_API_TRY(body, ParseObject(ctx.request.body));
  RS_API_TRY(kind, GetString(*body, "kind"));
  RS_API_TRY(files, ParseFileDrafts(*body));
  RS_API_TRY(c, s.cases->AddDocuments(*ctx.principal, *id, *kind, *files));
  return JsonResponse(200, ToJson(*c, *s.cases, true));
}

HttpResponse Document(RequestContext& ctx, Services& s) {
  RS_API_TRY(id, PathId(ctx));
  RS_API_TRY(document_id, ParseId(ctx.params.at("doc"), "doc"));
  RS_API_TRY(file, s.cases->Document(*ctx.principal, *id, *document_id));
  return FileDownload(file->meta.content_type, file->meta.filename, std::move(file->data));
}

HttpResponse TimerReminders(RequestContext& ctx, Services& s) {
  RS_API_TRY(reminders, s.cases->Reminders(*ctx.principal));
  json::array items;
  for (const cases::TimerReminder& r : *reminders) {
    items.push_back(json::object{{"case_id", IdText(r.timer.case_id)},
                                 {"case_number", r.timer.case_number},
                                 {"org_name", r.timer.org_name},
                                 {"responsible", r.responsible},
                                 {"timer", ToJson(r.timer.timer, r.overdue)}});
  }
  return JsonResponse(200, json::object{{"items", items}});
}

json::array Rows(const std::vector<cases::SummaryRow>& rows) {
  json::array out;
  for (const cases::SummaryRow& r : rows) {
    out.push_back(json::object{{"key", r.key}, {"cases", r.cases}, {"value_fen", r.value_fen},
                               {"penalty_fen", r.penalty_fen}, {"transferred", r.transferred}});
  }
  return out;
}

Result<cases::Summary> LoadSummary(RequestContext& ctx, Services& s) {
  return s.cases->Summarize(*ctx.principal, ctx.request.Query("from"), ctx.request.Query("to"),
                            ctx.request.Query("region_code"));
}

HttpResponse SummaryJson(RequestContext& ctx, Services& s) {
  RS_API_TRY(summary, LoadSummary(ctx, s));
  const cases::SummaryFigures& f = summary->figures;
  json::object figures{
      {"cases", f.total.cases}, {"value_fen", f.total.value_fen}, {"penalty_fen", f.total.penalty_fen},
      {"dens", f.dens}, {"transferred_cases", f.total.transferred},
      {"transferred_persons", f.transferred_persons}, {"police_filed", f.police_filed},
      {"police_suspects", f.police_suspects}, {"police_value_fen", f.police_value_fen},
      {"arrest_cases", f.arrest_cases}, {"arrest_persons", f.arrest_persons},
      {"prosecute_cases", f.prosecute_cases}, {"prosecute_persons", f.prosecute_persons},
      {"supervised_filings", f.supervised_filings}, {"court_accepted", f.court_accepted},
      {"court_concluded", f.court_concluded}, {"convicted_persons", f.convicted_persons},
      {"customs_batches", f.customs_batches}, {"customs_items", f.customs_items},
      {"customs_value_fen", f.customs_value_fen}, {"destroyed_kg", f.destroyed_kg},
      {"destroyed_value_fen", f.destroyed_value_fen}};
  return JsonResponse(200, json::object{{"text", summary->text}, {"figures", figures},
                                        {"by_region", Rows(f.by_region)},
                                        {"by_category", Rows(f.by_category)},
                                        {"by_month", Rows(f.by_month)}, {"by_tag", Rows(f.by_tag)}});
}

HttpResponse SummaryXlsx(RequestContext& ctx, Services& s) {
  RS_API_TRY(summary, LoadSummary(ctx, s));
  Sheet sheet;
  sheet.name = "双打统计";
  sheet.header = {"分组", "项目", "案件数", "案值（万元）", "罚没款（万元）", "移送司法机关（件）"};
  sheet.column_widths = {10, 16, 10, 14, 14, 18};
  auto add = [&sheet](const char* group, const std::vector<cases::SummaryRow>& rows) {
    for (const cases::SummaryRow& r : rows) {
      sheet.rows.push_back({group, r.key, std::to_string(r.cases), FormatWanYuan(r.value_fen),
                            FormatWanYuan(r.penalty_fen), std::to_string(r.transferred)});
    }
  };
  add("合计", {summary->figures.total});
  add("地区", summary->figures.by_region);
  add("类别", summary->figures.by_category);
  add("月份", summary->figures.by_month);
  add("专项行动", summary->figures.by_tag);
  sheet.rows.push_back({"说明", summary->text, "", "", "", ""});
  RS_API_TRY(bytes, WriteXlsx(sheet));
  HttpResponse response;
  response.content_type = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";
  response.body = std::move(*bytes);
  response.AddHeader("Content-Disposition", "attachment; filename=\"summary-" +
                                                ctx.request.Query("from") + "-" +
                                                ctx.request.Query("to") + ".xlsx\"");
  return response;
}

}  // namespace

void AddCaseRoutes(Router& r, Services& s) {
  const std::vector<std::string> list_params = {"number", "party", "category", "status",
                                                "transfer_status", "region_code", "from", "to",
                                                "page", "page_size"};
  r.Add("GET", "/api/v1/cases/meta", Access::Authenticated(),
        {"案件字典：类别、渠道、状态、专项行动、罪名、追诉标准和法定时限", "cases", "", "CaseMeta"},
        [&s](RequestContext& ctx) { return Meta(ctx, s); });
  r.Add("POST", "/api/v1/cases/evaluate", Access::Authenticated(),
        {"按立案追诉标准评估案件事实（对象或数组）", "cases", "CaseFacts", "CaseEvaluations"},
        [&s](RequestContext& ctx) { return Evaluate(ctx, s); });
  r.Add("GET", "/api/v1/cases/supervision", Access::Require(Permission::kCaseProcurate),
        {"检察监督台账：以罚代刑、有案不移和超期时限", "cases", "", "CaseBoard"},
        [&s](RequestContext& ctx) { return Board(ctx, s); });
  r.Add("GET", "/api/v1/me/case-timers", Access::Authenticated(),
        {"本人须在法定时限内办理的案件（审批、移送、受理审查、复议、公示）", "cases", "",
         "CaseTimerReminders"},
        [&s](RequestContext& ctx) { return TimerReminders(ctx, s); });
  r.Add("GET", "/api/v1/cases", Access::Authenticated(),
        {"案件列表（按角色和机构限定范围）", "cases", "", "CasePage", list_params},
        [&s](RequestContext& ctx) { return List(ctx, s); });
  r.Add("POST", "/api/v1/cases", Access::Require(Permission::kCaseWrite),
        {"登记案件", "cases", "CaseInput", "Case"},
        [&s](RequestContext& ctx) { return Create(ctx, s); });
  r.Add("GET", "/api/v1/cases/{id}", Access::Authenticated(),
        {"案件详情、办理经过和法定时限", "cases", "", "Case"},
        [&s](RequestContext& ctx) { return Get(ctx, s); });
  r.Add("PUT", "/api/v1/cases/{id}", Access::Require(Permission::kCaseWrite),
        {"修改案件（带 version）", "cases", "CaseInput", "Case"},
        [&s](RequestContext& ctx) { return Edit(ctx, s); });
  r.Add("POST", "/api/v1/cases/{id}/documents", Access::Require(Permission::kCaseWrite),
        {"上传案件材料（移送书、调查报告、涉案物品清单、检验报告等）", "cases", "CaseDocumentsInput", "Case"},
        [&s](RequestContext& ctx) { return AddDocuments(ctx, s); });
  r.Add("GET", "/api/v1/cases/{id}/documents/{doc}", Access::Authenticated(),
        {"下载案件材料", "cases", "", ""}, [&s](RequestContext& ctx) { return Document(ctx, s); });
  r.Add("POST", "/api/v1/cases/{id}/actions", Access::Authenticated(),
        {"办理、移送、受理、监督、审判等操作", "cases", "CaseAction", "Case"},
        [&s](RequestContext& ctx) { return Act(ctx, s); });
  r.Add("GET", "/api/v1/reports/summary", Access::Authenticated(),
        {"双打统计汇总（文字、表格和分组）", "cases", "", "CaseSummary", {"from", "to", "region_code"}},
        [&s](RequestContext& ctx) { return SummaryJson(ctx, s); });
  r.Add("GET", "/api/v1/reports/summary/export", Access::Authenticated(),
        {"双打统计汇总导出 Excel", "cases", "", "", {"from", "to", "region_code"}},
        [&s](RequestContext& ctx) { return SummaryXlsx(ctx, s); });
}

}  // namespace redshield::api
