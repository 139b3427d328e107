// 统一社会信用代码 (unified social credit code), GB 32100-2015.
//
// 18 characters from the 31-symbol set 0-9 A-H J-N P-R T U W-Y (no I O S V Z):
//   [1]     登记管理部门代码 (registration authority)
//   [2]     机构类别代码 (entity type; which ones exist depends on [1])
//   [3-8]   登记管理机关行政区划码 (GB/T 2260 region of the registering office, digits)
//   [9-17]  主体标识码 = the GB 11714 organisation code, whose own check character is [17]
//   [18]    校验码, ISO 7064-style MOD 31 over [1-17]
//
// Input is normalised before checking: surrounding spaces are removed,
// full-width characters folded and lower case upper-cased (normalising
// validators accept lower case, and the shared test vectors label it valid).
// Spaces or hyphens inside the code are rejected: positions in messages then
// match what the user typed.
//
// Checks run in this order and the first failure is reported, with the
// position (1-based) in the message and as `position N` in Error::field:
// length, character set, authority, authority/type pair, region digits, the
// MOD 31 check character, then the GB 11714 check. The GB 11714 check comes
// last so that a single mistyped character is reported as a wrong check
// character rather than as a wrong organisation code.
//
// Not checked: whether the region code exists in GB/T 2260 (codes registered
// by central authorities use 100000, and regions are renamed over time).
// Known exception: a few pilot-region codes issued before the standard
// (e.g. Xiamen, 91350211M0000XUF46) fail the check character although they are
// registered; they are rejected here, like every other nonconforming code.
//
// Pure functions; thread-safe.
#pragma once

#include <string>
#include <string_view>

#include "core/error.h"

namespace redshield {

struct UsccInfo {
  std::string code;              // normalised: 18 upper-case characters
  char authority = 0;            // [1], e.g. '9'
  char entity_type = 0;          // [2], e.g. '1'
  std::string authority_name;    // e.g. "工商"
  std::string entity_type_name;  // e.g. "企业"
  std::string region_code;       // [3-8], e.g. "150102"
  std::string org_code;          // [9-17], e.g. "600037341"
};

// The parts of a valid code. kInvalidArgument otherwise, e.g.
// "校验码错误：应为 L，实为 N" (field "position 18").
Result<UsccInfo> ParseUscc(std::string_view text);

// True if ParseUscc succeeds.
bool IsValidUscc(std::string_view text);

// The GB 32100 check character for 17 characters of the code set.
// kInvalidArgument if `first17` is not exactly that.
Result<char> ComputeUsccCheckChar(std::string_view first17);

// The GB 11714 organisation-code check character ('0'-'9' or 'X') for 8
// characters from 0-9 A-Z. kInvalidArgument if `first8` is not exactly that.
Result<char> ComputeOrgCodeCheckChar(std::string_view first8);

}  // namespace redshield
