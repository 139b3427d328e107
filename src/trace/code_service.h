// Issued codes (issue 7 §2, §4, §5): enterprises request batches of codes,
// farmers verify them by scanning, clones are detected from the scans, and a
// batch can be recalled and destroyed.
//
// Verification is the hot path (a public page behind every label): it reads
// the code's row from the store at each scan (one indexed row; codes are
// scanned at random among millions, so a cache of codes hit about 2% of the
// time and cost more than it saved), its batch as issued from a cache, and
// the batch's status from the list of recalled and destroyed batches, read
// every `status_refresh` (at once after a recall here). Scans are queued
// in memory and written in batches by a background thread every
// `flush_interval`, where the clone rules run too. The queue is bounded
// (`max_pending`); scans beyond it are counted as dropped, never block the
// request.
//
// A written scan waits in the store's backlog until this process folds it
// into its code's counters, every `fold_interval` or once `max_unfolded`
// codes wait (TraceStore::FoldScans); until then this process adds it from
// memory to what it answers, so the counts it shows are exact. Another
// server sharing a PostgreSQL database shows them from the fold on. A fold
// takes this process's scans and those older than twice `fold_interval`
// (left by a process that stopped without folding them), never another
// live process's, which that process would then count twice. Flush() and
// Stop() fold this process's scans; Start() first folds what a stopped
// process left.
// Thread-safe.
#pragma once

#include <array>
#include <atomic>
#include <chrono>
#include <condition_variable>
#include <deque>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <span>
#include <string>
#include <thread>
#include <unordered_map>
#include <vector>

#include "core/audit.h"
#include "core/clock.h"
#include "core/error.h"
#include "core/id.h"
#include "trace/batch.h"
#include "trace/trace_store.h"

namespace redshield::trace {

// A place with its GLN (13 digits, or any GS1 form of an SGLN or PGLN)
// turned into `key`; kInvalidArgument naming the field (id, name,
// region_code) otherwise.
Result<Place> CheckPlace(Place place);
// Places from CSV "id,name,region_code,retail" with a header (retail 1/0 or
// 是/否); kInvalidArgument naming the line and field of the first error.
Result<std::vector<Place>> ParsePlaces(std::string_view csv);

struct CodeServiceOptions {
  CloneRules rules;
  size_t max_pending = 200000;
  std::chrono::milliseconds flush_interval{200};
  std::chrono::milliseconds fold_interval{std::chrono::minutes(1)};
  // Codes with scans not yet folded, then a fold is due. The scans that
  // come meanwhile wait in the queue (max_pending): a fold of 1,000,000
  // codes among 10M took 25 s under full load, and 240,000 scans were dropped.
  size_t max_unfolded = 200000;
  // How often the list of recalled and destroyed batches is read again: a
  // recall made by another process shows in verification within it.
  std::chrono::milliseconds status_refresh{1000};
  std::string label_base_url = "https://trace.example.cn";  // the QR points to <base>/v/<code>
};

struct VerifyResult {
  bool found = false;
  std::string status;  // 正常, 已召回, 已销毁, 未发放, 可疑
  std::optional<CodeInfo> code;
};

class CodeService {
 public:
  // `route_org` names the agriculture department for a region code (0: none).
  CodeService(TraceStore& store, const Clock& clock, IdGenerator& ids, CodeServiceOptions options,
              std::function<Id(const std::string&)> route_org);
  ~CodeService();
  CodeService(const CodeService&) = delete;
  CodeService& operator=(const CodeService&) = delete;

  // Folds the store's backlog and starts the scan writer. Stop() (or the
  // destructor) flushes and joins.
  void Start();
  void Stop();

