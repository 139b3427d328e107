// The trace service (issue 7 §3): captures validated EPCIS events, answers
// queries and walks a code's history through aggregations (up and down) and
// transformations. Thread-safe (the store is, and the service keeps no state
// besides the id generator and the notice routing, set at start).
#pragma once

#include <string>
#include <vector>

#include "core/audit.h"
#include "core/clock.h"
#include "core/error.h"
#include "core/id.h"
#include "trace/epcis.h"
#include "trace/trace_store.h"

namespace redshield::trace {

struct History {
  std::string key;                 // the code asked about
  std::vector<CodeLink> related;   // every code reached, with how it was first reached
  std::vector<StoredEvent> events; // events of the code and of the related codes, by time
};

class TraceService {
 public:
  TraceService(TraceStore& store, const Clock& clock, IdGenerator& ids);

  // Stores the validated events of a document as `source` pushes them, in
  // one transaction; `document` names it in the audit summary. Nothing is
  // stored if `source` fails (its error is returned) or pushes no event
  // (kInvalidArgument); otherwise errors of the store.
  Result<CaptureResult> Capture(const EventSource& source, const std::string& document, const Actor& actor);
  // Completes the recall notices a capture sends to holders it reveals of
  // recalled batches (CodeService::NoticeRouting; without it none are
  // sent). Set before the first capture.
  void RouteNotices(CompleteNotices complete) { complete_notices_ = std::move(complete); }
  // The same for events already in memory.
  Result<CaptureResult> Capture(std::vector<EpcisEvent> events, const std::string& document,
                                const Actor& actor);
  Result<std::vector<StoredEvent>> FindEvents(const EventQuery& query);
  // `code` in any form ParseAnyCode or ParseGs1Key accept, or a raw identifier.
  // At most `max_codes` related codes are followed. kInvalidArgument if empty.
  Result<History> HistoryOf(const std::string& code, size_t max_codes = 200);

  // The lookup key of an identifier as written in an event (see epcis.h).
  static std::string KeyOf(const std::string& identifier, std::string* lot = nullptr);

 private:
  TraceStore& store_;
  const Clock& clock_;
  IdGenerator& ids_;
  CompleteNotices complete_notices_;
};

}  // namespace redshield::trace
