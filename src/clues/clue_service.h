// Reading and reviewing clues (线索, issue 6 §5). Deny by default, scoped by
// agency: clue.read and clue.review hold over the user's own organisation
// (officer, reviewer: the clues assigned to it) or over their region and
// below (office). A clue outside the caller's scope is reported as not
// found, so that its existence does not leak. Thread-safe if the store is.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "clues/clue.h"
#include "clues/clue_store.h"
#include "core/clock.h"
#include "core/error.h"
#include "platform/types.h"

namespace redshield::clues {

class ClueService {
 public:
  static constexpr int kMaxExportRows = 10000;

  ClueService(ClueStore& store, const Clock& clock);

  // kPermissionDenied without clue.read; kInvalidArgument for a bad status
  // or min_score. The query's scope is set from `who`.
  Result<platform::Page<Clue>> List(const platform::Principal& who, ClueQuery query);
  // kNotFound if no clue has `id` within the caller's scope.
  Result<Clue> Get(const platform::Principal& who, Id id);
  // decision: "confirm" (已确认) or "dismiss" (已排除). kInvalidArgument for
  // another decision or a comment over 500 characters (dismissing needs one);
  // kNotFound as Get; kPermissionDenied without clue.review over the clue's
  // organisation; kFailedPrecondition if the clue was reviewed already.
  // Audited with the decision.
  Result<Clue> Review(const platform::Principal& who, Id id, std::string_view decision,
                      const std::string& comment);
  // Top brands and sellers (at most `top` each), counts by status and by day.
  Result<ClueStats> Stats(const platform::Principal& who, ClueQuery query, int top = 10);
  // Up to kMaxExportRows clues of `query`, best score first.
  Result<std::vector<Clue>> Export(const platform::Principal& who, ClueQuery query);

 private:
  Status Scope(const platform::Principal& who, platform::Permission p, ClueQuery& query) const;
  bool InScope(const platform::Principal& who, platform::Permission p, const Clue& clue) const;

  ClueStore& store_;
  const Clock& clock_;
};

}  // namespace redshield::clues
