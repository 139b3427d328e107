#include "plans/access.h"

namespace redshield::plans {

using platform::Permission;
using platform::Principal;
using platform::Scope;

std::optional<std::string> PlanWriteRegion(const Principal& who) {
  if (!who.Has(Permission::kPlanWrite)) return std::nullopt;
  switch (platform::ScopeOf(who.user.roles, Permission::kPlanWrite)) {
    case Scope::kAll:
      return std::string();
    case Scope::kRegion:
      return who.user.org_region;
    case Scope::kOwnOrg:
      // An own-organisation scope would not cover a region.
      return std::nullopt;
  }
  return std::nullopt;
}

bool CanPlanWrite(const Principal& who, std::string_view region_code) {
  std::optional<std::string> region = PlanWriteRegion(who);
  if (!region) return false;
  return region->empty() || platform::RegionCovers(*region, region_code);
}

Status CheckPlanWrite(const Principal& who, std::string_view region_code) {
  if (CanPlanWrite(who, region_code)) return Ok();
  return Fail(ErrorCode::kPermissionDenied, "无权管理该地区的工作要点");
}

Status CheckOwnOrgReport(const Principal& who, Id org_id) {
  if (who.Has(Permission::kPlanReport) && who.user.org_id == org_id) return Ok();
  return Fail(ErrorCode::kPermissionDenied, "只能报送本单位承担的任务");
}

}  // namespace redshield::plans
