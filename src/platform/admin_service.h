// Administration: regions, organisations, users and role grants, each checked
// against the acting principal's permissions and scope (deny by default), each
// change audited in its own transaction. Thread-safe if the store is.
#pragma once

#include <string>
#include <vector>

#include "core/clock.h"
#include "core/crypto.h"
#include "core/error.h"
#include "core/id.h"
#include "platform/platform_store.h"
#include "platform/types.h"

namespace redshield::platform {

struct OrgDraft {
  std::string code;
  std::string name;
  std::string short_name;
  std::vector<std::string> aliases;
  std::string type;
  std::string region_code;
  std::optional<Id> parent_id;
};

struct UserDraft {
  std::string username;
  std::string display_name;
  Id org_id = 0;
  std::string phone;   // optional; stored encrypted, shown masked
  std::string status;  // for updates: active | disabled
};

struct CreatedUser {
  User user;
  std::string temporary_password;  // shown once; must be changed at first login
};

struct Overview {
  std::int64_t organizations = 0;
  std::int64_t users = 0;
  std::vector<RegionCount> by_region;
  std::vector<DayCount> audit_per_day;  // only with stats.read
};

class AdminService {
 public:
  AdminService(PlatformStore& store, const Clock& clock, IdGenerator& ids, const SecretBox& box);

  Result<std::vector<Region>> ListRegions();

  Result<Page<Organization>> ListOrganizations(const Principal& who, OrgQuery query);
  Result<Organization> GetOrganization(const Principal& who, Id id);
  // kInvalidArgument naming the field; kPermissionDenied outside the actor's
  // scope; kConflict if the code is taken.
  Result<Organization> CreateOrganization(const Principal& who, const OrgDraft& draft);
  Result<Organization> UpdateOrganization(const Principal& who, Id id, const OrgDraft& draft);
  // Only an organisation nothing refers to (one created by mistake):
  // kConflict otherwise. Users are disabled, never deleted (the audit trail
  // names them).
  Status DeleteOrganization(const Principal& who, Id id);

  Result<Page<User>> ListUsers(const Principal& who, UserQuery query);
  Result<User> GetUser(const Principal& who, Id id);
  Result<CreatedUser> CreateUser(const Principal& who, const UserDraft& draft);
  Result<User> UpdateUser(const Principal& who, Id id, const UserDraft& draft);
  Result<User> UnlockUser(const Principal& who, Id id);
  Result<std::string> ResetPassword(const Principal& who, Id id);
  // kInvalidArgument for an unknown role; kConflict for two admin roles (三权分立).
  Result<User> SetRoles(const Principal& who, Id id, const std::vector<std::string>& roles);

  Result<Overview> GetOverview(const Principal& who);

 private:
  Status CheckOrgScope(const Principal& who, Permission p, const Organization& org);
  Result<User> UserInScope(const Principal& who, Permission p, Id id);
  Result<Organization> ValidateOrgDraft(const OrgDraft& draft);
  std::string ScopePrefix(const Principal& who, Permission p) const;

  PlatformStore& store_;
  const Clock& clock_;
  IdGenerator& ids_;
  const SecretBox& box_;
};

// Checks a username: 3-32 of [a-z0-9_.-], starting with a letter.
Status ValidateUsername(std::string_view username);

}  // namespace redshield::platform
