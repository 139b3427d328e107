// Routes: login, logout, the current user, password change.
#include "api/api.h"
#include "api/mapping.h"
#include "core/clock.h"

namespace redshield::api {
namespace {

using platform::Permission;

Actor RequestActor(const HttpRequest& request) {
  Actor actor;
  actor.client_addr = request.client_addr;
  actor.request_id = request.request_id;
  return actor;
}

std::string SessionCookie(const std::string& token, int max_age, bool secure) {
  return "rs_session=" + token + "; Path=/; HttpOnly; SameSite=Strict; Max-Age=" +
         std::to_string(max_age) + (secure ? "; Secure" : "");
}

HttpResponse Login(RequestContext& ctx, Services& s, const ApiOptions& options) {
  const HttpRequest& req = ctx.request;
  Result<json::object> body = ParseObject(req.body);
  if (!body) return ErrorResponse(body.error(), req.request_id);
  Result<std::string> username = GetString(*body, "username");
  if (!username) return ErrorResponse(username.error(), req.request_id);
  Result<std::string> password = GetString(*body, "password");
  if (!password) return ErrorResponse(password.error(), req.request_id);
  Result<platform::LoginResult> login = s.auth.Login(*username, *password, RequestActor(req));
  if (!login) return ErrorResponse(login.error(), req.request_id);
  std::string now = login->user.last_login_at.value_or("");
  HttpResponse response =
      JsonResponse(200, json::object{{"token", login->token},
                                     {"expires_at", login->expires_at},
                                     {"user", ToJson(login->user, now)},
                                     {"must_change_password", login->user.must_change_password}});
  auto max_age = std::chrono::duration_cast<std::chrono::seconds>(s.auth.policy().absolute_timeout);
  response.AddHeader("Set-Cookie", SessionCookie(login->token, static_cast<int>(max_age.count()),
                                                 options.secure_cookie));
  return response;
}

HttpResponse Logout(RequestContext& ctx, Services& s, const ApiOptions& options) {
  Status done = s.auth.Logout(*ctx.principal);
  if (!done) return ErrorResponse(done.error(), ctx.request.request_id);
  HttpResponse response = NoContent();
  response.AddHeader("Set-Cookie", SessionCookie("", 0, options.secure_cookie));
  return response;
}

HttpResponse Me(RequestContext& ctx) {
  // The current time decides whether a stored lock is still in force.
  return JsonResponse(200, ToJson(ctx.principal->user, FormatUtc(SystemClock().Now())));
}

HttpResponse ChangePassword(RequestContext& ctx, Services& s) {
  const HttpRequest& req = ctx.request;
  Result<json::object> body = ParseObject(req.body);
  if (!body) return ErrorResponse(body.error(), req.request_id);
  Result<std::string> old_password = GetString(*body, "old_password");
  if (!old_password) return ErrorResponse(old_password.error(), req.request_id);
  Result<std::string> new_password = GetString(*body, "new_password");
  if (!new_password) return ErrorResponse(new_password.error(), req.request_id);
  Status done = s.auth.ChangePassword(*ctx.principal, *old_password, *new_password);
  if (!done) return ErrorResponse(done.error(), req.request_id);
  return NoContent();
}

}  // namespace

void AddAuthRoutes(Router& router, Services& s, const ApiOptions& options) {
  router.Add("POST", "/api/v1/auth/login", Access::Public(),
             {"登录，返回会话令牌并设置 HttpOnly Cookie", "auth", "LoginRequest", "LoginResponse"},
             [&s, &options](RequestContext& ctx) { return Login(ctx, s, options); });
  router.Add("POST", "/api/v1/auth/logout", Access::AuthenticatedAlways(),
             {"退出登录，注销会话", "auth", "", ""},
             [&s, &options](RequestContext& ctx) { return Logout(ctx, s, options); });
  router.Add("GET", "/api/v1/me", Access::AuthenticatedAlways(), {"当前用户", "auth", "", "User"},
             [](RequestContext& ctx) { return Me(ctx); });
  router.Add("POST", "/api/v1/me/password", Access::AuthenticatedAlways(),
             {"修改密码（至少 12 位，含三类字符）", "auth", "PasswordChange", ""},
             [&s](RequestContext& ctx) { return ChangePassword(ctx, s); });
}

}  // namespace redshield::api
