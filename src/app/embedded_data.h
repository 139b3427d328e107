// Reference data compiled into the binary from data/ (see data/README.md), so
// that `redshield init` needs no files beside it.
#pragma once

namespace redshield::app {

extern const char* const kRegionsCsv;        // data/regions/inner_mongolia_divisions.csv
extern const char* const kOrganizationsCsv;  // data/organizations.csv
extern const char* const kOrgGroupsCsv;      // data/org_groups.csv
extern const char* const kHolidaysCsv;       // data/calendar/cn_holidays.csv
extern const char* const kDemoPlan;          // data/demo/work-plan-2017-inner-mongolia.txt
extern const char* const kAssessmentRubricCsv;  // data/assessment/rubric_2016_region.csv
// data/screening/: the shipped screening rules and clue routing (issue 6).
extern const char* const kBrandsCsv;
extern const char* const kLexiconCsv;
extern const char* const kSellersBlacklistCsv;
extern const char* const kClueRoutingCsv;
extern const char* const kSellerRegionsCsv;
extern const char* const kThresholdsCsv;  // data/cases/thresholds.csv (issue 5)
extern const char* const kTimersCsv;      // data/cases/timers.csv (issue 5)
extern const char* const kDocumentsCsv;   // data/cases/documents.csv (issue 5)

}  // namespace redshield::app
