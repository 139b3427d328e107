#include "platform/auth_service.h"

#include "core/crypto.h"

namespace redshield::platform {
namespace {

size_t CodePoints(std::string_view text) {
  size_t count = 0;
  for (unsigned char c : text) count += (c & 0xC0) != 0x80;
  return count;
}

std::string ShanghaiClock(TimePoint t) {
  std::string utc = FormatUtc(t + std::chrono::hours(8));
  return utc.substr(11, 5);
}

Actor WithUser(Actor actor, const User& user) {
  actor.user_id = user.id;
  actor.username = user.username;
  actor.org_id = user.org_id;
  return actor;
}

}  // namespace

Status CheckPasswordPolicy(std::string_view password, std::string_view username) {
  if (CodePoints(password) < 12) {
    return Fail(ErrorCode::kInvalidArgument, "密码至少 12 位", "new_password");
  }
  bool upper = false, lower = false, digit = false, other = false;
  for (unsigned char c : password) {
    if (c >= 'A' && c <= 'Z') upper = true;
    else if (c >= 'a' && c <= 'z') lower = true;
    else if (c >= '0' && c <= '9') digit = true;
    else other = true;
  }
  if (int(upper) + int(lower) + int(digit) + int(other) < 3) {
    return Fail(ErrorCode::kInvalidArgument,
                "密码须包含大写字母、小写字母、数字、符号中的至少三类", "new_password");
  }
  if (!username.empty() && password.find(username) != std::string_view::npos) {
    return Fail(ErrorCode::kInvalidArgument, "密码不能包含用户名", "new_password");
  }
  return Ok();
}

AuthService::AuthService(PlatformStore& store, const Clock& clock, AuthPolicy policy)
    : store_(store), clock_(clock), policy_(policy) {}

Result<LoginResult> AuthService::Login(const std::string& username, const std::string& password,
                                       const Actor& actor) {
  TimePoint now = clock_.Now();
  Result<Credentials> creds = store_.FindCredentials(username);
  if (!creds) {
    if (creds.error().code != ErrorCode::kNotFound) return tl::unexpected(creds.error());
    // Spend the same time as a real check so that timing does not reveal usernames.
    (void)VerifyPassword("$argon2id$v=19$m=65536,t=2,p=1$c29tZXNhbHQ$RdescudvJCsgt3ub+b+dWRWJTmaaJObG",
                         password);
    RS_TRY(store_.AppendAudit({actor, "auth.login_failed", "user", "", "未知用户名 " + username}));
    return Fail(ErrorCode::kUnauthenticated, "用户名或密码错误");
  }
  if (creds->locked_until && *creds->locked_until > FormatUtc(now)) {
    return Fail(ErrorCode::kAccountLocked,
                "账号已锁定，请于北京时间 " + ShanghaiClock(*ParseTime(*creds->locked_until)) +
                    " 后重试，或联系系统管理员解锁");
  }
  if (!VerifyPassword(creds->password_hash, password)) {
    Result<int> failed = store_.RecordLoginFailure(
        creds->user_id, policy_.max_failures, FormatUtc(now + policy_.lock_duration),
        {actor, "auth.login_failed", "user", std::to_string(creds->user_id), username + " 密码错误"});
    RS_TRY(failed);
    if (*failed >= policy_.max_failures) {
      return Fail(ErrorCode::kAccountLocked,
                  "连续 " + std::to_string(policy_.max_failures) + " 次密码错误，账号已锁定 " +
                      std::to_string(policy_.lock_duration.count() / 60000) + " 分钟");
    }
    return Fail(ErrorCode::kUnauthenticated,
                "用户名或密码错误，还可尝试 " + std::to_string(policy_.max_failures - *failed) + " 次");
  }
  if (creds->status == "disabled") {
    return Fail(ErrorCode::kPermissionDenied, "账号已停用，请联系系统管理员");
  }
  return StartSession(*creds, actor);
}

Result<LoginResult> AuthService::StartSession(const Credentials& creds, const Actor& actor) {
  Result<User> user = store_.FindUser(creds.user_id);
  RS_TRY(user);
  TimePoint now = clock_.Now();
  LoginResult result;
  result.token = RandomToken(32);
  result.expires_at = FormatUtc(now + policy_.absolute_timeout);
  SessionRecord session{Sha256Hex(result.token), creds.user_id, FormatUtc(now), FormatUtc(now),
                        std::nullopt, actor.client_addr};
  RS_TRY(store_.RecordLogin(session, {WithUser(actor, *user), "auth.login", "user",
                                      std::to_string(user->id), user->username + " 登录"}));
  result.user = *user;
  result.user.last_login_at = session.created_at;
  result.user.locked_until.reset();
  result.permissions = PermissionsOf(user->roles);
  return result;
}

Result<Principal> AuthService::Authenticate(const std::string& token, const Actor& actor) {
  auto invalid = [] { return Fail(ErrorCode::kUnauthenticated, "会话已失效，请重新登录"); };
  if (token.empty()) return Fail(ErrorCode::kUnauthenticated, "请先登录");
  std::string hash = Sha256Hex(token);
  Result<SessionRecord> session = store_.FindSession(hash);
  if (!session) {
    if (session.error().code == ErrorCode::kNotFound) return invalid();
    return tl::unexpected(session.error());
  }
  TimePoint now = clock_.Now();
  Result<TimePoint> created = ParseTime(session->created_at);
  Result<TimePoint> seen = ParseTime(session->last_seen_at);
  if (session->revoked_at || !created || !seen) return invalid();
  if (now - *seen >= policy_.idle_timeout) {
    return Fail(ErrorCode::kUnauthenticated, "长时间未操作，会话已超时，请重新登录");
  }
  if (now - *created >= policy_.absolute_timeout) {
    return Fail(ErrorCode::kUnauthenticated, "会话已达最长时限，请重新登录");
  }
  Result<User> user = store_.FindUser(session->user_id);
  if (!user || user->status == "disabled") return invalid();
  if (now - *seen >= policy_.touch_interval) RS_TRY(store_.TouchSession(hash, FormatUtc(now)));
  Principal principal{*user, PermissionsOf(user->roles), hash, WithUser(actor, *user)};
  return principal;
}

Status AuthService::Logout(const Principal& principal) {
  return store_.RevokeSession(principal.token_hash, FormatUtc(clock_.Now()),
                              {principal.actor, "auth.logout", "user",
                               std::to_string(principal.user.id), principal.user.username + " 退出登录"});
}

Status AuthService::ChangePassword(const Principal& principal, const std::string& old_password,
                                   const std::string& new_password) {
  Result<Credentials> creds = store_.FindCredentials(principal.user.username);
  RS_TRY(creds);
  if (!VerifyPassword(creds->password_hash, old_password)) {
    return Fail(ErrorCode::kInvalidArgument, "原密码错误", "old_password");
  }
  if (old_password == new_password) {
    return Fail(ErrorCode::kInvalidArgument, "新密码不能与原密码相同", "new_password");
  }
  RS_TRY(CheckPasswordPolicy(new_password, principal.user.username));
  Result<std::string> hash = HashPassword(new_password);
  RS_TRY(hash);
  return store_.SetPassword(principal.user.id, *hash, false,
                            {principal.actor, "user.password_change", "user",
                             std::to_string(principal.user.id), principal.user.username + " 修改密码"});
}

}  // namespace redshield::platform
