// Value types of the clues module (线索, issue 6 §5): clues raised by
// screening jobs (later also by hand), the listings behind each clue, the
// screening jobs themselves, and the queries and statistics over them.
// Plain data.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "core/id.h"
#include "platform/types.h"

namespace redshield::clues {

// Review states, stored as written.
inline const std::string kPending = "待核查";
inline const std::string kConfirmed = "已确认";
inline const std::string kDismissed = "已排除";

// One listing behind a clue. A clue is one (platform, seller, brand); every
// listing of that seller and brand that screening flags is added to it.
struct ClueListing {
  std::string platform;
  std::string listing_id;
  std::string url;
  std::string title;
  std::int64_t price_fen = -1;  // negative: unknown
  int score = 0;
  std::optional<Id> job_id;
  std::string seen_at;  // UTC text
};

struct Clue {
  Id id = 0;
  std::string source = "screening";  // screening | manual
  std::optional<Id> job_id;           // the job that raised it
  std::string platform;
  std::string listing_id;  // the first listing (its text is what reviewers read)
  std::string url;
  std::string title;
  std::string description;
  std::int64_t price_fen = -1;
  std::string seller_id;
  std::string seller_name;
  std::string brand;  // empty: no brand (e.g. a blacklisted seller, a licence signal)
  std::string category;
  int score = 0;             // the highest score of its listings
  std::string reasons_json;  // the first listing's reasons, as the engine emits them
  std::string spans_json;    // [{"field","begin","end","kind","term"}], UTF-8 byte offsets
  std::string status = kPending;
  Id org_id = 0;            // assigned organisation
  std::string org_name;     // filled by reads
  std::string region_code;  // the organisation's region (scope of reads and reviews)
  int listing_count = 1;
  std::string first_seen;  // UTC text
  std::string last_seen;
  std::string created_at;
  std::string updated_at;
  std::optional<Id> reviewed_by;
  std::string reviewed_by_name;  // filled by reads
  std::optional<std::string> reviewed_at;
  std::string review_comment;
  std::vector<ClueListing> listings;  // filled by FindClue only, newest first
};

struct ClueQuery {
  std::string status;
  std::string brand;
  std::string platform;
  std::optional<Id> org_id;
  std::string text;  // title, seller name or seller id contains
  int min_score = 0;
  // Scope, set by the service: one organisation, or a region and below.
  std::optional<Id> scope_org_id;
  std::string scope_region_prefix;
  platform::PageRequest page;
};

struct NamedCount {
  std::string key;   // brand, seller id, status or date
  std::string name;  // seller name (sellers), else equal to key
  std::int64_t count = 0;
};

struct ClueStats {
  std::vector<NamedCount> top_brands;   // by clue count
  std::vector<NamedCount> top_sellers;  // by clue count
  std::vector<NamedCount> by_status;
  std::vector<NamedCount> by_day;  // Asia/Shanghai date of first_seen
  std::int64_t total = 0;
};

struct MalformedLine {
  std::uint64_t line = 0;
  std::string message;
};

inline const std::string kJobQueued = "queued";
inline const std::string kJobRunning = "running";
inline const std::string kJobDone = "done";
inline const std::string kJobFailed = "failed";

struct ScreeningJob {
  Id id = 0;
  std::string status = kJobQueued;
  std::string file_name;  // as uploaded (display only)
  std::uint64_t bytes_total = 0;
  std::uint64_t bytes_read = 0;
  std::uint64_t listings_read = 0;
  std::uint64_t flagged = 0;
  std::uint64_t malformed = 0;
  std::uint64_t clues_created = 0;
  std::uint64_t clues_merged = 0;
  int threshold = 50;
  std::string created_at;
  std::optional<std::string> started_at;
  std::optional<std::string> finished_at;
  std::string error;  // user-safe; empty unless failed
  std::vector<MalformedLine> malformed_samples;  // the first few
  Id created_by = 0;
  Id org_id = 0;            // the uploader's organisation
  std::string region_code;  // its region: scope, and the default region of its clues
};

struct JobQuery {
  std::optional<Id> scope_org_id;
  std::string scope_region_prefix;
  platform::PageRequest page;
};

}  // namespace redshield::clues
