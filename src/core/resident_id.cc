#include "core/resident_id.h"

#include <array>

#include "core/region_code.h"
#include "core/text.h"

namespace redshield {
namespace {

constexpr std::array<int, 17> kWeights = {7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2};
constexpr std::string_view kCheckChars = "10X98765432";
constexpr int kMinBirthYear = 1800;

std::string Position(size_t index) { return "position " + std::to_string(index + 1); }

tl::unexpected<Error> FailAt(size_t index, std::string message) {
  return Fail(ErrorCode::kInvalidArgument, std::move(message), Position(index));
}

int DigitsValue(std::string_view digits) {
  int value = 0;
  for (char c : digits) value = value * 10 + (c - '0');
  return value;
}

// Normalises to 15 digits, or 17 digits plus a digit or upper-case X.
Result<std::string> NormalizeResidentId(std::string_view text) {
  const std::u32string chars = NormalizeInput(text);
  if (chars.size() != 18 && chars.size() != 15) {
    return Fail(ErrorCode::kInvalidArgument, "身份证号码应为 18 位（旧号码为 15 位），实为 " +
                                                 std::to_string(chars.size()) + " 位");
  }
  std::string number;
  for (size_t i = 0; i < chars.size(); ++i) {
    const char32_t cp = chars[i];
    const bool check_position = i == 17;
    if (IsAsciiDigit(cp) || (check_position && AsciiUpper(cp) == U'X')) {
      number.push_back(static_cast<char>(AsciiUpper(cp)));
      continue;
    }
    return FailAt(i, "第 " + std::to_string(i + 1) + " 位字符 " + QuoteChar(cp) + " 不合法：" +
                         (check_position ? "应为数字或 X" : "应为数字"));
  }
  return number;
}

Status CheckProvince(std::string_view number) {
  const std::string_view prefix = number.substr(0, 2);
  if (!ProvinceName(prefix).empty() || prefix == "83") return Ok();
  return FailAt(0, "第 1–2 位 " + std::string(prefix) + " 不是省级行政区划代码");
}

Result<Date> CheckBirthDate(std::string_view number, Date today) {
  const bool legacy = number.size() == 15;
  const std::string_view digits = number.substr(6, legacy ? 6 : 8);
  const std::string where = legacy ? "第 7–12 位" : "第 7–14 位";
  const int year =
      legacy ? 1900 + DigitsValue(digits.substr(0, 2)) : DigitsValue(digits.substr(0, 4));
  const size_t month_at = legacy ? 2 : 4;
  Result<Date> date = Date::FromYmd(year, DigitsValue(digits.substr(month_at, 2)),
                                    DigitsValue(digits.substr(month_at + 2, 2)));
  if (!date) {
    return FailAt(
        6, where + "出生日期 " + std::string(digits) + " 不是有效日期：" + date.error().message);
  }
  if (*date > today) return FailAt(6, "出生日期 " + date->ToString() + " 晚于今天");
  if (date->year() < kMinBirthYear) {
    return FailAt(6, "出生日期 " + date->ToString() + " 早于 1800 年");
  }
  return date;
}

}  // namespace

Result<char> ComputeResidentIdCheckChar(std::string_view first17) {
  if (first17.size() != 17) return Fail(ErrorCode::kInvalidArgument, "应为 17 位数字");
  int sum = 0;
  for (size_t i = 0; i < 17; ++i) {
    if (first17[i] < '0' || first17[i] > '9') {
      return FailAt(i, "第 " + std::to_string(i + 1) + " 位应为数字");
    }
    sum += (first17[i] - '0') * kWeights[i];
  }
  return kCheckChars[static_cast<size_t>(sum % 11)];
}

Result<ResidentIdInfo> ParseResidentId(std::string_view text, Date today) {
  Result<std::string> number = NormalizeResidentId(text);
  RS_TRY(number);
  RS_TRY(CheckProvince(*number));
  Result<Date> birth_date = CheckBirthDate(*number, today);
  RS_TRY(birth_date);
  const bool legacy = number->size() == 15;
  std::string number18 = legacy ? number->substr(0, 6) + "19" + number->substr(6) : *number;
  const char check = *ComputeResidentIdCheckChar(std::string_view(number18).substr(0, 17));
  if (legacy) {
    number18.push_back(check);
  } else if (check != number18[17]) {
    return FailAt(17, std::string("校验码错误：应为 ") + check + "，实为 " + number18[17]);
  }
  const int sequence_last = number18[16] - '0';
  return ResidentIdInfo{*number,
                        std::move(number18),
                        number->substr(0, 6),
                        *birth_date,
                        sequence_last % 2 == 1 ? Sex::kMale : Sex::kFemale,
                        legacy};
}

}  // namespace redshield
