// Screening jobs and clues over real stores, on every backend (issue 6 §5):
// hits deduplicated per (platform, seller, brand) without counting a listing
// twice, routing to the organisation of the listing's region and category,
// agency scope of reads and reviews, review audited once, statistics, and
// jobs left unfinished by a previous process.
#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>

#include "clues/clue_service.h"
#include "clues/screening_jobs.h"
#include "contract/fixture.h"
#include "core/check.h"
#include "ingest/listing_reader.h"
#include "screening/engine.h"
#include "screening/screening_service.h"

namespace redshield::testing_support {
namespace {

using clues::Clue;
using clues::ClueQuery;
using clues::ScreeningJob;
using platform::Principal;

std::string Line(const std::string& id, const std::string& seller, const std::string& shop,
                 const std::string& title, const std::string& category = "运动鞋",
                 int price = 59) {
  return R"({"id":")" + id + R"(","platform":"taobao","title":")" + title +
         R"(","price":)" + std::to_string(price) + R"(,"seller_id":")" + seller +
         R"(","seller_name":")" + shop + R"(","category":")" + category + "\"}\n";
}

class ClueContract : public PlatformFixture {
 protected:
  void SetUp() override {
    PlatformFixture::SetUp();
    ASSERT_TRUE(setup_->LoadReference(ReadRepoFile("data/regions/inner_mongolia_divisions.csv"),
                                      ReadRepoFile("data/organizations.csv")));
    Result<screening::RuleSetSpec> spec = screening::LoadRuleFiles(
        {RepoPath("data/screening/brands.csv"), RepoPath("data/screening/lexicon.csv"),
         RepoPath("data/screening/sellers_blacklist.csv")});
    ASSERT_TRUE(spec.has_value()) << spec.error().message;
    Result<std::shared_ptr<const screening::RuleSet>> rules =
        screening::RuleSet::Compile(std::move(*spec));
    ASSERT_TRUE(rules.has_value());
    screening_ = std::make_unique<screening::ScreeningService>(std::move(*rules));
    // The process id too: ctest runs the SQLite and PostgreSQL variants of a
    // test at once, and the ids start alike, so one's TearDown removed the
    // other's upload ("无法读取上传的文件", seen once in CI).
    spool_ = std::filesystem::temp_directory_path() /
             ("redshield-clue-test-" + std::to_string(getpid()) + "-" + std::to_string(ids_.Next()));
    std::filesystem::create_directories(spool_);
    clues_ = std::make_unique<clues::ClueService>(storage_->clues(), clock_);
    jobs_ = MakeJobs();
    ASSERT_TRUE(jobs_->Start());
  }

  void TearDown() override {
    jobs_.reset();
    std::filesystem::remove_all(spool_);
  }

  static std::string RepoPath(const std::string& relative) {
    return std::string(REDSHIELD_SOURCE_DIR_DEFAULT) + "/" + relative;
  }

  std::unique_ptr<clues::ScreeningJobs> MakeJobs() {
    clues::JobsOptions options;
    options.spool_dir = spool_.string();
    options.routing_csv = ReadRepoFile("data/screening/clue_routing.csv");
    options.seller_regions_csv = ReadRepoFile("data/screening/seller_regions.csv");
    options.batch = 2;  // several transactions even for small feeds
    platform::PlatformStore& store = storage_->platform();
    return std::make_unique<clues::ScreeningJobs>(
        storage_->clues(), *screening_, ingest::OpenJsonlFeed,
        [&store]() -> Result<std::vector<clues::RoutingOrg>> {
          platform::OrgQuery query;
          query.page.page_size = 200;
          std::vector<clues::RoutingOrg> out;
          Result<platform::Page<platform::Organization>> page = store.ListOrganizations(query);
          RS_TRY(page);
          for (const auto& org : page->items) out.push_back({org.id, org.code, org.region_code});
          return out;
        },
        clock_, ids_, options);
  }

  // Runs `text` as a job of `who` and returns the finished job.
  ScreeningJob RunJob(const Principal& who, const std::string& text) {
    const std::string path = (spool_ / ("upload-" + std::to_string(ids_.Next()))).string();
    std::ofstream(path) << text;
    Result<ScreeningJob> job = jobs_->Submit(who, path, "feed.jsonl", text.size(), 50);
    RS_CHECK(job.has_value()) << job.error().message;
    EXPECT_FALSE(std::filesystem::exists(path)) << "the job takes the upload over";
    jobs_->WaitIdleForTesting();
    Result<ScreeningJob> done = jobs_->Get(who, job->id);
    RS_CHECK(done.has_value()) << done.error().message;
    return *done;
  }

