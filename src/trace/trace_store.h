// Persistence of the trace module (issue 7): captured EPCIS events and the
// codes they name. storage/trace_store_sql.cc implements it for SQLite and
// PostgreSQL. Implementations are safe to call from many threads at once.
#pragma once

#include <functional>
#include <map>
#include <string>
#include <unordered_map>
#include <vector>

#include "core/audit.h"
#include "core/error.h"
#include "trace/batch.h"
#include "trace/epcis.h"

namespace redshield::trace {

// Filters of FindEvents; empty fields do not filter.
struct EventQuery {
  std::vector<std::string> code_keys;  // events naming any of these codes (any role)
  std::string lot;                     // events naming a code of this lot (AI 10)
  std::string place;                   // readPoint or bizLocation key (a GLN key "414/…")
  std::string region;                  // readPoint or bizLocation a registered place in this region or below
  std::string biz_step;                // CBV short name or URI
  std::string from, to;                // UTC ISO 8601, inclusive, on eventTime
  int limit = 1000;
};

// A code linked to another by an event: `relation` is what the linked code is
// to the one asked about ("parent", "child", "input", "output").
struct CodeLink {
  std::string key;
  std::string relation;
  std::string event_id;
};

// Events arrive one at a time (a capture can hold a million): a source
// pushes each event into the sink it is given, in order, and stops at and
// returns the first error, its own or the sink's. The sink may move from the
// event.
using EventSink = std::function<Status(EpcisEvent& event)>;
using EventSource = std::function<Status(const EventSink& sink)>;
// Fills the ids and routing (org_id, routed, created_at) of recall notices
// the store drafted: batch_id, holder_key, holder_id, and holder_name,
// region_code and org_id of a registered place.
using CompleteNotices = std::function<void(std::vector<RecallNotice>& notices)>;

class TraceStore {
 public:
  virtual ~TraceStore() = default;

  // Turns captured events into the form Capture stores, on the thread that
  // reads the document rather than the one that writes: SQLite packs the
  // body (storage/event_body.h) and looks up the batch of each code
  // (EventCode::batch_id). TraceService::Capture calls it for each run of
  // events, inside Capture's transaction (from the source it passes), so
  // what it reads is what that transaction sees. Capture stores an event
  // it was not called for as it is (SQLite: the body plain, read alike; the
  // batches looked up as it stores). Thread-safe.
  virtual void PrepareEvents(std::vector<EpcisEvent>& events) const { (void)events; }
  // Stores the events `source` pushes (ids, record_time and event_id
  // already set) as capture `capture_id` received at `received_at`, all or
  // nothing, in one transaction with the audit entry `audit_for(number of
  // events pushed, notices)`. If `source` fails, nothing is stored and its
  // error is returned. An event whose event_id is already stored is skipped
  // (counted as duplicate); a declaration marks the stored event with the
  // same event_id erroneous. Holders the events reveal of batches recalled
  // already get a notice, completed by `complete` (none if empty; documents
  // may arrive after the recall). kUnavailable if the backend fails. The
  // source may be run again if the transaction is retried.
  virtual Result<CaptureResult> Capture(Id capture_id, const std::string& received_at, const EventSource& source,
                                        const CompleteNotices& complete,
                                        const std::function<AuditEntry(int events, int notices)>& audit_for) = 0;
  // Matching events (declarations excluded), oldest first, at most `limit`.
  virtual Result<std::vector<StoredEvent>> FindEvents(const EventQuery& query) = 0;
  // Codes linked to `key` by aggregation/association (parent, child) and
  // transformation (input, output) events not declared erroneous.
  virtual Result<std::vector<CodeLink>> Links(const std::string& key) = 0;

  // ---- issuance (§2) ----
  // One draw of a code of `level` (0 unit, 1 箱, 2 件): its key and label text.
  using CodeDraw = std::function<std::pair<std::string, std::string>(int level)>;
  // In one transaction with `audit`: stores the batch and `counts[level]`
  // codes of each level from `draw` (a code taken already, here or by another
  // batch, is skipped and drawn again; kUnavailable, nothing stored, after
  // 2 × count + 64 draws of a level), numbered in issue order (units, then
  // packs by level), each code of level L-1 in the pack of level L at
  // index / pack_sizes[L-1].
  virtual Status IssueBatch(const Batch& batch, const std::vector<int>& counts, const CodeDraw& draw,
                            const AuditEntry& audit) = 0;
  // kNotFound if no batch has `id`. `scans` is summed only `with_scans`.
  virtual Result<Batch> FindBatch(Id id, bool with_scans = true) = 0;
  // Newest first; org_id 0: every organisation.
  virtual Result<std::vector<Batch>> ListBatches(Id org_id, int limit) = 0;
  // The status of every batch that is no longer 正常 (recalled or
  // destroyed: few among many), by batch id.
  virtual Result<std::unordered_map<Id, std::string>> ClosedBatchStatuses() = 0;
  // The batch's codes in issue order (units, then packs by level).
  virtual Result<std::vector<IssuedCode>> BatchCodes(Id batch_id, int limit) = 0;
  // kConflict unless the batch is in `expected_status`.
  virtual Status SetBatchStatus(Id batch_id, const std::string& expected_status,
                                const std::string& status, const std::string& reason,
                                const std::string& at, const AuditEntry& audit) = 0;

