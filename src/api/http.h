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

// Splits "a=1&b=%E4%B8%AD" into decoded pairs ("+" is a space).
std::map<std::string, std::string> ParseQueryString(std::string_view query);
std::string PercentDecode(std::string_view text);

}  // namespace redshield::api
