#include "plans/assessment_service.h"

#include <algorithm>
#include <map>

namespace redshield::plans {
namespace {

using platform::Permission;
using platform::Principal;

constexpr size_t kMaxTextBytes = 6000;  // 2000 CJK characters

tl::unexpected<Error> Denied() {
  return Fail(ErrorCode::kPermissionDenied, "无权对该地区进行考核或一票否决");
}

// As PlanService: plan.write is granted with region scope (office) or all;
// an own-organisation scope never covers a region.
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

std::string Trim(std::string_view text) {
  const char* kSpace = " \t\r\n";
  size_t begin = text.find_first_not_of(kSpace);
  if (begin == std::string_view::npos) return {};
  size_t end = text.find_last_not_of(kSpace);
  return std::string(text.substr(begin, end - begin + 1));
}

Status CheckYear(int year) {
  if (year < 2000 || year > 2100) {
    return Fail(ErrorCode::kInvalidArgument, "年度须在 2000 至 2100 之间", "year");
  }
  return Ok();
}

Result<std::string> RequiredText(std::string_view text, const char* field, const char* what) {
  std::string trimmed = Trim(text);
  if (trimmed.empty()) {
    return Fail(ErrorCode::kInvalidArgument, std::string("请填写") + what, field);
  }
  if (trimmed.size() > kMaxTextBytes) {
    return Fail(ErrorCode::kInvalidArgument, std::string(what) + "不能超过 2000 字", field);
  }
  return trimmed;
}

std::string KindName(TargetKind kind) { return kind == TargetKind::kRegion ? "盟市" : "成员单位"; }

std::string PointsText(const std::optional<int>& tenths) {
  return tenths ? FormatTenths(*tenths) + " 分" : "未评分";
}

std::string Describe(const Rubric& r) {
  return r.title + "（" + std::to_string(r.year) + " 年，" + KindName(r.target) + "，" +
         std::to_string(r.items.size()) + " 项，满分 " + FormatTenths(r.MaxTotalTenths()) + "）";
}

// Replaces the first occurrence of the old year in a title ("2016年度…").
std::string RetitleForYear(std::string title, int from, int to) {
  const std::string old_year = std::to_string(from);
  size_t pos = title.find(old_year);
  if (pos != std::string::npos) title.replace(pos, old_year.size(), std::to_string(to));
  return title;
}

PersonRef Me(const Principal& who) { return {who.user.id, who.user.display_name}; }

}  // namespace

AssessmentService::AssessmentService(AssessmentStore& store, PlanStore& plans, const Clock& clock,
                                     IdGenerator& ids)
    : store_(store), plans_(plans), clock_(clock), ids_(ids) {}

// ---------------------------------------------------------------- vetoes

Result<std::vector<Veto>> AssessmentService::ListVetoes(const Principal&, std::optional<int> year) {
  if (year) RS_TRY(CheckYear(*year));
  return store_.ListVetoes(year);
}

Result<Veto> AssessmentService::CreateVeto(const Principal& who, const VetoRequest& request) {
  RS_TRY(CheckYear(request.year));
  if (request.region_code.empty() == !request.org_id.has_value()) {
    return Fail(ErrorCode::kInvalidArgument, "须填写 region_code（地区）或 org_id（单位）之一",
                "region_code");
  }
  Result<std::string> reason = RequiredText(request.reason, "reason", "否决理由");
  RS_TRY(reason);
  const bool region = !request.region_code.empty();
  const TargetKind kind = region ? TargetKind::kRegion : TargetKind::kUnit;
  Result<std::optional<Target>> target =
      store_.FindTarget(kind, region ? request.region_code : std::to_string(*request.org_id));
  RS_TRY(target);
  if (!*target) {
    return Fail(ErrorCode::kInvalidArgument, region ? "行政区划不存在" : "单位不存在",
                region ? "region_code" : "org_id");
  }
  RS_TRY(CheckRegion(who, (*target)->region_code));
  Veto veto;
  veto.id = ids_.Next();
  veto.year = request.year;
  veto.target = **target;
  veto.reason = *reason;
  veto.created_by = Me(who);
  veto.created_at = FormatUtc(clock_.Now());
  RS_TRY(store_.InsertVeto(veto, {who.actor, "veto.create", "veto", std::to_string(veto.id),
                                  "一票否决：" + std::to_string(veto.year) + " 年 " +
                                      veto.target.name + "，理由：" + veto.reason}));
  return store_.FindVeto(veto.id);
}

Result<Veto> AssessmentService::RevokeVeto(const Principal& who, Id id, std::string_view reason) {
  Result<std::string> text = RequiredText(reason, "reason", "撤销理由");
  RS_TRY(text);
  Result<Veto> veto = store_.FindVeto(id);
  RS_TRY(veto);
  RS_TRY(CheckRegion(who, veto->target.region_code));
  if (!veto->in_force) return Fail(ErrorCode::kConflict, "该一票否决已撤销", "status");
  RS_TRY(store_.RevokeVeto(id, *text, who.user.id, FormatUtc(clock_.Now()),
                           {who.actor, "veto.revoke", "veto", std::to_string(id),
                            "撤销一票否决：" + std::to_string(veto->year) + " 年 " +
                                veto->target.name + "，理由：" + *text}));
  return store_.FindVeto(id);
}

// ---------------------------------------------------------------- rubrics

Result<std::vector<Rubric>> AssessmentService::ListRubrics(const Principal&,
                                                           const RubricQuery& query) {
  if (query.year) RS_TRY(CheckYear(*query.year));
  return store_.ListRubrics(query);
}

Result<Rubric> AssessmentService::GetRubric(const Principal&, Id id) {
  return store_.FindRubric(id);
}

Result<Rubric> AssessmentService::Insert(const Actor& actor, Rubric rubric,
                                         const std::string& how) {
  RS_TRY(ValidateRubric(rubric));
  rubric.id = ids_.Next();
  rubric.created_at = rubric.updated_at = FormatUtc(clock_.Now());
  for (size_t item_idx = 0; item_idx < rubric.items.size(); ++item_idx) {
    rubric.items[item_idx].id = ids_.Next();
    rubric.items[item_idx].ordinal = static_cast<int>(item_idx) + 1;
  }
  Result<std::optional<Rubric>> existing =
      store_.FindRubricFor(rubric.year, rubric.target, rubric.region_code);
  RS_TRY(existing);
  if (*existing) {
    return Fail(ErrorCode::kConflict,
                std::to_string(rubric.year) + " 年的" + KindName(rubric.target) + "考核表已存在",
                "year");
  }
  RS_TRY(store_.InsertRubric(
      rubric, {actor, "assessment.rubric.create", "assessment_rubric", std::to_string(rubric.id),
               "新建考核表：" + Describe(rubric) + how}));
  return store_.FindRubric(rubric.id);
}

Result<Rubric> AssessmentService::CreateRubric(const Principal& who, const Rubric& draft) {
  Rubric rubric = draft;
  rubric.region_code = std::string(kAssessmentRegion);
  RS_TRY(CheckRegion(who, rubric.region_code));
  return Insert(who.actor, std::move(rubric), "");
}

Result<Rubric> AssessmentService::CopyRubric(const Principal& who, Id from, int year) {
  RS_TRY(CheckYear(year));
  Result<Rubric> source = store_.FindRubric(from);
  RS_TRY(source);
  RS_TRY(CheckRegion(who, source->region_code));
  Rubric copy = *source;
  copy.year = year;
  copy.title = RetitleForYear(copy.title, source->year, year);
  return Insert(who.actor, std::move(copy),
                "，复制自 " + std::to_string(source->year) + " 年考核表 " + std::to_string(from));
}

Status AssessmentService::CheckUpdate(const Rubric& existing, const Rubric& draft) {
  Result<std::vector<Score>> scores = store_.ListScores(existing.id);
  RS_TRY(scores);
  if (scores->empty()) return Ok();
  if (draft.target != existing.target) {
    return Fail(ErrorCode::kConflict, "考核表已有得分，不能更改考核对象类型", "target");
  }
  std::map<Id, int> highest;  // item -> highest stored score
  for (const Score& s : *scores) highest[s.item_id] = std::max(highest[s.item_id], s.points_tenths);
  for (const auto& [item_id, points] : highest) {
    const RubricItem* before = existing.FindItem(item_id);
    const RubricItem* after = draft.FindItem(item_id);
    const std::string name = before != nullptr ? before->name : std::to_string(item_id);
    if (after == nullptr) {
      return Fail(ErrorCode::kConflict, "考核项“" + name + "”已有得分，不能删除", "items");
    }
    if (!after->computed.empty()) {
      return Fail(ErrorCode::kConflict, "考核项“" + name + "”已有人工得分，不能改为自动计算",
                  "items");
    }
    if (after->max_tenths < points) {
      return Fail(ErrorCode::kConflict,
                  "考核项“" + name + "”已有 " + FormatTenths(points) + " 分的得分，满分不能低于它",
                  "items");
    }
  }
  return Ok();
}

Result<Rubric> AssessmentService::UpdateRubric(const Principal& who, Id id, const Rubric& draft) {
  Result<Rubric> existing = store_.FindRubric(id);
  RS_TRY(existing);
  RS_TRY(CheckRegion(who, existing->region_code));
  Rubric rubric = draft;
  rubric.id = id;
  rubric.region_code = existing->region_code;
  rubric.created_at = existing->created_at;
  rubric.updated_at = FormatUtc(clock_.Now());
  RS_TRY(ValidateRubric(rubric));
  for (size_t item_idx = 0; item_idx < rubric.items.size(); ++item_idx) {
    RubricItem& item = rubric.items[item_idx];
    item.ordinal = static_cast<int>(item_idx) + 1;
    if (item.id == 0) {
      item.id = ids_.Next();
    } else if (existing->FindItem(item.id) == nullptr) {
      return Fail(ErrorCode::kInvalidArgument, "考核项不属于该考核表",
                  "items[" + std::to_string(item_idx) + "].id");
    }
  }
  RS_TRY(CheckUpdate(*existing, rubric));
  RS_TRY(store_.UpdateRubric(
      rubric, {who.actor, "assessment.rubric.update", "assessment_rubric", std::to_string(id),
               "修改考核表：" + Describe(*existing) + " → " + Describe(rubric)}));
  return store_.FindRubric(id);
}

// ---------------------------------------------------------------- results

Result<std::vector<int>> AssessmentService::CompletionPoints(const Rubric& rubric,
                                                             const std::vector<Target>& targets,
                                                             const RubricItem& item,
                                                             std::vector<std::string>& evidence) {
  // -1 marks "nothing to compute from".
  std::vector<int> points(targets.size(), -1);
  evidence.assign(targets.size(), "");
  Result<std::vector<PlanRecord>> listed = plans_.ListPlans();
  RS_TRY(listed);
  auto plan = std::find_if(listed->begin(), listed->end(), [&](const PlanRecord& p) {
    return p.year == rubric.year && p.region_code == rubric.region_code;
  });
  const std::string year = std::to_string(rubric.year);
  if (plan == listed->end()) {
    evidence.assign(targets.size(), year + " 年工作要点尚未导入，无法计算");
    return points;
  }
  Result<std::vector<Assignment>> assignments = plans_.ListAssignments({plan->id, std::nullopt});
  RS_TRY(assignments);
  for (size_t target_idx = 0; target_idx < targets.size(); ++target_idx) {
    const Target& target = targets[target_idx];
    int total = 0;
    int done = 0;
    for (const Assignment& a : *assignments) {
      const bool mine = target.kind == TargetKind::kRegion
                            ? platform::RegionCovers(target.id, a.region_code)
                            : a.org_id == target.org_id;
      if (!mine) continue;
      ++total;
      if (a.status == kAssignmentDone) ++done;
    }
    std::optional<int> tenths = PlanCompletionTenths(done, total, item.max_tenths);
    points[target_idx] = tenths.value_or(-1);
    evidence[target_idx] = total == 0 ? year + " 年工作要点中没有该对象的任务分工"
                                      : year + " 年工作要点任务分工已完成 " + std::to_string(done) +
                                            "/" + std::to_string(total);
  }
  return points;
}

Result<std::vector<ResultRow>> AssessmentService::Rows(const Rubric& rubric) {
  Result<std::vector<Target>> targets = store_.ListTargets(rubric.target, rubric.region_code);
  RS_TRY(targets);
  Result<std::vector<Score>> scores = store_.ListScores(rubric.id);
  RS_TRY(scores);
  std::map<std::pair<std::string, Id>, const Score*> typed;
  for (const Score& s : *scores) typed[{s.target_id, s.item_id}] = &s;
  std::vector<ResultRow> rows(targets->size());
  for (size_t target_idx = 0; target_idx < targets->size(); ++target_idx) {
    rows[target_idx].target = (*targets)[target_idx];
  }
  for (const RubricItem& item : rubric.items) {
    std::vector<int> computed;
    std::vector<std::string> evidence;
    if (!item.computed.empty()) {
      Result<std::vector<int>> got = CompletionPoints(rubric, *targets, item, evidence);
      RS_TRY(got);
      computed = std::move(*got);
    }
    for (size_t target_idx = 0; target_idx < rows.size(); ++target_idx) {
      ResultRow& row = rows[target_idx];
      ItemScore& cell = row.scores.emplace_back();
      cell.item_id = item.id;
      if (!item.computed.empty()) {
        cell.computed = true;
        if (computed[target_idx] >= 0) cell.points_tenths = computed[target_idx];
        cell.evidence = evidence[target_idx];
      } else if (auto it = typed.find({row.target.id, item.id}); it != typed.end()) {
        const Score& s = *it->second;
        cell.points_tenths = s.points_tenths;
        cell.evidence = s.evidence;
        cell.comment = s.comment;
        cell.scored_by = s.scored_by;
        cell.scored_at = s.scored_at;
      }
      row.total_tenths += cell.points_tenths.value_or(0);
    }
  }
  return rows;
}

Result<Results> AssessmentService::GetResults(const Principal&, Id rubric_id) {
  Result<Rubric> rubric = store_.FindRubric(rubric_id);
  RS_TRY(rubric);
  Result<std::vector<ResultRow>> rows = Rows(*rubric);
  RS_TRY(rows);
  Result<std::vector<Veto>> vetoes = store_.ListVetoes(rubric->year);
  RS_TRY(vetoes);
  Result<std::optional<Rubric>> previous =
      store_.FindRubricFor(rubric->year - 1, rubric->target, rubric->region_code);
  RS_TRY(previous);
  std::map<std::string, int> previous_totals;
  if (*previous) {
    Result<std::vector<ResultRow>> before = Rows(**previous);
    RS_TRY(before);
    for (const ResultRow& row : *before) {
      if (row.HasPoints()) previous_totals[row.target.id] = row.total_tenths;
    }
  }
  for (ResultRow& row : *rows) {
    for (const Veto& veto : *vetoes) {
      if (veto.in_force && veto.target.kind == row.target.kind && veto.target.id == row.target.id) {
        row.veto = veto;
      }
    }
    if (auto it = previous_totals.find(row.target.id); it != previous_totals.end()) {
      row.previous_total_tenths = it->second;
      row.change_tenths = row.total_tenths - it->second;
    }
  }
  RankRows(*rows);
  return Results{std::move(*rubric), std::move(*rows)};
}

Result<ResultRow> AssessmentService::PutScore(const Principal& who, Id rubric_id,
                                              const ScoreRequest& request) {
  Result<Rubric> rubric = store_.FindRubric(rubric_id);
  RS_TRY(rubric);
  const RubricItem* item = rubric->FindItem(request.item_id);
  if (item == nullptr) {
    return Fail(ErrorCode::kInvalidArgument, "考核项不属于该考核表", "item_id");
  }
  if (!item->computed.empty()) {
    return Fail(ErrorCode::kInvalidArgument,
                "考核项“" + item->name + "”由系统自动计算，不能人工评分", "item_id");
  }
  Result<std::vector<Target>> targets = store_.ListTargets(rubric->target, rubric->region_code);
  RS_TRY(targets);
  auto target = std::find_if(targets->begin(), targets->end(),
                             [&](const Target& t) { return t.id == request.target_id; });
  if (target == targets->end()) {
    return Fail(ErrorCode::kInvalidArgument, "不是该考核表的考核对象", "target_id");
  }
  RS_TRY(CheckRegion(who, target->region_code));
  if (request.points_tenths &&
      (*request.points_tenths < 0 || *request.points_tenths > item->max_tenths)) {
    return Fail(ErrorCode::kInvalidArgument,
                "得分须在 0 至 " + FormatTenths(item->max_tenths) + " 分之间", "points");
  }
  for (auto [text, field] :
       {std::pair{&request.evidence, "evidence"}, std::pair{&request.comment, "comment"}}) {
    if (text->size() > kMaxTextBytes) {
      return Fail(ErrorCode::kInvalidArgument, "不能超过 2000 字", field);
    }
  }
  Score score{rubric->id,
              item->id,
              target->kind,
              target->id,
              target->region_code,
              request.points_tenths.value_or(0),
              Trim(request.evidence),
              Trim(request.comment),
              Me(who),
              FormatUtc(clock_.Now())};
  const std::string where = std::to_string(rubric->year) + " 年" + KindName(rubric->target) +
                            "考核 · " + target->name + " · " + item->name + "：";
  const std::optional<int> after = request.points_tenths;
  RS_TRY(store_.PutScore(score, !after, [&](const std::optional<Score>& before) {
    std::optional<int> old_points;
    if (before) old_points = before->points_tenths;
    return AuditEntry{who.actor, "assessment.score", "assessment_rubric",
                      std::to_string(rubric->id),
                      "考核评分：" + where + PointsText(old_points) + " → " + PointsText(after)};
  }));
  Result<Results> results = GetResults(who, rubric_id);
  RS_TRY(results);
  for (ResultRow& row : results->rows) {
    if (row.target.id == request.target_id) return std::move(row);
  }
  return Fail(ErrorCode::kInternal, "考核结果中缺少该对象");
}

// ---------------------------------------------------------------- seeding

Result<bool> AssessmentService::SeedRubric(const Actor& actor, std::string_view csv) {
  Result<Rubric> rubric = ParseRubricCsv(csv);
  RS_TRY(rubric);
  Result<std::optional<Rubric>> existing =
      store_.FindRubricFor(rubric->year, rubric->target, rubric->region_code);
  RS_TRY(existing);
  if (*existing) return false;
  Result<Rubric> stored = Insert(actor, std::move(*rubric), "，随系统提供的种子数据");
  RS_TRY(stored);
  return true;
}

// 工作成效 is the category that measures what the year achieved, and the
// 2017 plan's assignments are the one record of the year's work the platform
// holds before cases exist; 信息公开 and 两法衔接 need case data and stay
// typed. The office can switch the item back to typed scoring (PUT).
Result<bool> AssessmentService::CreateDemoRubric(const Actor& actor) {
  constexpr int kFrom = 2016;
  constexpr int kTo = 2017;
  const std::string region(kAssessmentRegion);
  Result<std::optional<Rubric>> existing = store_.FindRubricFor(kTo, TargetKind::kRegion, region);
  RS_TRY(existing);
  if (*existing) return false;
  Result<std::optional<Rubric>> source = store_.FindRubricFor(kFrom, TargetKind::kRegion, region);
  RS_TRY(source);
  if (!*source) {
    return Fail(ErrorCode::kFailedPrecondition, "缺少 2016 年盟市考核表，无法创建演示考核表");
  }
  Rubric copy = **source;
  copy.year = kTo;
  copy.title = RetitleForYear(copy.title, kFrom, kTo);
  for (RubricItem& item : copy.items) {
    if (item.name == "工作成效") item.computed = std::string(kPlanCompletion);
  }
  copy.note += "（演示：“工作成效”按 2017 年工作要点任务分工的完成比例自动计算。）";
  Result<Rubric> stored = Insert(actor, std::move(copy), "，演示数据，复制自 2016 年考核表");
  RS_TRY(stored);
  return true;
}

}  // namespace redshield::plans