  // kInvalidArgument naming the field (USCC, registration number, quantity…).
  Result<Batch> Issue(const BatchRequest& request, Id org_id, const Actor& actor);
  Result<Batch> GetBatch(Id id);
  Result<std::vector<Batch>> ListBatches(Id org_id);
  // The batch's codes (label texts: what follows /v/ in the QR URL), units
  // first, then packs by level, with their parent packs.
  Result<std::vector<IssuedCode>> Labels(Id batch_id, int limit = 200000);
  std::string LabelUrl(const std::string& text) const;
  const std::string& label_base_url() const { return options_.label_base_url; }
  // 正常 → 已召回 (kConflict otherwise) with a notice to each downstream
  // holder: the organisation of its registered place, else the agriculture
  // department of its region. Returns the holders with their notices.
  Result<std::vector<Holder>> Recall(Id batch_id, const std::string& reason, const Actor& actor);
  // Routes the notices a capture sends to holders it reveals of batches
  // recalled already, as Recall does (TraceService::RouteNotices).
  CompleteNotices NoticeRouting();
  Result<Listing<RecallNotice>> Notices(NoticeQuery query);
  // 待确认 → 已确认 with `note` (1-500 characters, kInvalidArgument "note");
  // kNotFound outside `visibility`, kConflict if acknowledged already.
  Result<RecallNotice> Acknowledge(Id id, const Visibility& visibility, const std::string& note, const Actor& actor);
  // 已召回 → 已销毁 (kConflict otherwise).
  Status Destroy(Id batch_id, const std::string& note, const Actor& actor);
  Result<std::vector<Holder>> Holders(Id batch_id);

  // Never fails: an unknown and a malformed code both give 未发放. `region`
  // is a GB/T 2260 code or empty; it is kept at 盟市 level.
  VerifyResult Verify(std::string_view code, std::string_view region);
  Result<std::vector<Suspicion>> Suspicions(const std::string& status, const Visibility& visibility);
  // decision "confirm" (已确认: the code stays 可疑) or "dismiss" (已排除,
  // comment required: the code is no longer 可疑 unless another suspicion
  // stands). kInvalidArgument naming decision/comment; kNotFound outside
  // `visibility`; kConflict if reviewed already. Audited.
  Result<Suspicion> Review(Id id, const Visibility& visibility, std::string_view decision, const std::string& comment,
                           const Actor& actor);

  // Places registry (§3, §5). SavePlace adds or replaces by GLN; ImportPlaces
  // stores every line of the CSV or none, each with `org_id` (0: none).
  Result<Place> SavePlace(const Place& place, const Actor& actor);
  Result<int> ImportPlaces(std::string_view csv, Id org_id, const Actor& actor);
  // kInvalidArgument for a malformed GLN, kNotFound if not registered.
  Result<Place> FindPlace(const std::string& id);
  Result<Listing<Place>> Places(PlaceQuery query);
  Result<ScanStats> Stats(Id batch_id, const std::string& since);
  // The clone rules in force: the newest stored version, else the options'
  // defaults (read from the store at the first use).
  CloneRules Rules();
  const CloneRules& DefaultRules() const { return options_.rules; }
  // Stored versions, newest first (at most 50).
  Result<std::vector<RuleVersion>> RuleHistory();
  // Stores a version (kInvalidArgument naming the field out of range, or
  // `note` missing) with an audit record, and puts it in force at once.
  Result<RuleVersion> SetRules(const CloneRules& rules, const std::string& note, const Actor& actor);
  // Writes the queued scans, runs the rules and folds every written scan
  // into its code's counters, now (tests, shutdown).
  Status Flush();
  // For /metrics: scans waiting to be written, codes with written scans not
  // yet folded, scans dropped because the queue was full (max_pending), and
  // the folds committed with the time they took.
  struct ScanBacklog {
    std::size_t queued = 0;
    std::size_t unfolded_codes = 0;
    std::uint64_t dropped = 0;
    std::uint64_t folds = 0;
    double fold_seconds = 0;
  };
  ScanBacklog Backlog() const;

 private:
  // A code's scans that its row in the store does not count yet. Times are
  // milliseconds since the epoch and regions numbers (0: none): 32 bytes
  // and no heap block, so that max_unfolded codes take little memory.
  struct Pending {
    std::int64_t count = 0;
    std::int64_t first_ms = 0, last_ms = 0;           // the first scan, the last located one
    std::int32_t first_region = 0, last_region = 0;  // of the same
    void Add(const Scan& scan);
    void Add(const Pending& later);
    void AddTo(CodeInfo& info) const;
  };
  struct Unfolded {
    std::unordered_map<std::string, Pending> codes;
    std::unordered_map<Id, std::int64_t> batches;  // scans per batch
    void Add(const Scan& scan);
    void Add(const Unfolded& later);
  };

