// Case facts as they arrive from outside (`redshield cases evaluate FILE.json`,
// POST /api/v1/cases/evaluate): one JSON object or an array of them, turned
// into cases::CaseFacts for the threshold evaluator. JSON stays here, outside
// src/cases (STYLE.md §2). Fuzzed by fuzz/fuzz_case_facts.cc.
//
// Fields (issue 5 §2): offence (required), offence_date (YYYY-MM-DD, required),
// goods_or_services ("goods" | "services", also 商品 | 服务; default goods),
// amounts in yuan — illegal_business_amount, illegal_gains, sales_amount,
// unsold_value, production_loss — as a JSON number with at most 2 decimals or
// a string such as "3.2万元"; counts label_count, copies, marks_count
// (default 1) as non-negative integers; prior_penalty_within_2y and
// reasonable_suspicion as booleans. null means "not given". Any other key is
// an error, so that a misspelt field does not silently count as zero.
//
// Pure functions; thread-safe.
#pragma once

#include <string_view>
#include <vector>

#include "cases/thresholds.h"
#include "core/error.h"

namespace redshield::ingest {

// The facts, in input order. kInvalidArgument whose `field` is the JSON path
// of the culprit ("$[2].sales_amount", "$.offence_date", "$" for bad JSON)
// and whose message names the field too. Offence names are not checked here
// (the threshold table does that).
Result<std::vector<cases::CaseFacts>> ParseCaseFactsJson(std::string_view text);

}  // namespace redshield::ingest
