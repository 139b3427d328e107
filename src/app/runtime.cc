#include "app/runtime.h"

#include <spdlog/spdlog.h>
#include <sys/stat.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <mutex>
#include <sstream>

#include "api/api.h"
#include "api/server.h"
#include "app/embedded_data.h"
#include "clues/clue_service.h"
#include "clues/screening_jobs.h"
#include "core/check.h"
#include "core/csv.h"
#include "ingest/listing_reader.h"
#include "screening/screening_service.h"
#include "storage/storage.h"

namespace redshield::app {

Result<SecretBox> LoadDataKey(const std::string& key_file) {
  const char* env = std::getenv("REDSHIELD_DATA_KEY");
  if (env != nullptr && *env != '\0') return SecretBox::FromBase64Key(env);
  std::error_code ec;
  if (!std::filesystem::exists(key_file, ec)) {
    std::string key = SecretBox::GenerateKeyBase64();
    mode_t old = umask(077);
    std::ofstream out(key_file);
    out << key << "\n";
    umask(old);
    if (!out) return Fail(ErrorCode::kUnavailable, "无法创建密钥文件 " + key_file, "key-file");
    spdlog::warn("created a new personal-data key in {}: back it up apart from the database",
                 key_file);
    return SecretBox::FromBase64Key(key);
  }
  std::ifstream in(key_file);
  std::string key;
  std::getline(in, key);
  Result<SecretBox> box = SecretBox::FromBase64Key(key);
  if (!box) return Fail(ErrorCode::kInvalidArgument, "密钥文件内容无效：" + key_file, "key-file");
  return box;
}

namespace {

// A file of `dir` if it exists, else the shipped copy.
Result<std::string> RuleText(const std::string& dir, const char* name, const char* embedded) {
  if (dir.empty() || !std::filesystem::exists(dir + "/" + name)) return std::string(embedded);
  return ReadTextFile(dir + "/" + name);
}

// The screening rules: the files in `dir` (brands.csv, lexicon.csv and, if
// present, sellers_blacklist.csv), or the ones shipped in the binary.
Result<screening::RuleSetSpec> LoadScreeningRules(const std::string& dir) {
  if (!dir.empty()) {
    screening::RuleFiles files{dir + "/brands.csv", dir + "/lexicon.csv", ""};
    if (std::filesystem::exists(dir + "/sellers_blacklist.csv")) {
      files.blacklist = dir + "/sellers_blacklist.csv";
    }
    return screening::LoadRuleFiles(files);
  }
  screening::RuleSetSpec spec;
  Result<std::vector<screening::Brand>> brands = screening::ParseBrands(kBrandsCsv, "brands.csv");
  RS_TRY(brands);
  Result<std::vector<screening::JargonTerm>> lexicon =
      screening::ParseLexicon(kLexiconCsv, "lexicon.csv");
  RS_TRY(lexicon);
  Result<std::vector<screening::BlacklistedSeller>> blacklist =
      screening::ParseBlacklist(kSellersBlacklistCsv, "sellers_blacklist.csv");
  RS_TRY(blacklist);
  spec.brands = std::move(*brands);
  spec.lexicon = std::move(*lexicon);
  spec.blacklist = std::move(*blacklist);
  return spec;
}

// Every organisation, for routing clues.
Result<std::vector<clues::RoutingOrg>> RoutingOrgs(platform::PlatformStore& store) {
  std::vector<clues::RoutingOrg> out;
  platform::OrgQuery query;
  query.page.page_size = 200;
  for (query.page.page = 1;; ++query.page.page) {
    Result<platform::Page<platform::Organization>> page = store.ListOrganizations(query);
    RS_TRY(page);
    for (const platform::Organization& org : page->items) {
      out.push_back({org.id, org.code, org.region_code});
    }
    if (page->items.empty() || static_cast<std::int64_t>(out.size()) >= page->total) break;
  }
  return out;
}

}  // namespace

AppRuntime::AppRuntime() : ids_(0) {}
AppRuntime::~AppRuntime() = default;

Result<cli::ModuleServices*> AppRuntime::Open(const std::string& db, const std::string& key_file) {
  return OpenWith(db, key_file, platform::AuthPolicy{});
}

Result<cli::ModuleServices*> AppRuntime::OpenWith(const std::string& db, const std::string& key_file,
                                                  const platform::AuthPolicy& policy) {
  services_.reset();
  codes_.reset();
  Result<SecretBox> box = LoadDataKey(key_file);
  RS_TRY(box);
  box_.emplace(*box);
  Result<std::unique_ptr<storage::Storage>> opened = storage::Storage::Open(db, clock_, 8);
  RS_TRY(opened);
  storage_ = std::move(*opened);
  Result<storage::MigrationStatus> migrated = storage_->Migrate();
  RS_TRY(migrated);
  platform::PlatformStore& store = storage_->platform();
  auth_ = std::make_unique<platform::AuthService>(store, clock_, policy);
  admin_ = std::make_unique<platform::AdminService>(store, clock_, ids_, *box_);
  audit_ = std::make_unique<platform::AuditService>(store);
  setup_ = std::make_unique<platform::SetupService>(store, clock_, ids_);
  if (!calendar_) {
    Result<WorkCalendar> calendar = WorkCalendar::FromCsv(kHolidaysCsv);
    RS_TRY(calendar);
    calendar_.emplace(std::move(*calendar));
  }
  plans_ = std::make_unique<plans::PlanService>(storage_->plans(), store, *calendar_,
                                                kOrgGroupsCsv, clock_, ids_);
  progress_ = std::make_unique<plans::ProgressService>(storage_->plans(), store, *calendar_,
                                                       clock_, ids_);
  supervision_ = std::make_unique<plans::SupervisionService>(storage_->supervision(),
                                                             storage_->plans(), clock_, ids_);
  assessment_ = std::make_unique<plans::AssessmentService>(storage_->assessment(),
                                                           storage_->plans(), clock_, ids_);
  trace_ = std::make_unique<trace::TraceService>(storage_->trace(), clock_, ids_);
  if (!thresholds_) {
    Result<cases::ThresholdTable> thresholds = cases::ThresholdTable::FromCsv(kThresholdsCsv);
    RS_TRY(thresholds);
    thresholds_.emplace(std::move(*thresholds));
    Result<cases::TimerRules> timer_rules = cases::TimerRules::FromCsv(kTimersCsv);
    RS_TRY(timer_rules);
    timer_rules_.emplace(std::move(*timer_rules));
    Result<cases::DocumentKinds> documents = cases::DocumentKinds::FromCsv(kDocumentsCsv);
    RS_TRY(documents);
    document_kinds_.emplace(std::move(*documents));
  }
  cases_ = std::make_unique<cases::CaseService>(storage_->cases(), store, *thresholds_,
                                                *timer_rules_, *document_kinds_, *calendar_,
                                                *box_, clock_, ids_);
  custody_ = std::make_unique<cases::CustodyService>(storage_->custody(), *cases_, clock_, ids_);
  services_.reset(new cli::ModuleServices{*auth_, *admin_, *audit_, *setup_, *plans_,
                                          *assessment_, *trace_, migrated->current,
                                          storage_->Backend()});
  services_->cases = cases_.get();
  services_->custody = custody_.get();
  MakeCodes({});
  return services_.get();
}

// Traceability (issue 7 §4, §5): suspicions and recall notices go to the
// 农牧业局 of the 盟市 where it happened, else to the autonomous region's
// 农牧业厅. The organisations are read at the first use (after `init` has
// loaded them).
void AppRuntime::MakeCodes(const trace::CodeServiceOptions& options) {
  struct Routing {
    std::once_flag loaded;
    std::vector<clues::RoutingOrg> orgs;
  };
  auto routing = std::make_shared<Routing>();
  platform::PlatformStore* store = &storage_->platform();
  auto route_org = [routing, store](const std::string& region) -> Id {
    std::call_once(routing->loaded, [&] {
      if (Result<std::vector<clues::RoutingOrg>> orgs = RoutingOrgs(*store)) routing->orgs = std::move(*orgs);
    });
    Id fallback = 0;
    for (const clues::RoutingOrg& org : routing->orgs) {
      if (org.code == "NMG-NMYT") fallback = org.id;
      if (org.code.ends_with("-NMJ") && !region.empty() && org.region_code == region) return org.id;
    }
    return fallback;
  };
  codes_.reset();
  codes_ = std::make_unique<trace::CodeService>(storage_->trace(), clock_, ids_, options, route_org);
  trace_->RouteNotices(codes_->NoticeRouting());
  services_->codes = codes_.get();
}

int AppRuntime::Serve(const cli::ServeConfig& config) {
  api::ServerOptions server;
  size_t colon = config.listen.rfind(':');
  if (colon == std::string::npos) {
    std::cerr << "错误：--listen 须为 HOST:PORT\n";
    return 2;
  }
  server.host = config.listen.substr(0, colon);
  server.port = static_cast<unsigned short>(std::atoi(config.listen.c_str() + colon + 1));
  server.threads = config.threads;
  server.body_limit = config.body_limit;
  platform::AuthPolicy policy;
  policy.idle_timeout = std::chrono::seconds(config.idle_timeout_seconds);
  policy.absolute_timeout = std::chrono::seconds(config.absolute_timeout_seconds);
  policy.touch_interval =
      std::min<std::chrono::milliseconds>(policy.touch_interval, policy.idle_timeout / 4);
  Result<cli::ModuleServices*> services = OpenWith(config.db, config.key_file, policy);
  if (!services) {
    std::cerr << "错误：" << services.error().message << "\n";
    return 69;
  }
  api::ApiOptions options;
  options.web_root = config.web_root;
  options.access_log = config.access_log;
  options.version = Version();
  options.public_rate = config.public_rate;
  options.secure_cookie = config.secure_cookie;
  options.public_burst = config.public_burst;
  options.upload_limit = config.upload_limit;
  server.spool_dir =
      config.spool_dir.empty() ? std::filesystem::temp_directory_path().string() : config.spool_dir;
  std::error_code dir_ec;
  std::filesystem::create_directories(server.spool_dir, dir_ec);

  // Screening (issue 6 §5): the rule set in force, the clues and the job worker.
  Result<screening::RuleSetSpec> spec = LoadScreeningRules(config.screening_rules);
  Result<std::shared_ptr<const screening::RuleSet>> rules =
      spec ? screening::RuleSet::Compile(std::move(*spec))
           : Result<std::shared_ptr<const screening::RuleSet>>(tl::unexpected(spec.error()));
  if (!rules) {
    std::cerr << "错误：筛查规则：" << rules.error().message << "\n";
    return 65;
  }
  screening::ScreeningService screening(std::move(*rules));
  clues::ClueService clue_service(storage_->clues(), clock_);
  clues::JobsOptions jobs_options;
  jobs_options.spool_dir = server.spool_dir;
  Result<std::string> routing =
      RuleText(config.screening_rules, "clue_routing.csv", kClueRoutingCsv);
  Result<std::string> regions =
      RuleText(config.screening_rules, "seller_regions.csv", kSellerRegionsCsv);
  if (!routing || !regions) {
    std::cerr << "错误：无法读取线索分派文件\n";
    return 65;
  }
  jobs_options.routing_csv = std::move(*routing);
  jobs_options.seller_regions_csv = std::move(*regions);
  platform::PlatformStore& platform_store = storage_->platform();
  clues::ScreeningJobs jobs(
      storage_->clues(), screening, ingest::OpenJsonlFeed,
      [&platform_store] { return RoutingOrgs(platform_store); }, clock_, ids_,
      std::move(jobs_options));
  if (Status started = jobs.Start(); !started) {
    std::cerr << "错误：" << started.error().message << "\n";
    return 65;
  }
  const std::string rules_dir = config.screening_rules;
  auto reload_rules = [&screening, rules_dir]() -> Status {
    Result<screening::RuleSetSpec> fresh = LoadScreeningRules(rules_dir);
    RS_TRY(fresh);
    RS_TRY(screening.Reload(std::move(*fresh)));
    spdlog::info("screening rules reloaded from {}", rules_dir.empty() ? "the binary" : rules_dir);
    return Ok();
  };

  trace::CodeServiceOptions code_options;
  code_options.label_base_url =
      config.trace_base_url.empty() ? "http://" + config.listen : config.trace_base_url;
  MakeCodes(code_options);
  codes_->Start();

  storage::Storage* storage = storage_.get();
  api::Services api_services{*auth_,     *admin_,       *audit_,
                             *plans_,    *progress_,    *supervision_,
                             *assessment_,
                             [storage] { return storage->PoolUse(); }};
  api_services.clues = &clue_service;
  api_services.screening_jobs = &jobs;
  api_services.reload_rules = reload_rules;
  api_services.trace = trace_.get();
  api_services.codes = codes_.get();
  api_services.cases = cases_.get();
  api_services.custody = custody_.get();
  api::Api http_api(std::move(api_services), options);
  server.on_listening = [](const std::string& url) {
    spdlog::info("redshield listening on {}", url);
  };
  Status served = api::RunServer(
      server, [&http_api](api::HttpRequest& r) { return http_api.Handle(r); },
      [&http_api](api::HttpRequest& r) { return http_api.PlanBody(r); });
  if (!served) {
    std::cerr << "错误：" << served.error().message << "\n";
    return 69;
  }
  return 0;
}

std::string AppRuntime::RegionsCsv() const { return kRegionsCsv; }
std::string AppRuntime::OrganizationsCsv() const { return kOrganizationsCsv; }
std::string AppRuntime::OrgGroupsCsv() const { return kOrgGroupsCsv; }
std::string AppRuntime::DemoPlanText() const { return kDemoPlan; }
std::string AppRuntime::AssessmentRubricCsv() const { return kAssessmentRubricCsv; }
std::string AppRuntime::ThresholdsCsv() const { return kThresholdsCsv; }
std::string AppRuntime::Version() const { return REDSHIELD_VERSION; }

Status AppRuntime::GrantAppRole(const std::string& role) {
  RS_CHECK(storage_ != nullptr) << "GrantAppRole before Open";
  return storage_->GrantAppRole(role);
}

}  // namespace redshield::app
