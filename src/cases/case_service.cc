#include "cases/case_service.h"

#include <algorithm>

#include "cases/custody_service.h"
#include "core/date.h"
#include "core/masking.h"
#include "core/money.h"
#include "core/resident_id.h"
#include "core/text.h"
#include "core/uscc.h"
#include "platform/permissions.h"

namespace redshield::cases {
namespace {

using platform::Permission;
using platform::Principal;

enum class Track { kStatus, kTransfer, kNone };

// One action of the lifecycle or the transfer workflow.
struct Step {
  std::string_view action;
  std::string_view label;
  Permission permission;
  Track track;
  std::vector<std::string_view> from;  // allowed current states of the track; empty: any
  std::string_view to;                 // new state of the track; empty: unchanged
  bool needs_text;
};

const std::vector<Step>& Steps() {
  using P = Permission;
  static const std::vector<Step> kSteps = {
      {"open", "立案", P::kCaseWrite, Track::kStatus, {"线索"}, "立案", false},
      {"investigate", "调查", P::kCaseWrite, Track::kStatus, {"立案"}, "调查", false},
      {"submit", "提交审核", P::kCaseWrite, Track::kStatus, {"调查"}, "审核", false},
      {"decide", "作出处罚决定", P::kCaseWrite, Track::kStatus, {"审核"}, "决定", false},
      {"execute", "执行", P::kCaseWrite, Track::kStatus, {"决定"}, "执行", false},
      {"close", "结案", P::kCaseWrite, Track::kStatus, {"决定", "执行"}, "结案", false},
      {"publish", "公示处罚信息", P::kCaseWrite, Track::kStatus, {"决定", "执行", "结案"}, "", false},
      {"report_transfer", "提交移送报告", P::kCaseWrite, Track::kTransfer, {"", "不批准"}, "待批准", false},
      {"approve_transfer", "批准移送", P::kCaseReview, Track::kTransfer, {"待批准"}, "已批准", false},
      {"reject_transfer", "不批准移送", P::kCaseReview, Track::kTransfer, {"待批准"}, "不批准", true},
      {"send", "移送公安机关", P::kCaseWrite, Track::kTransfer, {"已批准"}, "已移送", true},
      {"accept", "公安机关受理", P::kCasePolice, Track::kTransfer, {"已移送"}, "已受理", false},
      {"file", "公安机关立案", P::kCasePolice, Track::kTransfer, {"已受理", "复议中"}, "已立案", false},
      {"not_file", "不予立案", P::kCasePolice, Track::kTransfer, {"已受理"}, "不予立案", true},
      {"reconsider", "提请复议", P::kCaseWrite, Track::kTransfer, {"不予立案"}, "复议中", true},
      {"maintain", "复议维持不予立案", P::kCasePolice, Track::kTransfer, {"复议中"}, "不予立案", true},
      {"accept_not_file", "接受不予立案决定", P::kCaseWrite, Track::kTransfer, {"不予立案"}, "", false},
      {"suggest_transfer", "建议移送", P::kCaseProcurate, Track::kTransfer, {"", "不批准"}, "", true},
      {"supervise_filing", "立案监督", P::kCaseProcurate, Track::kTransfer, {"已受理", "不予立案", "复议中"}, "", true},
      {"arrest", "批准逮捕", P::kCaseProcurate, Track::kTransfer, {"已立案"}, "", false},
      {"prosecute", "提起公诉", P::kCaseProcurate, Track::kTransfer, {"已立案"}, "", false},
      {"court_accept", "法院受理", P::kCaseCourt, Track::kNone, {}, "", false},
      {"court_conclude", "法院审结", P::kCaseCourt, Track::kNone, {}, "", false},
  };
  return kSteps;
}

const Step* FindStep(std::string_view action) {
  for (const Step& step : Steps()) {
    if (step.action == action) return &step;
  }
  return nullptr;
}

bool OwnOrg(const Principal& who, const Case& c) { return who.user.org_id == c.org_id; }
bool InRegion(const Principal& who, const Case& c) {
  return platform::RegionCovers(who.user.org_region, c.region_code);
}

// Whether `who` may take `step` on `c`, by permission and scope.
bool Allowed(const Principal& who, const Step& step, const Case& c) {
  if (!who.Has(step.permission)) return false;
  switch (step.permission) {
    case Permission::kCaseWrite:
    case Permission::kCaseReview: return OwnOrg(who, c);
    case Permission::kCasePolice: return c.police_org_id == who.user.org_id;
    case Permission::kCaseProcurate:
    case Permission::kCaseCourt: return InRegion(who, c);
    default: return false;
  }
}

std::string TodayText(const Clock& clock) { return ShanghaiDate(clock.Now()); }

// The goods rows of a draft: each named, the rights holder's USCC valid when
// given; without rows, a brand or rights holder alone becomes one row.
Result<std::vector<CaseGoods>> MakeGoods(const CaseDraft& d) {
  if (d.goods.size() > 50) return Fail(ErrorCode::kInvalidArgument, "涉案商品最多 50 项", "goods");
  std::vector<CaseGoods> goods = d.goods;
  if (goods.empty() && (!d.brand.empty() || !d.rights_holder.empty())) {
    goods.push_back({d.category + "涉案商品", d.brand, "", d.rights_holder, "", 0, "", 0});
  }
  for (size_t i = 0; i < goods.size(); ++i) {
    std::string at = "goods[" + std::to_string(i) + "].";
    CaseGoods& g = goods[i];
    g.name = std::string(TrimAscii(g.name));
    if (g.name.empty() || g.name.size() > 200) {
      return Fail(ErrorCode::kInvalidArgument, "请填写涉案商品名称（不超过 200 字节）", at + "name");
    }
    if (!g.rights_holder_uscc.empty()) {
      Result<UsccInfo> info = ParseUscc(g.rights_holder_uscc);
      if (!info) return Fail(ErrorCode::kInvalidArgument, info.error().message, at + "rights_holder_uscc");
    }
    if (!(g.quantity >= 0) || g.quantity > 1e12) {
      return Fail(ErrorCode::kInvalidArgument, "数量无效", at + "quantity");
    }
    if (g.value_fen < 0) return Fail(ErrorCode::kInvalidArgument, "货值不能为负数", at + "value_fen");
  }
  return goods;
}

// Case documents: 1 to 5 files of 2 MiB each per upload.
constexpr FileLimits kDocumentLimits{1, 5, 2 << 20, "材料"};

Status CheckAmount(int64_t fen, const char* field) {
  if (fen < 0) return Fail(ErrorCode::kInvalidArgument, "金额不能为负数", field);
  return Ok();
}

Status CheckStepInput(const Step& step, const Case& c, const ActionInput& input) {
  if (step.needs_text && input.text.empty()) {
    return Fail(ErrorCode::kInvalidArgument, "请填写" + std::string(step.label) + "的理由或说明", "text");
  }
  if (step.action == "decide" && input.penalty_type.empty()) {
    return Fail(ErrorCode::kInvalidArgument, "请填写处罚种类", "penalty_type");
  }
  if (step.action == "decide") {
    RS_TRY(CheckAmount(input.fine_fen, "fine"));
    RS_TRY(CheckAmount(input.confiscated_fen, "confiscated"));
  }
  if ((step.action == "arrest" || step.action == "prosecute") && input.persons <= 0) {
    return Fail(ErrorCode::kInvalidArgument, "请填写人数", "persons");
  }
  if (step.action == "court_conclude" && input.persons < 0) {
    return Fail(ErrorCode::kInvalidArgument, "判决人数不能为负数", "persons");
  }
  if (step.action == "suggest_transfer" && !c.should_transfer && !c.reasonable_suspicion) {
    return Fail(ErrorCode::kConflict, "该案未达到立案追诉标准，无需建议移送", "status");
  }
  if (step.action == "court_accept" && (c.prosecuted_persons == 0 || c.court_accepted)) {
    return Fail(ErrorCode::kConflict, "该案尚未起诉或已受理", "status");
  }
  if (step.action == "court_conclude" && (!c.court_accepted || c.court_concluded)) {
    return Fail(ErrorCode::kConflict, "法院尚未受理或已审结", "status");
  }
  return Ok();
}

// The effect of `step` on the fields of `c` besides its track.
void ApplyStepFields(const Step& step, const ActionInput& input, const std::string& today, Case& c) {
  std::string_view a = step.action;
  if (a == "open") c.opened_on = today;
  if (a == "decide") {
    c.decided_on = today;
    c.penalty_type = input.penalty_type;
    c.fine_fen = input.fine_fen;
    c.confiscated_fen = input.confiscated_fen;
  }
  if (a == "close") c.closed_on = today;
  if (a == "send") {
    c.police_org_id = input.police_org_id;
    c.transferred_on = today;
  }
  if (a == "not_file" || a == "maintain") c.police_reason = input.text;
  if (a == "suggest_transfer") c.transfer_suggested = true;
  if (a == "supervise_filing") c.filing_supervised = true;
  if (a == "arrest") c.arrested_persons = input.persons;
  if (a == "prosecute") c.prosecuted_persons = input.persons;
  if (a == "court_accept") c.court_accepted = true;
  if (a == "court_conclude") {
    c.court_concluded = true;
    c.convicted_persons = input.persons;
  }
}

Result<CaseParty> MakeParty(const PartyDraft& draft, size_t index, const SecretBox& box, Date today) {
  std::string field = "parties[" + std::to_string(index) + "]";
  CaseParty party;
  party.kind = draft.kind;
  party.name = draft.name;
  if (draft.name.empty()) return Fail(ErrorCode::kInvalidArgument, "请填写当事人名称", field + ".name");
  if (draft.kind == "enterprise") {
    Result<UsccInfo> info = ParseUscc(draft.uscc);
    if (!info) return Fail(ErrorCode::kInvalidArgument, info.error().message, field + ".uscc");
    party.uscc = draft.uscc;
    return party;
  }
  if (draft.kind != "person") {
    return Fail(ErrorCode::kInvalidArgument, "当事人类型应为 enterprise 或 person", field + ".kind");
  }
  Result<ResidentIdInfo> id = ParseResidentId(draft.id_number, today);
  if (!id) return Fail(ErrorCode::kInvalidArgument, id.error().message, field + ".id_number");
  party.id_encrypted = box.Encrypt(id->number18);
  party.id_masked = MaskResidentId(id->number18);
  return party;
}

// An edit sends a stored person back with the masked ID the API showed: the
// party stored under that name and mask keeps its encrypted number.
const CaseParty* KeptParty(const std::vector<CaseParty>& stored, const PartyDraft& draft) {
  if (draft.kind != "person" || draft.id_number.find('*') == std::string::npos) return nullptr;
  for (const CaseParty& party : stored) {
    if (party.kind == "person" && party.name == draft.name && party.id_masked == draft.id_number &&
        !party.id_encrypted.empty()) {
      return &party;
    }
  }
  return nullptr;
}

std::string Wan(int64_t fen) { return FormatWanYuan(fen); }

}  // namespace

const std::vector<std::string>& CaseCategories() {
  static const std::vector<std::string> kCategories = {
      "商标", "专利", "著作权", "植物新品种", "产品质量", "食品", "药品", "医疗器械", "化妆品",
      "农药", "兽药", "化肥", "种子", "成品油", "消毒产品", "软件", "其他"};
  return kCategories;
}

const std::vector<std::string>& CaseChannels() {
  static const std::vector<std::string> kChannels = {"线上", "线下", "寄递", "进出口"};
  return kChannels;
}

const std::vector<std::string>& CaseStatuses() {
  static const std::vector<std::string> kStatuses = {"线索", "立案", "调查", "审核", "决定", "执行", "结案"};
  return kStatuses;
}

CaseService::CaseService(CaseStore& store, platform::PlatformStore& platform,
                         const ThresholdTable& thresholds, const TimerRules& timers,
                         const DocumentKinds& documents, const WorkCalendar& calendar,
                         const SecretBox& box, const Clock& clock, IdGenerator& ids)
    : store_(store), platform_(platform), thresholds_(thresholds), timers_(timers),
      documents_(documents), calendar_(calendar), box_(box), clock_(clock), ids_(ids) {}

Date CaseService::Today() const { return Date::Parse(ShanghaiDate(clock_.Now())).value_or(Date()); }

void CaseService::Evaluate(Case& c) const {
  c.should_transfer = false;
  c.eval_rule.clear();
  c.eval_basis.clear();
  c.eval_reasons.clear();
  c.eval_uncertain = false;
  if (c.offence.empty()) {
    c.eval_reasons.push_back("未填写涉嫌罪名，无法比对立案追诉标准");
    return;
  }
  CaseFacts facts;
  facts.offence = c.offence;
  std::string date = !c.offence_date.empty() ? c.offence_date
                     : !c.opened_on.empty() ? c.opened_on
                                            : TodayText(clock_);
  facts.offence_date = Date::Parse(date).value_or(Date());
  facts.goods_or_services = c.goods_or_services == "services" ? Supply::kServices : Supply::kGoods;
  facts.illegal_business_fen = c.illegal_business_fen;
  facts.illegal_gains_fen = c.illegal_gains_fen;
  facts.sales_fen = c.sales_fen;
  facts.unsold_value_fen = c.unsold_value_fen;
  facts.production_loss_fen = c.production_loss_fen;
  facts.rights_holder_loss_fen = c.rights_holder_loss_fen;
  facts.label_count = c.label_count;
  facts.unsold_label_count = c.unsold_label_count;
  facts.judged_on = Today();
  facts.copies = c.copies;
  facts.marks_count = c.marks_count;
  facts.prior_penalty_within_2y = c.prior_penalty;
  facts.reasonable_suspicion = c.reasonable_suspicion;
  Result<Evaluation> eval = thresholds_.Evaluate(facts);
  if (!eval) {
    c.eval_reasons.push_back(eval.error().message);
    return;
  }
  c.should_transfer = eval->should_transfer;
  c.eval_rule = eval->rule;
  c.eval_basis = eval->basis;
  c.eval_reasons = eval->reasons;
  c.eval_uncertain = eval->uncertain;
}

bool CaseService::IsOverdue(const CaseTimer& timer) const {
  return cases::IsOverdue(timer, clock_.Now());
}

Result<std::vector<platform::Organization>> CaseService::PoliceOrgs() {
  std::vector<platform::Organization> out;
  platform::OrgQuery query;
  query.type = "police";
  query.page.page_size = 200;
  Result<platform::Page<platform::Organization>> page = platform_.ListOrganizations(query);
  if (!page) return tl::unexpected(page.error());
  for (platform::Organization& org : page->items) out.push_back(std::move(org));
  return out;
}

Status CaseService::Apply(Case& c, const CaseDraft& d) const {
  if (d.title.empty()) return Fail(ErrorCode::kInvalidArgument, "请填写案件名称", "title");
  const auto& categories = CaseCategories();
  if (std::find(categories.begin(), categories.end(), d.category) == categories.end()) {
    return Fail(ErrorCode::kInvalidArgument, "案件类别无效", "category");
  }
  std::string channel = d.channel.empty() ? "线下" : d.channel;
  const auto& channels = CaseChannels();
  if (std::find(channels.begin(), channels.end(), channel) == channels.end()) {
    return Fail(ErrorCode::kInvalidArgument, "办案渠道应为线上、线下、寄递或进出口", "channel");
  }
  if (!d.offence.empty() && !thresholds_.KnowsOffence(d.offence)) {
    return Fail(ErrorCode::kInvalidArgument, "未知罪名：" + d.offence, "offence");
  }
  if (!d.offence_date.empty() && !Date::Parse(d.offence_date)) {
    return Fail(ErrorCode::kInvalidArgument, "日期应为 YYYY-MM-DD", "offence_date");
  }
  if (d.goods_or_services != "goods" && d.goods_or_services != "services") {
    return Fail(ErrorCode::kInvalidArgument, "应为 goods 或 services", "goods_or_services");
  }
  for (auto [fen, field] : {std::pair{d.illegal_business_fen, "illegal_business_amount"},
                            {d.illegal_gains_fen, "illegal_gains"}, {d.sales_fen, "sales_amount"},
                            {d.unsold_value_fen, "unsold_value"}, {d.production_loss_fen, "production_loss"},
                            {d.rights_holder_loss_fen, "rights_holder_loss"},
                            {d.item_count, "item_count"}, {d.label_count, "label_count"},
                            {d.unsold_label_count, "unsold_label_count"},
                            {d.copies, "copies"}, {d.marks_count, "marks_count"},
                            {d.dens_destroyed, "dens_destroyed"}, {d.suspects, "suspects"}}) {
    if (fen < 0) return Fail(ErrorCode::kInvalidArgument, "不能为负数", field);
  }
  Result<Date> today = Date::Parse(TodayText(clock_));
  std::vector<CaseParty> parties;
  for (size_t index = 0; index < d.parties.size(); ++index) {
    const CaseParty* kept = KeptParty(c.parties, d.parties[index]);
    Result<CaseParty> party =
        kept != nullptr ? Result<CaseParty>(*kept) : MakeParty(d.parties[index], index, box_, *today);
    if (!party) return tl::unexpected(party.error());
    parties.push_back(std::move(*party));
  }
  c.category = d.category;
  c.tags = d.tags;
  c.channel = channel;
  c.title = d.title;
  c.facts = d.facts;
  Result<std::vector<CaseGoods>> goods = MakeGoods(d);
  if (!goods) return tl::unexpected(goods.error());
  c.goods = std::move(*goods);
  c.brand = c.goods.empty() ? "" : c.goods.front().brand;
  c.rights_holder = c.goods.empty() ? "" : c.goods.front().rights_holder;
  c.offence = d.offence;
  c.offence_date = d.offence_date;
  c.goods_or_services = d.goods_or_services;
  c.illegal_business_fen = d.illegal_business_fen;
  c.illegal_gains_fen = d.illegal_gains_fen;
  c.sales_fen = d.sales_fen;
  c.unsold_value_fen = d.unsold_value_fen;
  c.production_loss_fen = d.production_loss_fen;
  c.rights_holder_loss_fen = d.rights_holder_loss_fen;
  c.item_count = d.item_count;
  c.label_count = d.label_count;
  c.unsold_label_count = d.unsold_label_count;
  c.copies = d.copies;
  c.marks_count = d.marks_count;
  c.prior_penalty = d.prior_penalty;
  c.reasonable_suspicion = d.reasonable_suspicion;
  c.dens_destroyed = d.dens_destroyed;
  c.suspects = d.suspects;
  c.parties = std::move(parties);
  if (!d.region_code.empty()) c.region_code = d.region_code;
  Evaluate(c);
  return Ok();
}

Result<Case> CaseService::Create(const Principal& who, const CaseDraft& draft) {
  if (!who.Has(Permission::kCaseWrite)) return Fail(ErrorCode::kPermissionDenied, "无权登记案件");
  Case c;
  c.id = ids_.Next();
  c.org_id = who.user.org_id;
  c.region_code = who.user.org_region;
  if (!draft.region_code.empty() && !platform::RegionCovers(who.user.org_region, draft.region_code)) {
    return Fail(ErrorCode::kInvalidArgument, "案件所在地区不在本机构辖区内", "region_code");
  }
  RS_TRY(Apply(c, draft));
  c.created_by = who.user.id;
  c.created_at = c.updated_at = FormatUtc(clock_.Now());
  CaseEvent created{ids_.Next(), c.id, "create", "", c.status, "", who.user.id, "", "", c.created_at};
  AuditEntry audit{who.actor, "case.create", "case", std::to_string(c.id), "登记案件：" + c.title};
  std::string prefix = who.user.org_code + "-" + TodayText(clock_).substr(0, 4) + "-";
  Result<std::string> number = store_.Insert(c, prefix, created, audit);
  if (!number) return tl::unexpected(number.error());
  return Get(who, c.id);
}

Result<Case> CaseService::Edit(const Principal& who, Id id, int64_t version, const CaseDraft& draft) {
  Result<Case> found = Get(who, id);
  if (!found) return found;
  Case c = std::move(*found);
  if (!who.Has(Permission::kCaseWrite) || !OwnOrg(who, c)) {
    return Fail(ErrorCode::kPermissionDenied, "无权修改该案件");
  }
  if (c.status == "结案") return Fail(ErrorCode::kConflict, "案件已结案，不能修改", "status");
  if (c.version != version) return Fail(ErrorCode::kConflict, "案件已被他人修改，请刷新后重试", "version");
  if (!draft.region_code.empty() && !platform::RegionCovers(who.user.org_region, draft.region_code)) {
    return Fail(ErrorCode::kInvalidArgument, "案件所在地区不在本机构辖区内", "region_code");
  }
  Result<Case> stored = store_.Find(id);  // with the encrypted IDs Get hides
  if (!stored) return stored;
  c.parties = std::move(stored->parties);
  RS_TRY(Apply(c, draft));
  c.version += 1;
  c.updated_at = FormatUtc(clock_.Now());
  CaseEvent event{ids_.Next(), c.id, "edit", c.status, c.status, "", who.user.id, "", "", c.updated_at};
  AuditEntry audit{who.actor, "case.edit", "case", std::to_string(c.id),
                   "修改案件 " + c.case_number + (c.should_transfer ? "（达到立案追诉标准）" : "")};
  RS_TRY(store_.Update(c, event, audit));
  return Get(who, c.id);
}

Result<Case> CaseService::AddDocuments(const Principal& who, Id id, const std::string& kind,
                                       const std::vector<FileDraft>& files) {
  Result<Case> c = Get(who, id);
  if (!c) return c;
  if (!who.Has(Permission::kCaseWrite) || !OwnOrg(who, *c)) {
    return Fail(ErrorCode::kPermissionDenied, "无权为该案件上传材料");
  }
  if (c->status == "结案") return Fail(ErrorCode::kConflict, "案件已结案，不能上传材料", "status");
  const DocumentKind* known = documents_.Find(kind);
  if (known == nullptr) return Fail(ErrorCode::kInvalidArgument, "材料种类未知：" + kind, "kind");
  Result<std::vector<Attachment>> stored =
      MakeAttachments(files, kDocumentLimits, {"case", id, c->org_id, c->region_code, kind}, ids_);
  if (!stored) return tl::unexpected(stored.error());
  std::string now = FormatUtc(clock_.Now());
  std::string text = known->name + "（" + std::to_string(stored->size()) + " 个文件）";
  CaseEvent event{ids_.Next(), id, "document", c->status, c->status, text, who.user.id, "", "", now};
  AuditEntry audit{who.actor, "case.document", "case", std::to_string(id),
                   c->case_number + " 上传" + text};
  RS_TRY(store_.AddDocuments(*stored, event, audit));
  return Get(who, id);
}

Result<Attachment> CaseService::Document(const Principal& who, Id case_id, Id document_id) {
  Result<Case> c = Get(who, case_id);
  if (!c) return tl::unexpected(c.error());
  return store_.FindDocument(case_id, document_id);
}

std::vector<const DocumentKind*> CaseService::MissingDocuments(const Case& c,
                                                               std::string_view action) const {
  std::vector<const DocumentKind*> missing;
  for (const DocumentKind* kind : documents_.RequiredFor(action)) {
    bool present = std::any_of(c.documents.begin(), c.documents.end(),
                               [&](const AttachmentMeta& d) { return d.kind == kind->kind; });
    if (!present) missing.push_back(kind);
  }
  return missing;
}

bool CaseService::CanSee(const Principal& who, const Case& c) const {
  if ((who.Has(Permission::kCaseWrite) || who.Has(Permission::kCaseReview)) && OwnOrg(who, c)) return true;
  if (who.Has(Permission::kCasePolice) && c.police_org_id == who.user.org_id) return true;
  if ((who.Has(Permission::kCaseRead) || who.Has(Permission::kCaseProcurate)) && InRegion(who, c)) return true;
  return who.Has(Permission::kCaseCourt) && InRegion(who, c) && c.prosecuted_persons > 0;
}

Result<Case> CaseService::Get(const Principal& who, Id id) {
  Result<Case> c = store_.Find(id);
  if (!c) return c;
  if (!CanSee(who, *c)) return Fail(ErrorCode::kNotFound, "案件不存在");
  for (CaseParty& party : c->parties) party.id_encrypted.clear();
  return c;
}

Result<platform::Page<Case>> CaseService::List(const Principal& who, CaseQuery query) {
  if (who.Has(Permission::kCaseRead) || who.Has(Permission::kCaseProcurate)) {
    if (query.region_prefix.empty() || !platform::RegionCovers(who.user.org_region, query.region_prefix)) {
      query.region_prefix = who.user.org_region;
    }
  } else if (who.Has(Permission::kCaseCourt)) {
    query.region_prefix = who.user.org_region;
    query.prosecuted_only = true;
  } else if (who.Has(Permission::kCaseWrite) || who.Has(Permission::kCaseReview)) {
    query.org_id = who.user.org_id;
  } else if (who.Has(Permission::kCasePolice)) {
    query.police_org_id = who.user.org_id;
  } else {
    return Fail(ErrorCode::kPermissionDenied, "无权查看案件");
  }
  query.page.page = std::max(1, query.page.page);
  query.page.page_size = std::clamp(query.page.page_size, 1, 200);
  Result<platform::Page<Case>> page = store_.List(query);
  if (page) {
    for (Case& c : page->items) {
      for (CaseParty& party : c.parties) party.id_encrypted.clear();
    }
  }
  return page;
}

Result<Case> CaseService::Act(const Principal& who, Id id, std::string_view action,
                              const ActionInput& input) {
  const Step* step = FindStep(action);
  if (step == nullptr) return Fail(ErrorCode::kInvalidArgument, "未知操作：" + std::string(action), "action");
  Result<Case> found = Get(who, id);
  if (!found) return found;
  Case c = std::move(*found);
  if (!Allowed(who, *step, c)) return Fail(ErrorCode::kPermissionDenied, "无权" + std::string(step->label));
  const std::string& state = step->track == Track::kStatus ? c.status : c.transfer_status;
  if (!step->from.empty() && std::find(step->from.begin(), step->from.end(), state) == step->from.end()) {
    return Fail(ErrorCode::kConflict, "当前状态（" + (state.empty() ? std::string("未移送") : state) +
                                          "）不能" + std::string(step->label), "status");
  }
  if (step->action == "report_transfer" && c.status == "线索") {
    return Fail(ErrorCode::kConflict, "线索尚未立案，不能移送", "status");
  }
  RS_TRY(CheckStepInput(*step, c, input));
  if (std::vector<const DocumentKind*> missing = MissingDocuments(c, step->action); !missing.empty()) {
    std::string names;
    for (const DocumentKind* kind : missing) names += (names.empty() ? "" : "、") + kind->name;
    return Fail(ErrorCode::kInvalidArgument, "须先上传：" + names, "documents");
  }
  if (step->action == "send") {
    Result<platform::Organization> police = platform_.FindOrganization(input.police_org_id);
    if (!police || police->type != "police") {
      return Fail(ErrorCode::kInvalidArgument, "请选择接收移送的公安机关", "police_org_id");
    }
  }
  TimePoint now = clock_.Now();
  std::string from = state;
  std::string to = step->to.empty() ? from : std::string(step->to);
  ApplyStepFields(*step, input, TodayText(clock_), c);
  if (step->track == Track::kStatus) c.status = to;
  if (step->track == Track::kTransfer) c.transfer_status = to;
  RS_TRY(timers_.Apply(step->action, now, calendar_, c.timers));
  Evaluate(c);
  c.version += 1;
  c.updated_at = FormatUtc(now);
  std::string text = input.text;
  if (step->action == "arrest" || step->action == "prosecute" || step->action == "court_conclude") {
    text = std::to_string(input.persons) + " 人" + (text.empty() ? "" : "；" + text);
  }
  CaseEvent event{ids_.Next(), c.id, std::string(step->action), from, to, text, who.user.id, "", "", c.updated_at};
  AuditEntry audit{who.actor, "case." + std::string(step->action), "case", std::to_string(c.id),
                   std::string(step->label) + "：" + c.case_number};
  RS_TRY(store_.Update(c, event, audit));
  return Get(who, c.id);
}

Result<std::vector<TimerReminder>> CaseService::Reminders(const Principal& who) {
  struct Duty {
    Permission permission;
    const char* responsible;
    bool sent_to;
  };
  std::vector<TimerReminder> out;
  for (Duty duty : {Duty{Permission::kCaseReview, "agency_head", false},
                    Duty{Permission::kCaseWrite, "agency", false},
                    Duty{Permission::kCasePolice, "police", true}}) {
    if (!who.Has(duty.permission)) continue;
    Result<std::vector<TimerOnCase>> running =
        store_.Running(who.user.org_id, duty.sent_to, timers_.KindsFor(duty.responsible));
    if (!running) return tl::unexpected(running.error());
    for (TimerOnCase& t : *running) {
      bool overdue = cases::IsOverdue(t.timer, clock_.Now());
      out.push_back({std::move(t), overdue, duty.responsible});
    }
  }
  std::stable_sort(out.begin(), out.end(), [](const TimerReminder& a, const TimerReminder& b) {
    return a.timer.timer.deadline_at < b.timer.timer.deadline_at;
  });
  return out;
}

Result<SupervisionBoard> CaseService::Board(const Principal& who) {
  if (!who.Has(Permission::kCaseProcurate)) return Fail(ErrorCode::kPermissionDenied, "无权查看监督台账");
  SupervisionBoard board;
  CaseQuery query;
  query.region_prefix = who.user.org_region;
  query.not_transferred_only = true;
  query.page.page_size = 200;
  for (int page = 1; page <= 50; ++page) {
    query.page.page = page;
    Result<platform::Page<Case>> found = store_.List(query);
    if (!found) return tl::unexpected(found.error());
    for (Case& c : found->items) {
      bool punished = c.fine_fen > 0 || c.confiscated_fen > 0 || c.status == "决定" ||
                      c.status == "执行" || c.status == "结案";
      for (CaseParty& party : c.parties) party.id_encrypted.clear();
      board.cases.push_back({std::move(c), punished ? "以罚代刑" : "有案不移"});
    }
    if (static_cast<int64_t>(page) * query.page.page_size >= found->total) break;
  }
  Result<std::vector<TimerOnCase>> overdue = store_.Overdue(who.user.org_region, FormatUtc(clock_.Now()));
  if (!overdue) return tl::unexpected(overdue.error());
  board.overdue = std::move(*overdue);
  return board;
}

Result<Summary> CaseService::Summarize(const Principal& who, const std::string& from,
                                       const std::string& to, const std::string& region_code) {
  if (!who.Has(Permission::kCaseRead) && !who.Has(Permission::kCaseProcurate)) {
    return Fail(ErrorCode::kPermissionDenied, "无权查看统计");
  }
  std::string region = region_code.empty() ? who.user.org_region : region_code;
  if (!platform::RegionCovers(who.user.org_region, region)) {
    return Fail(ErrorCode::kPermissionDenied, "无权查看该地区的统计", "region_code");
  }
  return SummarizeRegion(from, to, region);
}

Result<Summary> CaseService::SummarizeRegion(const std::string& from, const std::string& to,
                                             const std::string& region) {
  Result<Date> from_date = Date::Parse(from);
  if (!from_date) return Fail(ErrorCode::kInvalidArgument, "开始日期应为 YYYY-MM-DD", "from");
  Result<Date> to_date = Date::Parse(to);
  if (!to_date) return Fail(ErrorCode::kInvalidArgument, "结束日期应为 YYYY-MM-DD", "to");
  if (*to_date < *from_date) return Fail(ErrorCode::kInvalidArgument, "结束日期早于开始日期", "to");
  if (!region.empty() && (region.size() != 6 || region.find_first_not_of("0123456789") != std::string::npos)) {
    return Fail(ErrorCode::kInvalidArgument, "地区代码应为 6 位数字", "region_code");
  }
  Result<SummaryFigures> figures = store_.Summary({from, to, region});
  if (!figures) return tl::unexpected(figures.error());
  return Summary{*figures, SummaryText(*figures)};
}

Status CaseService::InsertDemo(const std::vector<Case>& cases, const Actor& actor) {
  AuditEntry audit{actor, "case.demo", "case", "", "导入演示案件 " + std::to_string(cases.size()) + " 件"};
  return store_.InsertMany(cases, audit);
}

std::string SummaryText(const SummaryFigures& f) {
  auto n = [](int64_t value) { return std::to_string(value); };
  return "行政执法机关立案查处侵权假冒案件" + n(f.total.cases) + "件，案值" + Wan(f.total.value_fen) +
         "万元，罚没款" + Wan(f.total.penalty_fen) + "万元，捣毁窝点" + n(f.dens) + "个，移送司法机关" +
         n(f.total.transferred) + "件" + n(f.transferred_persons) + "人；公安机关破获案件" +
         n(f.police_filed) + "件，抓获犯罪嫌疑人" + n(f.police_suspects) + "人，涉案金额" +
         Wan(f.police_value_fen) + "万元；检察机关批捕" + n(f.arrest_cases) + "件" + n(f.arrest_persons) +
         "人，起诉" + n(f.prosecute_cases) + "件" + n(f.prosecute_persons) + "人，监督公安机关立案" +
         n(f.supervised_filings) + "件；审判机关受理" + n(f.court_accepted) + "件，审结" +
         n(f.court_concluded) + "件，判决" + n(f.convicted_persons) + "人；海关扣留侵权假冒货物" +
         n(f.customs_batches) + "批次" + n(f.customs_items) + "件，货值" + Wan(f.customs_value_fen) +
         "万元；销毁侵权假冒伪劣商品" + FormatTonnes(f.destroyed_kg) + "吨，货值" +
         Wan(f.destroyed_value_fen) + "万元。";
}

}  // namespace redshield::cases
