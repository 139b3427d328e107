// 居民身份证号码 (citizen identity number), GB 11643-1999, and its 15-digit
// predecessor.
//
// 18 characters: [1-6] 地址码 (GB/T 2260 region where first registered),
// [7-14] birth date YYYYMMDD, [15-17] sequence (odd = male), [18] check
// character over [1-17], ISO 7064 MOD 11-2, '0'-'9' or 'X' (lower-case 'x'
// accepted). 15 digits (issued before 1999): region, YYMMDD read as 19YY,
// 3-digit sequence, no check character.
//
// Checked: length, characters, province prefix (the 34 GB/T 2260 province
// codes plus 83, used by residence permits for Taiwan residents), a real
// calendar date not after `today` and not before 1800, the check character.
// Not checked: whether the county-level code exists or existed at birth
// (codes are never reissued to other people, and old codes stay valid on old
// cards), which is also what the shared test vectors label.
//
// Input is normalised as for other identifiers: surrounding spaces removed,
// full-width characters folded. The first failure is reported; the message
// names the position, as does Error::field ("position 18").
//
// Masking lives in core/masking.h. Pure functions; thread-safe.
#pragma once

#include <string>
#include <string_view>

#include "core/date.h"
#include "core/error.h"

namespace redshield {

enum class Sex { kMale, kFemale };

struct ResidentIdInfo {
  std::string number;       // normalised input: 18 chars with upper-case X, or 15 digits
  std::string number18;     // the 18-character form (a 15-digit number upgraded)
  std::string region_code;  // [1-6]
  Date birth_date;
  Sex sex = Sex::kMale;
  bool legacy15 = false;  // true if the input had 15 digits
};

// The parts of a valid number; `today` bounds the birth date. kInvalidArgument
// otherwise, e.g. "校验码错误：应为 3，实为 X".
Result<ResidentIdInfo> ParseResidentId(std::string_view text, Date today);

// The check character ('0'-'9' or 'X') for 17 ASCII digits. kInvalidArgument
// if `first17` is not exactly that.
Result<char> ComputeResidentIdCheckChar(std::string_view first17);

}  // namespace redshield
