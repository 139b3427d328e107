// Persistence of supervision (plan item 二十): 通报, 约谈 and 挂牌督办 issued
// by the office to an organisation, each with a history of events (created,
// acknowledged, interview recorded, rectification submitted, accepted,
// returned, cancelled). storage/ implements it. Every change commits with its
// audit record in one transaction. Thread-safe.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "core/audit.h"
#include "core/error.h"
#include "core/id.h"
#include "plans/plan_store.h"
#include "platform/types.h"

namespace redshield::plans {

struct SupervisionEvent {
  Id id = 0;
  Id supervision_id = 0;
  std::string action;  // create | acknowledge | record | rectification | accept | return | cancel
  std::string text;
  std::vector<AttachmentMeta> attachments;  // filled by reads
  Id by = 0;
  std::string by_name;  // filled by reads
  std::string by_org;   // filled by reads
  std::string at;       // UTC text
};

struct Supervision {
  Id id = 0;
  Id plan_id = 0;
  std::string kind;  // notice | interview | listed
  Id org_id = 0;
  std::string org_code;     // filled by reads
  std::string org_name;     // filled by reads
  std::string region_code;  // the organisation's, set by the store
  std::optional<Id> assignment_id;
  std::string item_number, task_number, task_text;  // filled by reads when assigned
  std::string title;
  std::string content;
  std::string deadline;    // YYYY-MM-DD or empty
  std::string meeting_at;  // UTC text or empty
  std::string place;
  std::string status;
  Id created_by = 0;
  std::string created_by_name;  // filled by reads
  std::string created_at;
  std::string updated_at;
  std::vector<SupervisionEvent> events;  // filled by Find, oldest first
};

struct SupervisionQuery {
  std::optional<Id> plan_id;
  std::string kind;
  std::string status;
  std::optional<Id> org_id;
  std::string region_prefix;  // scope: organisations in this region or below
  platform::PageRequest page;
};

class SupervisionStore {
 public:
  virtual ~SupervisionStore() = default;

  // Stores `s` (its organisation's region is taken from the database) and its
  // first event. kInvalidArgument if the organisation does not exist.
  virtual Status Insert(const Supervision& s, const SupervisionEvent& created,
                        const AuditEntry& audit) = 0;
  // With its events. kNotFound if none has `id`.
  virtual Result<Supervision> Find(Id id) = 0;
  // Newest first; without events.
  virtual Result<platform::Page<Supervision>> List(const SupervisionQuery& query) = 0;
  // Moves `id` from status `from` to `to`, records `event` with `files`.
  // kConflict if the status is no longer `from` (a concurrent change);
  // nothing is written then.
  virtual Status Transition(Id id, const std::string& from, const std::string& to,
                            const SupervisionEvent& event, const std::vector<Attachment>& files,
                            const AuditEntry& audit) = 0;
};

}  // namespace redshield::plans
