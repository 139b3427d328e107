#include "plans/plan_json.h"

#include <set>

#include "core/json_text.h"

namespace redshield::plans {
namespace {

void WriteOrg(JsonWriter& json, const OrgRef& org) {
  json.Key("org_id");
  org.id == 0 ? json.Null() : json.String(std::to_string(org.id));
  json.Key("org_code");
  json.String(org.code);
  json.Key("org_name");
  json.String(org.name);
}

void WriteUnit(JsonWriter& json, const Unit& unit) {
  json.BeginObject();
  json.Key("text");
  json.String(unit.text);
  json.Key("name");
  json.String(unit.name);
  json.Key("role");
  json.String(UnitRoleName(unit.role));
  if (unit.org) {
    WriteOrg(json, *unit.org);
  } else {
    json.Key("org_id");
    json.Null();
  }
  if (!unit.group.empty()) {
    json.Key("group");
    json.String(unit.group);
    json.Key("members");
    json.BeginArray();
    for (const OrgRef& member : unit.members) {
      json.BeginObject();
      WriteOrg(json, member);
      json.EndObject();
    }
    json.EndArray();
  }
  json.EndObject();
}

void WriteTask(JsonWriter& json, const Task& task) {
  json.BeginObject();
  json.Key("number");
  json.StringOrNull(task.number);
  json.Key("text");
  json.String(task.text);
  json.Key("units");
  json.BeginArray();
  for (const Unit& unit : task.units) WriteUnit(json, unit);
  json.EndArray();
  json.EndObject();
}

void WriteItem(JsonWriter& json, const Item& item) {
  json.BeginObject();
  json.Key("number");
  json.StringOrNull(item.number);
  json.Key("title");
  json.String(item.title);
  if (!item.intro.empty()) {
    json.Key("intro");
    json.String(item.intro);
  }
  json.Key("tasks");
  json.BeginArray();
  for (const Task& task : item.tasks) WriteTask(json, task);
  json.EndArray();
  json.EndObject();
}

}  // namespace

PlanSummary Summarize(const Plan& plan) {
  std::set<std::string> orgs;
  std::set<std::string> groups;
  for (const Section& section : plan.sections) {
    for (const Item& item : section.items) {
      for (const Task& task : item.tasks) {
        for (const Unit& unit : task.units) {
          if (unit.org) orgs.insert(unit.org->code);
          if (!unit.group.empty()) groups.insert(unit.group);
        }
      }
    }
  }
  return PlanSummary{orgs.size(), groups.size()};
}

namespace {

void WriteSummary(JsonWriter& json, const Plan& plan, size_t unresolved) {
  const PlanSummary summary = Summarize(plan);
  json.Key("summary");
  json.BeginObject();
  json.Key("sections");
  json.Int(static_cast<long long>(plan.sections.size()));
  json.Key("items");
  json.Int(plan.ItemCount());
  json.Key("tasks");
  json.Int(plan.TaskCount());
  json.Key("units");
  json.Int(plan.UnitCount());
  json.Key("organizations");
  json.Int(static_cast<long long>(summary.organizations));
  json.Key("groups");
  json.Int(static_cast<long long>(summary.groups));
  json.Key("unresolved");
  json.Int(static_cast<long long>(unresolved));
  json.EndObject();
}

}  // namespace

std::string PlanJson(const Plan& plan, const std::vector<UnresolvedUnit>& unresolved,
                     const std::string& region) {
  JsonWriter json;
  json.BeginObject();
  json.Key("title");
  json.String(plan.title);
  json.Key("year");
  plan.year == 0 ? json.Null() : json.Int(plan.year);
  json.Key("encoding");
  json.String(plan.encoding);
  json.Key("region");
  json.String(region);
  json.Key("sections");
  json.BeginArray();
  for (const Section& section : plan.sections) {
    json.BeginObject();
    json.Key("number");
    json.StringOrNull(section.number);
    json.Key("title");
    json.String(section.title);
    json.Key("items");
    json.BeginArray();
    for (const Item& item : section.items) WriteItem(json, item);
    json.EndArray();
    json.EndObject();
  }
  json.EndArray();
  json.Key("unresolved");
  json.BeginArray();
  for (const UnresolvedUnit& unit : unresolved) {
    json.BeginObject();
    json.Key("section");
    json.StringOrNull(unit.section);
    json.Key("item");
    json.StringOrNull(unit.item);
    json.Key("task");
    json.Int(unit.task);
    json.Key("text");
    json.String(unit.text);
    json.Key("name");
    json.String(unit.name);
    json.EndObject();
  }
  json.EndArray();
  json.Key("warnings");
  json.BeginArray();
  for (const std::string& warning : plan.warnings) json.String(warning);
  json.EndArray();
  WriteSummary(json, plan, unresolved.size());
  json.EndObject();
  return json.str();
}

}  // namespace redshield::plans
