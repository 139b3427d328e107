// libFuzzer target: the case-facts JSON parser (ingest/case_facts_json.h) and
// the threshold evaluator over the shipped rule table.
//
// Properties checked besides "no crash, no sanitizer report":
//   * an error always names a field, which is a JSON path starting with "$";
//   * parsed facts have no negative amount or count;
//   * evaluating is deterministic, and a transfer always names its rule and basis.
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <string_view>

#include "cases/thresholds.h"
#include "ingest/case_facts_json.h"

namespace {

using namespace redshield;  // NOLINT(google-build-using-namespace): a test driver

#define RS_REQUIRE(condition)                                                      \
  do {                                                                             \
    if (!(condition)) {                                                            \
      std::fprintf(stderr, "property failed: %s (line %d)\n", #condition, __LINE__); \
      std::abort();                                                                \
    }                                                                              \
  } while (0)

// A small table with every metric and level, so that the evaluator's branches
// are reached without reading files.
constexpr std::string_view kRules =
    "rule_id,offence,version,valid_from,valid_to,goods_or_services,applies_when,level,metric,"
    "threshold,unit,legal_source,uncertain\n"
    "a,x,1,2004-12-22,2025-04-25,goods,always,filing,sales_amount,50000,元,s,0\n"
    "b,x,1,2004-12-22,2025-04-25,any,multi_mark,attempt,sales_plus_unsold,150000,元,s,0\n"
    "c,x,2,2025-04-26,,services,multi_mark_or_prior,filing,illegal_gains,30000,元,s,1\n"
    "d,x,2,2025-04-26,,any,always,aggravated,sales_x3_plus_unsold,150000,元,s,1\n"
    "e,x,2,2020-08-07,,any,always,transfer,reasonable_suspicion,,,s,0\n"
    "f,y,1,2011-05-01,,goods,always,filing,conduct,,,s,0\n"
    "g,z,1,1997-10-01,,goods,always,filing,manual,,,s,0\n"
    "h,z,1,1997-10-01,,goods,always,filing,label_count,20000,件,s,0\n";

const cases::ThresholdTable& Table() {
  static const cases::ThresholdTable table = [] {
    auto made = cases::ThresholdTable::FromCsv(kRules);
    RS_REQUIRE(made.has_value());
    return std::move(*made);
  }();
  return table;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string_view text(reinterpret_cast<const char*>(data), size);
  Result<std::vector<cases::CaseFacts>> all = ingest::ParseCaseFactsJson(text);
  if (!all) {
    RS_REQUIRE(!all.error().field.empty() && all.error().field[0] == '$');
    RS_REQUIRE(!all.error().message.empty());
    return 0;
  }
  for (const cases::CaseFacts& facts : *all) {
    RS_REQUIRE(facts.sales_fen >= 0 && facts.illegal_gains_fen >= 0 &&
               facts.illegal_business_fen >= 0 && facts.unsold_value_fen >= 0 &&
               facts.production_loss_fen >= 0 && facts.label_count >= 0 && facts.copies >= 0);
    Result<cases::Evaluation> first = Table().Evaluate(facts);
    Result<cases::Evaluation> second = Table().Evaluate(facts);
    RS_REQUIRE(first.has_value() == second.has_value());
    if (!first) continue;
    RS_REQUIRE(first->should_transfer == second->should_transfer && first->rule == second->rule);
    if (first->should_transfer) RS_REQUIRE(!first->rule.empty() && !first->basis.empty());
  }
  return 0;
}
