// libFuzzer target: every parser of identifiers and amounts typed by people
// (USCC, resident ID, GTIN, money, dates) and the maskers.
//
// Properties checked besides "no crash, no sanitizer report":
//   * whatever a parser accepts, its normalised output is accepted again and
//     maps to the same value;
//   * FormatYuan output parses back to the same number of fen;
//   * masking is idempotent, yields valid UTF-8 and never leaves a valid
//     resident ID in its output.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string>
#include <string_view>

#include "core/date.h"
#include "core/gtin.h"
#include "core/masking.h"
#include "core/money.h"
#include "core/resident_id.h"
#include "core/text.h"
#include "core/uscc.h"

namespace {

using namespace redshield;  // NOLINT(google-build-using-namespace): a test driver

const Date kToday = Date::ParseOrDie("2026-11-29");

void Require(bool condition) {
  if (!condition) std::abort();
}

void CheckUscc(std::string_view text) {
  Result<UsccInfo> info = ParseUscc(text);
  if (!info) return;
  Require(info->code.size() == 18);
  Result<UsccInfo> again = ParseUscc(info->code);
  Require(again.has_value() && again->code == info->code);
}

void CheckResidentId(std::string_view text) {
  Result<ResidentIdInfo> info = ParseResidentId(text, kToday);
  if (!info) return;
  Result<ResidentIdInfo> again = ParseResidentId(info->number18, kToday);
  Require(again.has_value() && again->birth_date == info->birth_date && again->sex == info->sex);
  Require(!ParseResidentId(MaskResidentId(text), kToday).has_value());
}

void CheckGtin(std::string_view text) {
  Result<Gtin> gtin = ParseGtin(text);
  if (!gtin) return;
  Result<Gtin> padded = ParseGtin(gtin->ToGtin14());
  Require(padded.has_value() && padded->digits == gtin->ToGtin14());
}

void CheckMoney(std::string_view text) {
  Result<int64_t> fen = ParseYuan(text, NegativeAmounts::kAllow);
  Result<int64_t> non_negative = ParseYuan(text);
  if (non_negative) Require(fen.has_value() && *fen == *non_negative && *fen >= 0);
  if (!fen) return;
  Result<int64_t> again = ParseYuan(FormatYuan(*fen), NegativeAmounts::kAllow);
  Require(again.has_value() && *again == *fen);
  (void)FormatWanYuan(*fen);
}

void CheckDate(std::string_view text) {
  Result<Date> date = Date::Parse(text);
  if (!date) return;
  Require(date->ToString() == text);
  Result<Date> via_days = Date::FromDays(date->DaysSinceEpoch());
  Require(via_days.has_value() && *via_days == *date);
  (void)date->AddDays(static_cast<int64_t>(text.size()) * 1000 - 5000);
}

void CheckMask(std::string (*mask)(std::string_view), std::string_view text) {
  const std::string once = mask(text);
  Require(IsValidUtf8(once));
  Require(mask(once) == once);
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  CheckUscc(text);
  CheckResidentId(text);
  CheckGtin(text);
  CheckMoney(text);
  CheckDate(text);
  CheckMask(&MaskResidentId, text);
  CheckMask(&MaskPhone, text);
  CheckMask(&MaskName, text);
  return 0;
}
