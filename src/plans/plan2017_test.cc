// The seed plan (shared/seed/work-plan-2017-inner-mongolia.txt) against
// testdata/plan2017_expected.txt, which was written by reading the plan.
#include <gtest/gtest.h>

#include <set>
#include <sstream>
#include <string>
#include <vector>

#include "plans/plan_test_util.h"

namespace redshield::plans {
namespace {

struct ExpectedUnit {
  std::string role;
  std::string text;
  std::string name;
  std::string code;  // or @phrase
};

struct ExpectedTask {
  std::string start;
  std::vector<ExpectedUnit> units;
};

struct ExpectedItem {
  std::string number;
  std::string title;
  std::vector<ExpectedTask> tasks;
};

struct ExpectedSection {
  std::string number;
  std::string title;
  std::vector<ExpectedItem> items;
};

struct ExpectedPlan {
  std::string title;
  int year = 0;
  std::vector<ExpectedSection> sections;
};

ExpectedPlan ReadExpected() {
  ExpectedPlan plan;
  std::istringstream in(TestDataForTesting("plan2017_expected.txt"));
  std::string line;
  while (std::getline(in, line)) {
    if (line.empty() || line[0] == '#') continue;
    std::istringstream fields(line);
    std::string kind;
    fields >> kind;
    std::string rest;
    std::getline(fields >> std::ws, rest);
    std::istringstream words(rest);
    if (kind == "TITLE") {
      plan.title = rest;
    } else if (kind == "YEAR") {
      plan.year = std::stoi(rest);
    } else if (kind == "S") {
      ExpectedSection section;
      words >> section.number >> section.title;
      plan.sections.push_back(section);
    } else if (kind == "I") {
      ExpectedItem item;
      words >> item.number >> item.title;
      plan.sections.back().items.push_back(item);
    } else if (kind == "T") {
      plan.sections.back().items.back().tasks.push_back(ExpectedTask{rest, {}});
    } else if (kind == "L" || kind == "R") {
      ExpectedUnit unit{kind == "L" ? "lead" : "responsible", "", "", ""};
      words >> unit.text >> unit.name >> unit.code;
      plan.sections.back().items.back().tasks.back().units.push_back(unit);
    } else {
      ADD_FAILURE() << "bad line in plan2017_expected.txt: " << line;
    }
  }
  return plan;
}

std::string SeedBytes() {
  return ReadFileForTesting(SharedDirForTesting() + "/seed/work-plan-2017-inner-mongolia.txt");
}

class Plan2017 : public testing::Test {
 protected:
  void SetUp() override {
    plan_ = ParseOrFail(SeedBytes());
    unresolved_ = ResolverForTesting().ResolvePlan(plan_);
  }

