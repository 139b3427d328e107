// Assessment (考核) and 一票否决 (issue 4 §5): yearly rubrics for the 12 盟市
// (target "region") or the member units of the region (target "unit"),
// scores typed by the office or computed from the annual plan, ranked
// results with the previous year's totals, and vetoes that put a target last
// without a rank.
//
// Reading is open to every signed-in user. Writing needs plan.write with
// region scope: over the rubric's region for rubrics, over the target's
// region for scores and vetoes. Every write is audited in the same
// transaction. Thread-safe if the stores are.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/clock.h"
#include "core/error.h"
#include "core/id.h"
#include "plans/assessment.h"
#include "plans/assessment_store.h"
#include "plans/plan_store.h"
#include "platform/types.h"

namespace redshield::plans {

struct VetoRequest {
  int year = 0;
  std::string region_code;  // exactly one of region_code and org_id
  std::optional<Id> org_id;
  std::string reason;
};

struct ScoreRequest {
  std::string target_id;  // region code or organisation id
  Id item_id = 0;
  std::optional<int> points_tenths;  // nullopt clears the score
  std::string evidence;
  std::string comment;
};

class AssessmentService {
 public:
  // `plans` is read for plan_completion items.
  AssessmentService(AssessmentStore& store, PlanStore& plans, const Clock& clock, IdGenerator& ids);

  // Vetoes of `year` (all years if nullopt), newest first.
  Result<std::vector<Veto>> ListVetoes(const platform::Principal& who, std::optional<int> year);
  // kInvalidArgument (field year, region_code, org_id or reason); kPermissionDenied
  // without plan.write over the target's region; kConflict if one is in force.
  Result<Veto> CreateVeto(const platform::Principal& who, const VetoRequest& request);
  // kInvalidArgument (reason); kNotFound; kPermissionDenied; kConflict (field
  // status) if already revoked.
  Result<Veto> RevokeVeto(const platform::Principal& who, Id id, std::string_view reason);

  Result<std::vector<Rubric>> ListRubrics(const platform::Principal& who, const RubricQuery& query);
  // kNotFound if no rubric has `id`.
  Result<Rubric> GetRubric(const platform::Principal& who, Id id);
  // `draft` as the person wrote it (ids ignored). kInvalidArgument (see
  // ValidateRubric); kPermissionDenied; kConflict for a second rubric of the
  // same year and target.
  Result<Rubric> CreateRubric(const platform::Principal& who, const Rubric& draft);
  // A copy of rubric `from` for `year`: items, source and note; the year in
  // the title is replaced. Errors as CreateRubric, kNotFound for `from`.
  Result<Rubric> CopyRubric(const platform::Principal& who, Id from, int year);
  // Replaces the rubric's year, title, source, note and items; an item with
  // the id of an existing item keeps its scores. kConflict (field items) if
  // an item with scores would be removed, become computed or fall below a
  // score, or (field target) if the target kind changes once scored.
  Result<Rubric> UpdateRubric(const platform::Principal& who, Id id, const Rubric& draft);

  // Every target of the rubric, ranked. kNotFound.
  Result<Results> GetResults(const platform::Principal& who, Id rubric_id);
  // Writes (or clears) one score and returns the target's row. kNotFound;
  // kInvalidArgument: field target_id (not a target of this rubric), item_id
  // (not its item, or a computed item), points (outside 0..max_points),
  // evidence/comment (too long); kPermissionDenied without plan.write over
  // the target's region.
  Result<ResultRow> PutScore(const platform::Principal& who, Id rubric_id,
                             const ScoreRequest& request);

  // `redshield init`: stores the rubric of a seed file (data/assessment/)
  // unless one for its year and target exists. Returns true if stored.
  Result<bool> SeedRubric(const Actor& actor, std::string_view csv);
  // `redshield init --demo`: the 2017 盟市 rubric as a copy of 2016, with
  // 工作成效 computed from the 2017 plan. Returns true if stored.
  Result<bool> CreateDemoRubric(const Actor& actor);

 private:
  Result<Rubric> Insert(const Actor& actor, Rubric rubric, const std::string& how);
  Result<std::vector<ResultRow>> Rows(const Rubric& rubric);
  Result<std::vector<int>> CompletionPoints(const Rubric& rubric,
                                            const std::vector<Target>& targets,
                                            const RubricItem& item,
                                            std::vector<std::string>& evidence);
  Status CheckUpdate(const Rubric& existing, const Rubric& draft);

  AssessmentStore& store_;
  PlanStore& plans_;
  const Clock& clock_;
  IdGenerator& ids_;
};

}  // namespace redshield::plans
