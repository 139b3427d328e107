#include "plans/plan_text.h"

#include "core/text.h"

namespace redshield::plans {
namespace {

int NumeralDigit(char32_t cp) {
  switch (cp) {
    case U'一': return 1;
    case U'二': return 2;
    case U'三': return 3;
    case U'四': return 4;
    case U'五': return 5;
    case U'六': return 6;
    case U'七': return 7;
    case U'八': return 8;
    case U'九': return 9;
    default: return 0;
  }
}

bool IsDash(char32_t cp) {
  return cp == U'-' || cp == U'—' || cp == U'–' || cp == U'－' || cp == U'─' || cp == U'━' ||
         cp == U'―';
}

bool IsDigit(char32_t cp) { return IsAsciiDigit(Fold(cp)); }

bool AllDigits(std::u32string_view text) {
  if (text.empty()) return false;
  for (char32_t cp : text) {
    if (!IsDigit(cp)) return false;
  }
  return true;
}

// "第2页", "第2页共10页" (spaces already removed).
bool IsPageOfPages(std::u32string_view text) {
  if (!text.starts_with(U"第")) return false;
  size_t pos = 1;
  size_t digits = 0;
  while (pos < text.size() && IsDigit(text[pos])) ++pos, ++digits;
  if (digits == 0 || pos >= text.size() || text[pos] != U'页') return false;
  std::u32string_view rest = text.substr(pos + 1);
  if (rest.empty()) return true;
  if (!rest.starts_with(U"共") || !rest.ends_with(U"页")) return false;
  return AllDigits(rest.substr(1, rest.size() - 2));
}

}  // namespace

int ParseChineseNumeral(std::u32string_view numeral) {
  if (numeral.empty() || numeral.size() > 3) return 0;
  const size_t ten = numeral.find(U'十');
  if (ten == std::u32string_view::npos) {
    return numeral.size() == 1 ? NumeralDigit(numeral[0]) : 0;
  }
  int tens = 1;
  if (ten == 1) {
    tens = NumeralDigit(numeral[0]);
    if (tens < 2) return 0;  // 一十 is not how plans number
  } else if (ten != 0) {
    return 0;
  }
  std::u32string_view after = numeral.substr(ten + 1);
  if (after.empty()) return tens * 10;
  if (after.size() != 1 || NumeralDigit(after[0]) == 0) return 0;
  return tens * 10 + NumeralDigit(after[0]);
}

bool IsPageMarker(std::u32string_view line) {
  std::u32string compact = RemoveSpaces(line);
  std::u32string_view text = compact;
  if (text.empty()) return false;
  size_t dashes_before = 0;
  while (!text.empty() && IsDash(text.front())) text.remove_prefix(1), ++dashes_before;
  size_t dashes_after = 0;
  while (!text.empty() && IsDash(text.back())) text.remove_suffix(1), ++dashes_after;
  if (AllDigits(text)) return text.size() <= 3 || (dashes_before > 0 && dashes_after > 0);
  if (dashes_before > 0 || dashes_after > 0) return false;
  if (IsPageOfPages(text)) return true;
  const size_t slash = text.find(U'/');
  return slash != std::u32string_view::npos && slash <= 4 && AllDigits(text.substr(0, slash)) &&
         AllDigits(text.substr(slash + 1)) && text.size() - slash - 1 <= 4;
}

std::u32string TidySpaces(std::u32string_view text) {
  text = TrimSpaces(text);
  std::u32string out;
  out.reserve(text.size());
  size_t pos = 0;
  while (pos < text.size()) {
    if (!IsSpace(text[pos])) {
      out.push_back(text[pos++]);
      continue;
    }
    size_t end = pos;
    while (end < text.size() && IsSpace(text[end])) ++end;
    // Trimmed, so both neighbours exist.
    const char32_t before = out.back();
    const char32_t after = text[end];
    if (before < 0x80 && after < 0x80) out.push_back(U' ');
    pos = end;
  }
  return out;
}

std::u32string RemoveSpaces(std::u32string_view text) {
  std::u32string out;
  out.reserve(text.size());
  for (char32_t cp : text) {
    if (!IsSpace(cp)) out.push_back(cp);
  }
  return out;
}

std::u32string_view TrimSpaces(std::u32string_view text) {
  while (!text.empty() && IsSpace(text.front())) text.remove_prefix(1);
  while (!text.empty() && IsSpace(text.back())) text.remove_suffix(1);
  return text;
}

char32_t Fold(char32_t cp) { return FoldFullWidth(cp); }

bool IsOpenParen(char32_t cp) { return cp == U'(' || cp == U'（'; }
bool IsCloseParen(char32_t cp) { return cp == U')' || cp == U'）'; }

bool IsSentenceEnd(char32_t cp) {
  switch (Fold(cp)) {
    case U'。':
    case U';':
    case U':':
    case U'!':
    case U'?':
      return true;
    default:
      return false;
  }
}

bool IsPunctuation(char32_t cp) {
  if (IsSentenceEnd(cp)) return true;
  const char32_t folded = Fold(cp);
  return folded == U',' || folded == U'、' || folded == U'.';
}

std::string ToUtf8(std::u32string_view text) {
  std::string out;
  out.reserve(text.size() * 3);
  for (char32_t cp : text) AppendUtf8(out, cp);
  return out;
}

}  // namespace redshield::plans
