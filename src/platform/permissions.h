// Roles and what they allow. A route names the permission it needs; a user
// has a permission if any of their roles grants it, and the role's scope says
// over which organisations: their own, their region and below, or all.
// Deny by default: a permission not granted here is not held.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "core/region_code.h"

namespace redshield::platform {

enum class Permission : std::uint8_t {
  kOrgWrite,    // create and edit organisations
  kUserRead,    // list users
  kUserWrite,   // create, edit, unlock users, reset passwords
  kRoleGrant,   // grant and revoke roles
  kAuditRead,   // read, verify and export the audit log
  kStatsRead,   // region-wide statistics (audit activity)
  kPlanWrite,   // import work plans, edit assignments, supervise, assess (office)
  kPlanReport,  // report progress and rectification on own organisation's assignments
  kScreeningRun,    // upload listing feeds for screening, see the jobs
  kClueRead,        // read clues assigned within the scope
  kClueReview,      // confirm or dismiss clues within the scope
  kScreeningRules,  // reload the screening rule files
  kTraceCapture,    // post EPCIS documents (enterprises, the office)
  kTraceRead,       // read trace events and code histories
  kTraceIssue,      // request code batches, export labels (enterprises; own batches)
  kTraceRecall,     // recall and close batches (own batches for enterprises)
  kTraceReview,     // confirm or dismiss clone suspicions (the agriculture departments, the office)
  kTraceRules,      // set the thresholds of the clone-detection rules (the office)
  // Cases and 两法衔接 (issue 5):
  kCaseRead,       // read cases and statistics within the region (office)
  kCaseWrite,      // open, edit, decide and transfer own organisation's cases (officer)
  kCaseReview,     // approve or reject transfers of own organisation's cases (reviewer)
  kCasePolice,     // accept transferred cases, decide 立案/不立案 (police, own organisation)
  kCaseProcurate,  // see every case in the region, supervise, record 批捕/起诉 (procurator)
  kCaseCourt,      // record 受理/审结/判决 of prosecuted cases in the region (court)
  kCount,
};

enum class Scope : std::uint8_t { kOwnOrg, kRegion, kAll };

std::string_view PermissionName(Permission p);

class PermissionSet {
 public:
  void Add(Permission p) { bits_ |= Bit(p); }
  bool Has(Permission p) const { return (bits_ & Bit(p)) != 0; }
  std::vector<Permission> List() const;

 private:
  static std::uint32_t Bit(Permission p) { return 1u << static_cast<unsigned>(p); }
  std::uint32_t bits_ = 0;
};

struct RoleInfo {
  std::string id;
  std::string name_zh;
  std::string name_en;
  bool admin = false;  // one of the three mutually exclusive admin roles (三权分立)
  std::string description;
  std::vector<Permission> permissions;
  Scope scope = Scope::kOwnOrg;
};

const std::vector<RoleInfo>& AllRoles();
const RoleInfo* FindRole(std::string_view id);

PermissionSet PermissionsOf(const std::vector<std::string>& roles);
// The widest scope over which `roles` hold `p`; kOwnOrg if none grant it.
Scope ScopeOf(const std::vector<std::string>& roles, Permission p);

// core/region_code.h: whether region `code` is `ancestor` or lies below it.
using redshield::RegionCovers;

}  // namespace redshield::platform
