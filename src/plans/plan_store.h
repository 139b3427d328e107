// Persistence the plans module needs; storage/ implements it on SQLite and
// PostgreSQL. An imported work plan is a tree (plan -> sections -> items ->
// tasks -> assignments); an assignment is one organisation's share of one
// task, with a due date the office can edit. Every method that changes state
// takes the AuditEntry that describes the change and commits both in one
// transaction, or neither. Implementations are safe to call from many threads.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/attachment.h"
#include "core/audit.h"
#include "core/error.h"
#include "core/id.h"
#include "plans/plan.h"

namespace redshield::plans {

// The four states of an assignment, as reported by its organisation.
inline constexpr const char* kAssignmentStatuses[] = {"未开始", "进行中", "已完成", "受阻"};
inline bool IsAssignmentStatus(std::string_view status) {
  for (const char* known : kAssignmentStatuses) {
    if (status == known) return true;
  }
  return false;
}

// One organisation's share of one task. UNIQUE (task, organisation).
struct Assignment {
  Id id = 0;
  Id plan_id = 0;
  Id task_id = 0;
  Id org_id = 0;
  std::string org_code;     // filled by reads
  std::string org_name;     // filled by reads
  std::string region_code;  // the organisation's region (scope of edits)
  UnitRole role = UnitRole::kResponsible;
  std::string due_date;  // YYYY-MM-DD
  std::string status = "未开始";  // the latest report's status
  std::string unit_text;  // the unit as the plan wrote it (a group phrase for group members)
  std::string last_report_at;  // UTC text; empty before the first report
  int report_count = 0;
  // Filled by ProgressService (working days from today, Asia/Shanghai):
  bool overdue = false;
  int due_in_working_days = 0;
  // Filled by ListAssignments, for a list of one organisation's tasks:
  std::string item_number;
  std::string task_number;
  std::string task_text;
};

struct StoredTask {
  Id id = 0;
  int ordinal = 0;  // 1-based position in its item
  std::string number;
  std::string text;
  std::string note;
  std::vector<Assignment> assignments;  // leads first, then by organisation code
};

struct StoredItem {
  Id id = 0;
  int ordinal = 0;  // 1-based position in its section
  std::string number;
  std::string title;
  std::string intro;
  std::vector<StoredTask> tasks;
};

struct StoredSection {
  Id id = 0;
  int ordinal = 0;  // 1-based position in the plan
  std::string number;
  std::string title;
  std::vector<StoredItem> items;
};

struct PlanRecord {
  Id id = 0;
  int year = 0;
  std::string region_code;
  std::string title;
  std::string source_text_sha256;
  std::string imported_at;  // UTC text
  Id imported_by = 0;       // user id; 0 for the system (CLI)
  std::string report_cycle = "monthly";  // monthly | quarterly
  int remind_days = 5;                   // working days before a due date
  // Counts, filled by reads:
  int sections = 0;
  int items = 0;
  int tasks = 0;
  int assignments = 0;
};

struct PlanTree {
  PlanRecord plan;
  std::vector<StoredSection> sections;
};

struct AssignmentQuery {
  std::optional<Id> plan_id;
  std::optional<Id> org_id;
};

struct Indicator {
  std::string name;  // e.g. 立案数
  double value = 0;
  std::string unit;  // e.g. 件
};

// One progress report of one assignment for one period.
struct Report {
  Id id = 0;
  Id assignment_id = 0;
  std::string period;  // "2017-03" (monthly) or "2017-Q1" (quarterly)
  std::string status;  // one of kAssignmentStatuses
  std::string narrative;
  std::vector<Indicator> indicators;
  std::vector<AttachmentMeta> attachments;
  Id reported_by = 0;
  std::string reported_by_name;  // filled by reads
  std::string reported_by_org;   // filled by reads
  std::string reported_at;       // UTC text
};

class PlanStore {
 public:
  virtual ~PlanStore() = default;

  // Stores the whole tree (ids already set) in one transaction. kConflict if
  // a plan for the same year and region exists; nothing is written then.
  virtual Status InsertPlan(const PlanTree& tree, const AuditEntry& audit) = 0;
  // Newest year first.
  virtual Result<std::vector<PlanRecord>> ListPlans() = 0;
  // kNotFound if no plan has `id`.
  virtual Result<PlanTree> FindPlan(Id id) = 0;
  // kNotFound if no assignment has `id`.
  virtual Result<Assignment> FindAssignment(Id id) = 0;
  // In plan order (section, item, task), leads first within a task.
  virtual Result<std::vector<Assignment>> ListAssignments(const AssignmentQuery& query) = 0;
  // kNotFound if no assignment has `id`.
  virtual Status UpdateAssignmentDue(Id id, const std::string& due_date,
                                     const AuditEntry& audit) = 0;
  // kNotFound if no plan has `id`.
  virtual Status UpdatePlanSettings(Id id, const std::string& report_cycle, int remind_days,
                                    const AuditEntry& audit) = 0;

  // Stores the report, its indicators and files, and makes the report's
  // status the assignment's (with last_report_at and report_count), in one
  // transaction. kNotFound if the assignment is gone.
  virtual Status InsertReport(const Report& report, const std::vector<Attachment>& files,
                              const AuditEntry& audit) = 0;
  // Newest first, with indicators and attachment metadata.
  virtual Result<std::vector<Report>> ListReports(Id assignment_id) = 0;
  // With its bytes. kNotFound if no attachment has `id`.
  virtual Result<Attachment> FindAttachment(Id id) = 0;
};

}  // namespace redshield::plans
