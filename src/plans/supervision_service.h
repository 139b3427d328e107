// Supervision of laggards (plan item 二十): the office issues a 通报
// (notice), a 约谈 (interview) or a 挂牌督办 (listed supervision, with a
// rectification deadline) to an organisation, optionally about one of its
// assignments. Each kind has its own lifecycle (kSteps in the .cc):
//   notice:    已下发 → 已签收 (the organisation acknowledges)
//   interview: 待约谈 → 已约谈 (the office records the talk)
//   listed:    整改中 → 待验收 (the organisation reports its rectification)
//              待验收 → 已销号 (the office accepts) | 整改中 (returns, with reasons)
//   any open state → 已撤销 (the office cancels, with reasons)
// The office acts within its region scope (plan.write); the organisation's
// own users with plan.report act for it. Every step is audited and kept as an
// event. Thread-safe if the stores are.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "core/clock.h"
#include "core/error.h"
#include "core/id.h"
#include "plans/plan_store.h"
#include "plans/progress_service.h"
#include "plans/supervision_store.h"
#include "platform/types.h"

namespace redshield::plans {

struct SupervisionDraft {
  Id plan_id = 0;
  std::string kind;  // notice | interview | listed
  Id org_id = 0;
  std::optional<Id> assignment_id;
  std::string title;
  std::string content;
  std::string deadline;    // YYYY-MM-DD; required for listed
  std::string meeting_at;  // time; required for interview
  std::string place;       // required for interview
};

// 通报 / 约谈 / 挂牌督办 for a kind id; empty for an unknown kind.
std::string SupervisionKindName(std::string_view kind);
// True for 已签收, 已约谈, 已销号 and 已撤销.
bool IsFinalSupervisionStatus(std::string_view status);

class SupervisionService {
 public:
  SupervisionService(SupervisionStore& store, PlanStore& plans, const Clock& clock,
                     IdGenerator& ids);

  // kInvalidArgument naming the field; kPermissionDenied without plan.write
  // over the organisation's region; kNotFound for an unknown plan.
  Result<Supervision> Create(const platform::Principal& who, const SupervisionDraft& draft);
  // The office sees its region's; others their own organisation's.
  Result<Supervision> Get(const platform::Principal& who, Id id);
  Result<platform::Page<Supervision>> List(const platform::Principal& who,
                                           SupervisionQuery query);
  // One step of the lifecycle: action is acknowledge, record, rectification,
  // accept, return or cancel. kConflict (field "status") if the action is not
  // allowed in the current state or for this kind; kPermissionDenied if the
  // user may not take it; kInvalidArgument if a required text is missing.
  Result<Supervision> Act(const platform::Principal& who, Id id, std::string_view action,
                          std::string_view text, const std::vector<FileDraft>& files);

  // Past its deadline and not closed (listed supervision only).
  bool IsOverdue(const Supervision& s) const;

 private:
  SupervisionStore& store_;
  PlanStore& plans_;
  const Clock& clock_;
  IdGenerator& ids_;
};

}  // namespace redshield::plans
