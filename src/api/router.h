// Routes: method + path pattern ("/api/v1/users/{id}") + the access rule it
// needs + the handler. Deny by default: a route cannot be added without an
// access rule, and the dispatcher enforces it before the handler runs.
#pragma once

#include <functional>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "api/http.h"
#include "platform/permissions.h"
#include "platform/types.h"

namespace redshield::api {

enum class AccessKind { kPublic, kAuthenticated, kPermission };

struct Access {
  AccessKind kind;
  platform::Permission permission = platform::Permission::kCount;
  // Allowed while the user must still change a temporary password.
  bool during_password_change = false;

  static Access Public() { return {AccessKind::kPublic}; }
  static Access Authenticated() { return {AccessKind::kAuthenticated}; }
  static Access AuthenticatedAlways() { return {AccessKind::kAuthenticated, {}, true}; }
  static Access Require(platform::Permission p) { return {AccessKind::kPermission, p}; }
};

struct RequestContext {
  const HttpRequest& request;
  std::map<std::string, std::string> params;        // from {name} segments
  const platform::Principal* principal = nullptr;  // set unless the route is public
};

using Handler = std::function<HttpResponse(RequestContext&)>;

struct RouteDoc {
  std::string summary;  // Chinese, one line
  std::string tag;
  std::string request_schema;   // name in components/schemas, or ""
  std::string response_schema;  // name in components/schemas, or ""
  std::vector<std::string> query_params;
};

struct Route {
  std::string method;
  std::string pattern;
  Access access;
  RouteDoc doc;
  Handler handler;
  // The body arrives in a spool file (HttpRequest::body_file), with the
  // upload limit instead of the body limit; access is checked from the
  // headers, before the body is read.
  bool streamed_body = false;
  // `pattern` split at '/', filled by Router::Add: Find() compares segments
  // without parsing every pattern again for every request.
  std::vector<std::string> segments;
};

class Router {
 public:
  void Add(std::string method, std::string pattern, Access access, RouteDoc doc, Handler handler);
  // A route whose body is streamed to a file (large uploads); never public.
  void AddUpload(std::string method, std::string pattern, Access access, RouteDoc doc,
                 Handler handler);

  struct Match {
    const Route* route = nullptr;
    std::map<std::string, std::string> params;
    bool path_known = false;  // some route has this path, under another method
  };
  Match Find(const std::string& method, const std::string& path) const;
  // As Find, among the streamed-body routes only (few): the server asks
  // this of every request before it reads the body.
  Match FindUpload(const std::string& method, const std::string& path) const;

  const std::vector<Route>& routes() const { return routes_; }

 private:
  Match FindAmong(const std::vector<std::size_t>& candidates, const std::string& method,
                  const std::vector<std::string_view>& segments) const;

  std::vector<Route> routes_;
  // Indices into routes_ in the order added: by number of segments and then
  // by the third segment (the resource of /api/v1/<resource>/…, a literal in
  // every pattern; "" in shorter ones), so that a path is compared only with
  // the routes that could match it; and the streamed ones.
  std::vector<std::map<std::string, std::vector<std::size_t>, std::less<>>> by_shape_;
  std::vector<std::size_t> uploads_;
};

}  // namespace redshield::api
