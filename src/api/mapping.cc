#include "api/mapping.h"

#include <charconv>

#include "core/crypto.h"

namespace redshield::api {

json::object ToJson(const platform::User& user, const std::string& now) {
  json::array roles;
  for (const std::string& role : user.roles) roles.emplace_back(role);
  json::array permissions;
  for (platform::Permission p : platform::PermissionsOf(user.roles).List()) {
    permissions.emplace_back(platform::PermissionName(p));
  }
  bool locked = user.locked_until && *user.locked_until > now;
  std::string status = user.status == "disabled" ? "disabled" : (locked ? "locked" : "active");
  return {{"id", IdText(user.id)},
          {"username", user.username},
          {"display_name", user.display_name},
          {"org", json::object{{"id", IdText(user.org_id)},
                               {"code", user.org_code},
                               {"name", user.org_name},
                               {"region_code", user.org_region}}},
          {"roles", roles},
          {"permissions", permissions},
          {"status", status},
          {"locked_until", locked ? json::value(*user.locked_until) : json::value(nullptr)},
          {"must_change_password", user.must_change_password},
          {"phone_masked", user.phone_masked.empty() ? json::value(nullptr)
                                                     : json::value(user.phone_masked)},
          {"created_at", user.created_at},
          {"last_login_at", OptionalText(user.last_login_at)}};
}

json::object ToJson(const platform::Organization& org) {
  json::array aliases;
  for (const std::string& alias : org.aliases) aliases.emplace_back(alias);
  return {{"id", IdText(org.id)},
          {"code", org.code},
          {"name", org.name},
          {"short_name", org.short_name},
          {"aliases", aliases},
          {"type", org.type},
          {"region_code", org.region_code},
          {"region_name", org.region_name},
          {"parent_id", org.parent_id ? json::value(IdText(*org.parent_id)) : json::value(nullptr)}};
}

json::object ToJson(const AuditRecord& r, const std::string& org_name) {
  return {{"seq", r.seq},
          {"time", r.time},
          {"user_id", IdText(r.entry.actor.user_id)},
          {"username", r.entry.actor.username},
          {"org_id", IdText(r.entry.actor.org_id)},
          {"org_name", org_name},
          {"action", r.entry.action},
          {"object_type", r.entry.object_type},
          {"object_id", r.entry.object_id},
          {"summary", r.entry.summary},
          {"client_addr", r.entry.actor.client_addr},
          {"request_id", r.entry.actor.request_id},
          {"prev_hash", r.prev_hash},
          {"hash", r.hash}};
}

namespace {
Result<int> QueryInt(const HttpRequest& request, const char* name, int fallback, int min, int max) {
  std::string text = request.Query(name);
  if (text.empty()) return fallback;
  int value = 0;
  auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (ec != std::errc() || end != text.data() + text.size() || value < min || value > max) {
    return Fail(ErrorCode::kInvalidArgument,
                std::string("参数 ") + name + " 须为 " + std::to_string(min) + "-" +
                    std::to_string(max) + " 的整数",
                name);
  }
  return value;
}
}  // namespace

Result<platform::PageRequest> ParsePage(const HttpRequest& request) {
  Result<int> page = QueryInt(request, "page", 1, 1, 1000000);
  RS_TRY(page);
  Result<int> size = QueryInt(request, "page_size", 20, 1, 200);
  RS_TRY(size);
  return platform::PageRequest{*page, *size};
}

Result<Id> PathId(const RequestContext& ctx) { return ParseId(ctx.params.at("id"), "id"); }

json::array ToJson(const std::vector<AttachmentMeta>& files) {
  json::array out;
  for (const AttachmentMeta& f : files) {
    out.push_back(json::object{{"id", IdText(f.id)},
                               {"kind", f.kind},
                               {"filename", f.filename},
                               {"content_type", f.content_type},
                               {"size", f.size},
                               {"sha256", f.sha256},
                               {"created_at", f.created_at}});
  }
  return out;
}

Result<std::vector<FileDraft>> ParseFileDrafts(const json::object& body) {
  Result<std::vector<const json::object*>> items = GetObjectList(body, "attachments");
  RS_TRY(items);
  std::vector<FileDraft> out;
  for (const json::object* item : *items) {
    Result<std::string> filename = GetString(*item, "filename");
    Result<std::string> type = GetString(*item, "content_type", false);
    Result<std::string> data = GetString(*item, "data_base64");
    if (!filename || !type || !data) {
      return Fail(ErrorCode::kInvalidArgument, "文件须包含 filename 和 data_base64（字符串）",
                  "attachments");
    }
    Result<std::string> bytes = Base64Decode(*data);
    if (!bytes) {
      return Fail(ErrorCode::kInvalidArgument,
                  "文件“" + *filename + "”的 data_base64 不是有效的 base64", "attachments");
    }
    out.push_back(FileDraft{*filename, *type, std::move(*bytes)});
  }
  return out;
}

}  // namespace redshield::api
