#include "core/text.h"

#include <cstdint>
#include <cstdio>

namespace redshield {
namespace {

// Length of the sequence a lead byte starts, or 0 if it cannot start one.
int SequenceLength(uint8_t lead) {
  if (lead < 0x80) return 1;
  if (lead >= 0xC2 && lead <= 0xDF) return 2;
  if (lead >= 0xE0 && lead <= 0xEF) return 3;
  if (lead >= 0xF0 && lead <= 0xF4) return 4;
  return 0;
}

// Decodes the sequence of `length` bytes at `text[pos]` into `cp`. False if it
// is truncated, overlong, a surrogate or above U+10FFFF.
bool DecodeSequence(std::string_view text, size_t pos, int length, char32_t& cp) {
  if (length == 0 || pos + static_cast<size_t>(length) > text.size()) return false;
  const auto lead = static_cast<uint8_t>(text[pos]);
  cp = length == 1 ? lead : lead & (0x7Fu >> length);
  for (int i = 1; i < length; ++i) {
    const auto byte = static_cast<uint8_t>(text[pos + static_cast<size_t>(i)]);
    if ((byte & 0xC0) != 0x80) return false;
    cp = (cp << 6) | (byte & 0x3Fu);
  }
  static constexpr char32_t kMinForLength[] = {0, 0, 0x80, 0x800, 0x10000};
  if (cp < kMinForLength[length] || cp > 0x10FFFF) return false;
  return cp < 0xD800 || cp > 0xDFFF;
}

}  // namespace

std::u32string DecodeUtf8(std::string_view text) {
  std::u32string out;
  out.reserve(text.size());
  size_t pos = 0;
  while (pos < text.size()) {
    const int length = SequenceLength(static_cast<uint8_t>(text[pos]));
    char32_t cp = 0;
    if (DecodeSequence(text, pos, length, cp)) {
      out.push_back(cp);
      pos += static_cast<size_t>(length);
    } else {
      // A bad sequence consumes only its first byte, so the next byte is tried
      // again as a lead: one U+FFFD per bad byte.
      out.push_back(kReplacementChar);
      ++pos;
    }
  }
  return out;
}

bool IsValidUtf8(std::string_view text) {
  size_t pos = 0;
  while (pos < text.size()) {
    const auto lead = static_cast<uint8_t>(text[pos]);
    if (lead < 0x80) {
      ++pos;
      continue;
    }
    const int length = SequenceLength(lead);
    char32_t cp = 0;
    if (!DecodeSequence(text, pos, length, cp)) return false;
    pos += static_cast<size_t>(length);
  }
  return true;
}

void AppendUtf8(std::string& out, char32_t cp) {
  if (cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF)) cp = kReplacementChar;
  if (cp < 0x80) {
    out.push_back(static_cast<char>(cp));
  } else if (cp < 0x800) {
    out.push_back(static_cast<char>(0xC0 | (cp >> 6)));
    out.push_back(static_cast<char>(0x80 | (cp & 0x3F)));
  } else if (cp < 0x10000) {
    out.push_back(static_cast<char>(0xE0 | (cp >> 12)));
    out.push_back(static_cast<char>(0x80 | ((cp >> 6) & 0x3F)));
    out.push_back(static_cast<char>(0x80 | (cp & 0x3F)));
  } else {
    out.push_back(static_cast<char>(0xF0 | (cp >> 18)));
    out.push_back(static_cast<char>(0x80 | ((cp >> 12) & 0x3F)));
    out.push_back(static_cast<char>(0x80 | ((cp >> 6) & 0x3F)));
    out.push_back(static_cast<char>(0x80 | (cp & 0x3F)));
  }
}

char32_t FoldFullWidth(char32_t cp) {
  if (cp >= 0xFF01 && cp <= 0xFF5E) return cp - 0xFF01 + 0x21;
  if (cp == 0x3000) return U' ';
  return cp;
}

bool IsSpace(char32_t cp) {
  return cp == U' ' || (cp >= U'\t' && cp <= U'\r') || cp == 0xA0 || cp == 0x3000 || cp == 0xFEFF;
}

std::u32string NormalizeInput(std::string_view text) {
  std::u32string chars = DecodeUtf8(text);
  for (char32_t& cp : chars) cp = FoldFullWidth(cp);
  size_t begin = 0;
  size_t end = chars.size();
  while (begin < end && IsSpace(chars[begin])) ++begin;
  while (end > begin && IsSpace(chars[end - 1])) --end;
  return chars.substr(begin, end - begin);
}

std::string QuoteChar(char32_t cp) {
  const bool printable = cp > 0x20 && cp != 0x7F && !(cp >= 0x80 && cp < 0xA0) &&
                         cp != kReplacementChar && !IsSpace(cp);
  if (!printable) {
    char buffer[16];
    std::snprintf(buffer, sizeof buffer, "U+%04X", static_cast<unsigned>(cp));
    return buffer;
  }
  std::string out = "\"";
  AppendUtf8(out, cp);
  out.push_back('"');
  return out;
}

std::string_view TrimAscii(std::string_view text) {
  const size_t begin = text.find_first_not_of(" \t\r\n");
  if (begin == std::string_view::npos) return {};
  const size_t end = text.find_last_not_of(" \t\r\n");
  return text.substr(begin, end - begin + 1);
}

}  // namespace redshield
