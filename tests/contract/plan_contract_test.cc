// The plans module over real stores, on every backend: importing the seed
// work plan (shared/seed/work-plan-2017-inner-mongolia.txt) against the
// shipped organisations, refusing a second plan for the same year and region,
// and editing due dates (issue 4 §2).
#include <gtest/gtest.h>

#include <map>
#include <set>

#include "contract/fixture.h"
#include "core/check.h"
#include "core/csv.h"
#include "core/testing_paths.h"
#include "plans/plan_parser.h"
#include "plans/plan_service.h"
#include "plans/unit_resolver.h"

namespace redshield::testing_support {
namespace {

using plans::Assignment;
using plans::Plan;
using plans::PlanTree;
using plans::UnitRole;
using platform::Principal;

class PlanContract : public PlatformFixture {
 protected:
  void SetUp() override {
    PlatformFixture::SetUp();
    ASSERT_TRUE(setup_->LoadReference(ReadRepoFile("data/regions/inner_mongolia_divisions.csv"),
                                      ReadRepoFile("data/organizations.csv")));
  }

  std::vector<plans::OrgEntry> OrgsFromDatabase() {
    std::vector<plans::OrgEntry> out;
    platform::OrgQuery query;
    query.page.page_size = 200;
    for (query.page.page = 1;; ++query.page.page) {
      Result<platform::Page<platform::Organization>> page =
          storage_->platform().ListOrganizations(query);
      RS_CHECK(page.has_value()) << page.error().message;
      for (const platform::Organization& org : page->items) {
        out.push_back({org.id, org.code, org.name, org.short_name, org.aliases, org.region_code});
      }
      if (page->items.empty() || static_cast<std::int64_t>(out.size()) >= page->total) break;
    }
    return out;
  }

  // The seed plan, parsed and resolved against the database's organisations.
  Plan ResolvedSeed(std::vector<plans::UnresolvedUnit>* unresolved = nullptr) {
    Result<std::string> bytes =
        ReadTextFile(SharedDirForTesting() + "/seed/work-plan-2017-inner-mongolia.txt");
    RS_CHECK(bytes.has_value()) << "cannot read the seed plan";
    Result<std::unique_ptr<plans::SimplifiedConverter>> converter =
        plans::SimplifiedConverter::Create();
    RS_CHECK(converter.has_value()) << converter.error().message;
    Result<Plan> plan = plans::ParsePlan(*bytes, converter->get());
    RS_CHECK(plan.has_value()) << plan.error().message;
    Result<std::vector<plans::OrgGroup>> groups =
        plans::ParseOrgGroupsCsv(ReadRepoFile("data/org_groups.csv"));
    RS_CHECK(groups.has_value()) << groups.error().message;
    plans::UnitResolver resolver(OrgsFromDatabase(), std::move(*groups));
    std::vector<plans::UnresolvedUnit> missing = resolver.ResolvePlan(*plan);
    if (unresolved != nullptr) *unresolved = missing;
    return *plan;
  }

  Actor SystemActor() const {
    Actor actor = ClientActor();
    actor.username = "system";
    return actor;
  }

  plans::ImportRequest Request2017() const { return {2017, "150000", std::nullopt, "sha"}; }

  Id ImportSeed() {
    Result<Id> id = plans_->Import(SystemActor(), ResolvedSeed(), Request2017());
    RS_CHECK(id.has_value()) << id.error().message;
    return *id;
  }

