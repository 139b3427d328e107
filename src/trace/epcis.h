// EPCIS 2.0 events as the trace module keeps them (issue 7 §3). The JSON /
// JSON-LD document is validated and mapped to these values by ingest/
// (epcis_reader.h); this header knows nothing of JSON.
//
// Identifiers are kept twice: as written (`raw`) and as the lookup key
// (`key`): the canonical GS1 key of trace/gs1_keys.h when the identifier is a
// GS1 EPC URN, Digital Link or gs1: CURIE, the "cn.pesticide/…" style key of
// trace/codes.h for a Chinese trace code written as a URL or bare, and the raw
// text otherwise (patterns, uuids, private URIs). Values only; thread-safe.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "core/id.h"

namespace redshield::trace {

// What an identifier is to its event.
enum class CodeRole { kEpc, kParent, kChild, kInput, kOutput, kQuantity, kChildQuantity,
                      kInputQuantity, kOutputQuantity };
std::string_view CodeRoleName(CodeRole role);  // "epc", "parent", "child", ...

struct EventCode {
  CodeRole role = CodeRole::kEpc;
  std::string raw;
  std::string key;
  std::string lot;      // the lot (AI 10) when the key carries one
  double quantity = 0;  // quantity elements only
  std::string uom;
  // The batch issued with this code (0: none here), where
  // TraceStore::PrepareEvents looked it up; -1 where the store looks it up
  // as it stores the event.
  long long batch_id = -1;
};

// Source, destination or business transaction reference.
struct EventRef {
  std::string kind;  // "source", "destination", "biz_transaction"
  std::string type;  // CBV short name or URI ("owning_party", "po", ...)
  std::string value; // raw identifier
  std::string key;   // as EventCode::key
};

struct EpcisEvent {
  Id id = 0;                 // row id, set by the service
  std::string event_id;      // eventID, or a generated ni:///sha-256 name when absent
  std::string type;          // ObjectEvent, AggregationEvent, ... or an extension URI
  std::string event_time;    // UTC, ISO 8601 with milliseconds ("2026-01-02T03:04:05.000Z")
  std::int64_t event_time_ms = 0;
  std::string time_zone_offset;  // "+08:00"
  std::string record_time;       // set on capture (UTC ISO 8601)
  std::string action;            // ADD, OBSERVE, DELETE; empty for TransformationEvent
  std::string biz_step;          // CBV short name ("shipping") or the URI as given
  std::string disposition;       // CBV short name or URI
  std::string read_point;        // key of readPoint.id
  std::string biz_location;      // key of bizLocation.id
  std::string transformation_id;
  // errorDeclaration on this event: it declares the stored event with the same
  // eventID erroneous (EPCIS 2.0 §7.4.1.4).
  bool is_declaration = false;
  std::string declaration_time;
  std::string error_reason;      // did_not_occur, incorrect_data or a URI
  std::vector<std::string> corrective_event_ids;
  std::vector<EventCode> codes;
  std::vector<EventRef> refs;
  std::string body;  // the event object as received (JSON text; see TraceStore::PrepareEvents)
};

// How a captured event stands after later declarations.
struct StoredEvent {
  EpcisEvent event;
  Id capture_id = 0;
  std::string declared_error;  // reason, empty if no error was declared
  std::string declared_at;
};

struct CaptureResult {
  Id capture_id = 0;
  int events = 0;       // new events stored
  int duplicates = 0;   // events whose eventID was already stored (idempotent retry)
  int declarations = 0; // error declarations applied
  int notified = 0;     // recall notices to holders the events revealed
};

}  // namespace redshield::trace
