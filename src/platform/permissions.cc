#include "platform/permissions.h"

namespace redshield::platform {

std::string_view PermissionName(Permission p) {
  switch (p) {
    case Permission::kOrgWrite: return "org.write";
    case Permission::kUserRead: return "user.read";
    case Permission::kUserWrite: return "user.write";
    case Permission::kRoleGrant: return "role.grant";
    case Permission::kAuditRead: return "audit.read";
    case Permission::kStatsRead: return "stats.read";
    case Permission::kPlanWrite: return "plan.write";
    case Permission::kPlanReport: return "plan.report";
    case Permission::kScreeningRun: return "screening.run";
    case Permission::kClueRead: return "clue.read";
    case Permission::kClueReview: return "clue.review";
    case Permission::kScreeningRules: return "screening.rules";
    case Permission::kTraceCapture: return "trace.capture";
    case Permission::kTraceRead: return "trace.read";
    case Permission::kTraceIssue: return "trace.issue";
    case Permission::kTraceRecall: return "trace.recall";
    case Permission::kTraceReview: return "trace.review";
    case Permission::kTraceRules: return "trace.rules";
    case Permission::kCaseRead: return "case.read";
    case Permission::kCaseWrite: return "case.write";
    case Permission::kCaseReview: return "case.review";
    case Permission::kCasePolice: return "case.police";
    case Permission::kCaseProcurate: return "case.procurate";
    case Permission::kCaseCourt: return "case.court";
    case Permission::kCount: break;
  }
  return "unknown";
}

std::vector<Permission> PermissionSet::List() const {
  std::vector<Permission> out;
  for (unsigned i = 0; i < static_cast<unsigned>(Permission::kCount); ++i) {
    if (Has(static_cast<Permission>(i))) out.push_back(static_cast<Permission>(i));
  }
  return out;
}

const std::vector<RoleInfo>& AllRoles() {
  using P = Permission;
  static const std::vector<RoleInfo> kRoles = {
      {"sysadmin", "系统管理员", "System administrator", true,
       "管理组织机构和用户账号（新增、编辑、解锁、重置密码）；不能授权，不能查看审计日志",
       {P::kOrgWrite, P::kUserRead, P::kUserWrite, P::kScreeningRules}, Scope::kRegion},
      {"secadmin", "安全管理员", "Security administrator", true,
       "为用户分配和撤销角色；不能管理账号，不能查看审计日志", {P::kUserRead, P::kRoleGrant},
       Scope::kRegion},
      {"auditadmin", "审计管理员", "Audit administrator", true,
       "查询、校验和导出审计日志；不能修改任何数据", {P::kAuditRead, P::kStatsRead},
       Scope::kRegion},
      {"office", "双打办", "Leading-group office", false,
       "领导小组办公室：查看本地区全部工作，导入工作要点、分配任务，督办、考核、统计",
       {P::kStatsRead, P::kPlanWrite, P::kPlanReport, P::kScreeningRun, P::kClueRead,
        P::kClueReview, P::kTraceCapture, P::kTraceRead, P::kTraceRecall, P::kTraceReview, P::kTraceRules,
        P::kCaseRead},
       Scope::kRegion},
      {"officer", "执法人员", "Enforcement officer", false,
       "成员单位执法人员：办理本单位业务，报送任务进展，核查分派给本单位的线索，办理案件和移送",
       {P::kPlanReport, P::kClueRead, P::kClueReview, P::kTraceRead, P::kTraceRecall, P::kTraceReview,
        P::kCaseWrite},
       Scope::kOwnOrg},
      {"reviewer", "审核人员", "Reviewer", false,
       "成员单位审核人员：审核本单位业务和线索，批准案件移送",
       {P::kPlanReport, P::kClueRead, P::kClueReview, P::kCaseReview}, Scope::kOwnOrg},
      {"police", "公安", "Police", false, "公安机关：受理移送案件，决定立案或不予立案",
       {P::kPlanReport, P::kCasePolice}, Scope::kOwnOrg},
      {"procurator", "检察", "Procurator", false,
       "检察机关：查看本地区全部案件，立案监督、建议移送、批捕、起诉",
       {P::kPlanReport, P::kCaseProcurate}, Scope::kRegion},
      {"court", "法院", "Court", false, "审判机关：受理、审结、判决",
       {P::kPlanReport, P::kCaseCourt}, Scope::kOwnOrg},
      {"rightsholder", "权利人", "Rights holder", false,
       "权利人企业：登记商标、投诉；农资企业报送追溯事件",
       {P::kTraceCapture, P::kTraceRead, P::kTraceIssue, P::kTraceRecall}, Scope::kOwnOrg},
      {"platform", "电商平台", "E-commerce platform", false, "电商平台：报送商品数据、接收处置通知",
       {P::kScreeningRun}, Scope::kOwnOrg},
  };
  return kRoles;
}

const RoleInfo* FindRole(std::string_view id) {
  for (const RoleInfo& role : AllRoles()) {
    if (role.id == id) return &role;
  }
  return nullptr;
}

PermissionSet PermissionsOf(const std::vector<std::string>& roles) {
  PermissionSet set;
  for (const std::string& id : roles) {
    if (const RoleInfo* role = FindRole(id)) {
      for (Permission p : role->permissions) set.Add(p);
    }
  }
  return set;
}

Scope ScopeOf(const std::vector<std::string>& roles, Permission p) {
  Scope widest = Scope::kOwnOrg;
  for (const std::string& id : roles) {
    const RoleInfo* role = FindRole(id);
    if (role == nullptr) continue;
    for (Permission granted : role->permissions) {
      if (granted == p && role->scope > widest) widest = role->scope;
    }
  }
  return widest;
}

}  // namespace redshield::platform