  std::vector<Clue> ListAll(const Principal& who, const std::string& text = "") {
    ClueQuery query;
    query.text = text;
    query.page.page_size = 200;
    Result<platform::Page<Clue>> page = clues_->List(who, query);
    RS_CHECK(page.has_value()) << page.error().message;
    return page->items;
  }

  std::unique_ptr<screening::ScreeningService> screening_;
  std::filesystem::path spool_;
  std::unique_ptr<clues::ClueService> clues_;
  std::unique_ptr<clues::ScreeningJobs> jobs_;
};

TEST_P(ClueContract, JobCountsListingsAndKeepsMalformedLineNumbers) {
  const Principal office = (MakeUser("office1", "NMG-SDB", {"office"}), SignIn("office1"));
  const std::string text = Line("A1", "s1", "阿强鞋店", "耐克 运动鞋 高仿") + "\n{oops\n" +
                           Line("A2", "s2", "青城百货店", "普通 运动鞋", "运动鞋", 99) +
                           R"({"id":"A3"})" + "\n";
  ScreeningJob job = RunJob(office, text);
  EXPECT_EQ(job.status, clues::kJobDone) << job.error;
  EXPECT_EQ(job.listings_read, 4u);
  EXPECT_EQ(job.malformed, 2u);
  EXPECT_EQ(job.flagged, 1u);
  EXPECT_EQ(job.clues_created, 1u);
  EXPECT_EQ(job.bytes_read, text.size());
  ASSERT_EQ(job.malformed_samples.size(), 2u);
  EXPECT_EQ(job.malformed_samples[0].line, 3u);
  EXPECT_EQ(job.malformed_samples[1].line, 5u);
  ASSERT_TRUE(job.started_at && job.finished_at);
  Result<platform::Page<ScreeningJob>> listed = jobs_->List(office, {1, 20});
  ASSERT_TRUE(listed.has_value());
  ASSERT_EQ(listed->total, 1);
  EXPECT_EQ(listed->items[0].malformed_samples.size(), 2u);
}

TEST_P(ClueContract, SecondHitOfTheSameSellerAndBrandMergesIntoTheClue) {
  const Principal office = (MakeUser("office1", "NMG-SDB", {"office"}), SignIn("office1"));
  ScreeningJob first = RunJob(office, Line("D1", "dup", "阿强鞋店", "耐克 运动鞋 高仿") +
                                          Line("D2", "dup", "阿强鞋店", "Nike 跑鞋 超A 莆田") +
                                          Line("D3", "dup", "阿强鞋店", "阿迪达斯 跑鞋 高仿"));
  EXPECT_EQ(first.clues_created, 2u);  // 耐克 and 阿迪达斯
  EXPECT_EQ(first.clues_merged, 1u);
  clock_.Advance(std::chrono::hours(1));
  ScreeningJob again = RunJob(office, Line("D1", "dup", "阿强鞋店", "耐克 运动鞋 高仿") +
                                          Line("D4", "dup", "阿强鞋店", "耐克 篮球鞋 复刻"));
  EXPECT_EQ(again.clues_created, 0u);
  EXPECT_EQ(again.clues_merged, 2u);
  std::vector<Clue> found = ListAll(office, "dup");
  ASSERT_EQ(found.size(), 2u);
  const Clue& nike = found[0].brand == "耐克" ? found[0] : found[1];
  EXPECT_EQ(nike.listing_count, 3);  // D1 twice counts once
  EXPECT_GT(nike.last_seen, nike.first_seen);
  Result<Clue> detail = clues_->Get(office, nike.id);
  ASSERT_TRUE(detail.has_value());
  EXPECT_EQ(detail->listings.size(), 3u);
  EXPECT_EQ(detail->listing_id, "D1");  // the first listing stays the clue's text
  EXPECT_NE(detail->reasons_json.find("\"kind\":\"brand\""), std::string::npos);
  EXPECT_NE(detail->spans_json.find("\"term\":\"耐克\""), std::string::npos);
}

TEST_P(ClueContract, RoutesByRegionAndCategoryAndScopesReadsAndReviews) {
  const Principal office = (MakeUser("office1", "NMG-SDB", {"office"}), SignIn("office1"));
  const Principal hhht = (MakeUser("hhht1", "HHHT-SCJGJ", {"officer"}), SignIn("hhht1"));
  const Principal bt = (MakeUser("bt1", "BT-SCJGJ", {"reviewer"}), SignIn("bt1"));
  const Principal drugs = (MakeUser("cfdrug", "CF-SYJ", {"officer"}), SignIn("cfdrug"));
  const Principal nobody = (MakeUser("police1", "NMG-SDB", {"police"}), SignIn("police1"));
  RunJob(office, Line("R1", "r1", "呼和浩特阿强鞋店", "耐克 运动鞋 高仿") +
                     Line("R2", "r2", "赤峰康泰药房", "感冒药 处方药 高仿", "药品", 5));
  std::vector<Clue> all = ListAll(office);
  ASSERT_EQ(all.size(), 2u);
  EXPECT_EQ(ListAll(hhht).size(), 1u);
  EXPECT_EQ(ListAll(hhht)[0].org_id, OrgId("HHHT-SCJGJ"));
  EXPECT_EQ(ListAll(drugs).size(), 1u);
  EXPECT_EQ(ListAll(drugs)[0].org_id, OrgId("CF-SYJ"));
  EXPECT_TRUE(ListAll(bt).empty());
  const Id clue = ListAll(hhht)[0].id;
  EXPECT_EQ(clues_->Get(bt, clue).error().code, ErrorCode::kNotFound);
  EXPECT_EQ(clues_->Review(bt, clue, "confirm", "").error().code, ErrorCode::kNotFound);
  EXPECT_EQ(clues_->List(nobody, {}).error().code, ErrorCode::kPermissionDenied);
  EXPECT_EQ(clues_->Review(hhht, clue, "dismiss", " ").error().code, ErrorCode::kInvalidArgument);
  Result<Clue> confirmed = clues_->Review(hhht, clue, "confirm", "已核实");
  ASSERT_TRUE(confirmed.has_value()) << confirmed.error().message;
  EXPECT_EQ(confirmed->status, clues::kConfirmed);
  EXPECT_EQ(confirmed->reviewed_by, hhht.user.id);
  EXPECT_EQ(confirmed->review_comment, "已核实");
  EXPECT_EQ(clues_->Review(office, clue, "dismiss", "x").error().code,
            ErrorCode::kFailedPrecondition);
  platform::AuditQuery audit;
  audit.action = "clue.review";
  const Principal auditor = (MakeUser("aud1", "NMG-SDB", {"auditadmin"}), SignIn("aud1"));
  EXPECT_EQ(audit_->List(auditor, audit)->total, 1);

  Result<clues::ClueStats> stats = clues_->Stats(office, {});
  ASSERT_TRUE(stats.has_value());
  EXPECT_EQ(stats->total, 2);
  ASSERT_FALSE(stats->top_brands.empty());
  EXPECT_EQ(stats->top_brands[0].key, "耐克");
  EXPECT_EQ(stats->by_status.size(), 2u);
  ASSERT_EQ(stats->by_day.size(), 1u);
  EXPECT_EQ(stats->by_day[0].key, "2026-03-02");
  EXPECT_EQ(stats->by_day[0].count, 2);
}

TEST_P(ClueContract, JobsLeftUnfinishedAreFailedAtStart) {
  const Principal office = (MakeUser("office1", "NMG-SDB", {"office"}), SignIn("office1"));
  ScreeningJob job;
  job.id = ids_.Next();
  job.status = clues::kJobRunning;
  job.file_name = "lost.jsonl";
  job.created_at = "2026-03-02T01:00:00.000Z";
  job.created_by = office.user.id;
  job.org_id = office.user.org_id;
  job.region_code = "150000";
  ASSERT_TRUE(storage_->clues().InsertJob(job, {ClientActor(), "t", "t", "t", "t"}));
  jobs_ = MakeJobs();
  ASSERT_TRUE(jobs_->Start());
  Result<ScreeningJob> failed = jobs_->Get(office, job.id);
  ASSERT_TRUE(failed.has_value());
  EXPECT_EQ(failed->status, clues::kJobFailed);
  EXPECT_FALSE(failed->error.empty());
}

TEST_P(ClueContract, UploadNeedsScreeningRun) {
  const Principal officer = (MakeUser("off1", "HHHT-SCJGJ", {"officer"}), SignIn("off1"));
  EXPECT_EQ(jobs_->Submit(officer, "/nonexistent", "x", 1, 50).error().code,
            ErrorCode::kPermissionDenied);
  EXPECT_EQ(jobs_->List(officer, {}).error().code, ErrorCode::kPermissionDenied);
}

INSTANTIATE_TEST_SUITE_P(Backends, ClueContract, testing::ValuesIn(AvailableBackends()),
                         BackendName);

}  // namespace
}  // namespace redshield::testing_support
