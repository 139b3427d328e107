#include "api/router.h"

#include <algorithm>

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

// Walks `pattern` segment by segment against the path's segments, without
// allocating unless it matches: Find() runs for every request over every
// route, and the verification route (issue 7 §4) is near the end of the list.
bool MatchPattern(std::string_view pattern, const std::vector<std::string_view>& got,
                  std::map<std::string, std::string>* params) {
  size_t index = 0;
  while (!pattern.empty()) {
    if (pattern.front() == '/') {
      pattern.remove_prefix(1);
      continue;
    }
    const size_t end = std::min(pattern.find('/'), pattern.size());
    std::string_view want = pattern.substr(0, end);
    pattern.remove_prefix(end);
    if (index >= got.size()) return false;
    if (want.starts_with('{')) {
      if (params != nullptr) (*params)[std::string(want.substr(1, want.size() - 2))] = std::string(got[index]);
    } else if (want != got[index]) {
      return false;
    }
    ++index;
  }
  return index == got.size();
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
  const std::vector<std::string_view> got = Segments(path);
  for (const Route& route : routes_) {
    if (!MatchPattern(route.pattern, got, nullptr)) continue;
    match.path_known = true;
    if (route.method == method) {
      match.route = &route;
      MatchPattern(route.pattern, got, &match.params);
      return match;
    }
  }
  return match;
}

}  // namespace redshield::api
