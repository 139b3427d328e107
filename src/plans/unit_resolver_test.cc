#include "plans/unit_resolver.h"

#include <gtest/gtest.h>

#include <set>
#include <string>
#include <vector>

#include "plans/plan_test_util.h"

namespace redshield::plans {
namespace {

using Names = std::vector<std::string>;

TEST(UnitResolver, ExpandsThePrefixWithinAClause) {
  EXPECT_EQ(UnitResolver::ExpandClause({"自治区工商局", "质监局", "呼和浩特海关", "内蒙古出入境检验检疫局",
                                        "通信管理局"}),
            (Names{"内蒙古自治区工商局", "内蒙古自治区质监局", "呼和浩特海关", "内蒙古出入境检验检疫局",
                   "内蒙古通信管理局"}));
  EXPECT_EQ(UnitResolver::ExpandClause({"内蒙古国税局", "自治区地税局", "工商局"}),
            (Names{"内蒙古国税局", "内蒙古自治区地税局", "内蒙古自治区工商局"}));
  EXPECT_EQ(UnitResolver::ExpandClause({"内蒙古自治区公安厅", "各地区打击侵权假冒工作领导小组", "林业厅"}),
            (Names{"内蒙古自治区公安厅", "各地区打击侵权假冒工作领导小组", "内蒙古自治区林业厅"}));
  // No prefix seen: as written.
  EXPECT_EQ(UnitResolver::ExpandClause({"工商局", "满洲里海关"}), (Names{"工商局", "满洲里海关"}));
}

Unit Resolved(const std::string& text, const std::string& full_name) {
  Unit unit;
  unit.text = text;
  ResolverForTesting().Resolve(unit, full_name);
  return unit;
}

TEST(UnitResolver, FindsOrganisationsByAliasShortNameAndName) {
  Unit gsj = Resolved("工商局", "内蒙古自治区工商局");
  ASSERT_TRUE(gsj.org.has_value());
  EXPECT_EQ(gsj.org->code, "NMG-GSJ");
  EXPECT_EQ(gsj.org->name, "内蒙古自治区工商行政管理局");
  EXPECT_EQ(gsj.org->id, 0);
  EXPECT_EQ(gsj.name, "内蒙古自治区工商局");

  // The expanded name is unknown; the unit as written is the short name.
  Unit bank = Resolved("人民银行呼和浩特中心支行", "内蒙古自治区人民银行呼和浩特中心支行");
  ASSERT_TRUE(bank.org.has_value());
  EXPECT_EQ(bank.org->code, "NMG-RMYH");
  EXPECT_EQ(bank.name, "人民银行呼和浩特中心支行");

  // A short name shared by every region resolves in the plan's region.
  EXPECT_EQ(Resolved("公安局", "公安局").org.has_value(), false);
  EXPECT_EQ(Resolved("呼和浩特市公安局", "呼和浩特市公安局").org->code, "HHHT-GAJ");
}

TEST(UnitResolver, ResolvesInTheRegionOfThePlan) {
  Result<std::vector<OrgEntry>> orgs =
      ParseOrganizationsCsv(ReadFileForTesting(SourceDirForTesting() + "/data/organizations.csv"));
  ASSERT_TRUE(orgs.has_value());
  const UnitResolver hohhot(*orgs, {}, "150100");
  Unit unit;
  unit.text = "公安局";
  hohhot.Resolve(unit, "公安局");
  ASSERT_TRUE(unit.org.has_value());
  EXPECT_EQ(unit.org->code, "HHHT-GAJ");
}

TEST(UnitResolver, ExpandsGroupsIntoTheirMembers) {
  Unit members = Resolved("自治区打击侵权假冒工作领导小组有关成员单位",
                          "内蒙古自治区打击侵权假冒工作领导小组有关成员单位");
  EXPECT_FALSE(members.org.has_value());
  EXPECT_EQ(members.group, "自治区打击侵权假冒工作领导小组有关成员单位");
  EXPECT_EQ(members.name, "内蒙古自治区打击侵权假冒工作领导小组有关成员单位");
  EXPECT_EQ(members.members.size(), 32u);
  EXPECT_TRUE(members.Resolved());

  Unit regions = Resolved("各地区打击侵权假冒工作领导小组", "各地区打击侵权假冒工作领导小组");
  ASSERT_EQ(regions.members.size(), 12u);
  std::set<std::string> codes;
  for (const OrgRef& member : regions.members) codes.insert(member.code);
  EXPECT_TRUE(codes.count("HHHT-SDB"));
  EXPECT_TRUE(codes.count("ALSM-SDB"));
}

TEST(UnitResolver, ListsWhatDoesNotResolve) {
  Plan plan = ParseOrFail(TestDataForTesting("notes_and_groups.txt"));
  const std::vector<UnresolvedUnit> unresolved = ResolverForTesting().ResolvePlan(plan);
  ASSERT_EQ(unresolved.size(), 1u);
  EXPECT_EQ(unresolved[0].item, "二十");
  EXPECT_EQ(unresolved[0].task, 1);
  EXPECT_EQ(unresolved[0].text, "自治区火星管理局");
  EXPECT_EQ(unresolved[0].name, "内蒙古自治区火星管理局");
  // The rest of the clause still resolves.
  const Unit& swt = plan.sections[0].items[4].tasks[0].units[1];
  EXPECT_EQ(swt.name, "内蒙古自治区商务厅");
  EXPECT_EQ(swt.org->code, "NMG-SWT");
  // Clauses of a two-clause note expand separately.
  const Unit& gsj = plan.sections[0].items[0].tasks[0].units[3];
  EXPECT_EQ(gsj.name, "内蒙古自治区工商局");
  EXPECT_EQ(gsj.role, UnitRole::kResponsible);
}

TEST(UnitResolver, CarriesDatabaseIds) {
  std::vector<OrgEntry> orgs = {{42, "NMG-GSJ", "内蒙古自治区工商行政管理局", "工商局", {"自治区工商局"}, "150000"},
                                {43, "NMG-ZJJ", "内蒙古自治区质量技术监督局", "质监局", {}, "150000"}};
  const UnitResolver resolver(orgs, {{"两局", {"NMG-GSJ", "NMG-ZJJ", "NMG-GONE"}}});
  Unit unit;
  unit.text = "自治区工商局";
  resolver.Resolve(unit, "内蒙古自治区工商局");
  ASSERT_TRUE(unit.org.has_value());
  EXPECT_EQ(unit.org->id, 42);
  Unit group;
  group.text = "两局";
  resolver.Resolve(group, "两局");
  ASSERT_EQ(group.members.size(), 2u);  // the unknown code is left out
  EXPECT_EQ(group.members[1].id, 43);
}

TEST(UnitResolver, ReportsBadDataFiles) {
  EXPECT_FALSE(ParseOrganizationsCsv("code,name\nA,B\n").has_value());  // columns missing
  EXPECT_FALSE(ParseOrganizationsCsv("code,name,short_name,aliases,region_code\n,B,,,150000\n")
                   .has_value());
  EXPECT_FALSE(ParseOrgGroupsCsv("phrase,members\n有关单位,\n").has_value());
  Result<std::vector<OrgGroup>> groups = ParseOrgGroupsCsv("phrase,members,note\n两局,A|B,x\n");
  ASSERT_TRUE(groups.has_value());
  EXPECT_EQ(groups->at(0).member_codes, (Names{"A", "B"}));
}

}  // namespace
}  // namespace redshield::plans
