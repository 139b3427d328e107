#include "api/json.h"

#include <algorithm>
#include <charconv>

#include "api/error_mapping.h"

namespace redshield::api {

Result<json::object> ParseObject(const std::string& body) {
  json::stream_parser parser;
  boost::system::error_code ec;
  size_t used = parser.write_some(body.data(), body.size(), ec);
  if (!ec) parser.finish(ec);
  if (ec) {
    size_t line = 1, column = 1;
    for (size_t i = 0; i < used && i < body.size(); ++i) {
      if (body[i] == '\n') {
        ++line;
        column = 1;
      } else if ((static_cast<unsigned char>(body[i]) & 0xC0) != 0x80) {
        ++column;
      }
    }
    return Fail(ErrorCode::kInvalidArgument,
                "请求体不是合法的 JSON：第 " + std::to_string(line) + " 行第 " +
                    std::to_string(column) + " 列（" + ec.message() + "）",
                "body");
  }
  json::value value = parser.release();
  if (!value.is_object()) {
    return Fail(ErrorCode::kInvalidArgument, "请求体须为 JSON 对象", "body");
  }
  return std::move(value.as_object());
}

Result<std::string> GetString(const json::object& obj, const char* field, bool required) {
  const json::value* v = obj.if_contains(field);
  if (v == nullptr || v->is_null()) {
    if (required) return Fail(ErrorCode::kInvalidArgument, std::string("缺少字段 ") + field, field);
    return std::string();
  }
  if (!v->is_string()) {
    return Fail(ErrorCode::kInvalidArgument, std::string("字段 ") + field + " 须为字符串", field);
  }
  return std::string(v->as_string());
}

Result<std::vector<std::string>> GetStringList(const json::object& obj, const char* field) {
  std::vector<std::string> out;
  const json::value* v = obj.if_contains(field);
  if (v == nullptr || v->is_null()) return out;
  if (!v->is_array()) {
    return Fail(ErrorCode::kInvalidArgument, std::string("字段 ") + field + " 须为字符串数组", field);
  }
  for (const json::value& item : v->as_array()) {
    if (!item.is_string()) {
      return Fail(ErrorCode::kInvalidArgument, std::string("字段 ") + field + " 须为字符串数组",
                  field);
    }
    out.emplace_back(item.as_string());
  }
  return out;
}

Result<bool> GetFlag(const json::object& obj, const char* field) {
  const json::value* v = obj.if_contains(field);
  if (v == nullptr || v->is_null()) return false;
  if (!v->is_bool()) return Fail(ErrorCode::kInvalidArgument, std::string("字段 ") + field + " 须为 true 或 false", field);
  return v->get_bool();
}

Result<std::optional<double>> GetNumber(const json::object& obj, const char* field) {
  const json::value* v = obj.if_contains(field);
  if (v == nullptr || v->is_null()) return std::optional<double>();
  if (v->is_int64()) return std::optional<double>(static_cast<double>(v->as_int64()));
  if (v->is_uint64()) return std::optional<double>(static_cast<double>(v->as_uint64()));
  if (v->is_double()) return std::optional<double>(v->as_double());
  return Fail(ErrorCode::kInvalidArgument, std::string("字段 ") + field + " 须为数字", field);
}

Result<std::vector<const json::object*>> GetObjectList(const json::object& obj,
                                                       const char* field) {
  std::vector<const json::object*> out;
  const json::value* v = obj.if_contains(field);
  if (v == nullptr || v->is_null()) return out;
  if (!v->is_array()) {
    return Fail(ErrorCode::kInvalidArgument, std::string("字段 ") + field + " 须为数组", field);
  }
  for (const json::value& item : v->as_array()) {
    if (!item.is_object()) {
      return Fail(ErrorCode::kInvalidArgument, std::string("字段 ") + field + " 的元素须为对象",
                  field);
    }
    out.push_back(&item.as_object());
  }
  return out;
}

Result<std::int64_t> ParseId(const std::string& text, const char* field) {
  std::int64_t id = 0;
  auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), id);
  if (ec != std::errc() || end != text.data() + text.size() || id <= 0) {
    return Fail(ErrorCode::kInvalidArgument, std::string("字段 ") + field + " 不是有效的编号", field);
  }
  return id;
}

