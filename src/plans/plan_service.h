// Imported work plans and their assignments (issue 4 §2). Import turns a
// parsed and resolved Plan into a stored tree in which every (task,
// organisation) pair is one assignment: a unit that is an organisation gives
// one, a group phrase (有关成员单位) gives one per member; an organisation
// named as lead (牵头) in a task keeps role lead there. Reading plans is open
// to every signed-in user; editing assignments needs plan.write, within the
// actor's region. Thread-safe if the store is.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/clock.h"
#include "core/date.h"
#include "core/error.h"
#include "core/id.h"
#include "plans/plan.h"
#include "plans/plan_store.h"
#include "platform/types.h"

namespace redshield::plans {

struct ImportRequest {
  int year = 0;               // 2000..2100
  std::string region_code;    // six digits, e.g. 150000
  std::optional<Date> due;    // default: 31 December of `year`
  std::string source_sha256;  // of the file's bytes, for the record
};

class PlanService {
 public:
  PlanService(PlanStore& store, const Clock& clock, IdGenerator& ids);

  // Stores `plan` with `actor` as importer (the CLI passes the system actor).
  // Returns the new plan's id. kInvalidArgument if a unit is unresolved or
  // resolved without a database id, or for a bad year or region; kConflict
  // if a plan for the same year and region exists (nothing is written).
  Result<Id> Import(const Actor& actor, const Plan& plan, const ImportRequest& request);
  // The same for a signed-in user: kPermissionDenied without plan.write over
  // the region.
  Result<Id> Import(const platform::Principal& who, const Plan& plan, const ImportRequest& request);

  Result<std::vector<PlanRecord>> ListPlans(const platform::Principal& who);
  // kNotFound if no plan has `id`.
  Result<PlanTree> GetPlan(const platform::Principal& who, Id id);
  // The assignments of plan `plan_id` (all, or of `org_id` only): "my tasks".
  // kNotFound if no plan has `plan_id`.
  Result<std::vector<Assignment>> ListAssignments(const platform::Principal& who, Id plan_id,
                                                  std::optional<Id> org_id);
  // Sets the due date (YYYY-MM-DD). kInvalidArgument for a bad date;
  // kNotFound; kPermissionDenied without plan.write over the organisation's
  // region. Audited with the old and new date.
  Result<Assignment> UpdateAssignmentDue(const platform::Principal& who, Id assignment_id,
                                         std::string_view due_date);

  // The assignments `plan` gives (what Import stores), for previews and counts.
  static std::vector<Assignment> AssignmentsOf(const Task& task);

 private:
  Result<PlanTree> BuildTree(const Plan& plan, const ImportRequest& request, const Actor& actor);

  PlanStore& store_;
  const Clock& clock_;
  IdGenerator& ids_;
};

}  // namespace redshield::plans
