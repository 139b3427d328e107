#include "core/masking.h"

#include <array>

#include "core/text.h"

namespace redshield {
namespace {

// Compound surnames common enough to matter; a name starting with one keeps
// both characters.
constexpr std::array<std::u32string_view, 32> kCompoundSurnames = {
    U"欧阳", U"司马", U"上官", U"诸葛", U"东方", U"皇甫", U"尉迟", U"公孙",
    U"慕容", U"长孙", U"宇文", U"司徒", U"夏侯", U"轩辕", U"令狐", U"端木",
    U"独孤", U"南宫", U"西门", U"呼延", U"澹台", U"公冶", U"宗政", U"濮阳",
    U"太叔", U"申屠", U"钟离", U"闻人", U"赫连", U"拓跋", U"百里", U"司空",
};

// Resident ID characters kept at each end. Kept small on purpose: see the
// header; a wider mask (first 4 + last 4) leaves at most 100 candidates once the
// birth date is known (the visible check character cuts that to ~10).
constexpr size_t kIdKeepHead = 1;
constexpr size_t kIdKeepTail = 1;

std::string Stars(size_t count) { return std::string(count, '*'); }

bool IsIdSlot(char32_t cp) { return IsAsciiDigit(cp) || cp == U'X' || cp == U'x' || cp == U'*'; }
bool IsPhoneSlot(char32_t cp) { return IsAsciiDigit(cp) || cp == U'*'; }
bool IsPhoneSeparator(char32_t cp) {
  return cp == U' ' || cp == U'-' || cp == U'(' || cp == U')' || cp == U'+';
}

// The digits and '*' of a phone number without its separators, or nothing if
// any other character occurs (then the caller masks everything).
bool PhoneSlots(const std::u32string& chars, std::string& slots) {
  for (char32_t cp : chars) {
    if (IsPhoneSlot(cp)) {
      slots.push_back(static_cast<char>(cp));
    } else if (!IsPhoneSeparator(cp)) {
      return false;
    }
  }
  return true;
}

}  // namespace

std::string MaskResidentId(std::string_view id) {
  const std::u32string chars = NormalizeInput(id);
  bool shaped = chars.size() == 18 || chars.size() == 15;
  for (char32_t cp : chars) shaped = shaped && IsIdSlot(cp);
  if (!shaped) return Stars(chars.size());
  std::string out;
  for (size_t i = 0; i < kIdKeepHead; ++i) AppendUtf8(out, chars[i]);
  out += Stars(chars.size() - kIdKeepHead - kIdKeepTail);
  for (size_t i = chars.size() - kIdKeepTail; i < chars.size(); ++i) {
    AppendUtf8(out, AsciiUpper(chars[i]));
  }
  return out;
}

std::string MaskPhone(std::string_view phone) {
  const std::u32string chars = NormalizeInput(phone);
  std::string slots;
  if (!PhoneSlots(chars, slots)) return Stars(chars.size());
  const bool country_code = slots.size() == 13 && slots.starts_with("861");
  const bool long_country_code = slots.size() == 15 && slots.starts_with("00861");
  if (country_code || long_country_code) slots.erase(0, country_code ? 2 : 4);
  if (slots.size() == 11 && slots[0] == '1') {
    return slots.substr(0, 3) + "****" + slots.substr(7);
  }
  if (slots.size() < 7) return Stars(slots.size());
  return Stars(slots.size() - 4) + slots.substr(slots.size() - 4);
}

std::string MaskName(std::string_view name) {
  const std::u32string chars = NormalizeInput(name);
  if (chars.empty()) return {};
  size_t kept = 1;
  for (std::u32string_view surname : kCompoundSurnames) {
    if (chars.size() >= 3 && std::u32string_view(chars).starts_with(surname)) kept = 2;
  }
  std::string out;
  for (size_t i = 0; i < kept; ++i) AppendUtf8(out, chars[i]);
  return out + Stars(chars.size() - kept);
}

}  // namespace redshield
