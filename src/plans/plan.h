// The structure of an annual 双打 work plan (工作要点): sections (一、…) hold
// numbered items ((一)…(二十五)), items hold tasks, and each task ends with
// a responsibility note naming its units ("(自治区工商局、质监局按职责分工分别
// 负责)"). plan_parser.h builds a Plan from the text of a document;
// unit_resolver.h fills in the full names and the organisations of its units.
//
// Plain data, no behaviour beyond small accessors; thread-safe as values are.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/id.h"

namespace redshield::plans {

enum class UnitRole {
  kLead,         // named under 牵头负责 (also 按职责分工牵头负责)
  kResponsible,  // 负责, 按职责分工负责, 按职责分工分别负责
};

// "lead" | "responsible": the stable names used in JSON and data files.
std::string_view UnitRoleName(UnitRole role);

// An organisation a unit resolved to. `id` is 0 when the organisations came
// from a data file rather than the database.
struct OrgRef {
  Id id = 0;
  std::string code;
  std::string name;  // official name
};

struct Unit {
  std::string text;  // as written (simplified characters, no spaces, trailing 等 removed)
  UnitRole role = UnitRole::kResponsible;
  int clause = 0;  // which clause of the note (a prefix such as 自治区 carries within one)

  // Filled by UnitResolver:
  std::string name;            // the full name: 自治区工商局 -> 内蒙古自治区工商局
  std::optional<OrgRef> org;   // the organisation, if the name is one
  std::string group;           // the group phrase, if the name is a group (有关成员单位 …)
  std::vector<OrgRef> members; // the group's organisations

  bool Resolved() const { return org.has_value() || !group.empty(); }
};

struct Task {
  std::string number;  // "1" when the plan numbers its tasks (1. 2. …), else empty
  std::string text;    // the task up to and including its note, as written
  std::string note;    // the inside of the note: "自治区工商局牵头负责"
  std::vector<Unit> units;
};

struct Item {
  std::string number;  // Chinese numeral as written: "十六"; empty for an implicit item
  int ordinal = 0;     // 16; 0 for an implicit item
  std::string title;   // first sentence, without its 。
  std::string intro;   // text between the title and task 1. when tasks are numbered
  std::vector<Task> tasks;
};

struct Section {
  std::string number;  // "一"; empty for the implicit section of a plan without sections
  int ordinal = 0;
  std::string title;
  std::vector<Item> items;
};

struct Plan {
  std::string title;  // e.g. 2017年全区打击侵犯知识产权和制售假冒伪劣商品工作要点
  int year = 0;       // 0 if the text names none
  std::string encoding;  // what the bytes were: "UTF-8", "GB18030", "UTF-16LE", "UTF-16BE"
  std::vector<Section> sections;
  // Things a person should check, e.g. text after the last note of an item.
  std::vector<std::string> warnings;

  int ItemCount() const;
  int TaskCount() const;
  int UnitCount() const;
};

}  // namespace redshield::plans