  // The code as the store counts it, read when `generation` folds had ended
  // (set here); if more have ended by the time the caller holds mu_, the
  // answer may predate one and the caller looks it up again.
  std::optional<CodeInfo> Lookup(const std::string& key, std::uint64_t& generation);
  // The batch of a code as issued, from a cache, and its status; null if
  // the store cannot find it.
  std::shared_ptr<const Batch> BatchOf(Id id, std::string& status);
  // Reads the recalled and destroyed batches again if status_refresh has
  // passed, or always `now` (reading after whatever called it). Unless
  // `now` or no list was read yet, returns at once while another thread
  // reads.
  void RefreshClosed(bool now);
  void Enqueue(Scan scan);
  void EnqueueLocked(Scan scan);  // requires mu_
  void Run();
  // Writes the queued scans and runs the rules on them; with `fold`, writes
  // them through FoldScans instead.
  Status Drain(bool fold);
  std::uint64_t Generation() const;
  // Adds to each batch's scans those its row does not count yet, unless a
  // fold has ended since `generation` (read before the rows): then the rows
  // may predate it, its scans have left memory, and the caller reads again.
  bool AddUnfolded(std::span<Batch> batches, std::uint64_t generation);
  // The tallies of scans that counts read after the store's fold `last_fold`
  // do not include: folding_ and pending_, or (an empty table and) pending_
  // once the fold in progress has committed. Requires mu_.
  std::array<const Unfolded*, 2> UnfoldedAfterLocked(Id last_fold) const;
  // The suspicions the clone rules find in freshly written scans.
  std::vector<Suspicion> Evaluate(const std::vector<Scan>& scans);
  // The latest retail sale of each known, located scan's code.
  std::map<std::string, TraceStore::Sale> SalesOf(const std::vector<Scan>& scans);
  std::optional<Suspicion> ClusterRule(const Scan& scan, TimePoint now, const CloneRules& rules);
  std::optional<Suspicion> DistantRule(const Scan& scan, const std::string& since, int window_hours);
  // Stores them in one transaction.
  void Raise(std::vector<Suspicion> suspicions);
  // Ids and routing for notices the store drafted.
  void Route(std::vector<RecallNotice>& notices);

  TraceStore& store_;
  const Clock& clock_;
  IdGenerator& ids_;
  const CodeServiceOptions options_;
  const std::function<Id(const std::string&)> route_org_;

  mutable std::mutex mu_;
  // Scans not in their codes' rows yet, queued or written: since the last
  // fold (pending_), and those of the fold being written (folding_, older).
  Unfolded pending_;  // GUARDED_BY(mu_)
  Unfolded folding_;  // GUARDED_BY(mu_)
  // Folds completed: a lookup that read the store across one reads again.
  // Incremented under mu_ with the tables it retires; read without it (a
  // verification takes mu_ once, when it counts its scan).
  std::atomic<std::uint64_t> generation_{0};
  // The fold in progress (its token in the store), 0 between folds. A row
  // read with it as `last_fold` was read after its commit and counts
  // folding_ already, though generation_ does not say so yet.
  Id fold_ = 0;  // GUARDED_BY(mu_)
  std::chrono::steady_clock::time_point last_fold_;  // GUARDED_BY(mu_)
  double fold_seconds_ = 0;                          // GUARDED_BY(mu_): of the folds generation_ counts
  // Batches as issued, by id, and the status of those no longer 正常,
  // under a mutex of their own: every verification reads them.
  std::mutex batches_mu_;
  std::unordered_map<Id, std::shared_ptr<const Batch>> batches_;  // GUARDED_BY(batches_mu_)
  std::unordered_map<Id, std::string> closed_;                    // GUARDED_BY(batches_mu_)
  std::mutex refresh_mu_;  // held while closed_ is read from the store
  // When closed_ is next read (steady_clock ticks); 0 before the first read.
  std::atomic<std::chrono::steady_clock::rep> closed_due_{0};
  std::vector<Scan> queue_;                           // GUARDED_BY(mu_)
  // The last flush's vector, emptied, becomes the next queue: a new one grew
  // by doubling under mu_ into fresh pages (page faults were 5% of the io
  // threads' time).
  std::vector<Scan> spare_;  // GUARDED_BY(mu_)
  std::map<std::string, std::deque<std::string>> clusters_;  // GUARDED_BY(rules_mu_)
  CloneRules rules_;           // GUARDED_BY(rules_mu_)
  bool rules_loaded_ = false;  // GUARDED_BY(rules_mu_)
  std::mutex rules_mu_;
  std::mutex flush_mu_;  // one flush at a time
  std::condition_variable wake_;
  bool stop_ = false;  // GUARDED_BY(mu_)
  std::thread worker_;
  std::atomic<std::uint64_t> dropped_{0};
  const Id writer_;  // names this process's scans in the backlog
};

}  // namespace redshield::trace
