// Assessment (考核) of the 盟市 and member units, and 一票否决 (plan item
// 二十): rubrics with items and their maximum points, scores per (rubric,
// target, item), and vetoes that take a target out of the ranking for a
// year. This header holds the values and the pure rules (points arithmetic,
// plan-completion points, ranking, the seed CSV); assessment_service.h
// applies them to stored data.
//
// Points are held as integer tenths (8.5 points = 85) so that totals and
// ties are exact: typed points have at most one decimal, maximum points are
// multiples of 0.5, and computed points are rounded to 0.5.
//
// Plain values and pure functions; thread-safe as values are.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/error.h"
#include "core/id.h"

namespace redshield::plans {

enum class TargetKind {
  kRegion,  // a 盟市: a prefecture-level region below the rubric's region
  kUnit,    // a member organisation of the rubric's region
};

// "region" | "unit": the names used in JSON, data files and the database.
std::string_view TargetKindName(TargetKind kind);
std::optional<TargetKind> ParseTargetKind(std::string_view name);

// The only computed rule: share of the target's plan assignments that are
// 已完成, times the item's maximum, rounded to 0.5.
inline constexpr std::string_view kPlanCompletion = "plan_completion";
// The assignment status that counts as done (plan_assignments.status).
inline constexpr std::string_view kAssignmentDone = "已完成";
// The region whose office issues rubrics and whose annual plan feeds
// plan_completion: the autonomous region.
inline constexpr std::string_view kAssessmentRegion = "150000";

struct RubricItem {
  Id id = 0;
  int ordinal = 0;  // 1-based
  std::string name;
  int max_tenths = 0;
  std::string guidance;
  std::string computed;  // "" (typed) or kPlanCompletion
};

struct Rubric {
  Id id = 0;
  int year = 0;
  TargetKind target = TargetKind::kRegion;
  std::string region_code{kAssessmentRegion};
  std::string title;
  std::string source;  // where the rubric comes from (a URL, "复制自 …")
  std::string note;    // caveats to show, e.g. that the split of points is an estimate
  std::vector<RubricItem> items;
  std::string created_at;
  std::string updated_at;

  int MaxTotalTenths() const;
  const RubricItem* FindItem(Id item_id) const;
};

// Someone assessed: a region (id = its code) or an organisation (id = its
// decimal id).
struct Target {
  TargetKind kind = TargetKind::kRegion;
  std::string id;
  std::string code;  // region code or organisation code
  std::string name;
  std::string region_code;  // the region itself, or the organisation's region
  Id org_id = 0;            // 0 for a region
};

// The person who wrote something, for display.
struct PersonRef {
  Id id = 0;  // 0: the system
  std::string display_name;
};

struct Score {
  Id rubric_id = 0;
  Id item_id = 0;
  TargetKind kind = TargetKind::kRegion;
  std::string target_id;
  std::string region_code;  // the target's region (scope, distribution)
  int points_tenths = 0;
  std::string evidence;
  std::string comment;
  PersonRef scored_by;
  std::string scored_at;
};

struct Veto {
  Id id = 0;
  int year = 0;
  Target target;
  std::string reason;
  bool in_force = true;
  PersonRef created_by;
  std::string created_at;
  std::string revoked_reason;
  PersonRef revoked_by;
  std::string revoked_at;
};

// One item of one result row: a typed score, a computed value, or nothing.
struct ItemScore {
  Id item_id = 0;
  std::optional<int> points_tenths;  // nullopt: not scored (or nothing to compute from)
  bool computed = false;
  std::string evidence;  // for a computed item: how it was computed
  std::string comment;
  std::optional<PersonRef> scored_by;
  std::string scored_at;
};

struct ResultRow {
  Target target;
  std::vector<ItemScore> scores;  // one per rubric item, in item order
  int total_tenths = 0;
  std::optional<int> rank;  // nullopt for a vetoed target
  std::optional<Veto> veto;
  std::optional<int> previous_total_tenths;
  std::optional<int> change_tenths;
  bool HasPoints() const;
};

struct Results {
  Rubric rubric;
  std::vector<ResultRow> rows;  // ranked; vetoed targets last
};

// Points in JSON and forms: kInvalidArgument (naming `field`) unless `value`
// is finite, in [0, 1000] and has at most one decimal.
Result<int> PointsToTenths(double value, std::string_view field);
// "8.5", "12", "0".
std::string FormatTenths(int tenths);

// plan_completion points: done/total of the maximum, rounded to the nearest
// 0.5 (halves up); nullopt when the target has no assignments. Never above
// `max_tenths` (a multiple of 5).
std::optional<int> PlanCompletionTenths(int done, int total, int max_tenths);

// Sorts `rows` by total, highest first (ties by target code), with vetoed
// rows (veto set) last, and assigns competition ranks: equal totals share a
// rank and the next rank skips (1, 2, 2, 4). Vetoed rows get no rank.
void RankRows(std::vector<ResultRow>& rows);

// Checks a rubric as a person or a file wrote it: year 2000..2100, a
// non-empty title, 1..50 items with distinct non-empty names, maximum points
// above 0 in multiples of 0.5, computed "" or plan_completion.
// kInvalidArgument naming the field ("title", "items[2].max_points").
Status ValidateRubric(const Rubric& rubric);

// Parses a rubric seed file (data/assessment/*.csv, see data/README.md):
// columns year,target,title,source,note (on the first row; later rows leave
// them empty or repeat them),ordinal,name,max_points,max_points_basis,
// guidance,computed. Ids are left 0. kInvalidArgument naming line and column.
Result<Rubric> ParseRubricCsv(std::string_view csv);

}  // namespace redshield::plans
