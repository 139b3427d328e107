// Fuzzes what the API parses from clients before any handler logic: query
// strings, percent-decoding, cookies, JSON bodies (with the line/column error
// path) and id fields. Built from the API's own sources (http.cc, json.cc).
#include <cstddef>
#include <cstdint>
#include <string>

#include "api/http.h"
#include "api/json.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string input(reinterpret_cast<const char*>(data), size);
  redshield::api::ParseQueryString(input);
  redshield::api::PercentDecode(input);
  redshield::api::HttpRequest request;
  request.headers["cookie"] = input;
  (void)request.Cookie("rs_session");
  redshield::Result<redshield::api::json::object> body = redshield::api::ParseObject(input);
  if (body) {
    (void)redshield::api::GetString(*body, "username", false);
    (void)redshield::api::GetStringList(*body, "roles");
    (void)redshield::api::GetId(*body, "org_id", false);
  } else if (body.error().message.empty()) {
    __builtin_trap();  // every rejection must say why
  }
  (void)redshield::api::ParseId(input, "id");
  return 0;
}
