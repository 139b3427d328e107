#include "app/runtime.h"

#include <spdlog/spdlog.h>
#include <sys/stat.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iostream>

#include "api/api.h"
#include "api/server.h"
#include "app/embedded_data.h"
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

AppRuntime::AppRuntime() : ids_(0) {}
AppRuntime::~AppRuntime() = default;

Result<cli::ModuleServices*> AppRuntime::Open(const std::string& db, const std::string& key_file) {
  return OpenWith(db, key_file, platform::AuthPolicy{});
}

Result<cli::ModuleServices*> AppRuntime::OpenWith(const std::string& db, const std::string& key_file,
                                                  const platform::AuthPolicy& policy) {
  services_.reset();
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
  services_.reset(new cli::ModuleServices{*auth_, *admin_, *audit_, *setup_, *plans_,
                                          *assessment_, migrated->current, storage_->Backend()});
  return services_.get();
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
  storage::Storage* storage = storage_.get();
  api::Api http_api({*auth_, *admin_, *audit_, *plans_, *progress_, *supervision_, *assessment_,
                     [storage] { return storage->PoolUse(); }},
                    options);
  server.on_listening = [](const std::string& url) {
    spdlog::info("redshield listening on {}", url);
  };
  Status served = api::RunServer(server, [&http_api](api::HttpRequest& r) { return http_api.Handle(r); });
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
std::string AppRuntime::Version() const { return REDSHIELD_VERSION; }

}  // namespace redshield::app
