// Screening jobs (issue 6 §5): an uploaded feed of listings is screened in
// the background and its hits become clues.
//
// Submit() takes over a file the HTTP server has spooled (renaming it into
// the spool directory under the job's name), records the job as queued and
// returns at once; one worker thread runs the jobs in order of submission:
// it reads the feed through a ListingFeed, screens each listing with the
// rule set in force when the job starts, routes every hit to an organisation
// (clue_routing.h) and stores hits in batches (ClueStore::RecordHits dedupes
// them per seller and brand). Malformed lines are counted, and the first
// few kept with their line numbers. The input file is deleted when its job
// ends. Progress is kept in memory while a job runs and written with every
// batch; jobs a previous process left unfinished are marked failed at Start.
// Running one job at a time keeps RecordHits' dedupe free of races and the
// server's CPU for the HTTP threads (the engine screens ~1M listings/s, so a
// job is bound by the database writes, not by screening).
//
// Thread-safe: Submit, Get and List may be called from any thread.
#pragma once

#include <atomic>
#include <condition_variable>
#include <deque>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "clues/clue.h"
#include "clues/clue_routing.h"
#include "clues/clue_store.h"
#include "core/clock.h"
#include "core/error.h"
#include "core/id.h"
#include "platform/types.h"
#include "screening/listing_feed.h"
#include "screening/screening_service.h"

namespace redshield::clues {

using FeedOpener =
    std::function<Result<std::unique_ptr<screening::ListingFeed>>(const std::string& path)>;
// The organisations clues can be routed to, read when a job starts.
using OrgLister = std::function<Result<std::vector<RoutingOrg>>()>;

struct JobsOptions {
  std::string spool_dir;  // where job inputs wait; the server's upload spool directory
  std::string routing_csv;         // data/screening/clue_routing.csv
  std::string seller_regions_csv;  // data/screening/seller_regions.csv
  size_t max_samples = 20;         // malformed lines kept per job
  size_t batch = 2000;             // hits per transaction
};

class ScreeningJobs {
 public:
  ScreeningJobs(ClueStore& store, screening::ScreeningService& screening, FeedOpener open_feed,
                OrgLister list_orgs, const Clock& clock, IdGenerator& ids, JobsOptions options);
  // Stops the worker; a job still running is marked failed.
  ~ScreeningJobs();
  ScreeningJobs(const ScreeningJobs&) = delete;
  ScreeningJobs& operator=(const ScreeningJobs&) = delete;

  // Checks the routing files (their errors), marks jobs left unfinished by a
  // previous process as failed and starts the worker.
  Status Start();

  // Queues a job for the file at `upload_path`, which the job takes over.
  // kPermissionDenied without screening.run; kInvalidArgument for a
  // threshold outside 1–100; kUnavailable if the file cannot be moved.
  Result<ScreeningJob> Submit(const platform::Principal& who, const std::string& upload_path,
                              const std::string& file_name, std::uint64_t bytes, int threshold);
  // kNotFound if no job has `id` within the caller's scope (screening.run:
  // own organisation, or region for the office).
  Result<ScreeningJob> Get(const platform::Principal& who, Id id);
  Result<platform::Page<ScreeningJob>> List(const platform::Principal& who,
                                            platform::PageRequest page);

  // Blocks until no job is queued or running.
  void WaitIdleForTesting();

 private:
  struct Pending {
    ScreeningJob job;
    Actor actor;
  };
  class Run;

  void Work();
  void Process(Pending pending);
  void Publish(const ScreeningJob& job);
  void Finish(ScreeningJob& job, const Actor& actor, const std::string& error);
  std::string JobPath(Id id) const;
  Status CheckScope(const platform::Principal& who, const ScreeningJob& job) const;

  ClueStore& store_;
  screening::ScreeningService& screening_;
  const FeedOpener open_feed_;
  const OrgLister list_orgs_;
  const Clock& clock_;
  IdGenerator& ids_;
  const JobsOptions options_;

  std::mutex mu_;
  std::condition_variable changed_;
  std::deque<Pending> queue_;          // GUARDED_BY(mu_)
  std::map<Id, ScreeningJob> live_;    // GUARDED_BY(mu_): queued and running jobs
  bool busy_ = false;                  // GUARDED_BY(mu_): the worker runs a job
  bool stopping_flag_ = false;         // GUARDED_BY(mu_)
  std::atomic<bool> stopping_{false};  // read by the running job, per listing
  std::thread worker_;
};

}  // namespace redshield::clues
