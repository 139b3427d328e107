#include "platform/admin_service.h"

#include <algorithm>

#include "core/masking.h"
#include "core/text.h"

namespace redshield::platform {
namespace {

constexpr int kMaxPageSize = 200;

PageRequest Clamp(PageRequest page) {
  page.page = std::max(1, page.page);
  page.page_size = std::clamp(page.page_size, 1, kMaxPageSize);
  return page;
}

tl::unexpected<Error> Denied() { return Fail(ErrorCode::kPermissionDenied, "无权操作该机构或其用户"); }

bool IsAsciiCode(std::string_view code) {
  if (code.empty() || code.size() > 32) return false;
  return std::all_of(code.begin(), code.end(), [](char c) {
    return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' ||
           c == '_';
  });
}

std::string Trim(std::string_view s) { return std::string(TrimAscii(s)); }

}  // namespace

Status ValidateUsername(std::string_view username) {
  bool ok = username.size() >= 3 && username.size() <= 32 && username[0] >= 'a' &&
            username[0] <= 'z' &&
            std::all_of(username.begin(), username.end(), [](char c) {
              return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_' || c == '.' ||
                     c == '-';
            });
  if (!ok) {
    return Fail(ErrorCode::kInvalidArgument,
                "用户名须为 3-32 位小写字母、数字、下划线、点或连字符，以字母开头", "username");
  }
  return Ok();
}

AdminService::AdminService(PlatformStore& store, const Clock& clock, IdGenerator& ids,
                           const SecretBox& box)
    : store_(store), clock_(clock), ids_(ids), box_(box) {}

Result<std::vector<Region>> AdminService::ListRegions() { return store_.ListRegions(); }

std::string AdminService::ScopePrefix(const Principal& who, Permission p) const {
  switch (ScopeOf(who.user.roles, p)) {
    case Scope::kAll: return "";
    case Scope::kRegion: return who.user.org_region;
    case Scope::kOwnOrg: return "";  // callers filter by organisation instead
  }
  return "";
}

Status AdminService::CheckOrgScope(const Principal& who, Permission p, const Organization& org) {
  if (!who.Has(p)) return Denied();
  switch (ScopeOf(who.user.roles, p)) {
    case Scope::kAll: return Ok();
    case Scope::kRegion:
      return RegionCovers(who.user.org_region, org.region_code) ? Ok() : Denied();
    case Scope::kOwnOrg: return org.id == who.user.org_id ? Ok() : Denied();
  }
  return Denied();
}

Result<Page<Organization>> AdminService::ListOrganizations(const Principal&, OrgQuery query) {
  // Every signed-in user may read the directory of organisations: it is what
  // transfers, assignments and pickers are made of.
  query.page = Clamp(query.page);
  return store_.ListOrganizations(query);
}

Result<Organization> AdminService::GetOrganization(const Principal&, Id id) {
  return store_.FindOrganization(id);
}

Result<Organization> AdminService::ValidateOrgDraft(const OrgDraft& draft) {
  Organization org;
  org.code = Trim(draft.code);
  org.name = Trim(draft.name);
  org.short_name = Trim(draft.short_name);
  org.type = draft.type;
  org.region_code = draft.region_code;
  org.parent_id = draft.parent_id;
  if (!IsAsciiCode(org.code)) {
    return Fail(ErrorCode::kInvalidArgument, "机构代码须为 1-32 位字母、数字、- 或 _", "code");
  }
  if (org.name.empty()) return Fail(ErrorCode::kInvalidArgument, "请填写机构名称", "name");
  if (std::find(kOrgTypes.begin(), kOrgTypes.end(), org.type) == kOrgTypes.end()) {
    return Fail(ErrorCode::kInvalidArgument, "机构类型无效：" + org.type, "type");
  }
  Result<std::vector<Region>> regions = store_.ListRegions();
  RS_TRY(regions);
  bool known = std::any_of(regions->begin(), regions->end(),
                           [&](const Region& r) { return r.code == org.region_code; });
  if (!known) {
    return Fail(ErrorCode::kInvalidArgument, "行政区划代码不存在：" + org.region_code,
                "region_code");
  }
  for (const std::string& alias : draft.aliases) {
    std::string a = Trim(alias);
    if (!a.empty() && std::find(org.aliases.begin(), org.aliases.end(), a) == org.aliases.end()) {
      org.aliases.push_back(a);
    }
  }
  if (org.parent_id) {
    // An unknown parent is bad input (400 naming the field), like an unknown org_id of a user.
    Result<Organization> parent = store_.FindOrganization(*org.parent_id);
    if (!parent) {
      if (parent.error().code == ErrorCode::kNotFound) {
        return Fail(ErrorCode::kInvalidArgument, "上级机构不存在", "parent_id");
      }
      return tl::unexpected(parent.error());
    }
  }
  return org;
}

Result<Organization> AdminService::CreateOrganization(const Principal& who, const OrgDraft& draft) {
  Result<Organization> org = ValidateOrgDraft(draft);
  RS_TRY(org);
  RS_TRY(CheckOrgScope(who, Permission::kOrgWrite, *org));
  org->id = ids_.Next();
  RS_TRY(store_.InsertOrganization(
      *org, {who.actor, "organization.create", "organization", std::to_string(org->id),
             "新增机构 " + org->code + " " + org->name}));
  return store_.FindOrganization(org->id);
}

Result<Organization> AdminService::UpdateOrganization(const Principal& who, Id id,
                                                      const OrgDraft& draft) {
  Result<Organization> existing = store_.FindOrganization(id);
  RS_TRY(existing);
  RS_TRY(CheckOrgScope(who, Permission::kOrgWrite, *existing));
  Result<Organization> org = ValidateOrgDraft(draft);
  RS_TRY(org);
  RS_TRY(CheckOrgScope(who, Permission::kOrgWrite, *org));
  if (org->parent_id == id) {
    return Fail(ErrorCode::kInvalidArgument, "上级机构不能是自身", "parent_id");
  }
  org->id = id;
  RS_TRY(store_.UpdateOrganization(
      *org, {who.actor, "organization.update", "organization", std::to_string(id),
             "修改机构 " + org->code + " " + org->name}));
  return store_.FindOrganization(id);
}

Status AdminService::DeleteOrganization(const Principal& who, Id id) {
  Result<Organization> existing = store_.FindOrganization(id);
  RS_TRY(existing);
  RS_TRY(CheckOrgScope(who, Permission::kOrgWrite, *existing));
  return store_.DeleteOrganization(
      id, {who.actor, "organization.delete", "organization", std::to_string(id),
           "删除机构 " + existing->code + " " + existing->name});
}

Result<Page<User>> AdminService::ListUsers(const Principal& who, UserQuery query) {
  if (!who.Has(Permission::kUserRead)) return Denied();
  query.page = Clamp(query.page);
  query.now = FormatUtc(clock_.Now());
  if (ScopeOf(who.user.roles, Permission::kUserRead) == Scope::kOwnOrg) {
    query.org_id = who.user.org_id;
  } else {
    query.region_prefix = ScopePrefix(who, Permission::kUserRead);
  }
  return store_.ListUsers(query);
}

Result<User> AdminService::UserInScope(const Principal& who, Permission p, Id id) {
  Result<User> user = store_.FindUser(id);
  RS_TRY(user);
  Result<Organization> org = store_.FindOrganization(user->org_id);
  RS_TRY(org);
  RS_TRY(CheckOrgScope(who, p, *org));
  return user;
}

Result<User> AdminService::GetUser(const Principal& who, Id id) {
  return UserInScope(who, Permission::kUserRead, id);
}

Result<CreatedUser> AdminService::CreateUser(const Principal& who, const UserDraft& draft) {
  RS_TRY(ValidateUsername(draft.username));
  std::string display = Trim(draft.display_name);
  if (display.empty()) return Fail(ErrorCode::kInvalidArgument, "请填写姓名", "display_name");
  Result<Organization> org = store_.FindOrganization(draft.org_id);
  if (!org) return Fail(ErrorCode::kInvalidArgument, "所属机构不存在", "org_id");
  RS_TRY(CheckOrgScope(who, Permission::kUserWrite, *org));
  CreatedUser created;
  created.temporary_password = RandomPassword();
  Result<std::string> hash = HashPassword(created.temporary_password);
  RS_TRY(hash);
  NewUser user;
  user.user.id = ids_.Next();
  user.user.username = draft.username;
  user.user.display_name = display;
  user.user.org_id = org->id;
  user.user.must_change_password = true;
  user.user.created_at = FormatUtc(clock_.Now());
  user.password_hash = *hash;
  if (!draft.phone.empty()) {
    user.phone_encrypted = box_.Encrypt(draft.phone);
    user.user.phone_masked = MaskPhone(draft.phone);
  }
  RS_TRY(store_.InsertUser(user, {who.actor, "user.create", "user", std::to_string(user.user.id),
                                  "新增用户 " + draft.username + "（" + org->name + "）"}));
  Result<User> stored = store_.FindUser(user.user.id);
  RS_TRY(stored);
  created.user = *stored;
  return created;
}

Result<User> AdminService::UpdateUser(const Principal& who, Id id, const UserDraft& draft) {
  Result<User> user = UserInScope(who, Permission::kUserWrite, id);
  RS_TRY(user);
  std::string display = Trim(draft.display_name);
  if (display.empty()) return Fail(ErrorCode::kInvalidArgument, "请填写姓名", "display_name");
  if (draft.status != "active" && draft.status != "disabled") {
    return Fail(ErrorCode::kInvalidArgument, "状态须为 active 或 disabled", "status");
  }
  if (draft.org_id != user->org_id) {
    Result<Organization> org = store_.FindOrganization(draft.org_id);
    if (!org) return Fail(ErrorCode::kInvalidArgument, "所属机构不存在", "org_id");
    RS_TRY(CheckOrgScope(who, Permission::kUserWrite, *org));
  }
  if (id == who.user.id && draft.status == "disabled") {
    return Fail(ErrorCode::kInvalidArgument, "不能停用自己的账号", "status");
  }
  user->display_name = display;
  user->org_id = draft.org_id;
  user->status = draft.status;
  std::string phone_enc;
  if (!draft.phone.empty()) {
    phone_enc = box_.Encrypt(draft.phone);
    user->phone_masked = MaskPhone(draft.phone);
  }
  RS_TRY(store_.UpdateUser(*user, phone_enc,
                           {who.actor, "user.update", "user", std::to_string(id),
                            "修改用户 " + user->username + "，状态 " + draft.status}));
  return store_.FindUser(id);
}

Result<User> AdminService::UnlockUser(const Principal& who, Id id) {
  Result<User> user = UserInScope(who, Permission::kUserWrite, id);
  RS_TRY(user);
  RS_TRY(store_.Unlock(id, {who.actor, "user.unlock", "user", std::to_string(id),
                            "解锁用户 " + user->username}));
  return store_.FindUser(id);
}

Result<std::string> AdminService::ResetPassword(const Principal& who, Id id) {
  Result<User> user = UserInScope(who, Permission::kUserWrite, id);
  RS_TRY(user);
  std::string password = RandomPassword();
  Result<std::string> hash = HashPassword(password);
  RS_TRY(hash);
  RS_TRY(store_.SetPassword(id, *hash, true,
                            {who.actor, "user.password_reset", "user", std::to_string(id),
                             "重置用户 " + user->username + " 的密码"}));
  return password;
}

Result<User> AdminService::SetRoles(const Principal& who, Id id,
                                    const std::vector<std::string>& roles) {
  Result<User> user = UserInScope(who, Permission::kRoleGrant, id);
  RS_TRY(user);
  int admin_roles = 0;
  std::vector<std::string> unique;
  for (const std::string& role : roles) {
    const RoleInfo* info = FindRole(role);
    if (info == nullptr) return Fail(ErrorCode::kInvalidArgument, "未知角色：" + role, "roles");
    if (std::find(unique.begin(), unique.end(), role) != unique.end()) continue;
    unique.push_back(role);
    admin_roles += info->admin;
  }
  if (admin_roles > 1) {
    return Fail(ErrorCode::kConflict,
                "三权分立：系统管理员、安全管理员、审计管理员不能由同一用户兼任", "roles");
  }
  if (id == who.user.id) {
    return Fail(ErrorCode::kPermissionDenied, "不能修改自己的角色");
  }
  std::string summary = "设置用户 " + user->username + " 的角色：";
  for (size_t i = 0; i < unique.size(); ++i) summary += (i ? "," : "") + unique[i];
  RS_TRY(store_.SetRoles(id, unique, {who.actor, "role.grant", "user", std::to_string(id), summary}));
  return store_.FindUser(id);
}

Result<Overview> AdminService::GetOverview(const Principal& who) {
  Overview overview;
  Result<std::vector<RegionCount>> counts = store_.CountByRegion();
  RS_TRY(counts);
  for (const RegionCount& c : *counts) {
    overview.organizations += c.organizations;
    overview.users += c.users;
  }
  overview.by_region = std::move(*counts);
  if (who.Has(Permission::kStatsRead)) {
    Result<std::vector<DayCount>> days =
        store_.AuditPerDay(FormatUtc(clock_.Now() - std::chrono::days(30)));
    RS_TRY(days);
    overview.audit_per_day = std::move(*days);
  }
  return overview;
}

}  // namespace redshield::platform
