// Persistence the clues module needs; storage/ implements it on SQLite and
// PostgreSQL. Every method that changes clues or jobs visibly takes the
// AuditEntry that describes the change and commits both in one transaction.
// Implementations are safe to call from many threads; RecordHits assumes
// one screening writer at a time (ScreeningJobs runs jobs one by one).
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "clues/clue.h"
#include "core/audit.h"
#include "core/error.h"

namespace redshield::clues {

struct HitCounts {
  std::uint64_t created = 0;  // new clues
  std::uint64_t merged = 0;   // hits added to an existing clue
};

class ClueStore {
 public:
  virtual ~ClueStore() = default;

  // Stores `hits` (each a new Clue with its id, and listings[0] the listing
  // that was hit), deduplicated per (platform, seller_id, brand): a hit whose
  // key has a clue adds its listing there (listing_count, last_seen, score =
  // max) instead of a new clue; a listing already on the clue is not counted
  // twice. Also writes `job`'s counters. One transaction.
  virtual Result<HitCounts> RecordHits(const std::vector<Clue>& hits, const ScreeningJob& job,
                                       const AuditEntry& audit) = 0;

  // kNotFound if no clue has `id`. With its listings.
  virtual Result<Clue> FindClue(Id id) = 0;
  virtual Result<platform::Page<Clue>> ListClues(const ClueQuery& query) = 0;
  // Sets status, reviewer, time and comment. kNotFound; kConflict if the
  // clue's status is no longer `expected_status` (a concurrent review).
  virtual Status ReviewClue(Id id, const std::string& expected_status, const std::string& status,
                            Id reviewer, const std::string& comment, const std::string& now,
                            const AuditEntry& audit) = 0;
  // Statistics over the clues `query`'s scope and filters select (its page is ignored).
  // by_day holds UTC hours ("YYYY-MM-DDTHH") for the service to fold into dates.
  virtual Result<ClueStats> Stats(const ClueQuery& query, int top) = 0;

  virtual Status InsertJob(const ScreeningJob& job, const AuditEntry& audit) = 0;
  // Writes status, times, counters, error and samples.
  virtual Status UpdateJob(const ScreeningJob& job, const AuditEntry& audit) = 0;
  virtual Result<ScreeningJob> FindJob(Id id) = 0;
  virtual Result<platform::Page<ScreeningJob>> ListJobs(const JobQuery& query) = 0;
  // Jobs left queued or running by a previous process.
  virtual Result<std::vector<ScreeningJob>> UnfinishedJobs() = 0;
};

}  // namespace redshield::clues
