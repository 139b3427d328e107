// Code batches, verification scans and clone suspicions of the trace module
// (issue 7 §2, §4, §5). Values only; thread-safe.
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/id.h"

namespace redshield::trace {

// Batch status as shown to a farmer who scans one of its codes.
inline constexpr const char* kStatusNormal = "正常";
inline constexpr const char* kStatusRecalled = "已召回";
// Review states of a clone suspicion (the clue vocabulary).
inline constexpr const char* kSuspicionPending = "待核查";
inline constexpr const char* kSuspicionConfirmed = "已确认";
inline constexpr const char* kSuspicionDismissed = "已排除";
inline constexpr const char* kStatusDestroyed = "已销毁";
inline constexpr const char* kStatusNotIssued = "未发放";
inline constexpr const char* kStatusSuspicious = "可疑";

// What an enterprise asks for.
struct BatchRequest {
  std::string kind;             // "pesticide", "vet", "seed", "sgtin"
  std::string enterprise_uscc;  // 统一社会信用代码
  std::string enterprise_name;
  // 农药登记证号 (pesticide), 兽药批准文号 (vet), 品种审定/登记编号 (seed, free
  // text), GTIN (sgtin).
  std::string registration_no;
  std::string product_name;
  std::string spec = "001";      // pesticide: 3-digit specification code
  int production_type = 1;       // pesticide: 1 持有人生产, 2 委托加工, 3 委托分装
  std::string enterprise_code;   // vet: 5-digit enterprise id in the trace code
  std::string lot;               // 生产批次
  std::string production_date;   // YYYY-MM-DD
  int quantity = 0;              // codes to issue, 1..100000
  std::string region_code;       // where the enterprise is (GB/T 2260)
  // Pack levels (兽药追溯: codes on each packaging level, linked parent to
  // child): units per 箱, then 箱 per 件; empty for units only.
  std::vector<int> pack_sizes;
};

// Codes per level: the units, then ceil(previous / size) for each pack size.
std::vector<int> LevelCounts(const BatchRequest& request);

// One issued code with its place in the packaging.
struct IssuedCode {
  std::string text;
  int level = 0;       // 0 unit, 1 箱, 2 件
  std::string parent;  // text of the pack it is in; "" at the top
};

struct Batch {
  Id id = 0;
  BatchRequest request;
  std::string status = kStatusNormal;
  double random_bits = 0;  // entropy of each code's random part
  Id org_id = 0;
  Id created_by = 0;
  std::string created_at;
  std::string recalled_at, recall_reason, destroyed_at;
  std::int64_t scans = 0;  // total scans of its codes
  Id last_fold = 0;        // the store's last fold when `scans` was read (TraceStore::FoldScans)
};

// One issued code as the verification page needs it.
struct CodeInfo {
  std::string key;     // "cn.pesticide/…"
  std::string text;    // what the label's URL carries ("/v/<text>")
  Id batch_id = 0;
  std::string status;  // its batch's (set by CodeService)
  // The batch as issued, set by CodeService from its cache (the store leaves
  // it empty; a copy per verification was the largest cost of our own code).
  // Its status may be stale: read `status` above.
  std::shared_ptr<const Batch> batch;
  std::int64_t scan_count = 0;
  std::string first_scan_at;
  std::string first_scan_region;
  std::string last_region, last_region_at;  // the latest scan with a region
  bool suspicious = false;
  int level = 0;            // 0 unit, 1 箱, 2 件
  std::string parent_text;  // the pack it is in, or ""
  std::int64_t contains = 0;  // codes directly inside a pack
  Id last_fold = 0;           // the store's last fold when the row was read (TraceStore::FoldScans)
};

struct Scan {
  std::string key;          // code key, or "" when the code is unknown
  std::string text;         // the code as scanned, only when unknown (for clusters)
  std::string scanned_at;   // UTC ISO 8601
  std::string region_code;  // 盟市 level (xxxx00), or ""
  bool known = false;
  // Known at verification: the code's scans including this one, its batch
  // (required when known: the backlog keeps it for the fold), and its latest
  // located scan in the database (the clone rules read them instead of the
  // database). Only the batch is stored.
  std::int64_t count_after = 0;
  Id batch_id = 0;
  std::string previous_region, previous_at;
};

struct Suspicion {
  Id id = 0;
  std::string rule;         // "scans_exceed_units", "distant_regions", "after_retail_sale", "unissued_cluster"
  std::string code_key;     // or the cluster prefix
  Id batch_id = 0;
  std::string region_code;  // where it happened
  Id org_id = 0;            // the agriculture department it went to
  std::string detail;       // Chinese, one line
  std::string status = "待核查";  // 待核查 → 已确认 | 已排除
  std::string created_at;
  std::string updated_at;
  int hits = 1;
  std::string org_name, org_region;  // filled by reads
  Id reviewed_by = 0;                 // 0: not reviewed
  std::string reviewed_by_name;  // filled by reads
  std::string reviewed_at;
  std::string review_comment;
};

// Who may see a record: one organisation, or a region and below; neither
// set: everything. Set by the API from the caller's role scope.
struct Visibility {
  Id org_id = 0;
  std::string region_prefix;  // a region code: it and the regions below
  // Whether a record of organisation `org_id` in `org_region` is visible.
  bool Sees(Id org_id, std::string_view org_region) const;
};

// A registered place (issue 7 §3, §5): a GLN with its name, region and, when
// the place belongs to an organisation on the platform, that organisation.
struct Place {
  std::string key;          // canonical GLN key "414/…"
  std::string id;           // as written
  std::string name;
  std::string region_code;  // GB/T 2260
  bool retail = false;      // a retail sales point (the after_retail_sale rule)
  Id org_id = 0;            // 0: not on the platform
  std::string updated_at;
  std::string region_name;  // filled by reads
  std::string org_name;     // filled by reads
};

struct PlaceQuery {
  std::string region;  // a region code: it and the regions below
  std::string text;    // name or GLN contains
  std::optional<bool> retail;  // only retail sales points, or only other places
  int page = 1, page_size = 20;
};

// A recall notice to one downstream holder: to the organisation of the
// holder's registered place ("holder"), else to the agriculture department
// of its region ("agriculture"), who tells the shop.
struct RecallNotice {
  Id id = 0;
  Id batch_id = 0;
  std::string holder_key, holder_id, holder_name, region_code;
  Id org_id = 0;
  std::string routed;             // holder | agriculture
  std::string status = "待确认";  // → 已确认
  std::string created_at;
  std::string acknowledged_at;
  Id acknowledged_by = 0;
  std::string ack_note;
  // Filled by reads.
  std::string product_name, lot, enterprise_name, recall_reason, recalled_at;
  std::string region_name, org_name, org_region, acknowledged_by_name;
};

struct NoticeQuery {
  std::string status;
  Id batch_id = 0;
  Visibility visibility;
  int page = 1, page_size = 20;
};

// A downstream holder of a recalled batch, from shipping/receiving events.
struct Holder {
  std::string key;      // party or location key
  std::string id;       // as written
  std::string role;     // "destination:owning_party", "receiving location", ...
  std::string last_event_time;
  // From the places registry ("" / 0 when the place is not registered).
  std::string name, region_code, region_name;
  Id org_id = 0;
  std::string org_name;
  std::optional<RecallNotice> notice;  // once the batch is recalled
};

template <typename T>
struct Listing {
  std::vector<T> items;
  std::int64_t total = 0;
};


// The thresholds of the clone rules (§5). Set by the office in the UI; each
// change is a stored version (the newest is in force), audited. They are
// working thresholds, not legal standards.
struct CloneRules {
  // More scans than units × this → scans_exceed_units, raised when a code's
  // count passes the limit and again each time the excess doubles (limit+1,
  // +2, +4, +8, ...): the open suspicion's hits and detail follow the count,
  // a dismissed one stays dismissed until the count doubles, and a code
  // scanned n times costs O(log n) writes, not one per scan.
  int scans_per_unit = 5;
  int distant_window_hours = 48;    // scans in two 盟市 within this → distant_regions
  int cluster_threshold = 5;        // unknown codes of one prefix within the window → unissued_cluster
  int cluster_window_minutes = 60;
};

struct RuleVersion {
  Id id = 0;
  CloneRules rules;
  std::string note;  // why they were changed
  Id changed_by = 0;
  std::string changed_by_name;  // filled by reads
  std::string changed_at;
};

struct ScanStats {
  std::vector<std::pair<std::string, std::int64_t>> by_region;  // region code → scans
  std::vector<std::pair<std::string, std::int64_t>> by_day;     // YYYY-MM-DD (Shanghai) → scans
};

}  // namespace redshield::trace
