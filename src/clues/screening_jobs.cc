#include "clues/screening_jobs.h"

#include <cstdio>
#include <filesystem>
#include <system_error>

#include "core/json_text.h"
#include "core/thread_name.h"
#include "screening/engine.h"

namespace redshield::clues {
namespace {

using platform::Permission;

// Listing text kept on a clue: enough for a reviewer, bounded whatever the feed.
constexpr size_t kMaxTextBytes = 16 * 1024;
// Live progress is published every this many lines.
constexpr std::uint64_t kPublishEvery = 4096;

std::string Bounded(std::string_view text) {
  if (text.size() <= kMaxTextBytes) return std::string(text);
  size_t end = kMaxTextBytes;
  while (end > 0 && (static_cast<unsigned char>(text[end]) & 0xC0) == 0x80) --end;
  return std::string(text.substr(0, end));
}

std::string SpansJson(const std::vector<screening::ExplainedReason>& reasons) {
  std::string out = "[";
  for (const screening::ExplainedReason& r : reasons) {
    if (r.field == screening::TextField::kNone) continue;
    if (out.size() > 1) out.push_back(',');
    out += "{\"field\":\"";
    out += r.field == screening::TextField::kDescription ? "description" : "title";
    out += "\",\"begin\":" + std::to_string(r.span_begin) + ",\"end\":" +
           std::to_string(r.span_end) + ",\"kind\":\"" +
           std::string(screening::ReasonKindName(r.kind)) + "\",\"term\":" + JsonQuote(r.term) +
           "}";
  }
  return out + "]";
}

tl::unexpected<Error> Denied() { return Fail(ErrorCode::kPermissionDenied, "无权执行此操作"); }

}  // namespace

// One job being screened: the feed, the scanner and the batch of hits.
class ScreeningJobs::Run {
 public:
  Run(ScreeningJobs& owner, ScreeningJob& job, const Actor& actor, const ClueRouter& router)
      : owner_(owner), job_(job), actor_(actor), router_(router),
        rules_(owner.screening_.rules()) {}

  // The job's error message, empty on success.
  std::string Screen(screening::ListingFeed& feed) {
    screening::FeedEntry entry;
    job_.bytes_total = feed.bytes_total();
    while (true) {
      if (owner_.stopping_.load(std::memory_order_relaxed)) return "服务停止，任务中断";
      Result<bool> more = feed.Next(entry);
      if (!more) return more.error().message;
      if (!*more) break;
      ++job_.listings_read;
      if (!entry.parsed) {
        ++job_.malformed;
        if (job_.malformed_samples.size() < owner_.options_.max_samples) {
          job_.malformed_samples.push_back({entry.line, entry.parsed.error().message});
        }
      } else {
        ScreenOne(entry.listing);
      }
      if (hits_.size() >= owner_.options_.batch) {
        if (std::string error = Flush(feed); !error.empty()) return error;
      }
      if (job_.listings_read % kPublishEvery == 0) {
        job_.bytes_read = feed.bytes_read();
        owner_.Publish(job_);
      }
    }
    job_.bytes_read = feed.bytes_read();
    if (job_.bytes_total == 0) job_.bytes_total = job_.bytes_read;
    return Flush(feed);
  }

 private:
  void ScreenOne(const screening::Listing& listing) {
    const screening::Verdict& verdict = scanner_.Screen(*rules_, listing);
    if (verdict.score < job_.threshold) return;
    ++job_.flagged;
    std::optional<ClueAssignment> to =
        router_.Assign(listing.category, listing.region, listing.seller_name, job_.region_code);
    if (!to) return;  // cannot happen: Process checked the province has a default organisation
    const std::vector<screening::ExplainedReason> reasons =
        screening::Explain(*rules_, listing, verdict);
    const std::string now = FormatUtc(owner_.clock_.Now());
    Clue clue;
    clue.id = owner_.ids_.Next();
    clue.job_id = job_.id;
    clue.platform = std::string(listing.platform);
    clue.listing_id = std::string(listing.id);
    clue.url = Bounded(listing.url);
    clue.title = Bounded(listing.title);
    clue.description = Bounded(listing.description);
    clue.price_fen = listing.price_fen;
    clue.seller_id = std::string(listing.seller_id);
    clue.seller_name = std::string(listing.seller_name);
    if (verdict.brand >= 0) clue.brand = rules_->spec().brands[static_cast<size_t>(verdict.brand)].name;
    clue.category = std::string(listing.category);
    clue.score = verdict.score;
    clue.reasons_json = screening::ReasonsJson(reasons);
    clue.spans_json = SpansJson(reasons);
    clue.org_id = to->org_id;
    clue.region_code = to->region_code;
    clue.first_seen = clue.last_seen = clue.created_at = clue.updated_at = now;
    clue.listings.push_back(
        {clue.platform, clue.listing_id, clue.url, clue.title, clue.price_fen, clue.score, job_.id, now});
    hits_.push_back(std::move(clue));
  }

