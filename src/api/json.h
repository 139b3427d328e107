// JSON in and out of handlers (Boost.JSON): parsing request bodies with
// errors that name the line and column, reading fields with errors that name
// the field, and the one error body shape of the API.
#pragma once

#include <optional>
#include <string>
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
HttpResponse ErrorResponse(const Error& error, const std::string& request_id);
HttpResponse NoContent();

std::string IdText(std::int64_t id);
json::value OptionalText(const std::optional<std::string>& value);

}  // namespace redshield::api