  // ---- verification (§4) ----
  // The issued code with key `key`, with its `batch_id` but not its `batch`
  // (verification caches batches itself); nullopt if none.
  virtual Result<std::optional<CodeInfo>> LookupCode(const std::string& key) = 0;
  // Appends scans to the scan log, and the known ones with their batch to
  // the backlog of scans not yet in their codes' counters, as `writer`'s (a
  // number of the writing process's own), in one transaction (no audit:
  // public scans carry no actor).
  virtual Status RecordScans(const std::vector<Scan>& scans, Id writer) = 0;
  // In one transaction: appends `scans` to the log, and adds them and the
  // backlog's scans that `writer` wrote, or that were scanned before
  // `stale_before` (left by a process that stopped: a live one folds its
  // own sooner), to their codes' counters (scan_count, first scan), last
  // located scan and batch totals, taking those out of the backlog. Scans
  // of other live processes stay: they count them from memory until they
  // fold them, and would count them twice once folded by another;
  // `fold` becomes the store's last fold, which LookupCode,
  // FindBatch (with scans) and ListBatches return as `last_fold`, read with
  // the counts, so a reader knows whether the counts include this fold.
  virtual Status FoldScans(const std::vector<Scan>& scans, Id fold, Id writer,
                           const std::string& stale_before) = 0;
  // Scans of a batch's codes (or all when batch_id is 0) per region and day.
  virtual Result<ScanStats> ScanStatistics(Id batch_id, const std::string& since) = 0;
  // For each of `keys` that a retail_selling event names at or before
  // `before`: the latest such event's bizLocation and time, with the place's
  // region from the registry ("" if the place is not registered). Keys never
  // sold are absent. One read and one prepared statement for all keys (the
  // scan writer asks once per flush).
  struct Sale {
    std::string place_key, event_time, region_code;
  };
  virtual Result<std::map<std::string, Sale>> RetailSales(const std::vector<std::string>& keys,
                                                          const std::string& before) = 0;

  // ---- places (§3, §5) ----
  // Adds or replaces each place (by key), all or nothing, with `audit`.
  virtual Status UpsertPlaces(const std::vector<Place>& places, const AuditEntry& audit) = 0;
  // kNotFound if `key` is not registered.
  virtual Result<Place> FindPlace(const std::string& key) = 0;
  virtual Result<Listing<Place>> ListPlaces(const PlaceQuery& query) = 0;

  // ---- clone suspicions and recall (§5) ----
  // In one transaction, adds each suspicion (audited, and its code marked
  // suspicious), or bumps `hits`, updated_at and detail of an open one with
  // the same rule and code_key.
  virtual Status UpsertSuspicions(const std::vector<Suspicion>& suspicions) = 0;
  // Newest first, at most `limit`; status "" for all.
  virtual Result<std::vector<Suspicion>> ListSuspicions(const std::string& status, const Visibility& visibility,
                                                        int limit) = 0;
  // kNotFound if no suspicion has `id`.
  virtual Result<Suspicion> FindSuspicion(Id id) = 0;
  // 待核查 → `status` (kConflict if reviewed already), with the reviewer,
  // time and comment; when dismissed and no other suspicion of the code
  // stands, the code is no longer marked suspicious. With `audit`.
  virtual Status ReviewSuspicion(const Suspicion& reviewed, const AuditEntry& audit) = 0;
  // Stores a version of the clone rules' thresholds, with `audit`.
  virtual Status SaveRuleVersion(const RuleVersion& version, const AuditEntry& audit) = 0;
  // Newest first, at most `limit`.
  virtual Result<std::vector<RuleVersion>> RuleVersions(int limit) = 0;
  // Holders downstream of the batch: destinations of shipping events and
  // locations of receiving events that name its codes, their lot or a
  // container they were packed into; with their registered place and the
  // batch's recall notice to them, if any.
  virtual Result<std::vector<Holder>> Holders(Id batch_id) = 0;
  // 正常 → 已召回 (kConflict otherwise) and a notice to each holder of the
  // batch, in one transaction with `audit`.
  virtual Status RecallBatch(Id batch_id, const std::string& reason, const std::string& at,
                             const CompleteNotices& complete, const AuditEntry& audit) = 0;

  virtual Result<Listing<RecallNotice>> ListNotices(const NoticeQuery& query) = 0;
  // kNotFound if no notice has `id`.
  virtual Result<RecallNotice> FindNotice(Id id) = 0;
  // 待确认 → 已确认 with who, when and the note (kConflict otherwise), with `audit`.
  virtual Status AcknowledgeNotice(const RecallNotice& acknowledged, const AuditEntry& audit) = 0;
};

}  // namespace redshield::trace
