// GS1 identification keys with a mod-10 check digit: GTIN-8, GTIN-12 (UPC-A),
// GTIN-13 (EAN-13) and GTIN-14, and the check-digit helper that also serves
// SSCC (18 digits), GLN (13) and others.
//
// GS1 check digit: from the rightmost data digit leftwards, weights 3,1,3,1…;
// check = (10 − sum mod 10) mod 10.
//
// Input is normalised as for other identifiers (surrounding spaces removed,
// full-width digits folded); nothing else is stripped. Errors are
// kInvalidArgument with messages naming the position (also in Error::field,
// "position N"). Pure functions; thread-safe.
#pragma once

#include <string>
#include <string_view>

#include "core/error.h"

namespace redshield {

struct Gtin {
  std::string digits;  // as given: 8, 12, 13 or 14 digits
  // The 14-digit form (left-padded with zeros), used as the stored key, so that
  // the same item written as GTIN-13 and GTIN-14 compares equal.
  std::string ToGtin14() const {
    return digits.size() >= 14 ? digits : std::string(14 - digits.size(), '0') + digits;
  }
};

// A GTIN of 8, 12, 13 or 14 digits with a correct check digit, e.g.
// "校验位错误：应为 9，实为 8". kInvalidArgument otherwise.
Result<Gtin> ParseGtin(std::string_view text);

// The check digit (0-9) for `digits`, the key without its check digit (1 to 17
// ASCII digits, enough for SSCC). kInvalidArgument otherwise.
Result<int> ComputeGs1CheckDigit(std::string_view digits);

// Ok if the last of `digits_with_check` (2 to 18 ASCII digits) is the GS1 check
// digit of the others; kInvalidArgument saying which digit was expected.
Status VerifyGs1CheckDigit(std::string_view digits_with_check);

}  // namespace redshield
