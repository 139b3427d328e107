#include "clues/clue_service.h"

#include <algorithm>
#include <map>

#include "core/text.h"

namespace redshield::clues {
namespace {

using platform::Permission;
using platform::Scope;

tl::unexpected<Error> Denied() { return Fail(ErrorCode::kPermissionDenied, "无权执行此操作"); }
Error NotFound() { return {ErrorCode::kNotFound, "线索不存在", ""}; }

Status CheckFilters(const ClueQuery& query) {
  if (!query.status.empty() && query.status != kPending && query.status != kConfirmed &&
      query.status != kDismissed) {
    return Fail(ErrorCode::kInvalidArgument, "状态应为 待核查、已确认 或 已排除", "status");
  }
  if (query.min_score < 0 || query.min_score > 100) {
    return Fail(ErrorCode::kInvalidArgument, "最低分应为 0 到 100", "min_score");
  }
  return Ok();
}

std::string_view Trim(std::string_view text) {
  while (!text.empty() && (text.front() == ' ' || text.front() == '\n' || text.front() == '\t')) {
    text.remove_prefix(1);
  }
  while (!text.empty() && (text.back() == ' ' || text.back() == '\n' || text.back() == '\t')) {
    text.remove_suffix(1);
  }
  return text;
}

// "2026-03-02T18" (UTC hour) -> the Asia/Shanghai date.
std::string ShanghaiDateOfHour(const std::string& hour) {
  Result<TimePoint> t = ParseTime(hour + ":00:00Z");
  return t ? ShanghaiDate(*t) : hour.substr(0, 10);
}

}  // namespace

ClueService::ClueService(ClueStore& store, const Clock& clock) : store_(store), clock_(clock) {}

Status ClueService::Scope(const platform::Principal& who, Permission p, ClueQuery& query) const {
  if (!who.Has(p)) return Denied();
  query.scope_org_id.reset();
  query.scope_region_prefix.clear();
  switch (platform::ScopeOf(who.user.roles, p)) {
    case Scope::kAll:
      break;
    case Scope::kRegion:
      query.scope_region_prefix = who.user.org_region;
      break;
    case Scope::kOwnOrg:
      query.scope_org_id = who.user.org_id;
      break;
  }
  return Ok();
}

bool ClueService::InScope(const platform::Principal& who, Permission p, const Clue& clue) const {
  if (!who.Has(p)) return false;
  switch (platform::ScopeOf(who.user.roles, p)) {
    case Scope::kAll:
      return true;
    case Scope::kRegion:
      return platform::RegionCovers(who.user.org_region, clue.region_code);
    case Scope::kOwnOrg:
      return clue.org_id == who.user.org_id;
  }
  return false;
}

Result<platform::Page<Clue>> ClueService::List(const platform::Principal& who, ClueQuery query) {
  RS_TRY(Scope(who, Permission::kClueRead, query));
  RS_TRY(CheckFilters(query));
  query.page.page = std::max(1, query.page.page);
  query.page.page_size = std::clamp(query.page.page_size, 1, 200);
  return store_.ListClues(query);
}

Result<Clue> ClueService::Get(const platform::Principal& who, Id id) {
  if (!who.Has(Permission::kClueRead)) return Denied();
  Result<Clue> clue = store_.FindClue(id);
  RS_TRY(clue);
  if (!InScope(who, Permission::kClueRead, *clue)) return tl::unexpected(NotFound());
  return clue;
}

Result<Clue> ClueService::Review(const platform::Principal& who, Id id, std::string_view decision,
                                 const std::string& comment) {
  if (!who.Has(Permission::kClueReview)) return Denied();
  std::string status;
  if (decision == "confirm") {
    status = kConfirmed;
  } else if (decision == "dismiss") {
    status = kDismissed;
  } else {
    return Fail(ErrorCode::kInvalidArgument, "核查结论应为 confirm 或 dismiss", "decision");
  }
  const std::string trimmed = std::string(Trim(comment));
  if (!IsValidUtf8(trimmed) || DecodeUtf8(trimmed).size() > 500) {
    return Fail(ErrorCode::kInvalidArgument, "核查意见不能超过 500 字", "comment");
  }
  if (status == kDismissed && trimmed.empty()) {
    return Fail(ErrorCode::kInvalidArgument, "排除线索须填写核查意见", "comment");
  }
  Result<Clue> clue = store_.FindClue(id);
  RS_TRY(clue);
  if (!InScope(who, Permission::kClueRead, *clue)) return tl::unexpected(NotFound());
  if (!InScope(who, Permission::kClueReview, *clue)) return Denied();
  if (clue->status != kPending) {
    return Fail(ErrorCode::kFailedPrecondition, "线索已核查（" + clue->status + "）");
  }
  AuditEntry audit{who.actor, "clue.review", "clue", std::to_string(id),
                   "核查线索：" + status + "（" + (clue->brand.empty() ? "无品牌" : clue->brand) +
                       "，卖家 " + clue->seller_name + "）"};
  RS_TRY(store_.ReviewClue(id, kPending, status, who.user.id, trimmed, FormatUtc(clock_.Now()),
                           audit));
  return store_.FindClue(id);
}

Result<ClueStats> ClueService::Stats(const platform::Principal& who, ClueQuery query, int top) {
  RS_TRY(Scope(who, Permission::kClueRead, query));
  RS_TRY(CheckFilters(query));
  Result<ClueStats> stats = store_.Stats(query, std::clamp(top, 1, 50));
  RS_TRY(stats);
  std::map<std::string, std::int64_t> days;
  for (const NamedCount& hour : stats->by_day) days[ShanghaiDateOfHour(hour.key)] += hour.count;
  stats->by_day.clear();
  for (const auto& [day, count] : days) stats->by_day.push_back({day, day, count});
  return stats;
}

Result<std::vector<Clue>> ClueService::Export(const platform::Principal& who, ClueQuery query) {
  RS_TRY(Scope(who, Permission::kClueRead, query));
  RS_TRY(CheckFilters(query));
  query.page = {1, kMaxExportRows};
  Result<platform::Page<Clue>> page = store_.ListClues(query);
  RS_TRY(page);
  return std::move(page->items);
}

}  // namespace redshield::clues
