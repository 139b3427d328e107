#include "ingest/case_facts_json.h"

#include <boost/json/parse.hpp>
#include <boost/json/value.hpp>

#include <algorithm>
#include <cmath>
#include <string>

#include "core/money.h"

namespace redshield::ingest {
namespace {

namespace json = boost::json;

// A JSON number above this many yuan cannot be a real case (and would leave int64 fen).
constexpr double kMaxYuan = 1e13;

tl::unexpected<Error> FieldFail(const std::string& path, std::string_view problem) {
  return tl::unexpected<Error>(
      Error{ErrorCode::kInvalidArgument, "字段 " + path + "：" + std::string(problem), path});
}

Result<int64_t> ParseAmount(const json::value& value, const std::string& path) {
  if (value.is_string()) {
    const json::string& text = value.get_string();
    Result<int64_t> fen = ParseYuan(std::string_view(text.data(), text.size()));
    if (!fen) return FieldFail(path, fen.error().message);
    return *fen;
  }
  double yuan = 0;
  if (value.is_int64()) {
    if (value.get_int64() < 0) return FieldFail(path, "金额不能为负数");
    yuan = static_cast<double>(value.get_int64());
  } else if (value.is_uint64()) {
    yuan = static_cast<double>(value.get_uint64());
  } else if (value.is_double()) {
    yuan = value.get_double();
  } else {
    return FieldFail(path, "应为以元为单位的数字或金额文字");
  }
  if (!std::isfinite(yuan) || yuan < 0) return FieldFail(path, "金额不能为负数");
  if (yuan > kMaxYuan) return FieldFail(path, "金额过大");
  double fen = yuan * 100;
  double rounded = std::round(fen);
  if (std::fabs(fen - rounded) > 1e-6 * std::max(1.0, fen)) {
    return FieldFail(path, "金额最多两位小数（分）");
  }
  return static_cast<int64_t>(rounded);
}

Result<int64_t> ParseCount(const json::value& value, const std::string& path) {
  if (value.is_int64() && value.get_int64() >= 0) return value.get_int64();
  if (value.is_uint64() && value.get_uint64() <= static_cast<uint64_t>(INT64_MAX)) {
    return static_cast<int64_t>(value.get_uint64());
  }
  if (value.is_double()) {
    double number = value.get_double();
    if (number >= 0 && number < 9e15 && std::floor(number) == number) {
      return static_cast<int64_t>(number);
    }
  }
  return FieldFail(path, "应为非负整数");
}

Result<std::string> ParseText(const json::value& value, const std::string& path) {
  if (!value.is_string()) return FieldFail(path, "应为字符串");
  const json::string& text = value.get_string();
  if (text.empty()) return FieldFail(path, "不能为空");
  return std::string(text.data(), text.size());
}

Result<bool> ParseBool(const json::value& value, const std::string& path) {
  if (!value.is_bool()) return FieldFail(path, "应为 true 或 false");
  return value.get_bool();
}

// Sets one field of `facts`; the caller has skipped nulls.
Status ParseField(std::string_view key, const json::value& value, const std::string& path,
                  cases::CaseFacts& facts) {
  auto amount = [&](int64_t& target) -> Status {
    Result<int64_t> fen = ParseAmount(value, path);
    if (!fen) return tl::unexpected(fen.error());
    target = *fen;
    return Ok();
  };
  auto count = [&](int64_t& target) -> Status {
    Result<int64_t> number = ParseCount(value, path);
    if (!number) return tl::unexpected(number.error());
    target = *number;
    return Ok();
  };
  auto flag = [&](bool& target) -> Status {
    Result<bool> parsed = ParseBool(value, path);
    if (!parsed) return tl::unexpected(parsed.error());
    target = *parsed;
    return Ok();
  };
  if (key == "offence") {
    Result<std::string> text = ParseText(value, path);
    if (!text) return tl::unexpected(text.error());
    facts.offence = std::move(*text);
    return Ok();
  }
  if (key == "offence_date") {
    Result<std::string> text = ParseText(value, path);
    if (!text) return tl::unexpected(text.error());
    Result<Date> date = Date::Parse(*text);
    if (!date) return FieldFail(path, date.error().message);
    facts.offence_date = *date;
    return Ok();
  }
  if (key == "goods_or_services") {
    Result<std::string> text = ParseText(value, path);
    if (!text) return tl::unexpected(text.error());
    if (*text == "goods" || *text == "商品") {
      facts.goods_or_services = cases::Supply::kGoods;
    } else if (*text == "services" || *text == "服务") {
      facts.goods_or_services = cases::Supply::kServices;
    } else {
      return FieldFail(path, "应为 goods 或 services");
    }
    return Ok();
  }
  if (key == "illegal_business_amount") return amount(facts.illegal_business_fen);
  if (key == "illegal_gains") return amount(facts.illegal_gains_fen);
  if (key == "sales_amount") return amount(facts.sales_fen);
  if (key == "unsold_value") return amount(facts.unsold_value_fen);
  if (key == "production_loss") return amount(facts.production_loss_fen);
  if (key == "rights_holder_loss") return amount(facts.rights_holder_loss_fen);
  if (key == "unsold_label_count") return count(facts.unsold_label_count);
  if (key == "judged_on") {
    Result<std::string> text = ParseText(value, path);
    if (!text) return tl::unexpected(text.error());
    Result<Date> date = Date::Parse(*text);
    if (!date) return FieldFail(path, date.error().message);
    facts.judged_on = *date;
    return Ok();
  }
  if (key == "label_count") return count(facts.label_count);
  if (key == "copies") return count(facts.copies);
  if (key == "marks_count") return count(facts.marks_count);
  if (key == "prior_penalty_within_2y") return flag(facts.prior_penalty_within_2y);
  if (key == "reasonable_suspicion") return flag(facts.reasonable_suspicion);
  return FieldFail(path, "未知字段");
}

Result<cases::CaseFacts> ParseOne(const json::value& value, const std::string& path) {
  if (!value.is_object()) return FieldFail(path, "应为对象");
  cases::CaseFacts facts;
  bool has_offence = false;
  bool has_date = false;
  for (const json::key_value_pair& member : value.get_object()) {
    std::string_view key(member.key().data(), member.key().size());
    std::string field_path = path + "." + std::string(key);
    if (member.value().is_null()) continue;
    Status parsed = ParseField(key, member.value(), field_path, facts);
    if (!parsed) return tl::unexpected(parsed.error());
    has_offence = has_offence || key == "offence";
    has_date = has_date || key == "offence_date";
  }
  if (!has_offence) return FieldFail(path + ".offence", "缺少必填字段");
  if (!has_date) return FieldFail(path + ".offence_date", "缺少必填字段");
  return facts;
}

}  // namespace

Result<std::vector<cases::CaseFacts>> ParseCaseFactsJson(std::string_view text) {
  boost::system::error_code ec;
  json::value root;
  try {
    root = json::parse(json::string_view(text.data(), text.size()), ec);
  } catch (const std::exception&) {
    return FieldFail("$", "无法解析");
  }
  if (ec) return FieldFail("$", "不是有效的 JSON");
  std::vector<cases::CaseFacts> all;
  if (root.is_array()) {
    const json::array& items = root.get_array();
    if (items.empty()) return FieldFail("$", "数组为空");
    for (size_t index = 0; index < items.size(); ++index) {
      Result<cases::CaseFacts> facts = ParseOne(items[index], "$[" + std::to_string(index) + "]");
      if (!facts) return tl::unexpected(facts.error());
      all.push_back(std::move(*facts));
    }
    return all;
  }
  Result<cases::CaseFacts> facts = ParseOne(root, "$");
  if (!facts) return tl::unexpected(facts.error());
  all.push_back(std::move(*facts));
  return all;
}

}  // namespace redshield::ingest