  std::int64_t AuditCount() { return storage_->platform().AuditHead()->first; }
};

// (task position in plan order) -> organisation id -> lead?
using ExpectedPairs = std::vector<std::map<Id, bool>>;

ExpectedPairs ExpectedAssignments(const Plan& plan) {
  ExpectedPairs out;
  for (const plans::Section& section : plan.sections) {
    for (const plans::Item& item : section.items) {
      for (const plans::Task& task : item.tasks) {
        std::map<Id, bool>& pairs = out.emplace_back();
        for (const plans::Unit& unit : task.units) {
          const bool lead = unit.role == UnitRole::kLead;
          if (unit.org) pairs[unit.org->id] = pairs[unit.org->id] || lead;
          for (const plans::OrgRef& member : unit.members) {
            pairs[member.id] = pairs[member.id] || lead;
          }
        }
      }
    }
  }
  return out;
}

TEST_P(PlanContract, SeedPlanResolvesCompletelyAgainstTheDatabase) {
  std::vector<plans::UnresolvedUnit> unresolved;
  Plan plan = ResolvedSeed(&unresolved);
  EXPECT_TRUE(unresolved.empty()) << unresolved.size() << " unresolved, first: "
                                  << (unresolved.empty() ? "" : unresolved.front().name);
  EXPECT_EQ(plan.sections.size(), 8u);
  EXPECT_EQ(plan.ItemCount(), 25);
}

TEST_P(PlanContract, ImportsTheSeedWithOneAssignmentPerTaskAndOrganisation) {
  const Plan plan = ResolvedSeed();
  const ExpectedPairs expected = ExpectedAssignments(plan);
  size_t expected_total = 0;
  size_t expected_leads = 0;
  for (const auto& pairs : expected) {
    expected_total += pairs.size();
    for (const auto& [org, lead] : pairs) expected_leads += lead ? 1 : 0;
  }
  ASSERT_GT(expected_leads, 0u);
  Result<Id> id = plans_->Import(SystemActor(), plan, Request2017());
  ASSERT_TRUE(id) << id.error().message;

  const Principal reader = (MakeUser("reader", "NMG-GSJ", {"officer"}), SignIn("reader"));
  Result<PlanTree> tree = plans_->GetPlan(reader, *id);
  ASSERT_TRUE(tree) << tree.error().message;
  EXPECT_EQ(tree->plan.year, 2017);
  EXPECT_EQ(tree->plan.title, plan.title);
  EXPECT_EQ(tree->plan.sections, 8);
  EXPECT_EQ(tree->plan.items, 25);
  EXPECT_EQ(tree->plan.tasks, plan.TaskCount());
  EXPECT_EQ(tree->plan.assignments, static_cast<int>(expected_total));
  ASSERT_EQ(tree->sections.size(), 8u);
  size_t task_idx = 0;
  size_t items = 0;
  size_t leads = 0;
  for (size_t section_idx = 0; section_idx < tree->sections.size(); ++section_idx) {
    const plans::StoredSection& section = tree->sections[section_idx];
    EXPECT_EQ(section.number, plan.sections[section_idx].number);
    items += section.items.size();
    for (const plans::StoredItem& item : section.items) {
      for (const plans::StoredTask& task : item.tasks) {
        ASSERT_LT(task_idx, expected.size());
        std::map<Id, bool> got;
        for (const Assignment& a : task.assignments) {
          got[a.org_id] = a.role == UnitRole::kLead;
          leads += a.role == UnitRole::kLead ? 1 : 0;
          EXPECT_EQ(a.due_date, "2017-12-31");
          EXPECT_EQ(a.status, "未开始");
          EXPECT_FALSE(a.org_name.empty());
          EXPECT_FALSE(a.unit_text.empty());
        }
        EXPECT_EQ(got, expected[task_idx]) << "task " << task_idx + 1 << ": " << task.text;
        ++task_idx;
      }
    }
  }
  EXPECT_EQ(items, 25u);
  EXPECT_EQ(task_idx, static_cast<size_t>(plan.TaskCount()));
  EXPECT_EQ(leads, expected_leads);

  Result<std::vector<plans::PlanRecord>> listed = plans_->ListPlans(reader);
  ASSERT_TRUE(listed);
  ASSERT_EQ(listed->size(), 1u);
  EXPECT_EQ(listed->front().assignments, static_cast<int>(expected_total));
}

TEST_P(PlanContract, ListsTheTasksOfOneOrganisation) {
  const Id plan_id = ImportSeed();
  const Principal reader = (MakeUser("reader", "NMG-GSJ", {"officer"}), SignIn("reader"));
  const Id gsj = OrgId("NMG-GSJ");
  Result<std::vector<Assignment>> mine = plans_->ListAssignments(reader, plan_id, {gsj});
  ASSERT_TRUE(mine) << mine.error().message;
  ASSERT_FALSE(mine->empty());
  for (const Assignment& a : *mine) {
    EXPECT_EQ(a.org_id, gsj);
    EXPECT_FALSE(a.task_text.empty());
  }
  Result<std::vector<Assignment>> all = plans_->ListAssignments(reader, plan_id, {});
  ASSERT_TRUE(all);
  EXPECT_GT(all->size(), mine->size());
  auto unknown = plans_->ListAssignments(reader, plan_id + 1, {});
  ASSERT_FALSE(unknown);
  EXPECT_EQ(unknown.error().code, ErrorCode::kNotFound);
}

TEST_P(PlanContract, SecondPlanForTheSameYearAndRegionConflictsAndWritesNothing) {
  const Id first = ImportSeed();
  const std::int64_t audit_before = AuditCount();
  Result<Id> again = plans_->Import(SystemActor(), ResolvedSeed(), Request2017());
  ASSERT_FALSE(again);
  EXPECT_EQ(again.error().code, ErrorCode::kConflict);
  EXPECT_EQ(AuditCount(), audit_before);
  Result<std::vector<plans::PlanRecord>> listed = storage_->plans().ListPlans();
  ASSERT_TRUE(listed);
  ASSERT_EQ(listed->size(), 1u);
  EXPECT_EQ(listed->front().id, first);
  Result<std::vector<Assignment>> all = storage_->plans().ListAssignments({});
  ASSERT_TRUE(all);
  EXPECT_EQ(static_cast<int>(all->size()), listed->front().assignments);
  // Another region's plan of the same year is a different plan.
  plans::ImportRequest hohhot = Request2017();
  hohhot.region_code = "150100";
  EXPECT_TRUE(plans_->Import(SystemActor(), ResolvedSeed(), hohhot));
}

TEST_P(PlanContract, PlanWithAnUnresolvedUnitIsRefusedAndNothingIsWritten) {
  Plan plan = ResolvedSeed();
  plans::Unit& unit = plan.sections[0].items[0].tasks[0].units[0];
  unit.org.reset();
  unit.group.clear();
  unit.members.clear();
  const std::int64_t audit_before = AuditCount();
  Result<Id> id = plans_->Import(SystemActor(), plan, Request2017());
  ASSERT_FALSE(id);
  EXPECT_EQ(id.error().code, ErrorCode::kInvalidArgument);
  EXPECT_EQ(AuditCount(), audit_before);
  EXPECT_TRUE(storage_->plans().ListPlans()->empty());
}

TEST_P(PlanContract, DueDateEditIsAuditedAndRegionScoped) {
  const Id plan_id = ImportSeed();
  const Principal office = (MakeUser("office1", "NMG-SDB", {"office"}), SignIn("office1"));
  const Principal city = (MakeUser("office2", "HHHT-GSJ", {"office"}), SignIn("office2"));
  const Principal officer = (MakeUser("officer1", "NMG-GSJ", {"officer"}), SignIn("officer1"));
  Result<std::vector<Assignment>> mine = plans_->ListAssignments(office, plan_id, {OrgId("NMG-GSJ")});
  ASSERT_TRUE(mine);
  ASSERT_FALSE(mine->empty());
  const Assignment target = mine->front();

  for (const Principal* who : {&city, &officer}) {
    auto denied = plans_->UpdateAssignmentDue(*who, target.id, "2017-06-30");
    ASSERT_FALSE(denied);
    EXPECT_EQ(denied.error().code, ErrorCode::kPermissionDenied);
  }
  auto bad = plans_->UpdateAssignmentDue(office, target.id, "2017-02-30");
  ASSERT_FALSE(bad);
  EXPECT_EQ(bad.error().code, ErrorCode::kInvalidArgument);
  EXPECT_EQ(bad.error().field, "due_date");
  auto missing = plans_->UpdateAssignmentDue(office, target.id + 12345, "2017-06-30");
  ASSERT_FALSE(missing);
  EXPECT_EQ(missing.error().code, ErrorCode::kNotFound);

  const std::int64_t audit_before = AuditCount();
  Result<Assignment> updated = plans_->UpdateAssignmentDue(office, target.id, "2017-06-30");
  ASSERT_TRUE(updated) << updated.error().message;
  EXPECT_EQ(updated->due_date, "2017-06-30");
  EXPECT_EQ(storage_->plans().FindAssignment(target.id)->due_date, "2017-06-30");
  EXPECT_EQ(AuditCount(), audit_before + 1);
  platform::AuditQuery query;
  query.action = "plan.assignment.update";
  Result<platform::Page<AuditRecord>> records = storage_->platform().ListAudit(query);
  ASSERT_TRUE(records);
  ASSERT_EQ(records->items.size(), 1u);
  EXPECT_EQ(records->items[0].entry.object_id, std::to_string(target.id));
  EXPECT_EQ(records->items[0].entry.actor.user_id, office.user.id);
  EXPECT_NE(records->items[0].entry.summary.find("2017-12-31 → 2017-06-30"), std::string::npos)
      << records->items[0].entry.summary;
  // The other assignments keep the default.
  Result<std::vector<Assignment>> all = storage_->plans().ListAssignments({plan_id, std::nullopt});
  ASSERT_TRUE(all);
  for (const Assignment& a : *all) {
    if (a.id != target.id) {
      EXPECT_EQ(a.due_date, "2017-12-31");
    }
  }
}

TEST_P(PlanContract, ImportWithDueDateAndBadRequests) {
  plans::ImportRequest request = Request2017();
  request.due = Date::ParseOrDie("2017-11-30");
  Result<Id> id = plans_->Import(SystemActor(), ResolvedSeed(), request);
  ASSERT_TRUE(id) << id.error().message;
  Result<std::vector<Assignment>> all = storage_->plans().ListAssignments({*id, std::nullopt});
  ASSERT_TRUE(all);
  ASSERT_FALSE(all->empty());
  for (const Assignment& a : *all) {
    EXPECT_EQ(a.due_date, "2017-11-30");
  }
  plans::ImportRequest bad_region = Request2017();
  bad_region.year = 2018;
  bad_region.region_code = "15";
  EXPECT_EQ(plans_->Import(SystemActor(), ResolvedSeed(), bad_region).error().code,
            ErrorCode::kInvalidArgument);
  const Principal officer = (MakeUser("officer1", "NMG-GSJ", {"officer"}), SignIn("officer1"));
  plans::ImportRequest next = Request2017();
  next.year = 2018;
  EXPECT_EQ(plans_->Import(officer, ResolvedSeed(), next).error().code,
            ErrorCode::kPermissionDenied);
}

INSTANTIATE_TEST_SUITE_P(Backends, PlanContract, testing::ValuesIn(AvailableBackends()),
                         BackendName);

}  // namespace
}  // namespace redshield::testing_support
