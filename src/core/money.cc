#include "core/money.h"

#include "core/text.h"

namespace redshield {
namespace {

struct AmountText {
  bool negative = false;
  bool wan = false;  // the unit is 万元
  std::u32string number;
};

struct NumberParts {
  std::string integer;   // digits only, separators removed
  std::string decimals;  // digits after '.'
};

tl::unexpected<Error> Invalid(std::string message) {
  return Fail(ErrorCode::kInvalidArgument, std::move(message));
}

std::u32string Trim(std::u32string_view text) {
  while (!text.empty() && IsSpace(text.front())) text.remove_prefix(1);
  while (!text.empty() && IsSpace(text.back())) text.remove_suffix(1);
  return std::u32string(text);
}

bool IsCurrencySign(char32_t cp) { return cp == U'¥' || cp == U'￥'; }
bool IsMinus(char32_t cp) { return cp == U'-' || cp == U'−'; }

// Splits off the unit, sign and currency symbol; what is left is the number.
AmountText SplitAmount(std::u32string_view chars) {
  AmountText amount;
  if (chars.ends_with(U"万元")) {
    amount.wan = true;
    chars.remove_suffix(2);
  } else if (chars.ends_with(U"万")) {
    amount.wan = true;
    chars.remove_suffix(1);
  } else if (chars.ends_with(U"元")) {
    chars.remove_suffix(1);
  }
  bool seen_sign = false;
  bool seen_currency = false;
  while (!chars.empty()) {
    const char32_t cp = chars.front();
    if (!seen_sign && (IsMinus(cp) || cp == U'+')) {
      amount.negative = IsMinus(cp);
      seen_sign = true;
    } else if (!seen_currency && IsCurrencySign(cp)) {
      seen_currency = true;
    } else {
      break;
    }
    chars.remove_prefix(1);
  }
  amount.number = Trim(chars);
  return amount;
}

// The integer part with ',' separators: groups of 3 after a first group of 1-3.
Result<std::string> ParseInteger(std::u32string_view text) {
  if (text.empty()) return Invalid("金额缺少整数部分");
  std::string digits;
  size_t group = 0;
  bool grouped = false;
  for (char32_t cp : text) {
    if (cp == U',') {
      if (group == 0 || group > 3 || (grouped && group != 3)) {
        return Invalid("金额的千位分隔符位置不正确");
      }
      grouped = true;
      group = 0;
      continue;
    }
    digits.push_back(static_cast<char>(cp));
    ++group;
  }
  if (grouped && group != 3) return Invalid("金额的千位分隔符位置不正确");
  return digits;
}

Result<NumberParts> SplitNumber(std::u32string_view number) {
  if (number.empty()) return Invalid("金额缺少数字");
  for (size_t i = 0; i < number.size(); ++i) {
    const char32_t cp = number[i];
    if (!IsAsciiDigit(cp) && cp != U',' && cp != U'.') {
      return Invalid("金额中有无法识别的字符 " + QuoteChar(cp));
    }
  }
  const size_t dot = number.find(U'.');
  if (dot != std::u32string_view::npos && number.find(U'.', dot + 1) != std::u32string_view::npos) {
    return Invalid("金额中有多个小数点");
  }
  NumberParts parts;
  Result<std::string> integer = ParseInteger(number.substr(0, dot));
  RS_TRY(integer);
  parts.integer = std::move(*integer);
  if (dot == std::u32string_view::npos) return parts;
  const std::u32string_view decimals = number.substr(dot + 1);
  if (decimals.empty()) return Invalid("金额的小数点后缺少数字");
  if (decimals.find(U',') != std::u32string_view::npos) return Invalid("金额的小数部分不能有逗号");
  for (char32_t cp : decimals) parts.decimals.push_back(static_cast<char>(cp));
  return parts;
}

// integer × 10^scale_digits + decimals (right-padded to scale_digits), in fen.
Result<int64_t> ToFen(const NumberParts& parts, bool wan) {
  const size_t scale_digits = wan ? 6 : 2;
  if (parts.decimals.size() > scale_digits) {
    return Invalid(
        std::string(wan ? "以万元为单位的金额最多 6 位小数" : "以元为单位的金额最多 2 位小数") +
        "（精确到分），实为 " + std::to_string(parts.decimals.size()) + " 位");
  }
  std::string all_digits = parts.integer + parts.decimals;
  all_digits.append(scale_digits - parts.decimals.size(), '0');
  int64_t fen = 0;
  for (char digit : all_digits) {
    if (__builtin_mul_overflow(fen, int64_t{10}, &fen) ||
        __builtin_add_overflow(fen, int64_t{digit - '0'}, &fen)) {
      return Invalid("金额超出可处理的范围");
    }
  }
  return fen;
}

std::string GroupThousands(uint64_t value) {
  std::string digits = std::to_string(value);
  std::string out;
  for (size_t i = 0; i < digits.size(); ++i) {
    if (i > 0 && (digits.size() - i) % 3 == 0) out.push_back(',');
    out.push_back(digits[i]);
  }
  return out;
}

std::string TwoDigits(uint64_t value) {
  return std::string(1, static_cast<char>('0' + value / 10)) + static_cast<char>('0' + value % 10);
}

// |fen| without overflow for INT64_MIN.
uint64_t Magnitude(int64_t fen) {
  return fen < 0 ? uint64_t{0} - static_cast<uint64_t>(fen) : static_cast<uint64_t>(fen);
}

}  // namespace

Result<int64_t> ParseYuan(std::string_view text, NegativeAmounts negatives) {
  const std::u32string chars = NormalizeInput(text);
  if (chars.empty()) return Invalid("金额为空");
  const AmountText amount = SplitAmount(chars);
  if (amount.negative && negatives == NegativeAmounts::kReject) return Invalid("金额不能为负数");
  Result<NumberParts> parts = SplitNumber(amount.number);
  RS_TRY(parts);
  Result<int64_t> fen = ToFen(*parts, amount.wan);
  RS_TRY(fen);
  return amount.negative ? -*fen : *fen;
}

std::string FormatYuan(int64_t fen) {
  const uint64_t magnitude = Magnitude(fen);
  const std::string sign = fen < 0 ? "-" : "";
  return sign + GroupThousands(magnitude / 100) + "." + TwoDigits(magnitude % 100);
}

std::string FormatWanYuan(int64_t fen) {
  // Hundredths of 万元 are 10,000 fen; add half of that to round half up.
  const uint64_t hundredths = (Magnitude(fen) + 5000) / 10000;
  const std::string sign = fen < 0 && hundredths != 0 ? "-" : "";
  return sign + std::to_string(hundredths / 100) + "." + TwoDigits(hundredths % 100);
}

}  // namespace redshield