  Plan plan_;
  std::vector<UnresolvedUnit> unresolved_;
};

TEST_F(Plan2017, HasEightSectionsTwentyFiveItemsFortyOneTasks) {
  EXPECT_EQ(plan_.title, "2017年全区打击侵犯知识产权和制售假冒伪劣商品工作要点");
  EXPECT_EQ(plan_.year, 2017);
  EXPECT_EQ(plan_.encoding, "UTF-8");
  EXPECT_EQ(plan_.sections.size(), 8u);
  EXPECT_EQ(plan_.ItemCount(), 25);
  EXPECT_EQ(plan_.TaskCount(), 41);
  EXPECT_EQ(plan_.UnitCount(), 186);
  EXPECT_TRUE(plan_.warnings.empty());
  int ordinal = 0;
  for (const Section& section : plan_.sections) {
    for (const Item& item : section.items) EXPECT_EQ(item.ordinal, ++ordinal) << item.number;
  }
}

TEST_F(Plan2017, EveryUnitResolves) {
  EXPECT_TRUE(unresolved_.empty());
  for (const UnresolvedUnit& unit : unresolved_) ADD_FAILURE() << unit.item << ": " << unit.text;
  std::set<std::string> orgs;
  std::set<std::string> groups;
  for (const Section& section : plan_.sections) {
    for (const Item& item : section.items) {
      for (const Task& task : item.tasks) {
        for (const Unit& unit : task.units) {
          if (unit.org) orgs.insert(unit.org->code);
          if (!unit.group.empty()) groups.insert(unit.group);
        }
      }
    }
  }
  // data/README.md: 33 distinct organisations and 2 group phrases.
  EXPECT_EQ(orgs.size(), 33u);
  EXPECT_EQ(groups.size(), 2u);
}

std::string CodeOf(const Unit& unit) {
  if (unit.org) return unit.org->code;
  if (!unit.group.empty()) return "@" + unit.group;
  return "?";
}

TEST_F(Plan2017, MatchesTheExpectedStructureWrittenByHand) {
  const ExpectedPlan expected = ReadExpected();
  EXPECT_EQ(plan_.title, expected.title);
  EXPECT_EQ(plan_.year, expected.year);
  ASSERT_EQ(plan_.sections.size(), expected.sections.size());
  for (size_t s = 0; s < expected.sections.size(); ++s) {
    const ExpectedSection& want_section = expected.sections[s];
    const Section& section = plan_.sections[s];
    EXPECT_EQ(section.number, want_section.number);
    EXPECT_EQ(section.title, want_section.title);
    ASSERT_EQ(section.items.size(), want_section.items.size()) << "section " << want_section.number;
    for (size_t i = 0; i < want_section.items.size(); ++i) {
      const ExpectedItem& want_item = want_section.items[i];
      const Item& item = section.items[i];
      SCOPED_TRACE("item " + want_item.number);
      EXPECT_EQ(item.number, want_item.number);
      EXPECT_EQ(item.title, want_item.title);
      ASSERT_EQ(item.tasks.size(), want_item.tasks.size());
      for (size_t t = 0; t < want_item.tasks.size(); ++t) {
        const ExpectedTask& want_task = want_item.tasks[t];
        const Task& task = item.tasks[t];
        SCOPED_TRACE("task " + std::to_string(t + 1));
        EXPECT_TRUE(task.text.starts_with(want_task.start)) << task.text;
        EXPECT_TRUE(task.text.ends_with("(" + task.note + ")")) << task.text;
        EXPECT_TRUE(task.note.ends_with("负责")) << task.note;
        ASSERT_EQ(task.units.size(), want_task.units.size());
        for (size_t u = 0; u < want_task.units.size(); ++u) {
          const ExpectedUnit& want = want_task.units[u];
          const Unit& unit = task.units[u];
          EXPECT_EQ(unit.text, want.text);
          EXPECT_EQ(unit.name, want.name) << want.text;
          EXPECT_EQ(UnitRoleName(unit.role), want.role) << want.text;
          EXPECT_EQ(CodeOf(unit), want.code) << want.text;
        }
      }
    }
  }
}

// Title and tasks together give back each item's line of the plan, so no
// text is lost or duplicated (the plan has one stray space, in (十四)).
TEST_F(Plan2017, TasksGiveBackTheTextOfEachItem) {
  std::vector<std::string> item_lines;
  std::istringstream in(SeedBytes());
  std::string line;
  while (std::getline(in, line)) {
    if (!line.starts_with("(")) continue;
    std::string compact;
    for (char c : line) {
      if (c != ' ') compact += c;
    }
    item_lines.push_back(compact);
  }
  ASSERT_EQ(item_lines.size(), 25u);
  size_t index = 0;
  for (const Section& section : plan_.sections) {
    for (const Item& item : section.items) {
      std::string rebuilt = "(" + item.number + ")" + item.title + "。";
      for (const Task& task : item.tasks) rebuilt += task.text;
      EXPECT_EQ(rebuilt, item_lines[index++]);
    }
  }
}

}  // namespace
}  // namespace redshield::plans