Result<std::optional<std::int64_t>> GetId(const json::object& obj, const char* field,
                                          bool required) {
  const json::value* v = obj.if_contains(field);
  if (v == nullptr || v->is_null() || (v->is_string() && v->as_string().empty())) {
    if (required) return Fail(ErrorCode::kInvalidArgument, std::string("缺少字段 ") + field, field);
    return std::optional<std::int64_t>();
  }
  if (v->is_int64() && v->as_int64() > 0) return std::optional<std::int64_t>(v->as_int64());
  if (v->is_string()) {
    Result<std::int64_t> id = ParseId(std::string(v->as_string()), field);
    RS_TRY(id);
    return std::optional<std::int64_t>(*id);
  }
  return Fail(ErrorCode::kInvalidArgument, std::string("字段 ") + field + " 不是有效的编号", field);
}

HttpResponse JsonResponse(int status, const json::value& body) {
  HttpResponse response;
  response.status = status;
  response.body = json::serialize(body);
  return response;
}

void AppendJsonString(std::string& out, std::string_view text) {
  static constexpr std::string_view kShort = "\"\\\n\r\t\b\f";  // escaped as \ and a letter
  static constexpr std::string_view kLetters = "\"\\nrtbf";
  static constexpr char kHex[] = "0123456789abcdef";
  auto plain = [](char c) {
    return c != '"' && c != '\\' && static_cast<unsigned char>(c) >= 0x20;
  };
  out += '"';
  for (auto it = text.begin(); it != text.end();) {
    auto run = std::find_if_not(it, text.end(), plain);
    out.append(it, run);
    if (run == text.end()) break;
    const auto c = static_cast<unsigned char>(*run);
    if (size_t i = kShort.find(*run); i != std::string_view::npos) {
      out += '\\';
      out += kLetters[i];
    } else {
      out += "\\u00";
      out += kHex[c >> 4];
      out += kHex[c & 0xF];
    }
    it = run + 1;
  }
  out += '"';
}

FlatJsonWriter::FlatJsonWriter() {
  out_.reserve(1024);
  out_ += '{';
}

void FlatJsonWriter::Name(std::string_view name) {
  if (out_.size() > 1) out_ += ',';
  AppendJsonString(out_, name);
  out_ += ':';
}

FlatJsonWriter& FlatJsonWriter::Field(std::string_view name, std::string_view value) {
  Name(name);
  AppendJsonString(out_, value);
  return *this;
}

FlatJsonWriter& FlatJsonWriter::Field(std::string_view name, std::int64_t value) {
  Name(name);
  char digits[24];
  auto [end, ec] = std::to_chars(digits, digits + sizeof digits, value);
  out_.append(digits, end);
  return *this;
}

std::string FlatJsonWriter::Take() {
  out_ += '}';
  return std::move(out_);
}

HttpResponse ErrorResponse(const Error& error, const std::string& request_id) {
  json::object inner{{"code", ErrorCodeName(error.code)},
                     {"message", error.message},
                     {"request_id", request_id}};
  if (!error.field.empty()) inner["field"] = error.field;
  HttpResponse response = JsonResponse(HttpStatusFor(error.code), json::object{{"error", inner}});
  if (error.code == ErrorCode::kRateLimited) response.AddHeader("Retry-After", "1");
  return response;
}

HttpResponse NoContent() {
  HttpResponse response;
  response.status = 204;
  response.content_type.clear();
  return response;
}

std::string IdText(std::int64_t id) { return std::to_string(id); }

json::value OptionalText(const std::optional<std::string>& value) {
  if (!value) return nullptr;
  return json::value(*value);
}

}  // namespace redshield::api
