// JSON in and out of handlers (Boost.JSON): parsing request bodies with
// errors that name the line and column, reading fields with errors that name
// the field, and the one error body shape of the API.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <boost/json.hpp>

#include "api/http.h"
#include "core/error.h"

namespace redshield::api {

namespace json = boost::json;

// kInvalidArgument "请求体不是合法的 JSON：第 L 行第 C 列 ..." or "must be an object".
Result<json::object> ParseObject(const std::string& body);

// Field readers: kInvalidArgument naming the field if it is missing (when
// required) or of the wrong type.
Result<std::string> GetString(const json::object& obj, const char* field, bool required = true);
Result<std::vector<std::string>> GetStringList(const json::object& obj, const char* field);
// Ids travel as strings (JavaScript numbers cannot hold 64 bits); numbers are accepted too.
Result<std::optional<std::int64_t>> GetId(const json::object& obj, const char* field,
                                          bool required);
Result<std::int64_t> ParseId(const std::string& text, const char* field);
// true or false; false if absent or null.
Result<bool> GetFlag(const json::object& obj, const char* field);
// A number (integer or not); nullopt if absent or null.
Result<std::optional<double>> GetNumber(const json::object& obj, const char* field);
// An array of objects; empty if absent or null.
Result<std::vector<const json::object*>> GetObjectList(const json::object& obj, const char* field);

HttpResponse JsonResponse(int status, const json::value& body);

// Appends `text` as a JSON string: quoted, with `"`, `\` and control
// characters escaped and UTF-8 as it is.
void AppendJsonString(std::string& out, std::string_view text);

// A flat JSON object written field by field, for a hot route's body (public
// verification): building a json::object and serializing it was 15% of its
// instructions. Fields are written in the order given, never checked for
// duplicates.
class FlatJsonWriter {
 public:
  FlatJsonWriter();
  FlatJsonWriter& Field(std::string_view name, std::string_view value);
  FlatJsonWriter& Field(std::string_view name, std::int64_t value);
  // The object, closed; the writer is empty afterwards.
  std::string Take();

 private:
  void Name(std::string_view name);
  std::string out_;
};
HttpResponse ErrorResponse(const Error& error, const std::string& request_id);
HttpResponse NoContent();

std::string IdText(std::int64_t id);
json::value OptionalText(const std::optional<std::string>& value);

}  // namespace redshield::api
