// Progress on assignments (issue 4 §3): member units report per period
// (status, narrative, quantitative indicators, attachments); reminders tell
// a unit what is due within the plan's remind_days working days or overdue;
// the office's board counts assignments by state per region and organisation
// and lists the overdue and blocked ones. Thread-safe if the stores are.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "core/calendar.h"
#include "core/clock.h"
#include "core/error.h"
#include "core/id.h"
#include "plans/plan_store.h"
#include "platform/platform_store.h"
#include "platform/types.h"

namespace redshield::plans {

struct ReportDraft {
  std::string period;  // "2017-03" (monthly plan) or "2017-Q1" (quarterly plan)
  std::string status;
  std::string narrative;
  std::vector<Indicator> indicators;
  std::vector<FileDraft> files;
};

struct AssignmentDetail {
  Assignment assignment;
  std::vector<Report> reports;  // newest first
};

struct Reminder {
  std::string kind;  // overdue | due_soon
  Assignment assignment;
  PlanRecord plan;
};

struct BoardCounts {
  int assignments = 0, not_started = 0, in_progress = 0, done = 0, blocked = 0, overdue = 0;
  void Add(const Assignment& a);
};

struct BoardRow {
  std::string key;   // region code or organisation id
  std::string name;  // region or organisation name
  std::string code;  // organisation code (by_org rows)
  std::string region_code;
  BoardCounts counts;
};

struct Board {
  std::string as_of;  // YYYY-MM-DD, Asia/Shanghai
  BoardCounts totals;
  std::vector<BoardRow> by_region;  // prefecture-level regions (自治区本级 for the region itself)
  std::vector<BoardRow> by_org;     // most overdue first
  std::vector<Assignment> overdue;  // most overdue first
  std::vector<Assignment> blocked;
};

// Upload limits (also in docs/api.md).
inline constexpr size_t kMaxIndicators = 10;
inline constexpr size_t kMaxFiles = 5;
inline constexpr size_t kMaxFileBytes = 2 << 20;

// Report and supervision-event files: at most 5 of 2 MiB each.
inline constexpr FileLimits kPlanFileLimits{0, kMaxFiles, kMaxFileBytes, "附件"};

class ProgressService {
 public:
  ProgressService(PlanStore& store, platform::PlatformStore& platform,
                  const WorkCalendar& calendar, const Clock& clock, IdGenerator& ids);

  // kPermissionDenied unless the assignment is the user's organisation's and
  // the user holds plan.report; kInvalidArgument naming the field for a bad
  // period, status, narrative (required for 受阻), indicator or attachment.
  Result<Report> SubmitReport(const platform::Principal& who, Id assignment_id,
                              const ReportDraft& draft);
  Result<AssignmentDetail> GetAssignment(const platform::Principal& who, Id assignment_id);
  // kPermissionDenied unless the file is the user's organisation's, or the
  // user holds plan.write over its region.
  Result<Attachment> GetAttachment(const platform::Principal& who, Id attachment_id);
  // The user's organisation's assignments that are overdue or due within
  // their plan's remind_days working days (not 已完成), most urgent first.
  Result<std::vector<Reminder>> Reminders(const platform::Principal& who);
  // kPermissionDenied without plan.write; limited to the user's region
  // scope and, if given, `region_code` (which must lie inside it).
  Result<Board> GetBoard(const platform::Principal& who, Id plan_id,
                         const std::string& region_code);

 private:
  PlanStore& store_;
  platform::PlatformStore& platform_;
  const WorkCalendar& calendar_;
  const Clock& clock_;
  IdGenerator& ids_;
};

}  // namespace redshield::plans
