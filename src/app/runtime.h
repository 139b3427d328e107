// The wiring: builds storage, services and the HTTP API from configuration.
// The only place that sees every module.
#pragma once

#include <memory>
#include <optional>

#include "cases/custody_service.h"
#include "cli/runtime.h"
#include "plans/progress_service.h"
#include "plans/supervision_service.h"
#include "trace/code_service.h"
#include "trace/trace_service.h"
#include "core/calendar.h"
#include "core/clock.h"
#include "core/crypto.h"
#include "core/id.h"

namespace redshield::storage {
class Storage;
}

namespace redshield::app {

class AppRuntime final : public cli::Runtime {
 public:
  AppRuntime();
  ~AppRuntime() override;

  Result<cli::ModuleServices*> Open(const std::string& db, const std::string& key_file) override;
  Status GrantAppRole(const std::string& role) override;
  int Serve(const cli::ServeConfig& config) override;
  std::string RegionsCsv() const override;
  std::string OrganizationsCsv() const override;
  std::string OrgGroupsCsv() const override;
  std::string DemoPlanText() const override;
  std::string AssessmentRubricCsv() const override;
  std::string ThresholdsCsv() const override;
  std::string Version() const override;

 private:
  Result<cli::ModuleServices*> OpenWith(const std::string& db, const std::string& key_file,
                                        const platform::AuthPolicy& policy);
  // (Re)creates codes_ with `options`, routing to the agriculture departments.
  void MakeCodes(const trace::CodeServiceOptions& options);

  SystemClock clock_;
  IdGenerator ids_;
  std::unique_ptr<storage::Storage> storage_;
  std::optional<SecretBox> box_;
  std::unique_ptr<platform::AuthService> auth_;
  std::unique_ptr<platform::AdminService> admin_;
  std::unique_ptr<platform::AuditService> audit_;
  std::unique_ptr<platform::SetupService> setup_;
  std::optional<WorkCalendar> calendar_;
  std::unique_ptr<plans::PlanService> plans_;
  std::unique_ptr<plans::ProgressService> progress_;
  std::unique_ptr<plans::SupervisionService> supervision_;
  std::unique_ptr<plans::AssessmentService> assessment_;
  std::unique_ptr<trace::TraceService> trace_;
  std::unique_ptr<trace::CodeService> codes_;
  std::optional<cases::ThresholdTable> thresholds_;
  std::optional<cases::TimerRules> timer_rules_;
  std::optional<cases::DocumentKinds> document_kinds_;
  std::unique_ptr<cases::CaseService> cases_;
  std::unique_ptr<cases::CustodyService> custody_;
  std::unique_ptr<cli::ModuleServices> services_;
};

// The personal-data key: $REDSHIELD_DATA_KEY, else the key file, which is
// created (mode 0600) with a new random key if it does not exist.
Result<SecretBox> LoadDataKey(const std::string& key_file);

}  // namespace redshield::app
