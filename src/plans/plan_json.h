// A parsed plan as the JSON document of `redshield plan parse --json` and
// `POST /api/v1/plans/parse`: title, year, encoding, region, sections → items
// → tasks → units (with the organisation or group each resolved to), the
// unresolved units, warnings and a summary of counts.
#pragma once

#include <cstddef>
#include <string>
#include <vector>

#include "plans/plan.h"
#include "plans/unit_resolver.h"

namespace redshield::plans {

struct PlanSummary {
  size_t organizations = 0;  // distinct organisations named
  size_t groups = 0;         // distinct group phrases (有关成员单位 …)
};

PlanSummary Summarize(const Plan& plan);

std::string PlanJson(const Plan& plan, const std::vector<UnresolvedUnit>& unresolved,
                     const std::string& region);

}  // namespace redshield::plans
