// Code batches, verification scans and clone suspicions of the trace module
// (issue 7 §2, §4, §5). Values only; thread-safe.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "core/id.h"

namespace redshield::trace {

// Batch status as shown to a farmer who scans one of its codes.
inline constexpr const char* kStatusNormal = "正常";
inline constexpr const char* kStatusRecalled = "已召回";
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
};

// One issued code as the verification page needs it.
struct CodeInfo {
  std::string key;     // "cn.pesticide/…"
  std::string text;    // what the label's URL carries ("/v/<text>")
  Batch batch;
  std::int64_t scan_count = 0;
  std::string first_scan_at;
  std::string first_scan_region;
  bool suspicious = false;
};

struct Scan {
  std::string key;          // code key, or "" when the code is unknown
  std::string text;         // the code as scanned, only when unknown (for clusters)
  std::string scanned_at;   // UTC ISO 8601
  std::string region_code;  // 盟市 level (xxxx00), or ""
  bool known = false;
  // Known at verification, not stored: the code's scans including this one,
  // and its batch (the clone rules read them instead of the database).
  std::int64_t count_after = 0;
  Id batch_id = 0;
};

struct Suspicion {
  Id id = 0;
  std::string rule;         // "scans_exceed_units", "distant_regions", "after_retail_sale", "unissued_cluster"
  std::string code_key;     // or the cluster prefix
  Id batch_id = 0;
  std::string region_code;  // where it happened
  Id org_id = 0;            // the agriculture department it went to
  std::string detail;       // Chinese, one line
  std::string status = "待核查";
  std::string created_at;
  std::string updated_at;
  int hits = 1;
};

// A downstream holder of a recalled batch, from shipping/receiving events.
struct Holder {
  std::string key;      // party or location key
  std::string id;       // as written
  std::string role;     // "destination:owning_party", "receiving location", ...
  std::string last_event_time;
};

struct ScanStats {
  std::vector<std::pair<std::string, std::int64_t>> by_region;  // region code → scans
  std::vector<std::pair<std::string, std::int64_t>> by_day;     // YYYY-MM-DD (Shanghai) → scans
};

}  // namespace redshield::trace
