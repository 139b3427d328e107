#include "core/gtin.h"

#include "core/text.h"

namespace redshield {
namespace {

std::string Position(size_t index) { return "position " + std::to_string(index + 1); }

// Index of the first non-digit in `digits`, or npos.
size_t FirstNonDigit(std::string_view digits) {
  for (size_t i = 0; i < digits.size(); ++i) {
    if (digits[i] < '0' || digits[i] > '9') return i;
  }
  return std::string_view::npos;
}

tl::unexpected<Error> NonDigitError(size_t index, char32_t cp) {
  return Fail(ErrorCode::kInvalidArgument,
              "第 " + std::to_string(index + 1) + " 位字符 " + QuoteChar(cp) + " 不合法：应为数字",
              Position(index));
}

// A raw byte as a character for messages; non-ASCII bytes are not characters.
char32_t ByteChar(char c) {
  const auto byte = static_cast<unsigned char>(c);
  return byte < 0x80 ? byte : kReplacementChar;
}

}  // namespace

Result<int> ComputeGs1CheckDigit(std::string_view digits) {
  if (digits.empty() || digits.size() > 17) {
    return Fail(ErrorCode::kInvalidArgument,
                "计算校验位需要 1 到 17 位数字，实为 " + std::to_string(digits.size()) + " 位");
  }
  if (const size_t bad = FirstNonDigit(digits); bad != std::string_view::npos) {
    return NonDigitError(bad, ByteChar(digits[bad]));
  }
  int sum = 0;
  for (size_t from_right = 0; from_right < digits.size(); ++from_right) {
    const int digit = digits[digits.size() - 1 - from_right] - '0';
    sum += digit * (from_right % 2 == 0 ? 3 : 1);
  }
  return (10 - sum % 10) % 10;
}

Status VerifyGs1CheckDigit(std::string_view digits_with_check) {
  if (digits_with_check.size() < 2 || digits_with_check.size() > 18) {
    return Fail(ErrorCode::kInvalidArgument,
                "应为 2 到 18 位数字，实为 " + std::to_string(digits_with_check.size()) + " 位");
  }
  const size_t last = digits_with_check.size() - 1;
  Result<int> expected = ComputeGs1CheckDigit(digits_with_check.substr(0, last));
  RS_TRY(expected);
  const char actual = digits_with_check[last];
  if (actual < '0' || actual > '9') return NonDigitError(last, ByteChar(actual));
  if (actual - '0' != *expected) {
    return Fail(ErrorCode::kInvalidArgument,
                "校验位错误：应为 " + std::to_string(*expected) + "，实为 " + actual,
                Position(last));
  }
  return Ok();
}

Result<Gtin> ParseGtin(std::string_view text) {
  const std::u32string chars = NormalizeInput(text);
  const size_t length = chars.size();
  if (length != 8 && length != 12 && length != 13 && length != 14) {
    return Fail(ErrorCode::kInvalidArgument,
                "GTIN 应为 8、12、13 或 14 位数字，实为 " + std::to_string(length) + " 位");
  }
  std::string digits;
  for (size_t i = 0; i < length; ++i) {
    if (!IsAsciiDigit(chars[i])) return NonDigitError(i, chars[i]);
    digits.push_back(static_cast<char>(chars[i]));
  }
  RS_TRY(VerifyGs1CheckDigit(digits));
  return Gtin{std::move(digits)};
}

}  // namespace redshield
