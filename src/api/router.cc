#include "api/router.h"

#include "core/check.h"

namespace redshield::api {
namespace {

std::vector<std::string_view> Segments(std::string_view path) {
  std::vector<std::string_view> out;
  while (!path.empty()) {
    if (path.front() == '/') {
      path.remove_prefix(1);
      continue;
    }
    size_t end = path.find('/');
    out.push_back(path.substr(0, end));
    if (end == std::string_view::npos) break;
    path.remove_prefix(end);
  }
  return out;
}

bool MatchPattern(const std::string& pattern, const std::string& path,
                  std::map<std::string, std::string>& params) {
  std::vector<std::string_view> want = Segments(pattern);
  std::vector<std::string_view> got = Segments(path);
  if (want.size() != got.size()) return false;
  for (size_t i = 0; i < want.size(); ++i) {
    if (want[i].starts_with('{')) {
      params[std::string(want[i].substr(1, want[i].size() - 2))] = std::string(got[i]);
    } else if (want[i] != got[i]) {
      return false;
    }
  }
  return true;
}

}  // namespace

void Router::Add(std::string method, std::string pattern, Access access, RouteDoc doc,
                 Handler handler) {
  RS_CHECK(access.kind != AccessKind::kPermission ||
           access.permission != platform::Permission::kCount)
      << "route without permission: " << pattern;
  routes_.push_back({std::move(method), std::move(pattern), access, std::move(doc),
                     std::move(handler)});
}

void Router::AddUpload(std::string method, std::string pattern, Access access, RouteDoc doc,
                       Handler handler) {
  RS_CHECK(access.kind != AccessKind::kPublic) << "public upload route: " << pattern;
  Add(std::move(method), std::move(pattern), access, std::move(doc), std::move(handler));
  routes_.back().streamed_body = true;
}

Router::Match Router::Find(const std::string& method, const std::string& path) const {
  Match match;
  for (const Route& route : routes_) {
    std::map<std::string, std::string> params;
    if (!MatchPattern(route.pattern, path, params)) continue;
    match.path_known = true;
    if (route.method == method) {
      match.route = &route;
      match.params = std::move(params);
      return match;
    }
  }
  return match;
}

}  // namespace redshield::api
