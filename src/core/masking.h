// Partial masks of personal data for internal (non-public) screens, logs and
// exports. Public output does not use these: there the data is removed
// entirely (see shared/reference/security-targets.md §3.2).
//
// Rules, kept together because they are one policy:
//   * resident ID: first 1 and last 1 characters kept: 1****************X
//     (18) and 1*************3 (15). Not "first 4/6 + last 4": with a known
//     region and birth date the rest of such a mask is easily recovered
//     (security-targets.md §3.2, rule 3);
//   * phone: mainland mobile (11 digits starting with 1, optional +86/0086)
//     keeps the first 3 and last 4 digits: 138****5678. Any other number keeps
//     only its last 4 digits, or nothing if it has fewer than 7. Separators
//     (spaces, '-', '(', ')', '+') are dropped from the output;
//   * name: the surname is kept and every other character becomes '*': 张*,
//     张**, 欧阳** (compound surnames from a fixed list, when the name has at
//     least 3 characters), 巴** for a name without a Han surname.
// Input that does not look like the expected kind of value is masked
// completely ('*' per character), so a wrong field never leaks. Each function
// is idempotent: masking a mask returns it unchanged.
//
// Pure functions; thread-safe. Input is UTF-8; invalid bytes count as one
// character each.
#pragma once

#include <string>
#include <string_view>

namespace redshield {

std::string MaskResidentId(std::string_view id);
std::string MaskPhone(std::string_view phone);
std::string MaskName(std::string_view name);

}  // namespace redshield
