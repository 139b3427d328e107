// What the command line needs from the rest of the program. app/ implements
// it (it is the only place that sees storage and the HTTP server); commands
// in this folder parse arguments, call module services and print.
#pragma once

#include <string>

#include "cases/case_service.h"
#include "cases/custody_service.h"
#include "core/error.h"
#include "plans/assessment_service.h"
#include "plans/plan_service.h"
#include "platform/admin_service.h"
#include "platform/audit_service.h"
#include "platform/auth_service.h"
#include "platform/setup_service.h"
#include "trace/code_service.h"
#include "trace/trace_service.h"

namespace redshield::cli {

struct ModuleServices {
  platform::AuthService& auth;
  platform::AdminService& admin;
  platform::AuditService& audit;
  platform::SetupService& setup;
  plans::PlanService& plans;
  plans::AssessmentService& assessment;
  trace::TraceService& trace;
  int schema_version = 0;
  std::string backend;  // "sqlite" | "postgresql"
  cases::CaseService* cases = nullptr;  // issue 5
  cases::CustodyService* custody = nullptr;
  trace::CodeService* codes = nullptr;  // issue 7: issuance, verification, recall
};

struct ServeConfig {
  std::string db;
  std::string listen = "127.0.0.1:8080";
  std::string web_root;
  std::string key_file;
  int threads = 4;
  bool access_log = true;
  int idle_timeout_seconds = 30 * 60;
  int absolute_timeout_seconds = 12 * 3600;
  double public_rate = 20;   // requests/s per client address on public API routes
  double public_burst = 40;
  size_t body_limit = 16 << 20;  // reports carry up to 5 × 2 MiB of base64 attachments
  bool secure_cookie = false;  // behind TLS: mark the session cookie Secure
  // Screening jobs (issue 6 §5):
  unsigned long long upload_limit = 1ull << 30;  // bytes per uploaded feed
  std::string spool_dir;        // uploads and job inputs; empty: the system temp directory
  std::string screening_rules;  // directory of brands.csv, lexicon.csv ...; empty: shipped rules
  // Traceability (issue 7): the public base URL label QR codes point to
  // (<base>/v/<code>); empty: http://<listen>.
  std::string trace_base_url;
};

class Runtime {
 public:
  virtual ~Runtime() = default;

  // Opens `db`, applies pending migrations and builds the services, which stay
  // valid until the next Open. `key_file` holds the personal-data key
  // (created if missing; REDSHIELD_DATA_KEY overrides it).
  virtual Result<ModuleServices*> Open(const std::string& db, const std::string& key_file) = 0;
  // After Open, on PostgreSQL: lets `role` run the server with append-only
  // access to the audit log (storage::Storage::GrantAppRole).
  virtual Status GrantAppRole(const std::string& role) = 0;
  // Serves HTTP until SIGTERM/SIGINT; returns the exit code.
  virtual int Serve(const ServeConfig& config) = 0;
  // The reference data shipped inside the binary.
  virtual std::string RegionsCsv() const = 0;
  virtual std::string OrganizationsCsv() const = 0;
  virtual std::string OrgGroupsCsv() const = 0;  // data/org_groups.csv
  // The 2017 Inner Mongolia work plan (data/demo/), imported by `init --demo`.
  virtual std::string DemoPlanText() const = 0;
  // data/assessment/rubric_2016_region.csv: the seed assessment rubric.
  virtual std::string AssessmentRubricCsv() const = 0;
  // data/cases/thresholds.csv: the prosecution thresholds (issue 5).
  virtual std::string ThresholdsCsv() const = 0;
  virtual std::string Version() const = 0;
};

}  // namespace redshield::cli
