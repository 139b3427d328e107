// Authentication: password login with lockout, opaque session tokens, idle and
// absolute timeouts, logout, password change. Thread-safe if the store is.
#pragma once

#include <chrono>
#include <string>

#include "core/clock.h"
#include "core/error.h"
#include "platform/platform_store.h"
#include "platform/types.h"

namespace redshield::platform {

struct AuthPolicy {
  std::chrono::milliseconds idle_timeout = std::chrono::minutes(30);
  std::chrono::milliseconds absolute_timeout = std::chrono::hours(12);
  int max_failures = 5;
  std::chrono::milliseconds lock_duration = std::chrono::minutes(30);
  // A session's last activity is written at most this often.
  std::chrono::milliseconds touch_interval = std::chrono::seconds(60);
};

struct LoginResult {
  std::string token;  // give to the client once; only its hash is stored
  std::string expires_at;
  User user;
  PermissionSet permissions;
};

// kInvalidArgument (field "new_password") naming the rule the password breaks:
// at least 12 characters, 3 of 4 classes (upper, lower, digit, other), not
// containing the username.
Status CheckPasswordPolicy(std::string_view password, std::string_view username);

class AuthService {
 public:
  AuthService(PlatformStore& store, const Clock& clock, AuthPolicy policy);

  // kUnauthenticated for a wrong username or password (the message says how many
  // attempts remain), kAccountLocked when locked (now or by this failure),
  // kPermissionDenied for a disabled account. `actor` carries address and request id.
  Result<LoginResult> Login(const std::string& username, const std::string& password,
                            const Actor& actor);
  // kUnauthenticated if the token is unknown, revoked or timed out.
  Result<Principal> Authenticate(const std::string& token, const Actor& actor);
  Status Logout(const Principal& principal);
  // kInvalidArgument if the old password is wrong (field "old_password") or the
  // new one breaks the policy (field "new_password").
  Status ChangePassword(const Principal& principal, const std::string& old_password,
                        const std::string& new_password);

  const AuthPolicy& policy() const { return policy_; }

 private:
  Result<LoginResult> StartSession(const Credentials& creds, const Actor& actor);

  PlatformStore& store_;
  const Clock& clock_;
  const AuthPolicy policy_;
};

}  // namespace redshield::platform
