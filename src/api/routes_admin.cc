// Routes: regions, organisations, users, roles, the overview dashboard.
#include "api/api.h"
#include "api/mapping.h"
#include "core/clock.h"

namespace redshield::api {
namespace {

using platform::Permission;

std::string Now() { return FormatUtc(SystemClock().Now()); }

HttpResponse ListRegions(RequestContext& ctx, Services& s) {
  RS_API_TRY(regions, s.admin.ListRegions());
  json::array items;
  for (const platform::Region& r : *regions) {
    items.push_back(json::object{{"code", r.code},
                                 {"name", r.name},
                                 {"level", r.level},
                                 {"parent_code", r.parent_code.empty() ? json::value(nullptr)
                                                                       : json::value(r.parent_code)}});
  }
  return JsonResponse(200, json::object{{"items", items}});
}

HttpResponse ListOrgs(RequestContext& ctx, Services& s) {
  RS_API_TRY(page, ParsePage(ctx.request));
  platform::OrgQuery query;
  query.text = ctx.request.Query("q");
  query.region_code = ctx.request.Query("region_code");
  query.type = ctx.request.Query("type");
  query.page = *page;
  RS_API_TRY(orgs, s.admin.ListOrganizations(*ctx.principal, query));
  return JsonResponse(200, PageJson(*orgs, [](const auto& o) { return ToJson(o); }));
}

HttpResponse GetOrg(RequestContext& ctx, Services& s) {
  RS_API_TRY(id, PathId(ctx));
  RS_API_TRY(org, s.admin.GetOrganization(*ctx.principal, *id));
  return JsonResponse(200, ToJson(*org));
}

Result<platform::OrgDraft> OrgDraftFrom(const std::string& body) {
  Result<json::object> obj = ParseObject(body);
  RS_TRY(obj);
  platform::OrgDraft d;
  Result<std::string> code = GetString(*obj, "code");
  RS_TRY(code);
  Result<std::string> name = GetString(*obj, "name");
  RS_TRY(name);
  Result<std::string> short_name = GetString(*obj, "short_name", false);
  RS_TRY(short_name);
  Result<std::string> type = GetString(*obj, "type");
  RS_TRY(type);
  Result<std::string> region = GetString(*obj, "region_code");
  RS_TRY(region);
  Result<std::vector<std::string>> aliases = GetStringList(*obj, "aliases");
  RS_TRY(aliases);
  Result<std::optional<std::int64_t>> parent = GetId(*obj, "parent_id", false);
  RS_TRY(parent);
  return platform::OrgDraft{*code, *name, *short_name, *aliases, *type, *region, *parent};
}

HttpResponse CreateOrg(RequestContext& ctx, Services& s) {
  RS_API_TRY(draft, OrgDraftFrom(ctx.request.body));
  RS_API_TRY(org, s.admin.CreateOrganization(*ctx.principal, *draft));
  return JsonResponse(201, ToJson(*org));
}

HttpResponse UpdateOrg(RequestContext& ctx, Services& s) {
  RS_API_TRY(id, PathId(ctx));
  RS_API_TRY(draft, OrgDraftFrom(ctx.request.body));
  RS_API_TRY(org, s.admin.UpdateOrganization(*ctx.principal, *id, *draft));
  return JsonResponse(200, ToJson(*org));
}

HttpResponse DeleteOrg(RequestContext& ctx, Services& s) {
  RS_API_TRY(id, PathId(ctx));
  Status done = s.admin.DeleteOrganization(*ctx.principal, *id);
  if (!done) return ErrorResponse(done.error(), ctx.request.request_id);
  return NoContent();
}

HttpResponse ListUsers(RequestContext& ctx, Services& s) {
  RS_API_TRY(page, ParsePage(ctx.request));
  platform::UserQuery query;
  query.text = ctx.request.Query("q");
  query.role = ctx.request.Query("role");
  query.status = ctx.request.Query("status");
  if (!ctx.request.Query("org_id").empty()) {
    RS_API_TRY(org, ParseId(ctx.request.Query("org_id"), "org_id"));
    query.org_id = *org;
  }
  query.page = *page;
  RS_API_TRY(users, s.admin.ListUsers(*ctx.principal, query));
  std::string now = Now();
  return JsonResponse(200, PageJson(*users, [&](const auto& u) { return ToJson(u, now); }));
}

HttpResponse GetUser(RequestContext& ctx, Services& s) {
  RS_API_TRY(id, PathId(ctx));
  RS_API_TRY(user, s.admin.GetUser(*ctx.principal, *id));
  return JsonResponse(200, ToJson(*user, Now()));
}

Result<platform::UserDraft> UserDraftFrom(const std::string& body, bool create) {
  Result<json::object> obj = ParseObject(body);
  RS_TRY(obj);
  platform::UserDraft d;
  if (create) {
    Result<std::string> username = GetString(*obj, "username");
    RS_TRY(username);
    d.username = *username;
  } else {
    Result<std::string> status = GetString(*obj, "status", false);
    RS_TRY(status);
    d.status = status->empty() ? "active" : *status;
  }
  Result<std::string> display = GetString(*obj, "display_name");
  RS_TRY(display);
  d.display_name = *display;
  Result<std::optional<std::int64_t>> org = GetId(*obj, "org_id", true);
  RS_TRY(org);
  d.org_id = **org;
  Result<std::string> phone = GetString(*obj, "phone", false);
  RS_TRY(phone);
  d.phone = *phone;
  return d;
}

HttpResponse CreateUser(RequestContext& ctx, Services& s) {
  RS_API_TRY(draft, UserDraftFrom(ctx.request.body, true));
  RS_API_TRY(created, s.admin.CreateUser(*ctx.principal, *draft));
  return JsonResponse(201, json::object{{"user", ToJson(created->user, Now())},
                                        {"temporary_password", created->temporary_password}});
}

HttpResponse UpdateUser(RequestContext& ctx, Services& s) {
  RS_API_TRY(id, PathId(ctx));
  RS_API_TRY(draft, UserDraftFrom(ctx.request.body, false));
  RS_API_TRY(user, s.admin.UpdateUser(*ctx.principal, *id, *draft));
  return JsonResponse(200, ToJson(*user, Now()));
}

HttpResponse UnlockUser(RequestContext& ctx, Services& s) {
  RS_API_TRY(id, PathId(ctx));
  RS_API_TRY(user, s.admin.UnlockUser(*ctx.principal, *id));
  return JsonResponse(200, ToJson(*user, Now()));
}

HttpResponse ResetPassword(RequestContext& ctx, Services& s) {
  RS_API_TRY(id, PathId(ctx));
  RS_API_TRY(password, s.admin.ResetPassword(*ctx.principal, *id));
  return JsonResponse(200, json::object{{"temporary_password", *password}});
}

HttpResponse SetRoles(RequestContext& ctx, Services& s) {
  RS_API_TRY(id, PathId(ctx));
  RS_API_TRY(body, ParseObject(ctx.request.body));
  RS_API_TRY(roles, GetStringList(*body, "roles"));
  if (!body->contains("roles")) {
    return ErrorResponse({ErrorCode::kInvalidArgument, "缺少字段 roles", "roles"},
                         ctx.request.request_id);
  }
  RS_API_TRY(user, s.admin.SetRoles(*ctx.principal, *id, *roles));
  return JsonResponse(200, ToJson(*user, Now()));
}

HttpResponse ListRoles() {
  json::array items;
  for (const platform::RoleInfo& role : platform::AllRoles()) {
    json::array permissions;
    for (Permission p : role.permissions) permissions.emplace_back(platform::PermissionName(p));
    items.push_back(json::object{{"id", role.id},
                                 {"name_zh", role.name_zh},
                                 {"name_en", role.name_en},
                                 {"admin", role.admin},
                                 {"description", role.description},
                                 {"permissions", permissions}});
  }
  return JsonResponse(200, json::object{{"items", items}});
}

HttpResponse Overview(RequestContext& ctx, Services& s) {
  RS_API_TRY(overview, s.admin.GetOverview(*ctx.principal));
  json::array regions;
  for (const platform::RegionCount& c : overview->by_region) {
    regions.push_back(json::object{{"region_code", c.region_code},
                                   {"region_name", c.region_name},
                                   {"organizations", c.organizations},
                                   {"users", c.users}});
  }
  json::array days;
  for (const platform::DayCount& d : overview->audit_per_day) {
    days.push_back(json::object{{"date", d.date}, {"count", d.count}});
  }
  return JsonResponse(200, json::object{{"organizations", overview->organizations},
                                        {"users", overview->users},
                                        {"by_region", regions},
                                        {"audit_per_day", days}});
}

}  // namespace

void AddAdminRoutes(Router& r, Services& s) {
  auto bind = [&s](HttpResponse (*fn)(RequestContext&, Services&)) {
    return [&s, fn](RequestContext& ctx) { return fn(ctx, s); };
  };
  r.Add("GET", "/api/v1/regions", Access::Authenticated(), {"行政区划（GB/T 2260）", "admin", "", ""},
        bind(ListRegions));
  r.Add("GET", "/api/v1/organizations", Access::Authenticated(),
        {"机构列表", "admin", "", "OrganizationPage", {"q", "region_code", "type", "page", "page_size"}},
        bind(ListOrgs));
  r.Add("GET", "/api/v1/organizations/{id}", Access::Authenticated(),
        {"机构详情", "admin", "", "Organization"}, bind(GetOrg));
  r.Add("POST", "/api/v1/organizations", Access::Require(Permission::kOrgWrite),
        {"新增机构", "admin", "OrganizationInput", "Organization"}, bind(CreateOrg));
  r.Add("PUT", "/api/v1/organizations/{id}", Access::Require(Permission::kOrgWrite),
        {"修改机构", "admin", "OrganizationInput", "Organization"}, bind(UpdateOrg));
  r.Add("DELETE", "/api/v1/organizations/{id}", Access::Require(Permission::kOrgWrite),
        {"删除误建的机构（仍有用户、下级机构或业务记录时拒绝）", "admin", "", ""}, bind(DeleteOrg));
  r.Add("GET", "/api/v1/users", Access::Require(Permission::kUserRead),
        {"用户列表", "admin", "", "UserPage", {"q", "org_id", "role", "status", "page", "page_size"}},
        bind(ListUsers));
  r.Add("GET", "/api/v1/users/{id}", Access::Require(Permission::kUserRead),
        {"用户详情", "admin", "", "User"}, bind(GetUser));
  r.Add("POST", "/api/v1/users", Access::Require(Permission::kUserWrite),
        {"新增用户（返回一次性临时密码）", "admin", "UserInput", "CreatedUser"}, bind(CreateUser));
  r.Add("PUT", "/api/v1/users/{id}", Access::Require(Permission::kUserWrite),
        {"修改用户", "admin", "UserInput", "User"}, bind(UpdateUser));
  r.Add("POST", "/api/v1/users/{id}/unlock", Access::Require(Permission::kUserWrite),
        {"解锁用户", "admin", "", "User"}, bind(UnlockUser));
  r.Add("POST", "/api/v1/users/{id}/reset-password", Access::Require(Permission::kUserWrite),
        {"重置密码（返回一次性临时密码）", "admin", "", ""}, bind(ResetPassword));
  r.Add("PUT", "/api/v1/users/{id}/roles", Access::Require(Permission::kRoleGrant),
        {"分配角色（三权分立）", "admin", "RolesInput", "User"}, bind(SetRoles));
  r.Add("GET", "/api/v1/roles", Access::Authenticated(), {"角色列表", "admin", "", ""},
        [](RequestContext&) { return ListRoles(); });
  r.Add("GET", "/api/v1/stats/overview", Access::Authenticated(), {"首页概览", "admin", "", ""},
        bind(Overview));
}

}  // namespace redshield::api