  std::string Flush(screening::ListingFeed& feed) {
    job_.bytes_read = feed.bytes_read();
    if (hits_.empty()) {
      owner_.Publish(job_);
      return {};
    }
    AuditEntry audit{actor_, "clue.screen", "screening_job", std::to_string(job_.id),
                     "筛查任务记录命中 " + std::to_string(hits_.size()) + " 条"};
    Result<HitCounts> counts = owner_.store_.RecordHits(hits_, job_, audit);
    hits_.clear();
    if (!counts) return "保存线索失败：" + counts.error().message;
    job_.clues_created += counts->created;
    job_.clues_merged += counts->merged;
    owner_.Publish(job_);
    return {};
  }

  ScreeningJobs& owner_;
  ScreeningJob& job_;
  const Actor& actor_;
  const ClueRouter& router_;
  const std::shared_ptr<const screening::RuleSet> rules_;  // fixed for the whole job
  screening::Scanner scanner_;
  std::vector<Clue> hits_;
};

ScreeningJobs::ScreeningJobs(ClueStore& store, screening::ScreeningService& screening,
                             FeedOpener open_feed, OrgLister list_orgs, const Clock& clock,
                             IdGenerator& ids, JobsOptions options)
    : store_(store),
      screening_(screening),
      open_feed_(std::move(open_feed)),
      list_orgs_(std::move(list_orgs)),
      clock_(clock),
      ids_(ids),
      options_(std::move(options)) {}

ScreeningJobs::~ScreeningJobs() {
  {
    std::lock_guard<std::mutex> lock(mu_);
    stopping_flag_ = true;
  }
  stopping_ = true;
  changed_.notify_all();
  if (worker_.joinable()) worker_.join();
}

Status ScreeningJobs::Start() {
  Result<ClueRouter> router =
      ClueRouter::Create(options_.routing_csv, options_.seller_regions_csv, {});
  if (!router) return tl::unexpected(router.error());
  Result<std::vector<ScreeningJob>> unfinished = store_.UnfinishedJobs();
  RS_TRY(unfinished);
  for (ScreeningJob& job : *unfinished) {
    Actor system;
    system.client_addr = "server";
    Finish(job, system, "服务重启，任务中断，请重新上传");
  }
  worker_ = std::thread([this] {
    NameThisThread("rs-screening");
    Work();
  });
  return Ok();
}

std::string ScreeningJobs::JobPath(Id id) const {
  return options_.spool_dir + "/redshield-job-" + std::to_string(id) + ".jsonl";
}

Result<ScreeningJob> ScreeningJobs::Submit(const platform::Principal& who,
                                           const std::string& upload_path,
                                           const std::string& file_name, std::uint64_t bytes,
                                           int threshold) {
  if (!who.Has(Permission::kScreeningRun)) return Denied();
  if (threshold < 1 || threshold > 100) {
    return Fail(ErrorCode::kInvalidArgument, "阈值应为 1 到 100", "threshold");
  }
  ScreeningJob job;
  job.id = ids_.Next();
  job.file_name = file_name.substr(0, 200);
  job.bytes_total = bytes;
  job.threshold = threshold;
  job.created_at = FormatUtc(clock_.Now());
  job.created_by = who.user.id;
  job.org_id = who.user.org_id;
  job.region_code = who.user.org_region;
  std::error_code ec;
  std::filesystem::rename(upload_path, JobPath(job.id), ec);
  if (ec) return Fail(ErrorCode::kUnavailable, "无法保存上传的文件，请稍后重试");
  AuditEntry audit{who.actor, "screening.job_create", "screening_job", std::to_string(job.id),
                   "上传电商数据筛查：" + job.file_name + "（" + std::to_string(bytes) + " 字节）"};
  if (Status inserted = store_.InsertJob(job, audit); !inserted) {
    std::filesystem::remove(JobPath(job.id), ec);
    return tl::unexpected(inserted.error());
  }
  {
    std::lock_guard<std::mutex> lock(mu_);
    live_[job.id] = job;
    queue_.push_back({job, who.actor});
  }
  changed_.notify_all();
  return job;
}

Status ScreeningJobs::CheckScope(const platform::Principal& who, const ScreeningJob& job) const {
  switch (platform::ScopeOf(who.user.roles, Permission::kScreeningRun)) {
    case platform::Scope::kAll:
      return Ok();
    case platform::Scope::kRegion:
      if (platform::RegionCovers(who.user.org_region, job.region_code)) return Ok();
      break;
    case platform::Scope::kOwnOrg:
      if (job.org_id == who.user.org_id) return Ok();
      break;
  }
  return Fail(ErrorCode::kNotFound, "筛查任务不存在");
}

Result<ScreeningJob> ScreeningJobs::Get(const platform::Principal& who, Id id) {
  if (!who.Has(Permission::kScreeningRun)) return Denied();
  std::optional<ScreeningJob> live;
  {
    std::lock_guard<std::mutex> lock(mu_);
    if (auto it = live_.find(id); it != live_.end()) live = it->second;
  }
  Result<ScreeningJob> job = live ? Result<ScreeningJob>(*live) : store_.FindJob(id);
  RS_TRY(job);
  RS_TRY(CheckScope(who, *job));
  return job;
}

Result<platform::Page<ScreeningJob>> ScreeningJobs::List(const platform::Principal& who,
                                                         platform::PageRequest page) {
  if (!who.Has(Permission::kScreeningRun)) return Denied();
  JobQuery query;
  switch (platform::ScopeOf(who.user.roles, Permission::kScreeningRun)) {
    case platform::Scope::kAll:
      break;
    case platform::Scope::kRegion:
      query.scope_region_prefix = who.user.org_region;
      break;
    case platform::Scope::kOwnOrg:
      query.scope_org_id = who.user.org_id;
      break;
  }
  query.page = {std::max(1, page.page), std::clamp(page.page_size, 1, 200)};
  Result<platform::Page<ScreeningJob>> jobs = store_.ListJobs(query);
  RS_TRY(jobs);
  std::lock_guard<std::mutex> lock(mu_);
  for (ScreeningJob& job : jobs->items) {
    if (auto it = live_.find(job.id); it != live_.end()) job = it->second;
  }
  return jobs;
}

void ScreeningJobs::WaitIdleForTesting() {
  std::unique_lock<std::mutex> lock(mu_);
  changed_.wait(lock, [this] { return (queue_.empty() && !busy_) || stopping_flag_; });
}

void ScreeningJobs::Work() {
  while (true) {
    Pending next;
    {
      std::unique_lock<std::mutex> lock(mu_);
      changed_.wait(lock, [this] { return stopping_flag_ || !queue_.empty(); });
      if (stopping_flag_) break;
      next = std::move(queue_.front());
      queue_.pop_front();
      busy_ = true;
    }
    Process(std::move(next));
    {
      std::lock_guard<std::mutex> lock(mu_);
      busy_ = false;
    }
    changed_.notify_all();
  }
  // Jobs still queued stay "queued" in the database; the next Start fails them.
}

void ScreeningJobs::Publish(const ScreeningJob& job) {
  std::lock_guard<std::mutex> lock(mu_);
  live_[job.id] = job;
}

void ScreeningJobs::Finish(ScreeningJob& job, const Actor& actor, const std::string& error) {
  job.status = error.empty() ? kJobDone : kJobFailed;
  job.error = error;
  job.finished_at = FormatUtc(clock_.Now());
  std::string summary = error.empty()
                            ? "筛查任务完成：读取 " + std::to_string(job.listings_read) +
                                  " 条，新线索 " + std::to_string(job.clues_created) + " 条，合并 " +
                                  std::to_string(job.clues_merged) + " 条"
                            : "筛查任务失败：" + error;
  AuditEntry audit{actor, "screening.job_finish", "screening_job", std::to_string(job.id),
                   summary};
  (void)store_.UpdateJob(job, audit);  // a failed write leaves the job for the next Start
  std::error_code ec;
  std::filesystem::remove(JobPath(job.id), ec);
  std::lock_guard<std::mutex> lock(mu_);
  live_.erase(job.id);
}

void ScreeningJobs::Process(Pending pending) {
  ScreeningJob& job = pending.job;
  job.status = kJobRunning;
  job.started_at = FormatUtc(clock_.Now());
  AuditEntry start{pending.actor, "screening.job_start", "screening_job", std::to_string(job.id),
                   "开始筛查：" + job.file_name};
  if (Status updated = store_.UpdateJob(job, start); !updated) {
    return Finish(job, pending.actor, "保存任务状态失败：" + updated.error().message);
  }
  Publish(job);
  Result<std::vector<RoutingOrg>> orgs = list_orgs_();
  if (!orgs) return Finish(job, pending.actor, "读取组织机构失败");
  Result<ClueRouter> router = ClueRouter::Create(options_.routing_csv,
                                                 options_.seller_regions_csv, std::move(*orgs));
  if (!router) return Finish(job, pending.actor, router.error().message);
  if (!router->Assign("", "", "", job.region_code)) {
    return Finish(job, pending.actor, "尚未加载组织机构，无法分派线索（请先运行 init）");
  }
  Result<std::unique_ptr<screening::ListingFeed>> feed = open_feed_(JobPath(job.id));
  if (!feed) return Finish(job, pending.actor, "无法读取上传的文件");
  Run run(*this, job, pending.actor, *router);
  const std::string error = run.Screen(**feed);
  feed->reset();  // close the file before Finish deletes it
  Finish(job, pending.actor, error);
}

}  // namespace redshield::clues
