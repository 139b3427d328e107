// Private to plans/: the character-level helpers of the plan parser. Work on
// code points (std::u32string) so that the parser can index characters.
// Pure and thread-safe.
#pragma once

#include <string>
#include <string_view>

namespace redshield::plans {

// 一 … 九十九 -> 1 … 99; 0 if `numeral` is not such a number ("二十一", "十", "十五").
int ParseChineseNumeral(std::u32string_view numeral);

// True if `line` is only a page marker that PDF extraction left: "— 2 —",
// "-2-", "－ 12 －", "第 2 页", "第2页 共10页", "2/10" or a bare page number.
bool IsPageMarker(std::u32string_view line);

// Removes spaces next to a non-ASCII character (PDF extraction puts them
// between Chinese characters and around punctuation) and collapses the spaces
// left between ASCII words to one; trims both ends.
std::u32string TidySpaces(std::u32string_view text);

// Removes every space character (IsSpace).
std::u32string RemoveSpaces(std::u32string_view text);

// `text` without surrounding spaces.
std::u32string_view TrimSpaces(std::u32string_view text);

// Folds full-width ASCII (（）１．) to ASCII; other code points unchanged.
char32_t Fold(char32_t cp);

bool IsOpenParen(char32_t cp);   // ( or （
bool IsCloseParen(char32_t cp);  // ) or ）

// Sentence-ending punctuation: 。；;：:！!？?
bool IsSentenceEnd(char32_t cp);
// Any of the above, or a comma (，,、).
bool IsPunctuation(char32_t cp);

std::string ToUtf8(std::u32string_view text);

}  // namespace redshield::plans
