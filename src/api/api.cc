#include "api/api.h"

#include <spdlog/spdlog.h>

#include <chrono>

#include "api/json.h"
#include "core/clock.h"
#include "core/crypto.h"

namespace redshield::api {
namespace {

constexpr const char* kCsp =
    "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' "
    "data: blob:; font-src 'self' data:; connect-src 'self'; object-src 'none'; base-uri 'self'; "
    "form-action 'self'; frame-ancestors 'none'";

std::string Token(const HttpRequest& request) {
  std::string auth = request.Header("authorization");
  if (auth.size() > 7 && (auth.starts_with("Bearer ") || auth.starts_with("bearer "))) {
    return auth.substr(7);
  }
  return request.Cookie("rs_session");
}

bool IsApiPath(const std::string& path) {
  return path.starts_with("/api/") || path == "/api" || path == "/healthz" || path == "/metrics";
}

std::string JsonEscape(const std::string& s) {
  std::string out;
  AppendJsonString(out, s);
  return out;
}

// 127.0.0.0/8, ::1 and IPv4-mapped loopback, as the server reports client addresses.
bool IsLoopback(const std::string& addr) {
  return addr.starts_with("127.") || addr == "::1" || addr.starts_with("::ffff:127.");
}

}  // namespace

Api::Api(Services services, ApiOptions options)
    : services_(std::move(services)),
      options_(std::move(options)),
      static_files_(options_.web_root),
      public_limiter_(options_.public_rate, options_.public_burst) {
  AddSystemRoutes();
  AddAuthRoutes(router_, services_, options_);
  AddAdminRoutes(router_, services_);
  AddAuditRoutes(router_, services_);
  AddPlanRoutes(router_, services_);
  AddSupervisionRoutes(router_, services_);
  AddAssessmentRoutes(router_, services_);
  if (services_.clues != nullptr && services_.screening_jobs != nullptr) {
    AddScreeningRoutes(router_, services_);
  }
  if (services_.trace != nullptr) AddTraceRoutes(router_, services_);
  if (services_.cases != nullptr) AddCaseRoutes(router_, services_);
  if (services_.cases != nullptr && services_.custody != nullptr) AddCustodyRoutes(router_, services_);
}

void Api::AddSystemRoutes() {
  router_.Add("GET", "/healthz", Access::Public(), {"健康检查", "system", "", ""},
              [](RequestContext&) { return JsonResponse(200, json::object{{"status", "ok"}}); });
  router_.Add("GET", "/metrics", Access::Public(), {"Prometheus 指标（仅本机）", "system", "", ""},
              [this](RequestContext& ctx) {
                if (!IsLoopback(ctx.request.client_addr)) {
                  return ErrorResponse({ErrorCode::kPermissionDenied, "指标仅允许本机访问", ""},
                                       ctx.request.request_id);
                }
                HttpResponse response;
                response.content_type = "text/plain; version=0.0.4";
                std::vector<Reading> readings;
                if (services_.codes != nullptr) {
                  const trace::CodeService::ScanBacklog scans = services_.codes->Backlog();
                  readings = {
                      {"redshield_trace_scans_queued", "gauge", "Public scans waiting to be written.",
                       static_cast<double>(scans.queued)},
                      {"redshield_trace_codes_unfolded", "gauge",
                       "Codes with written scans not yet folded into their counters.",
                       static_cast<double>(scans.unfolded_codes)},
                      {"redshield_trace_scans_dropped_total", "counter",
                       "Public scans not recorded because the write queue was full.",
                       static_cast<double>(scans.dropped)},
                      {"redshield_trace_folds_total", "counter",
                       "Folds of written scans into their codes' counters.", static_cast<double>(scans.folds)},
                      {"redshield_trace_fold_seconds_total", "counter", "Time the folds took.", scans.fold_seconds},
                  };
                }
                response.body = metrics_.Render(services_.pool_use, readings);
                return response;
              });
  router_.Add("GET", "/api/v1/openapi.json", Access::Public(), {"OpenAPI 3 文档", "system", "", ""},
              [this](RequestContext&) {
                HttpResponse response;
                response.body = OpenApiJson();
                return response;
              });
}

std::string Api::OpenApiJson() const { return BuildOpenApi(router_, options_.version); }

HttpResponse Api::Handle(HttpRequest& request) {
  auto start = std::chrono::steady_clock::now();
  if (request.request_id.empty()) request.request_id = RequestId();
  HttpResponse response;
  try {
    response = Dispatch(request);
  } catch (const std::exception& e) {
    spdlog::error("request {} failed: {}", request.request_id, e.what());
    response = ErrorResponse({ErrorCode::kInternal, "服务器内部错误，请联系管理员并提供请求编号", ""},
                             request.request_id);
  }
  Finish(request, response,
         std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count());
  return response;
}

HttpResponse Api::Dispatch(HttpRequest& request) {
  if (IsApiPath(request.path)) {
    // HEAD is GET without the body (the server drops it).
    Router::Match match =
        router_.Find(request.method == "HEAD" ? "GET" : request.method, request.path);
    if (match.route != nullptr) return DispatchApi(request, std::move(match));
    if (match.path_known) {
      return ErrorResponse({ErrorCode::kNotFound, "该地址不支持 " + request.method + " 方法", ""},
                           request.request_id);
    }
    return ErrorResponse({ErrorCode::kNotFound, "接口不存在：" + request.path, ""},
                         request.request_id);
  }
  if (request.method == "GET" || request.method == "HEAD") {
    if (std::optional<HttpResponse> file = static_files_.Serve(request.path)) return *file;
  }
  return ErrorResponse({ErrorCode::kNotFound, "页面不存在：" + request.path, ""},
                       request.request_id);
}

HttpResponse Api::DispatchApi(HttpRequest& request, Router::Match match) {
  const Route& route = *match.route;
  RequestContext ctx{request, std::move(match.params), nullptr};
  if (route.access.kind == AccessKind::kPublic) {
    int retry_after = 1;
    if (request.path.starts_with("/api/") && !public_limiter_.Allow(request.client_addr, &retry_after)) {
      HttpResponse limited = ErrorResponse(
          {ErrorCode::kRateLimited, "请求过于频繁，请 " + std::to_string(retry_after) + " 秒后重试", ""},
          request.request_id);
      limited.headers.clear();
      limited.AddHeader("Retry-After", std::to_string(retry_after));
      return limited;
    }
    return route.handler(ctx);
  }
  Result<platform::Principal> principal = Authorize(request, route);
  if (!principal) return ErrorResponse(principal.error(), request.request_id);
  ctx.principal = &*principal;
  return route.handler(ctx);
}

Result<platform::Principal> Api::Authorize(const HttpRequest& request, const Route& route) {
  Actor actor;
  actor.client_addr = request.client_addr;
  actor.request_id = request.request_id;
  Result<platform::Principal> principal = services_.auth.Authenticate(Token(request), actor);
  RS_TRY(principal);
  if (principal->user.must_change_password && !route.access.during_password_change) {
    return Fail(ErrorCode::kFailedPrecondition, "请先修改初始密码", "must_change_password");
  }
  if (route.access.kind == AccessKind::kPermission && !principal->Has(route.access.permission)) {
    return Fail(ErrorCode::kPermissionDenied, "无权执行此操作");
  }
  return principal;
}

BodyPlan Api::PlanBody(HttpRequest& request) {
  if (request.request_id.empty()) request.request_id = RequestId();
  BodyPlan plan;
  if (!IsApiPath(request.path)) return plan;
  Router::Match match = router_.FindUpload(request.method, request.path);
  if (match.route == nullptr) return plan;
  auto start = std::chrono::steady_clock::now();
  try {
    Result<platform::Principal> principal = Authorize(request, *match.route);
    if (principal) {
      plan.kind = BodyPlan::Kind::kSpool;
      plan.limit = options_.upload_limit;
      return plan;
    }
    plan.rejection = ErrorResponse(principal.error(), request.request_id);
  } catch (const std::exception& e) {
    spdlog::error("request {} failed: {}", request.request_id, e.what());
    plan.rejection = ErrorResponse(
        {ErrorCode::kInternal, "服务器内部错误，请联系管理员并提供请求编号", ""}, request.request_id);
  }
  plan.kind = BodyPlan::Kind::kReject;
  Finish(request, plan.rejection,
         std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count());
  return plan;
}

void Api::Finish(const HttpRequest& request, HttpResponse& response, double seconds) {
  response.headers.reserve(response.headers.size() + 5);
  response.AddHeader("X-Request-Id", request.request_id);
  response.AddHeader("X-Content-Type-Options", "nosniff");
  response.AddHeader("Referrer-Policy", "no-referrer");
  response.AddHeader("X-Frame-Options", "DENY");
  if (IsApiPath(request.path)) {
    response.AddHeader("Cache-Control", "no-store");
  } else {
    response.AddHeader("Content-Security-Policy", kCsp);
  }
  metrics_.Record(response.status, seconds);
  if (options_.access_log) {
    static const std::shared_ptr<spdlog::logger> logger =
        spdlog::get("access") ? spdlog::get("access") : spdlog::default_logger();
    logger->info(
        R"({{"time":"{}","request_id":"{}","method":"{}","path":{},"status":{},"ms":{:.3f},"client":"{}"}})",
        FormatUtc(SystemClock().Now()), request.request_id, request.method,
        JsonEscape(request.path), response.status, seconds * 1000, request.client_addr);
  }
}

}  // namespace redshield::api
