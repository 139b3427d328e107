// The network side: an HTTP/1.1 server (Boost.Beast, C++20 coroutines) that
// turns each request into an HttpRequest, calls the handler and writes the
// response. Keep-alive, header and body limits, idle timeouts, and a graceful
// stop on SIGTERM/SIGINT that lets requests in flight finish. This is the
// only translation unit that includes Beast.
#pragma once

#include <functional>
#include <string>

#include "api/http.h"
#include "core/error.h"

namespace redshield::api {

struct ServerOptions {
  std::string host = "127.0.0.1";
  unsigned short port = 8080;
  int threads = 4;                        // handlers block on the database
  size_t body_limit = 16 << 20;           // bytes; larger bodies get 413
  std::string spool_dir = "/tmp";         // where streamed bodies are written
  int idle_timeout_seconds = 30;
  int shutdown_grace_seconds = 10;
  std::function<void(const std::string&)> on_listening;  // called with "http://host:port"
};

using RequestHandler = std::function<HttpResponse(HttpRequest&)>;
// Decides from the headers how to read the body (BodyPlan); unset: buffer all.
using BodyPlanner = std::function<BodyPlan(HttpRequest&)>;

// Serves until SIGTERM or SIGINT. kUnavailable if the address cannot be bound.
// `planner` may be empty. A spooled body is written to a new file in
// options.spool_dir, passed as HttpRequest::body_file and removed after the
// handler returns (unless the handler moved it).
Status RunServer(const ServerOptions& options, const RequestHandler& handler,
                 const BodyPlanner& planner = {});

}  // namespace redshield::api
