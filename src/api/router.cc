#include "api/router.h"

#include <algorithm>

#include "core/check.h"

namespace redshield::api {
namespace {

std::vector<std::string_view> Segments(std::string_view path) {
  std::vector<std::string_view> out;
  out.reserve(8);  // one allocation for the API's paths, not one per doubling
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

// Compares a route's segments with the path's, allocating only for the
// parameters of a match: Find() runs for every request over the routes of
// its shape (perf: 6% of a verify request was re-parsing patterns before
// segments were kept; callgrind: 8% of its instructions went to comparing
// its path with every route, twice, before routes were kept by shape and
// the body plan looked among uploads only).
bool MatchSegments(const std::vector<std::string>& want, const std::vector<std::string_view>& got,
                   std::map<std::string, std::string>* params) {
  if (want.size() != got.size()) return false;
  for (size_t index = 0; index < want.size(); ++index) {
    const std::string& segment = want[index];
    if (segment.starts_with('{')) {
      if (params != nullptr) (*params)[segment.substr(1, segment.size() - 2)] = std::string(got[index]);
    } else if (segment != got[index]) {
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
  std::vector<std::string> segments;
  for (std::string_view segment : Segments(pattern)) segments.emplace_back(segment);
  RS_CHECK(segments.size() < 3 || !segments[2].starts_with('{'))
      << "route with a parameter for its resource: " << pattern;
  if (by_shape_.size() <= segments.size()) by_shape_.resize(segments.size() + 1);
  by_shape_[segments.size()][segments.size() > 2 ? segments[2] : ""].push_back(routes_.size());
  routes_.push_back({std::move(method), std::move(pattern), access, std::move(doc), std::move(handler), false,
                     std::move(segments)});
}

void Router::AddUpload(std::string method, std::string pattern, Access access, RouteDoc doc,
                       Handler handler) {
  RS_CHECK(access.kind != AccessKind::kPublic) << "public upload route: " << pattern;
  Add(std::move(method), std::move(pattern), access, std::move(doc), std::move(handler));
  routes_.back().streamed_body = true;
  uploads_.push_back(routes_.size() - 1);
}

Router::Match Router::Find(const std::string& method, const std::string& path) const {
  const std::vector<std::string_view> got = Segments(path);
  if (got.size() >= by_shape_.size()) return {};
  const auto& resources = by_shape_[got.size()];
  auto same = resources.find(got.size() > 2 ? got[2] : std::string_view());
  if (same == resources.end()) return {};
  return FindAmong(same->second, method, got);
}

Router::Match Router::FindUpload(const std::string& method, const std::string& path) const {
  return FindAmong(uploads_, method, Segments(path));
}

Router::Match Router::FindAmong(const std::vector<std::size_t>& candidates,
                                const std::string& method,
                                const std::vector<std::string_view>& got) const {
  Match match;
  for (std::size_t index : candidates) {
    const Route& route = routes_[index];
    if (!MatchSegments(route.segments, got, nullptr)) continue;
    match.path_known = true;
    if (route.method == method) {
      match.route = &route;
      MatchSegments(route.segments, got, &match.params);
      return match;
    }
  }
  return match;
}

}  // namespace redshield::api
