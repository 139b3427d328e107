// Money. Amounts are int64 fen (分, 0.01 yuan) everywhere; 元 and 万元 exist
// only at the edges, parsed from what people type and formatted for display.
//
// ParseYuan accepts, after removing surrounding spaces and folding full-width
// characters (１２．５０ → 12.50):
//   [sign] [¥ or ￥] digits [. decimals] [spaces] [unit]
// where digits may use ',' thousands separators in the right places
// (1,234,567), sign is '+' or '-' (only with NegativeAmounts::kAllow), and
// unit is 元 (or none), 万元 or 万. A yuan amount has at most 2 decimals (fen);
// a 万元 amount at most 6 (still whole fen). Examples: "12" → 1200,
// "12.5" → 1250, "1,234.56元" → 123456, "3.2万元" → 32000000.
// Rejected, each with its own message: empty input, stray characters, a
// misplaced separator, a missing digit around '.', too many decimals, a
// negative amount when not allowed, anything beyond int64 fen.
//
// Pure functions; thread-safe.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "core/error.h"

namespace redshield {

enum class NegativeAmounts { kReject, kAllow };

// The amount in fen. kInvalidArgument with a message saying what is wrong.
Result<int64_t> ParseYuan(std::string_view text,
                          NegativeAmounts negatives = NegativeAmounts::kReject);

// Yuan with thousands separators and 2 decimals: 123456 → "1,234.56",
// -5 → "-0.05". No unit.
std::string FormatYuan(int64_t fen);

// 万元 with 2 decimals, rounded half away from zero, no separators (the form
// used in 双公示 fields such as 罚款金额(万元)): 123456 → "0.12",
// 125000 → "0.13", 1000000 → "1.00". No unit; never "-0.00".
std::string FormatWanYuan(int64_t fen);

}  // namespace redshield
