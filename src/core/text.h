// Small text helpers shared by the validators in core: lossy UTF-8 decoding,
// folding of full-width ASCII (what Chinese input methods type), trimming, and
// quoting a character for an error message.
//
// All functions are pure and thread-safe. None of them throws on malformed
// input: an invalid UTF-8 byte decodes to U+FFFD, one per byte.
#pragma once

#include <string>
#include <string_view>

namespace redshield {

inline constexpr char32_t kReplacementChar = 0xFFFD;

// Decodes `text` as UTF-8. Each byte that does not start a valid, shortest-form
// sequence (and each surrogate) becomes one U+FFFD.
std::u32string DecodeUtf8(std::string_view text);

// True if `text` is well-formed UTF-8 (shortest forms, no surrogates).
bool IsValidUtf8(std::string_view text);

// Appends the UTF-8 encoding of `cp` to `out` (U+FFFD if `cp` is not a scalar value).
void AppendUtf8(std::string& out, char32_t cp);

// Maps full-width ASCII (U+FF01..U+FF5E) to ASCII and the ideographic space
// U+3000 to ' '. Any other code point is returned unchanged.
char32_t FoldFullWidth(char32_t cp);

// True for ASCII whitespace, U+00A0, U+3000 and U+FEFF (a stray BOM).
bool IsSpace(char32_t cp);

// Decodes, folds full-width characters and trims surrounding spaces: the form in
// which every identifier validator sees its input.
std::u32string NormalizeInput(std::string_view text);

// A character as shown inside an error message: "A" in ASCII quotes for a
// printable character, or U+0009 for a control, space or invalid character.
std::string QuoteChar(char32_t cp);

// `text` without leading and trailing ASCII whitespace (space, tab, CR, LF).
std::string_view TrimAscii(std::string_view text);

inline bool IsAsciiDigit(char32_t cp) { return cp >= U'0' && cp <= U'9'; }
inline char32_t AsciiUpper(char32_t cp) { return cp >= U'a' && cp <= U'z' ? cp - 32 : cp; }

}  // namespace redshield
