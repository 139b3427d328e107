// Who may do what in the plans module, for every plans service. The office
// (plan.write) acts within its region and the regions below it; member units
// (plan.report) act on their own organisation's assignments only.
#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "core/error.h"
#include "core/id.h"
#include "platform/types.h"

namespace redshield::plans {

// kPermissionDenied unless `who` holds plan.write with a scope covering `region_code`.
Status CheckPlanWrite(const platform::Principal& who, std::string_view region_code);
bool CanPlanWrite(const platform::Principal& who, std::string_view region_code);
// kPermissionDenied unless `who` holds plan.report and belongs to `org_id`.
Status CheckOwnOrgReport(const platform::Principal& who, Id org_id);
// The region prefix that limits what an office user sees: "" for an
// all-regions scope, the user's region for a region scope. nullopt without
// plan.write.
std::optional<std::string> PlanWriteRegion(const platform::Principal& who);

}  // namespace redshield::plans
