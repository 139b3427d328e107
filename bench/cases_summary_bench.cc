// The yearly 双打 summary over many cases (issue 5 §7; DESIGN.md target: ≤ 1 s
// over 1,000,000 cases on SQLite and on PostgreSQL).
//
//   cases_summary_bench [DB_URL] [CASES]
//     DB_URL  sqlite:/tmp/redshield-cases-bench.db (default) or postgresql://…
//     CASES   1000000 (default)
// Loads the shipped regions and organisations, generates the demo year's cases
// in batches of 50,000 until the database holds CASES (a second run reuses
// them), then times the summary for the whole region and for one 盟市 (the
// best and the median of 5 runs) and prints the figures.
#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <vector>

#include "cases/case_service.h"
#include "core/csv.h"
#include "platform/setup_service.h"
#include "storage/storage.h"

using namespace redshield;  // NOLINT(google-build-using-namespace): a benchmark driver

namespace {

std::string Read(const std::string& relative) {
  Result<std::string> text = ReadTextFile(std::string(REDSHIELD_SOURCE_DIR) + "/" + relative);
  if (!text) {
    std::fprintf(stderr, "cannot read %s\n", relative.c_str());
    std::exit(1);
  }
  return *text;
}

double Seconds(std::chrono::steady_clock::time_point start) {
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
}

void Time(cases::CaseService& service, const std::string& region) {
  std::vector<double> runs;
  Result<cases::Summary> summary;
  for (int run = 0; run < 5; ++run) {
    auto start = std::chrono::steady_clock::now();
    summary = service.SummarizeRegion("2017-01-01", "2017-12-31", region);
    runs.push_back(Seconds(start));
    if (!summary) {
      std::fprintf(stderr, "summary failed: %s\n", summary.error().message.c_str());
      std::exit(1);
    }
  }
  std::sort(runs.begin(), runs.end());
  std::printf("summary %-8s cases=%lld  best %.3f s  median %.3f s  (%zu regions, %zu categories, %zu months, %zu tags)\n",
              region.empty() ? "all" : region.c_str(), static_cast<long long>(summary->figures.total.cases),
              runs.front(), runs[runs.size() / 2], summary->figures.by_region.size(),
              summary->figures.by_category.size(), summary->figures.by_month.size(),
              summary->figures.by_tag.size());
  if (region.empty()) std::printf("%s\n", summary->text.c_str());
}

}  // namespace

int main(int argc, char** argv) {
  std::string url = argc > 1 ? argv[1] : "sqlite:/tmp/redshield-cases-bench.db";
  int64_t want = argc > 2 ? std::atoll(argv[2]) : 1000000;
  SystemClock clock;
  IdGenerator ids(7);
  Result<std::unique_ptr<storage::Storage>> opened = storage::Storage::Open(url, clock, 4);
  if (!opened || !(*opened)->Migrate()) {
    std::fprintf(stderr, "cannot open or migrate %s\n", url.c_str());
    return 1;
  }
  storage::Storage& db = **opened;
  platform::SetupService setup(db.platform(), clock, ids);
  if (!setup.LoadReference(Read("data/regions/inner_mongolia_divisions.csv"), Read("data/organizations.csv"))) {
    std::fprintf(stderr, "cannot load organisations\n");
    return 1;
  }
  auto thresholds = cases::ThresholdTable::FromCsv(Read("data/cases/thresholds.csv"));
  auto timers = cases::TimerRules::FromCsv(Read("data/cases/timers.csv"));
  auto documents = cases::DocumentKinds::FromCsv(Read("data/cases/documents.csv"));
  auto calendar = WorkCalendar::FromCsv(Read("data/calendar/cn_holidays.csv"));
  auto box = SecretBox::FromBase64Key(SecretBox::GenerateKeyBase64());
  cases::CaseService service(db.cases(), db.platform(), *thresholds, *timers, *documents, *calendar,
                             *box, clock, ids);

  Result<cases::Summary> before = service.SummarizeRegion("2017-01-01", "2017-12-31", "");
  int64_t have = before ? before->figures.total.cases : 0;
  std::printf("%s backend, %lld cases present, %lld wanted\n", db.Backend().c_str(),
              static_cast<long long>(have), static_cast<long long>(want));
  constexpr int kBatch = 50000;
  auto load_start = std::chrono::steady_clock::now();
  int64_t loaded = 0;
  for (int64_t batch = have / kBatch; have + loaded < want; ++batch) {
    int count = static_cast<int>(std::min<int64_t>(kBatch, want - have - loaded));
    Result<std::vector<cases::Case>> generated =
        service.GenerateDemo(2017, count, 1000 + static_cast<uint64_t>(batch), "-B" + std::to_string(batch));
    Actor actor;
    actor.username = "bench";
    if (!generated || !service.InsertDemo(*generated, actor)) {
      std::fprintf(stderr, "load failed at batch %lld\n", static_cast<long long>(batch));
      return 1;
    }
    loaded += count;
    std::fprintf(stderr, "\rloaded %lld", static_cast<long long>(have + loaded));
  }
  if (loaded > 0) {
    double seconds = Seconds(load_start);
    std::printf("\nloaded %lld cases in %.1f s (%.0f cases/s, with parties and tags)\n",
                static_cast<long long>(loaded), seconds, static_cast<double>(loaded) / seconds);
  }
  Time(service, "");
  Time(service, "150200");
  return 0;
}
