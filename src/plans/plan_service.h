// Imported work plans and their assignments (issue 4 §2). Import turns a
// parsed and resolved Plan into a stored tree in which every (task,
// organisation) pair is one assignment: a unit that is an organisation gives
// one, a group phrase (有关成员单位) gives one per member; an organisation
// named as lead (牵头) in a task keeps role lead there. Reading plans is open
// to every signed-in user; editing assignments needs plan.write, within the
// actor's region. Reads annotate each assignment with its working days left
// and whether it is overdue. Thread-safe if the stores are.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/calendar.h"
#include "core/clock.h"
#include "core/date.h"
#include "core/error.h"
#include "core/id.h"
#include "plans/plan.h"
#include "plans/plan_store.h"
#include "plans/unit_resolver.h"
#include "platform/platform_store.h"
#include "platform/types.h"

namespace redshield::plans {

struct ImportRequest {
  int year = 0;               // 2000..2100
  std::string region_code;    // six digits, e.g. 150000
  std::optional<Date> due;    // default: 31 December of `year`
  std::string source_sha256;  // of the file's bytes, for the record
  std::string report_cycle = "monthly";  // monthly | quarterly
};

// A plan file parsed and resolved against the database's organisations.
struct ParsedPlan {
  Plan plan;
  std::vector<UnresolvedUnit> unresolved;
};

struct AssignmentFilter {
  std::optional<Id> org_id;
  std::string status;         // one of kAssignmentStatuses, or empty
  bool overdue_only = false;
};

class PlanService {
 public:
  // `org_groups_csv`: data/org_groups.csv (group phrases and their members).
  PlanService(PlanStore& store, platform::PlatformStore& platform, const WorkCalendar& calendar,
              std::string org_groups_csv, const Clock& clock, IdGenerator& ids);

  // Parses `bytes` (UTF-8, GB18030, traditional characters) and resolves its
  // units against the organisations in the database for `region_code`.
  // kInvalidArgument for an unreadable file; kPermissionDenied without plan.write.
  Result<ParsedPlan> Parse(const platform::Principal& who, std::string_view bytes,
                           const std::string& region_code);
  // Parse, then Import; the request's sha256 is computed here. kInvalidArgument
  // (field "year") if the file names another year than the request.
  Result<Id> ImportFile(const platform::Principal& who, std::string_view bytes,
                        ImportRequest request);
  // The same for the system (the CLI, `init --demo`), without a permission check.
  Result<Id> ImportFile(const Actor& actor, std::string_view bytes, ImportRequest request);
  // Maps a unit the parser could not resolve to organisation `org_id` by
  // adding `text` as an alias of it. kPermissionDenied without plan.write
  // over the organisation's region; kConflict if the alias names another
  // organisation there; kInvalidArgument for an empty text.
  Result<platform::Organization> AddUnitAlias(const platform::Principal& who,
                                              std::string_view text, Id org_id);
  // kInvalidArgument for an unknown cycle or remind_days outside 0..30.
  Result<PlanRecord> UpdateSettings(const platform::Principal& who, Id plan_id,
                                    std::string_view report_cycle, int remind_days);

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
                                                  const AssignmentFilter& filter);
  // Sets the due date (YYYY-MM-DD). kInvalidArgument for a bad date;
  // kNotFound; kPermissionDenied without plan.write over the organisation's
  // region. Audited with the old and new date.
  Result<Assignment> UpdateAssignmentDue(const platform::Principal& who, Id assignment_id,
                                         std::string_view due_date);

  // The assignments `plan` gives (what Import stores), for previews and counts.
  static std::vector<Assignment> AssignmentsOf(const Task& task);

 private:
  Result<PlanTree> BuildTree(const Plan& plan, const ImportRequest& request, const Actor& actor);
  Result<UnitResolver> MakeResolver(const std::string& region_code);
  Result<ParsedPlan> ParseResolve(std::string_view bytes, const std::string& region_code);

  PlanStore& store_;
  platform::PlatformStore& platform_;
  const WorkCalendar& calendar_;
  const std::string org_groups_csv_;
  const Clock& clock_;
  IdGenerator& ids_;
};

}  // namespace redshield::plans
