// Test-only helpers of the plans tests: test data files, one shared OpenCC
// converter, and a resolver over the organisation data that ships with the
// product (data/organizations.csv, data/org_groups.csv).
#pragma once

#include <gtest/gtest.h>

#include <memory>
#include <string>

#include "core/csv.h"
#include "core/testing_paths.h"
#include "plans/plan_parser.h"
#include "plans/unit_resolver.h"

namespace redshield::plans {

inline std::string ReadFileForTesting(const std::string& path) {
  Result<std::string> text = ReadTextFile(path);
  EXPECT_TRUE(text.has_value()) << path << ": " << (text ? "" : text.error().message);
  return text.value_or("");
}

inline std::string TestDataForTesting(const std::string& name) {
  return ReadFileForTesting(SourceDirForTesting() + "/src/plans/testdata/" + name);
}

inline const SimplifiedConverter& ConverterForTesting() {
  static const std::unique_ptr<SimplifiedConverter> converter = [] {
    Result<std::unique_ptr<SimplifiedConverter>> made = SimplifiedConverter::Create();
    if (!made) {
      ADD_FAILURE() << made.error().message;
      std::abort();
    }
    return std::move(*made);
  }();
  return *converter;
}

inline const UnitResolver& ResolverForTesting() {
  static const UnitResolver resolver = [] {
    const std::string data = SourceDirForTesting() + "/data/";
    Result<std::vector<OrgEntry>> orgs = ParseOrganizationsCsv(ReadFileForTesting(data + "organizations.csv"));
    Result<std::vector<OrgGroup>> groups = ParseOrgGroupsCsv(ReadFileForTesting(data + "org_groups.csv"));
    if (!orgs || !groups) {
      ADD_FAILURE() << "cannot read data/organizations.csv or data/org_groups.csv";
      std::abort();
    }
    return UnitResolver(std::move(*orgs), std::move(*groups));
  }();
  return resolver;
}

// Parses `bytes` with the shared converter; fails the test on an error.
inline Plan ParseOrFail(std::string_view bytes) {
  Result<Plan> plan = ParsePlan(bytes, &ConverterForTesting());
  EXPECT_TRUE(plan.has_value()) << (plan ? "" : plan.error().message);
  return plan.value_or(Plan{});
}

}  // namespace redshield::plans
