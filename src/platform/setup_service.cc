#include "platform/setup_service.h"

#include <map>

#include "core/crypto.h"
#include "core/csv.h"
#include "platform/admin_service.h"
#include "platform/auth_service.h"

namespace redshield::platform {
namespace {

std::vector<std::string> SplitBar(std::string_view text) {
  std::vector<std::string> out;
  while (!text.empty()) {
    size_t bar = text.find('|');
    std::string_view part = text.substr(0, bar);
    if (!part.empty()) out.emplace_back(part);
    if (bar == std::string_view::npos) break;
    text.remove_prefix(bar + 1);
  }
  return out;
}

Result<std::vector<Region>> ParseRegions(const std::string& csv) {
  Result<CsvTable> table = CsvTable::Parse(csv, {"code", "name", "level", "parent_code", "in_mca_gbt2260"});
  RS_TRY(table);
  std::vector<Region> regions;
  for (const CsvRecord& rec : table->records()) {
    if (*rec.Field("in_mca_gbt2260") != "1") continue;  // statistics-only zone
    Result<std::string_view> code = rec.RequiredField("code");
    RS_TRY(code);
    Result<std::string_view> name = rec.RequiredField("name");
    RS_TRY(name);
    regions.push_back({std::string(*code), std::string(*name), std::string(*rec.Field("level")),
                       std::string(*rec.Field("parent_code"))});
  }
  return regions;
}

struct OrgLine {
  Organization org;
  std::string parent_code;
  int64_t line = 0;
};

Result<std::vector<OrgLine>> ParseOrganizations(const std::string& csv,
                                                const std::vector<Region>& regions) {
  Result<CsvTable> table = CsvTable::Parse(
      csv, {"code", "name", "short_name", "aliases", "type", "region_code", "parent_code"});
  RS_TRY(table);
  std::map<std::string, bool> known_regions;
  for (const Region& r : regions) known_regions[r.code] = true;
  std::vector<OrgLine> out;
  for (const CsvRecord& rec : table->records()) {
    OrgLine line;
    line.line = rec.line();
    Result<std::string_view> code = rec.RequiredField("code");
    RS_TRY(code);
    Result<std::string_view> name = rec.RequiredField("name");
    RS_TRY(name);
    line.org.code = *code;
    line.org.name = *name;
    line.org.short_name = *rec.Field("short_name");
    line.org.aliases = SplitBar(*rec.Field("aliases"));
    line.org.type = *rec.Field("type");
    line.org.region_code = *rec.Field("region_code");
    line.parent_code = *rec.Field("parent_code");
    if (std::find(kOrgTypes.begin(), kOrgTypes.end(), line.org.type) == kOrgTypes.end()) {
      return tl::unexpected(rec.FieldError("type", "未知机构类型 " + line.org.type));
    }
    if (!known_regions.count(line.org.region_code)) {
      return tl::unexpected(rec.FieldError("region_code", "行政区划代码不存在 " + line.org.region_code));
    }
    out.push_back(std::move(line));
  }
  return out;
}

}  // namespace

const std::vector<DemoAccount>& DemoAccounts() {
  static const std::vector<DemoAccount> kAccounts = {
      {"sysadmin", "系统管理员（演示）", "sysadmin", "NMG-SDB"},
      {"secadmin", "安全管理员（演示）", "secadmin", "NMG-SDB"},
      {"auditadmin", "审计管理员（演示）", "auditadmin", "NMG-SDB"},
      {"office", "双打办 王科长（演示）", "office", "NMG-SDB"},
      {"officer", "工商局 李执法（演示）", "officer", "NMG-GSJ"},
      {"reviewer", "工商局 钱科长（演示）", "reviewer", "NMG-GSJ"},
      {"police", "公安厅 赵警官（演示）", "police", "NMG-GAT"},
      {"procurator", "检察院 孙检察官（演示）", "procurator", "NMG-JCY"},
      {"court", "高级法院 周法官（演示）", "court", "NMG-GJFY"},
      // An agriculture department: clone suspicions seen in 呼和浩特 and the
      // recall notices of its shops not on the platform go to it (issue 7 §5).
      {"agri", "呼和浩特市农牧业局 马科长（演示）", "officer", "HHHT-NMJ"},
      // A registered agricultural-input enterprise (issue 7): issues trace
      // codes and captures EPCIS events. Its organisation is created by
      // CreateDemoUsers, since the reference data lists public bodies only.
      {"enterprise", "农资企业 刘经理（演示）", "rightsholder", "DEMO-NZQY"},
  };
  return kAccounts;
}

SetupService::SetupService(PlatformStore& store, const Clock& clock, IdGenerator& ids)
    : store_(store), clock_(clock), ids_(ids) {}

Actor SetupService::System() const {
  Actor actor;
  actor.username = "system";
  actor.client_addr = "cli";
  actor.request_id = RequestId();
  return actor;
}

Result<SeedReport> SetupService::LoadReference(const std::string& regions_csv,
                                               const std::string& organizations_csv) {
  Result<std::vector<Region>> regions = ParseRegions(regions_csv);
  if (!regions) return Fail(ErrorCode::kInvalidArgument, "行政区划文件：" + regions.error().message);
  Result<std::vector<OrgLine>> orgs = ParseOrganizations(organizations_csv, *regions);
  if (!orgs) return Fail(ErrorCode::kInvalidArgument, "机构文件：" + orgs.error().message);
  SeedReport report;
  report.regions = static_cast<int>(regions->size());
  RS_TRY(store_.UpsertRegions(*regions, {System(), "region.load", "region", "",
                                         "载入行政区划 " + std::to_string(regions->size()) + " 条"}));
  // Parents first: the file lists them before their children.
  std::map<std::string, Id> ids_by_code;
  for (OrgLine& line : *orgs) {
    Result<Organization> existing = store_.FindOrganizationByCode(line.org.code);
    if (existing) {
      ids_by_code[line.org.code] = existing->id;
      ++report.organizations_kept;
      continue;
    }
    if (!line.parent_code.empty()) {
      auto parent = ids_by_code.find(line.parent_code);
      if (parent == ids_by_code.end()) {
        return Fail(ErrorCode::kInvalidArgument, "机构文件：第 " + std::to_string(line.line) +
                                                     " 行，上级机构 " + line.parent_code + " 须在前面列出",
                    "parent_code");
      }
      line.org.parent_id = parent->second;
    }
    line.org.id = ids_.Next();
    RS_TRY(store_.InsertOrganization(line.org, {System(), "organization.create", "organization",
                                                std::to_string(line.org.id),
                                                "载入机构 " + line.org.code + " " + line.org.name}));
    ids_by_code[line.org.code] = line.org.id;
    ++report.organizations_added;
  }
  return report;
}

Result<Id> SetupService::OrganizationId(const std::string& code) {
  Result<Organization> org = store_.FindOrganizationByCode(code);
  if (!org) return tl::unexpected(org.error());
  return org->id;
}

Result<int> SetupService::CreateDemoUsers(const std::string& password) {
  if (!store_.FindOrganizationByCode("DEMO-NZQY")) {
    Organization org{ids_.Next(), "DEMO-NZQY", "内蒙古演示农资有限公司", "演示农资公司", {},
                     "rightsholder", "150100", "", std::nullopt};
    RS_TRY(store_.InsertOrganization(org, {System(), "organization.create", "organization",
                                           std::to_string(org.id), "创建演示企业 " + org.name}));
  }
  int created = 0;
  for (const DemoAccount& account : DemoAccounts()) {
    if (store_.FindUserByUsername(account.username)) continue;
    RS_TRY(AddUser(account.username, account.display_name, {account.role}, account.org_code,
                   password, false));
    ++created;
  }
  return created;
}

Result<User> SetupService::AddUser(const std::string& username, const std::string& display_name,
                                   const std::vector<std::string>& roles,
                                   const std::string& org_code, const std::string& password,
                                   bool must_change) {
  RS_TRY(ValidateUsername(username));
  RS_TRY(CheckPasswordPolicy(password, username));
  int admin_roles = 0;
  for (const std::string& role : roles) {
    const RoleInfo* info = FindRole(role);
    if (info == nullptr) return Fail(ErrorCode::kInvalidArgument, "未知角色：" + role, "role");
    admin_roles += info->admin;
  }
  if (admin_roles > 1) {
    return Fail(ErrorCode::kConflict, "三权分立：系统管理员、安全管理员、审计管理员不能兼任", "role");
  }
  Result<Organization> org = store_.FindOrganizationByCode(org_code);
  if (!org) return Fail(ErrorCode::kInvalidArgument, "机构代码不存在：" + org_code, "org");
  Result<std::string> hash = HashPassword(password);
  RS_TRY(hash);
  NewUser user;
  user.user.id = ids_.Next();
  user.user.username = username;
  user.user.display_name = display_name.empty() ? username : display_name;
  user.user.org_id = org->id;
  user.user.roles = roles;
  user.user.must_change_password = must_change;
  user.user.created_at = FormatUtc(clock_.Now());
  user.password_hash = *hash;
  std::string summary = "新增用户 " + username + "（" + org->name + "），角色";
  for (const std::string& role : roles) summary += " " + role;
  RS_TRY(store_.InsertUser(user, {System(), "user.create", "user", std::to_string(user.user.id), summary}));
  return store_.FindUser(user.user.id);
}

Status SetupService::SetPassword(const std::string& username, const std::string& password,
                                 bool must_change) {
  Result<User> user = store_.FindUserByUsername(username);
  RS_TRY(user);
  RS_TRY(CheckPasswordPolicy(password, username));
  Result<std::string> hash = HashPassword(password);
  RS_TRY(hash);
  AuditEntry entry{System(), "user.password_reset", "user", std::to_string(user->id),
                   "服务器命令行重置用户 " + username + " 的密码"};
  RS_TRY(store_.SetPassword(user->id, *hash, must_change, entry));
  return store_.Unlock(user->id, {System(), "user.unlock", "user", std::to_string(user->id),
                                  "服务器命令行解锁用户 " + username});
}

}  // namespace redshield::platform
