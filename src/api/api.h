// The HTTP API as one object: every route with its access rule, the
// authentication middleware, the static UI, metrics and the access log.
// Handle() is what the network server calls for each request; it is
// thread-safe and never throws.
#pragma once

#include <functional>
#include <memory>
#include <string>

#include "api/http.h"
#include "api/metrics.h"
#include "api/rate_limiter.h"
#include "api/router.h"
#include "api/static_files.h"
#include "cases/case_service.h"
#include "cases/custody_service.h"
#include "plans/assessment_service.h"
#include "clues/clue_service.h"
#include "clues/screening_jobs.h"
#include "plans/plan_service.h"
#include "plans/progress_service.h"
#include "plans/supervision_service.h"
#include "platform/admin_service.h"
#include "platform/audit_service.h"
#include "platform/auth_service.h"
#include "trace/code_service.h"
#include "trace/trace_service.h"

namespace redshield::api {

struct Services {
  platform::AuthService& auth;
  platform::AdminService& admin;
  platform::AuditService& audit;
  plans::PlanService& plans;
  plans::ProgressService& progress;
  plans::SupervisionService& supervision;
  plans::AssessmentService& assessment;
  std::function<std::pair<int, int>()> pool_use;
  // Screening and clues (issue 6 §5); their routes exist only when both are set.
  clues::ClueService* clues = nullptr;
  clues::ScreeningJobs* screening_jobs = nullptr;
  // Reloads the screening rule files; nullptr: reloading is not offered.
  std::function<Status()> reload_rules;
  // Traceability (issue 7); its routes exist only when set.
  trace::TraceService* trace = nullptr;
  trace::CodeService* codes = nullptr;  // issuance, verification, recall
  // Cases and 两法衔接 (issue 5); its routes exist only when set.
  cases::CaseService* cases = nullptr;
  // Custody and destruction (issue 5 §4); routes exist only with `cases`.
  cases::CustodyService* custody = nullptr;
};

struct ApiOptions {
  std::string web_root;       // built UI; empty: API only
  bool access_log = true;     // one JSON line per request on stdout
  bool secure_cookie = false;  // add "Secure" to the session cookie (behind TLS)
  double public_rate = 20;    // requests/s per client on public API routes
  double public_burst = 40;
  std::string version = "0.1.0";
  unsigned long long upload_limit = 1ull << 30;  // bytes, streamed uploads (screening feeds)
};

class Api {
 public:
  Api(Services services, ApiOptions options);

  HttpResponse Handle(HttpRequest& request);
  // Called by the server with the headers only: streamed routes get a spool
  // plan, or a rejection when the caller may not use the route (so that an
  // unauthorised upload is refused before its body is read); everything
  // else is buffered. Sets request.request_id. Thread-safe, never throws.
  BodyPlan PlanBody(HttpRequest& request);

  const Router& router() const { return router_; }
  std::string OpenApiJson() const;

 private:
  HttpResponse Dispatch(HttpRequest& request);
  HttpResponse DispatchApi(HttpRequest& request,
                           Router::Match match);  // its params move to the handler
  Result<platform::Principal> Authorize(const HttpRequest& request, const Route& route);
  void AddSystemRoutes();
  void Finish(const HttpRequest& request, HttpResponse& response, double seconds);

  Services services_;
  const ApiOptions options_;
  Router router_;
  StaticFiles static_files_;
  Metrics metrics_;
  RateLimiter public_limiter_;
};

// Route groups, one file each.
void AddAuthRoutes(Router& router, Services& services, const ApiOptions& options);
void AddAdminRoutes(Router& router, Services& services);
void AddAuditRoutes(Router& router, Services& services);
void AddPlanRoutes(Router& router, Services& services);
void AddSupervisionRoutes(Router& router, Services& services);
void AddAssessmentRoutes(Router& router, Services& services);
void AddScreeningRoutes(Router& router, Services& services);
void AddTraceRoutes(Router& router, Services& services);
void AddCaseRoutes(Router& router, Services& services);
void AddCustodyRoutes(Router& router, Services& services);

// The OpenAPI 3 document of `router`.
std::string BuildOpenApi(const Router& router, const std::string& version);

}  // namespace redshield::api
