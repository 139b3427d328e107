// The HTTP request and response as the rest of the API sees them: plain
// values, no Beast types, so that handlers compile fast and test easily.
#pragma once

#include <map>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace redshield::api {

struct HttpRequest {
  std::string method;  // "GET", "POST", ...
  std::string path;    // decoded path without the query
  std::map<std::string, std::string> query;
  std::map<std::string, std::string> headers;  // lower-case names
  std::string body;
  // Routes with a streamed body (Router::AddUpload): the body is not in
  // `body` but in this file, which the server deletes after the response
  // unless the handler has moved it away.
  std::string body_file;
  unsigned long long body_bytes = 0;  // size of body_file
  std::string client_addr;
  std::string request_id;

  std::string Header(std::string_view name) const;
  std::string Query(std::string_view name) const;
  std::string Cookie(std::string_view name) const;
};

struct HttpResponse {
  int status = 200;
  std::string content_type = "application/json; charset=utf-8";
  std::string body;
  std::vector<std::pair<std::string, std::string>> headers;

  void AddHeader(std::string name, std::string value) {
    headers.emplace_back(std::move(name), std::move(value));
  }
};

// How the server reads a request's body, decided from its headers alone
// (before any of the body is read): into memory up to the server's body
// limit, into a spool file up to `limit`, or not at all (the request is
// answered with `rejection` and the connection closed).
struct BodyPlan {
  enum class Kind { kBuffer, kSpool, kReject };
  Kind kind = Kind::kBuffer;
  unsigned long long limit = 0;  // kSpool: largest body accepted, bytes
  HttpResponse rejection;        // kReject
};

// The Content-Disposition of a download named `filename` (any UTF-8):
// attachment; filename="ascii_fallback"; filename*=UTF-8''percent-encoded
std::string ContentDisposition(const std::string& filename);
// An .xlsx download of `bytes` named `filename`.
HttpResponse XlsxDownload(std::string bytes, const std::string& filename);
// An attached file as a download (attachment disposition, nosniff).
HttpResponse FileDownload(std::string content_type, const std::string& filename, std::string bytes);

// Splits "a=1&b=%E4%B8%AD" into decoded pairs ("+" is a space).
std::map<std::string, std::string> ParseQueryString(std::string_view query);
std::string PercentDecode(std::string_view text);

}  // namespace redshield::api
