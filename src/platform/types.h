// Value types of the platform module: regions, organisations, users,
// sessions, the authenticated principal, and paging. Plain data.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "core/audit.h"
#include "core/id.h"
#include "platform/permissions.h"

namespace redshield::platform {

struct PageRequest {
  int page = 1;        // 1-based
  int page_size = 20;  // 1..200 (services clamp)
  int Offset() const { return (page - 1) * page_size; }
};

template <typename T>
struct Page {
  std::vector<T> items;
  std::int64_t total = 0;
  int page = 1;
  int page_size = 20;
};

struct Region {
  std::string code;  // GB/T 2260
  std::string name;
  std::string level;  // province | prefecture | county
  std::string parent_code;
};

// Organisation types (stable ids used in data files and the API).
inline const std::vector<std::string> kOrgTypes = {
    "office", "agency", "police", "procuratorate", "court", "customs",
    "government", "rightsholder", "platform", "other"};

struct Organization {
  Id id = 0;
  std::string code;  // stable ASCII code, unique
  std::string name;
  std::string short_name;
  std::vector<std::string> aliases;
  std::string type;  // one of kOrgTypes
  std::string region_code;
  std::string region_name;  // filled by reads
  std::optional<Id> parent_id;
};

struct OrgQuery {
  std::string text;           // matches code, name, short name or alias
  std::string region_code;    // exact region or any below it
  std::string type;
  std::string region_prefix;  // scope filter set by the service
  PageRequest page;
};

struct User {
  Id id = 0;
  std::string username;
  std::string display_name;
  Id org_id = 0;
  std::string org_code;
  std::string org_name;
  std::string org_region;
  std::vector<std::string> roles;
  std::string status = "active";      // active | disabled (locked is derived)
  std::optional<std::string> locked_until;  // UTC text
  bool must_change_password = true;
  std::string phone_masked;
  std::string created_at;
  std::optional<std::string> last_login_at;
};

struct UserQuery {
  std::string text;  // username or display name
  std::optional<Id> org_id;
  std::string role;
  std::string status;  // active | locked | disabled
  std::string region_prefix;  // scope filter set by the service
  std::string now;            // for the derived "locked" status
  PageRequest page;
};

// What login needs and nothing else leaves the store with it.
struct Credentials {
  Id user_id = 0;
  std::string password_hash;
  std::string status;
  int failed_logins = 0;
  std::optional<std::string> locked_until;
};

struct NewUser {
  User user;
  std::string password_hash;
  std::string phone_encrypted;  // empty if none
};

struct SessionRecord {
  std::string token_hash;  // SHA-256 of the token; the token itself is never stored
  Id user_id = 0;
  std::string created_at;
  std::string last_seen_at;
  std::optional<std::string> revoked_at;
  std::string client_addr;
};

// The authenticated user of one request.
struct Principal {
  User user;
  PermissionSet permissions;
  std::string token_hash;
  Actor actor;  // user, organisation, client address and request id for audit

  bool Has(Permission p) const { return permissions.Has(p); }
};

struct AuditQuery {
  std::string from;  // UTC text, inclusive
  std::string to;    // UTC text, exclusive
  std::optional<Id> user_id;
  std::optional<Id> org_id;
  std::string action;
  std::string object_type;
  std::string object_id;
  PageRequest page;
};

struct RegionCount {
  std::string region_code;
  std::string region_name;
  std::int64_t organizations = 0;
  std::int64_t users = 0;
};

struct DayCount {
  std::string date;  // Asia/Shanghai date
  std::int64_t count = 0;
};

}  // namespace redshield::platform
