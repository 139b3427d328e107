// Persistence of assessment rubrics, scores and vetoes (一票否决); storage/
// implements it on SQLite and PostgreSQL. Every method that changes state
// takes the AuditEntry that describes the change and commits both in one
// transaction, or neither. Implementations are safe to call from many threads.
#pragma once

#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "core/audit.h"
#include "core/error.h"
#include "core/id.h"
#include "plans/assessment.h"

namespace redshield::plans {

struct RubricQuery {
  std::optional<int> year;
  std::optional<TargetKind> target;
};

class AssessmentStore {
 public:
  virtual ~AssessmentStore() = default;

  // Stores the rubric and its items (ids already set). kConflict if a rubric
  // for the same year, target kind and region exists.
  virtual Status InsertRubric(const Rubric& rubric, const AuditEntry& audit) = 0;
  // Replaces the header and the items of rubric.id: items whose id is not in
  // `rubric.items` are deleted, the others updated, items with new ids
  // inserted. kNotFound; kConflict if a deleted item has scores, or for a
  // duplicate year and target. Nothing is written on error.
  virtual Status UpdateRubric(const Rubric& rubric, const AuditEntry& audit) = 0;
  // kNotFound if no rubric has `id`. Items in ordinal order.
  virtual Result<Rubric> FindRubric(Id id) = 0;
  // The rubric of that year, kind and region, if any.
  virtual Result<std::optional<Rubric>> FindRubricFor(int year, TargetKind target,
                                                      const std::string& region_code) = 0;
  // Newest year first, then region before unit.
  virtual Result<std::vector<Rubric>> ListRubrics(const RubricQuery& query) = 0;

  // Every stored score of the rubric (with the scorer's display name).
  virtual Result<std::vector<Score>> ListScores(Id rubric_id) = 0;
  // Inserts or overwrites the score of (rubric, target, item), or deletes it
  // if `clear`. `audit` is called inside the transaction
  // with the score as it was before (nullopt if none), so that the record's
  // old -> new is exact even under concurrent edits.
  virtual Status PutScore(
      const Score& score, bool clear,
      const std::function<AuditEntry(const std::optional<Score>& before)>& audit) = 0;

  // Who can be assessed under a rubric of `region_code`: for kRegion the
  // prefecture-level regions directly below it, for kUnit its member
  // organisations (agency, police, procuratorate, court, customs) of exactly
  // that region. Ordered by code.
  virtual Result<std::vector<Target>> ListTargets(TargetKind kind,
                                                  const std::string& region_code) = 0;
  // The region with that code, or the organisation with that decimal id
  // (any level or type); nullopt if none.
  virtual Result<std::optional<Target>> FindTarget(TargetKind kind, const std::string& id) = 0;

  // kConflict if a veto is in force for the same year and target.
  virtual Status InsertVeto(const Veto& veto, const AuditEntry& audit) = 0;
  // Sets status revoked with reason, who and when. kNotFound; kConflict if
  // the veto is not in force.
  virtual Status RevokeVeto(Id id, const std::string& reason, Id by, const std::string& at,
                            const AuditEntry& audit) = 0;
  // kNotFound if no veto has `id`.
  virtual Result<Veto> FindVeto(Id id) = 0;
  // Newest first; all years if `year` is nullopt.
  virtual Result<std::vector<Veto>> ListVetoes(std::optional<int> year) = 0;
};

}  // namespace redshield::plans
