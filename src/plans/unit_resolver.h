// Resolves the units named in a plan's notes to organisations and group
// phrases (data/README.md, "How plan notes resolve"):
//   1. the prefix rule gives each unit its full name: "自治区X、Y" means
//      内蒙古自治区X and 内蒙古自治区Y, "内蒙古X、Y" means 内蒙古X and 内蒙古Y;
//      units ending in 海关 or starting with 各/中国/中共/中华/国家 take no
//      prefix; a prefix carries forward within one clause of the note;
//   2. the full name, then the unit as written, is looked up among the
//      names, short names and aliases of the organisations of the plan's
//      region (a name is never shared within a region);
//   3. then among the group phrases (有关成员单位, 各地区…领导小组), which
//      stand for sets of organisations;
//   4. then among all organisations, if exactly one has that name.
// The resolver takes plain lists, not a store: the caller reads them from the
// database or from the CSV files shipped with the product. Immutable after
// construction, so thread-safe.
#pragma once

#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "core/error.h"
#include "core/id.h"
#include "plans/plan.h"

namespace redshield::plans {

struct OrgEntry {
  Id id = 0;  // 0 when read from a data file
  std::string code;
  std::string name;
  std::string short_name;
  std::vector<std::string> aliases;
  std::string region_code;
};

struct OrgGroup {
  std::string phrase;
  std::vector<std::string> member_codes;
};

// Rows of data/organizations.csv (code,name,short_name,aliases,type,
// region_code,parent_code; aliases separated by |). kInvalidArgument naming
// the line for malformed CSV or a missing code/name.
Result<std::vector<OrgEntry>> ParseOrganizationsCsv(std::string_view csv);
// Rows of data/org_groups.csv (phrase,members,note; members separated by |).
Result<std::vector<OrgGroup>> ParseOrgGroupsCsv(std::string_view csv);

// A unit that is neither an organisation nor a group.
struct UnresolvedUnit {
  std::string section;  // section number ("一"), empty for an implicit section
  std::string item;     // item number ("十六"), empty for an implicit item
  int task = 0;         // 1-based position of the task in its item
  std::string text;     // as written
  std::string name;     // full name after the prefix rule
};

class UnitResolver {
 public:
  // The region that issued the plan, e.g. "150000" for 内蒙古自治区.
  static constexpr std::string_view kDefaultRegion = "150000";

  UnitResolver(std::vector<OrgEntry> orgs, std::vector<OrgGroup> groups,
               std::string region_code = std::string(kDefaultRegion));

  // Full names of the units of one clause, in order (the prefix rule).
  static std::vector<std::string> ExpandClause(const std::vector<std::string>& texts);

  // Resolves `unit` given its full name: sets name, and org or group with
  // its members. Leaves org and group empty if nothing matches.
  void Resolve(Unit& unit, const std::string& full_name) const;

  // Resolves every unit of `plan` (clause by clause, for the prefix rule) and
  // returns the units that resolve to nothing, in plan order.
  std::vector<UnresolvedUnit> ResolvePlan(Plan& plan) const;

 private:
  // Index into orgs_ of the one organisation called `key` in the plan's
  // region (or, with `any_region`, anywhere); -1 if none or several.
  int FindOrg(const std::string& key, bool any_region) const;
  const OrgGroup* FindGroup(const std::string& key) const;
  OrgRef RefOf(const OrgEntry& org) const;

  const std::vector<OrgEntry> orgs_;
  const std::vector<OrgGroup> groups_;
  const std::string region_code_;
  const std::unordered_map<std::string, std::vector<int>> by_key_;  // name/short/alias -> orgs
  const std::unordered_map<std::string, int> by_code_;
};

}  // namespace redshield::plans
