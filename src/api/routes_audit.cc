// Routes: the audit log (auditadmin): query, chain verification, Excel export.
#include <map>

#include "api/api.h"
#include "api/mapping.h"
#include "api/xlsx.h"
#include "core/clock.h"

namespace redshield::api {
namespace {

using platform::Permission;

Result<platform::AuditQuery> AuditQueryFrom(const HttpRequest& req) {
  platform::AuditQuery q;
  for (auto [name, target] : {std::pair{"from", &q.from}, std::pair{"to", &q.to}}) {
    std::string text = req.Query(name);
    if (text.empty()) continue;
    Result<TimePoint> t = ParseTime(text);
    if (!t) return Fail(ErrorCode::kInvalidArgument, t.error().message, name);
    *target = FormatUtc(*t);
  }
  for (auto [name, target] : {std::pair{"user_id", &q.user_id}, std::pair{"org_id", &q.org_id}}) {
    if (req.Query(name).empty()) continue;
    Result<Id> id = ParseId(req.Query(name), name);
    RS_TRY(id);
    *target = *id;
  }
  q.action = req.Query("action");
  q.object_type = req.Query("object_type");
  q.object_id = req.Query("object_id");
  Result<platform::PageRequest> page = ParsePage(req);
  RS_TRY(page);
  q.page = *page;
  return q;
}

// Organisation names for a page of records, looked up once each.
class OrgNames {
 public:
  OrgNames(Services& s, const platform::Principal& who) : s_(s), who_(who) {}
  const std::string& Get(Id id) {
    auto it = names_.find(id);
    if (it != names_.end()) return it->second;
    Result<platform::Organization> org = s_.admin.GetOrganization(who_, id);
    return names_[id] = org ? org->name : "";
  }

 private:
  Services& s_;
  const platform::Principal& who_;
  std::map<Id, std::string> names_;
};

HttpResponse List(RequestContext& ctx, Services& s) {
  Result<platform::AuditQuery> query = AuditQueryFrom(ctx.request);
  if (!query) return ErrorResponse(query.error(), ctx.request.request_id);
  Result<platform::Page<AuditRecord>> page = s.audit.List(*ctx.principal, *query);
  if (!page) return ErrorResponse(page.error(), ctx.request.request_id);
  OrgNames names(s, *ctx.principal);
  return JsonResponse(200, PageJson(*page, [&](const AuditRecord& r) {
                        return ToJson(r, names.Get(r.entry.actor.org_id));
                      }));
}

HttpResponse Verify(RequestContext& ctx, Services& s) {
  Result<platform::ChainCheck> check = s.audit.Verify(ctx.principal);
  if (!check) return ErrorResponse(check.error(), ctx.request.request_id);
  return JsonResponse(200, json::object{{"ok", check->ok},
                                        {"checked", check->checked},
                                        {"first_broken_seq", check->first_broken_seq
                                                                 ? json::value(*check->first_broken_seq)
                                                                 : json::value(nullptr)},
                                        {"message", check->message}});
}

HttpResponse Export(RequestContext& ctx, Services& s) {
  Result<platform::AuditQuery> query = AuditQueryFrom(ctx.request);
  if (!query) return ErrorResponse(query.error(), ctx.request.request_id);
  query->page = {1, 10000};  // one sheet; narrower filters for more
  Result<platform::Page<AuditRecord>> page = s.audit.List(*ctx.principal, *query);
  if (!page) return ErrorResponse(page.error(), ctx.request.request_id);
  Sheet sheet{"审计日志",
              {"序号", "时间（北京时间）", "用户", "机构", "操作", "对象类型", "对象ID", "摘要",
               "客户端地址", "请求ID", "哈希"},
              {},
              {8, 22, 14, 30, 22, 14, 22, 50, 16, 20, 66}};
  OrgNames names(s, *ctx.principal);
  for (const AuditRecord& r : page->items) {
    Result<TimePoint> t = ParseTime(r.time);
    std::string local = t ? FormatUtc(*t + std::chrono::hours(8)).substr(0, 19) : r.time;
    local[10] = ' ';
    sheet.rows.push_back({std::to_string(r.seq), local, r.entry.actor.username,
                          names.Get(r.entry.actor.org_id), r.entry.action, r.entry.object_type,
                          r.entry.object_id, r.entry.summary, r.entry.actor.client_addr,
                          r.entry.actor.request_id, r.hash});
  }
  Result<std::string> bytes = WriteXlsx(sheet);
  if (!bytes) return ErrorResponse(bytes.error(), ctx.request.request_id);
  return XlsxDownload(std::move(*bytes), "审计日志.xlsx");
}

}  // namespace

void AddAuditRoutes(Router& r, Services& s) {
  const std::vector<std::string> kFilters = {"from",     "to",          "user_id",   "org_id", "action",
                                             "object_type", "object_id", "page",    "page_size"};
  r.Add("GET", "/api/v1/audit", Access::Require(Permission::kAuditRead),
        {"审计日志查询（新的在前）", "audit", "", "AuditPage", kFilters},
        [&s](RequestContext& ctx) { return List(ctx, s); });
  r.Add("GET", "/api/v1/audit/verify", Access::Require(Permission::kAuditRead),
        {"校验审计日志哈希链", "audit", "", ""}, [&s](RequestContext& ctx) { return Verify(ctx, s); });
  r.Add("GET", "/api/v1/audit/export", Access::Require(Permission::kAuditRead),
        {"导出审计日志（Excel）", "audit", "", "", kFilters},
        [&s](RequestContext& ctx) { return Export(ctx, s); });
}

}  // namespace redshield::api
