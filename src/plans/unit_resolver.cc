#include "plans/unit_resolver.h"

#include <algorithm>
#include <utility>

#include "core/csv.h"

namespace redshield::plans {
namespace {

constexpr std::string_view kRegionFull = "内蒙古自治区";
constexpr std::string_view kRegionShort = "自治区";
constexpr std::string_view kRegionPlain = "内蒙古";

std::vector<std::string> SplitBars(std::string_view text) {
  std::vector<std::string> parts;
  size_t start = 0;
  while (start <= text.size()) {
    size_t end = text.find('|', start);
    if (end == std::string_view::npos) end = text.size();
    if (end > start) parts.emplace_back(text.substr(start, end - start));
    start = end + 1;
  }
  return parts;
}

// Units that name their own level and never take the clause's prefix.
bool TakesNoPrefix(std::string_view text) {
  for (std::string_view start : {"各", "中国", "中共", "中华", "国家", "全区"}) {
    if (text.starts_with(start)) return true;
  }
  return text.ends_with("海关");
}

std::unordered_map<std::string, std::vector<int>> IndexByKey(const std::vector<OrgEntry>& orgs) {
  std::unordered_map<std::string, std::vector<int>> index;
  auto add = [&index](const std::string& key, int org) {
    if (key.empty()) return;
    std::vector<int>& list = index[key];
    if (std::find(list.begin(), list.end(), org) == list.end()) list.push_back(org);
  };
  for (size_t i = 0; i < orgs.size(); ++i) {
    const int org = static_cast<int>(i);
    add(orgs[i].name, org);
    add(orgs[i].short_name, org);
    for (const std::string& alias : orgs[i].aliases) add(alias, org);
  }
  return index;
}

std::unordered_map<std::string, int> IndexByCode(const std::vector<OrgEntry>& orgs) {
  std::unordered_map<std::string, int> index;
  for (size_t i = 0; i < orgs.size(); ++i) index.emplace(orgs[i].code, static_cast<int>(i));
  return index;
}

// Group phrases are written with 自治区; a note may say 内蒙古自治区.
std::string GroupKey(std::string_view text) {
  if (text.starts_with(kRegionFull)) {
    return std::string(kRegionShort) + std::string(text.substr(kRegionFull.size()));
  }
  return std::string(text);
}

}  // namespace

Result<std::vector<OrgEntry>> ParseOrganizationsCsv(std::string_view csv) {
  Result<CsvTable> table = CsvTable::Parse(csv, {"code", "name", "short_name", "aliases", "region_code"});
  RS_TRY(table);
  std::vector<OrgEntry> orgs;
  for (const CsvRecord& record : table->records()) {
    Result<std::string_view> code = record.RequiredField("code");
    RS_TRY(code);
    Result<std::string_view> name = record.RequiredField("name");
    RS_TRY(name);
    OrgEntry org;
    org.code = std::string(*code);
    org.name = std::string(*name);
    org.short_name = std::string(*record.Field("short_name"));
    org.aliases = SplitBars(*record.Field("aliases"));
    org.region_code = std::string(*record.Field("region_code"));
    orgs.push_back(std::move(org));
  }
  return orgs;
}

Result<std::vector<OrgGroup>> ParseOrgGroupsCsv(std::string_view csv) {
  Result<CsvTable> table = CsvTable::Parse(csv, {"phrase", "members"});
  RS_TRY(table);
  std::vector<OrgGroup> groups;
  for (const CsvRecord& record : table->records()) {
    Result<std::string_view> phrase = record.RequiredField("phrase");
    RS_TRY(phrase);
    Result<std::string_view> members = record.RequiredField("members");
    RS_TRY(members);
    groups.push_back(OrgGroup{std::string(*phrase), SplitBars(*members)});
  }
  return groups;
}

UnitResolver::UnitResolver(std::vector<OrgEntry> orgs, std::vector<OrgGroup> groups,
                           std::string region_code)
    : orgs_(std::move(orgs)),
      groups_(std::move(groups)),
      region_code_(std::move(region_code)),
      by_key_(IndexByKey(orgs_)),
      by_code_(IndexByCode(orgs_)) {}

std::vector<std::string> UnitResolver::ExpandClause(const std::vector<std::string>& texts) {
  std::vector<std::string> names;
  std::string prefix;
  for (const std::string& text : texts) {
    if (text.starts_with(kRegionFull)) {
      prefix = kRegionFull;
      names.push_back(text);
    } else if (text.starts_with(kRegionShort)) {
      prefix = kRegionFull;
      names.push_back(std::string(kRegionPlain) + text);
    } else if (text.starts_with(kRegionPlain)) {
      prefix = kRegionPlain;
      names.push_back(text);
    } else if (prefix.empty() || TakesNoPrefix(text)) {
      names.push_back(text);
    } else {
      names.push_back(prefix + text);
    }
  }
  return names;
}

int UnitResolver::FindOrg(const std::string& key, bool any_region) const {
  auto found = by_key_.find(key);
  if (found == by_key_.end()) return -1;
  int match = -1;
  for (int org : found->second) {
    if (!any_region && orgs_[static_cast<size_t>(org)].region_code != region_code_) continue;
    if (match >= 0) return -1;  // ambiguous
    match = org;
  }
  return match;
}

const OrgGroup* UnitResolver::FindGroup(const std::string& key) const {
  const std::string wanted = GroupKey(key);
  for (const OrgGroup& group : groups_) {
    if (GroupKey(group.phrase) == wanted) return &group;
  }
  return nullptr;
}

OrgRef UnitResolver::RefOf(const OrgEntry& org) const { return OrgRef{org.id, org.code, org.name}; }

void UnitResolver::Resolve(Unit& unit, const std::string& full_name) const {
  unit.name = full_name;
  unit.org.reset();
  unit.group.clear();
  unit.members.clear();
  std::vector<std::string> candidates = {full_name};
  if (unit.text != full_name) candidates.push_back(unit.text);
  for (bool any_region : {false, true}) {
    for (const std::string& candidate : candidates) {
      const int org = FindOrg(candidate, any_region);
      if (org < 0) continue;
      unit.name = candidate;
      unit.org = RefOf(orgs_[static_cast<size_t>(org)]);
      return;
    }
    if (any_region) break;
    // Groups come before a match in another region: "各地区…" is never one
    // organisation.
    for (const std::string& candidate : candidates) {
      const OrgGroup* group = FindGroup(candidate);
      if (group == nullptr) continue;
      for (const std::string& code : group->member_codes) {
        auto member = by_code_.find(code);
        if (member != by_code_.end()) unit.members.push_back(RefOf(orgs_[static_cast<size_t>(member->second)]));
      }
      if (unit.members.empty()) continue;  // none of its members is known here
      unit.name = candidate;
      unit.group = group->phrase;
      return;
    }
  }
}

std::vector<UnresolvedUnit> UnitResolver::ResolvePlan(Plan& plan) const {
  std::vector<UnresolvedUnit> unresolved;
  for (Section& section : plan.sections) {
    for (Item& item : section.items) {
      for (size_t task_idx = 0; task_idx < item.tasks.size(); ++task_idx) {
        std::vector<Unit>& units = item.tasks[task_idx].units;
        size_t clause_start = 0;
        while (clause_start < units.size()) {
          size_t clause_end = clause_start;
          std::vector<std::string> texts;
          while (clause_end < units.size() && units[clause_end].clause == units[clause_start].clause) {
            texts.push_back(units[clause_end++].text);
          }
          const std::vector<std::string> names = ExpandClause(texts);
          for (size_t unit_idx = clause_start; unit_idx < clause_end; ++unit_idx) {
            Unit& unit = units[unit_idx];
            Resolve(unit, names[unit_idx - clause_start]);
            if (unit.Resolved()) continue;
            unresolved.push_back(UnresolvedUnit{section.number, item.number,
                                                static_cast<int>(task_idx) + 1, unit.text,
                                                unit.name});
          }
          clause_start = clause_end;
        }
      }
    }
  }
  return unresolved;
}

}  // namespace redshield::plans
