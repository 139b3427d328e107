// Assessment (考核) and 一票否决 over real stores, on every backend (issue 4
// §5): the seed rubric, scores overwritten and audited with old -> new,
// results ranked with ties, vetoes and the previous year, plan_completion
// computed from assignment statuses, rubric edits that would orphan scores,
// and the region scope of every write.
#include <gtest/gtest.h>

#include "contract/fixture.h"
#include "core/check.h"
#include "plans/assessment_service.h"
#include "plans/plan_service.h"

namespace redshield::testing_support {
namespace {

using plans::ResultRow;
using plans::Rubric;
using plans::RubricItem;
using plans::ScoreRequest;
using plans::TargetKind;
using plans::Veto;
using plans::VetoRequest;
using platform::Principal;

class AssessmentContract : public PlatformFixture {
 protected:
  void SetUp() override {
    PlatformFixture::SetUp();
    office_ = (MakeUser("office1", "NMG-SDB", {"office"}), SignIn("office1"));
    city_ = (MakeUser("office2", "HHHT-GSJ", {"office"}), SignIn("office2"));
    officer_ = (MakeUser("officer1", "NMG-GSJ", {"officer"}), SignIn("officer1"));
  }

  static Rubric Draft(int year, TargetKind target = TargetKind::kRegion) {
    Rubric r;
    r.year = year;
    r.target = target;
    r.title = std::to_string(year) + "年度考核";
    r.items = {{0, 0, "长效机制建设", 120, "制度", ""},
               {0, 0, "工作成效", 100, "", ""},
               {0, 0, "任务完成", 100, "", std::string(plans::kPlanCompletion)}};
    return r;
  }

  Rubric Create(int year, TargetKind target = TargetKind::kRegion) {
    Result<Rubric> r = assessment_->CreateRubric(office_, Draft(year, target));
    RS_CHECK(r.has_value()) << r.error().message;
    return *r;
  }

  Result<ResultRow> Put(const Rubric& r, const std::string& target, size_t item,
                        std::optional<int> tenths, const Principal* who = nullptr) {
    ScoreRequest request{target, r.items[item].id, tenths, "材料", ""};
    return assessment_->PutScore(who ? *who : office_, r.id, request);
  }

  static const ResultRow& RowOf(const plans::Results& results, const std::string& target_id) {
    for (const ResultRow& row : results.rows) {
      if (row.target.id == target_id) return row;
    }
    RS_CHECK(false) << "no row for " << target_id;
    return results.rows.front();
  }

  std::vector<AuditRecord> Audit(const std::string& action) {
    platform::AuditQuery query;
    query.action = action;
    query.page.page_size = 200;
    return storage_->platform().ListAudit(query)->items;
  }

  std::int64_t AuditCount() { return storage_->platform().AuditHead()->first; }

  // A 2017 regional plan with one task per organisation code.
  Id ImportPlan(const std::vector<std::string>& codes) {
    plans::Plan plan;
    plan.title = "2017年工作要点";
    plans::Section& section = plan.sections.emplace_back();
    section.number = "一";
    plans::Item& item = section.items.emplace_back();
    item.number = "一";
    item.ordinal = 1;
    item.title = "测试";
    for (const std::string& code : codes) {
      plans::Task& task = item.tasks.emplace_back();
      task.text = "任务（" + code + "负责）";
      plans::Unit& unit = task.units.emplace_back();
      unit.text = code;
      unit.org = plans::OrgRef{OrgId(code), code, code};
    }
    Actor actor = ClientActor();
    actor.username = "system";
    Result<Id> id = plans_->Import(actor, plan, {2017, "150000", std::nullopt, "sha"});
    RS_CHECK(id.has_value()) << id.error().message;
    return *id;
  }

  // The organisation `code` reports its first `how_many` assignments 已完成.
  void MarkDone(Id plan_id, const std::string& code, int how_many) {
    Result<std::vector<plans::Assignment>> all =
        storage_->plans().ListAssignments({plan_id, OrgId(code)});
    RS_CHECK(all.has_value() && static_cast<int>(all->size()) >= how_many);
    std::string username = "rep-" + code;
    for (char& c : username) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    if (!storage_->platform().FindUserByUsername(username)) MakeUser(username, code, {"officer"});
    const Principal reporter = SignIn(username);
    plans::ReportDraft done;
    done.period = "2017-12";
    done.status = "已完成";
    for (int done_idx = 0; done_idx < how_many; ++done_idx) {
      Result<plans::Report> report =
          progress_->SubmitReport(reporter, (*all)[static_cast<size_t>(done_idx)].id, done);
      ASSERT_TRUE(report.has_value()) << report.error().message;
    }
  }

  Principal office_;
  Principal city_;
  Principal officer_;
};

TEST_P(AssessmentContract, SeedRubricIsStoredOnceAndAudited) {
  const std::string csv = ReadRepoFile("data/assessment/rubric_2016_region.csv");
  Actor system = ClientActor();
  system.username = "system";
  const std::int64_t before = AuditCount();
  ASSERT_EQ(assessment_->SeedRubric(system, csv), true);
  ASSERT_EQ(assessment_->SeedRubric(system, csv), false);
  EXPECT_EQ(AuditCount(), before + 1);
  Result<std::vector<Rubric>> all = assessment_->ListRubrics(officer_, {});
  ASSERT_TRUE(all);
  ASSERT_EQ(all->size(), 1u);
  const Rubric& seed = all->front();
  EXPECT_EQ(seed.year, 2016);
  EXPECT_EQ(seed.MaxTotalTenths(), 760);
  EXPECT_EQ(seed.items.size(), 8u);
  EXPECT_EQ(seed.source, "http://nmgsq.com/2016/1221/98674.shtml");
  EXPECT_FALSE(seed.note.empty());
  EXPECT_EQ(Audit("assessment.rubric.create").size(), 1u);

  ASSERT_EQ(assessment_->CreateDemoRubric(system), true);
  ASSERT_EQ(assessment_->CreateDemoRubric(system), false);
  Result<std::vector<Rubric>> y2017 = assessment_->ListRubrics(officer_, {2017, std::nullopt});
  ASSERT_TRUE(y2017);
  ASSERT_EQ(y2017->size(), 1u);
  EXPECT_EQ(y2017->front().title, "2017年度盟市打击侵权假冒工作绩效考核");
  for (const RubricItem& item : y2017->front().items) {
    EXPECT_EQ(item.computed, item.name == "工作成效" ? "plan_completion" : "") << item.name;
  }
}

TEST_P(AssessmentContract, ScoresAreOverwrittenAndEachChangeIsAuditedOldToNew) {
  const Rubric r = Create(2017);
  Result<ResultRow> first = Put(r, "150100", 0, 80);
  ASSERT_TRUE(first) << first.error().message;
  EXPECT_EQ(first->total_tenths, 80);
  EXPECT_EQ(first->scores[0].points_tenths, 80);
  EXPECT_EQ(first->scores[0].evidence, "材料");
  ASSERT_TRUE(first->scores[0].scored_by);
  EXPECT_EQ(first->scores[0].scored_by->id, office_.user.id);
  Result<ResultRow> second = Put(r, "150100", 0, 85);
  ASSERT_TRUE(second);
  EXPECT_EQ(second->total_tenths, 85);
  Result<ResultRow> cleared = Put(r, "150100", 0, std::nullopt);
  ASSERT_TRUE(cleared);
  EXPECT_FALSE(cleared->scores[0].points_tenths.has_value());
  EXPECT_EQ(storage_->assessment().ListScores(r.id)->size(), 0u);

  std::vector<AuditRecord> records = Audit("assessment.score");
  ASSERT_EQ(records.size(), 3u);  // newest first
  EXPECT_NE(records[2].entry.summary.find("未评分 → 8 分"), std::string::npos)
      << records[2].entry.summary;
  EXPECT_NE(records[1].entry.summary.find("8 分 → 8.5 分"), std::string::npos)
      << records[1].entry.summary;
  EXPECT_NE(records[0].entry.summary.find("8.5 分 → 未评分"), std::string::npos);
  EXPECT_NE(records[0].entry.summary.find("呼和浩特市"), std::string::npos);
  EXPECT_EQ(records[0].entry.object_id, std::to_string(r.id));
  EXPECT_EQ(records[0].entry.actor.user_id, office_.user.id);
}

TEST_P(AssessmentContract, BadScoresNameTheFieldAndWriteNothing) {
  const Rubric r = Create(2017);
  const std::int64_t before = AuditCount();
  auto field_of = [&](Result<ResultRow> got) {
    EXPECT_FALSE(got);
    return got ? std::string("ok") : got.error().field;
  };
  EXPECT_EQ(field_of(Put(r, "150100", 0, 125)), "points");  // max 12
  EXPECT_EQ(field_of(Put(r, "150100", 0, -5)), "points");
  EXPECT_EQ(field_of(Put(r, "150100", 2, 50)), "item_id");    // computed
  EXPECT_EQ(field_of(Put(r, "150102", 0, 50)), "target_id");  // a county, not a 盟市
  EXPECT_EQ(field_of(Put(r, std::to_string(OrgId("NMG-GSJ")), 0, 50)), "target_id");
  ScoreRequest unknown_item{"150100", r.items[0].id + 99, 10, "", ""};
  Result<ResultRow> item = assessment_->PutScore(office_, r.id, unknown_item);
  ASSERT_FALSE(item);
  EXPECT_EQ(item.error().field, "item_id");
  Result<ResultRow> no_rubric = assessment_->PutScore(office_, r.id + 99, unknown_item);
  ASSERT_FALSE(no_rubric);
  EXPECT_EQ(no_rubric.error().code, ErrorCode::kNotFound);
  EXPECT_EQ(AuditCount(), before);
}

TEST_P(AssessmentContract, WritesNeedPlanWriteOverTheTargetsRegion) {
  const Rubric r = Create(2017);
  EXPECT_EQ(Put(r, "150100", 0, 50, &officer_).error().code, ErrorCode::kPermissionDenied);
  EXPECT_EQ(Put(r, "150200", 0, 50, &city_).error().code, ErrorCode::kPermissionDenied);
  EXPECT_TRUE(Put(r, "150100", 0, 50, &city_));  // the 呼和浩特 office, over its own region
  // Rubrics are the autonomous region's: a 盟市 office cannot create or edit them.
  EXPECT_EQ(assessment_->CreateRubric(city_, Draft(2018)).error().code,
            ErrorCode::kPermissionDenied);
  EXPECT_EQ(assessment_->UpdateRubric(city_, r.id, Draft(2017)).error().code,
            ErrorCode::kPermissionDenied);
  EXPECT_EQ(assessment_->CopyRubric(officer_, r.id, 2018).error().code,
            ErrorCode::kPermissionDenied);
  VetoRequest veto{2017, "150200", std::nullopt, "发生重大案件"};
  EXPECT_EQ(assessment_->CreateVeto(city_, veto).error().code, ErrorCode::kPermissionDenied);
  EXPECT_EQ(assessment_->CreateVeto(officer_, veto).error().code, ErrorCode::kPermissionDenied);
  // Reading is open to everyone signed in.
  EXPECT_TRUE(assessment_->GetResults(officer_, r.id));
  EXPECT_TRUE(assessment_->ListVetoes(officer_, std::nullopt));
}

TEST_P(AssessmentContract, ResultsRankTiesTogetherPutVetoedLastAndCompareWithLastYear) {
  const Rubric last = Create(2016);
  ASSERT_TRUE(Put(last, "150100", 0, 100));
  ASSERT_TRUE(Put(last, "150200", 0, 50));
  Result<Rubric> r = assessment_->CopyRubric(office_, last.id, 2017);
  ASSERT_TRUE(r) << r.error().message;
  EXPECT_EQ(r->title, "2017年度考核");
  ASSERT_TRUE(Put(*r, "150100", 0, 70));
  ASSERT_TRUE(Put(*r, "150200", 1, 70));

  Result<plans::Results> results = assessment_->GetResults(officer_, r->id);
  ASSERT_TRUE(results) << results.error().message;
  ASSERT_EQ(results->rows.size(), 2u);  // the two 盟市 of the fixture; 150271 is statistics-only
  const ResultRow& hohhot = RowOf(*results, "150100");
  const ResultRow& baotou = RowOf(*results, "150200");
  EXPECT_EQ(hohhot.rank, 1);
  EXPECT_EQ(baotou.rank, 1);
  EXPECT_EQ(hohhot.target.name, "呼和浩特市");
  EXPECT_EQ(hohhot.previous_total_tenths, 100);
  EXPECT_EQ(hohhot.change_tenths, -30);
  EXPECT_EQ(baotou.previous_total_tenths, 50);
  EXPECT_EQ(baotou.change_tenths, 20);
  EXPECT_FALSE(hohhot.scores[2].points_tenths.has_value());  // no 2017 plan yet
  EXPECT_TRUE(hohhot.scores[2].computed);

  // A veto for 2016 does not touch 2017; one for 2017 puts 呼和浩特 last without a rank.
  ASSERT_TRUE(assessment_->CreateVeto(office_, {2016, "150100", std::nullopt, "旧事"}));
  Result<Veto> veto = assessment_->CreateVeto(office_, {2017, "150100", std::nullopt, "重大案件"});
  ASSERT_TRUE(veto) << veto.error().message;
  ASSERT_TRUE(Put(*r, "150100", 1, 100));  // 17 points, still last
  results = assessment_->GetResults(officer_, r->id);
  ASSERT_TRUE(results);
  EXPECT_EQ(results->rows[0].target.id, "150200");
  EXPECT_EQ(results->rows[0].rank, 1);
  EXPECT_EQ(results->rows[1].target.id, "150100");
  EXPECT_EQ(results->rows[1].total_tenths, 170);
  EXPECT_FALSE(results->rows[1].rank.has_value());
  ASSERT_TRUE(results->rows[1].veto);
  EXPECT_EQ(results->rows[1].veto->id, veto->id);

  ASSERT_TRUE(assessment_->RevokeVeto(office_, veto->id, "经复核撤销"));
  results = assessment_->GetResults(officer_, r->id);
  ASSERT_TRUE(results);
  EXPECT_EQ(results->rows[0].target.id, "150100");
  EXPECT_EQ(results->rows[0].rank, 1);
  EXPECT_EQ(results->rows[1].rank, 2);
}

TEST_P(AssessmentContract, VetoesAreOneInForcePerTargetAndYear) {
  Result<Veto> veto =
      assessment_->CreateVeto(office_, {2017, "150200", std::nullopt, " 重大案件 "});
  ASSERT_TRUE(veto) << veto.error().message;
  EXPECT_TRUE(veto->in_force);
  EXPECT_EQ(veto->reason, "重大案件");
  EXPECT_EQ(veto->target.name, "包头市");
  EXPECT_EQ(veto->created_by.id, office_.user.id);
  Result<Veto> again = assessment_->CreateVeto(office_, {2017, "150200", std::nullopt, "再次"});
  ASSERT_FALSE(again);
  EXPECT_EQ(again.error().code, ErrorCode::kConflict);
  EXPECT_TRUE(assessment_->CreateVeto(office_, {2018, "150200", std::nullopt, "次年"}));

  Result<Veto> revoked = assessment_->RevokeVeto(office_, veto->id, "复核");
  ASSERT_TRUE(revoked);
  EXPECT_FALSE(revoked->in_force);
  EXPECT_EQ(revoked->revoked_reason, "复核");
  EXPECT_EQ(revoked->revoked_by.id, office_.user.id);
  Result<Veto> twice = assessment_->RevokeVeto(office_, veto->id, "复核");
  ASSERT_FALSE(twice);
  EXPECT_EQ(twice.error().code, ErrorCode::kConflict);
  EXPECT_EQ(twice.error().field, "status");
  EXPECT_TRUE(assessment_->CreateVeto(office_, {2017, "150200", std::nullopt, "重新认定"}));

  const Id gsj = OrgId("NMG-GSJ");
  Result<Veto> unit = assessment_->CreateVeto(office_, {2017, "", gsj, "整治不力"});
  ASSERT_TRUE(unit) << unit.error().message;
  EXPECT_EQ(unit->target.kind, TargetKind::kUnit);
  EXPECT_EQ(unit->target.code, "NMG-GSJ");

  auto field_of = [&](VetoRequest request) {
    Result<Veto> got = assessment_->CreateVeto(office_, request);
    EXPECT_FALSE(got);
    return got ? std::string("ok") : got.error().field;
  };
  EXPECT_EQ(field_of({2017, "159999", std::nullopt, "x"}), "region_code");
  EXPECT_EQ(field_of({2017, "", std::nullopt, "x"}), "region_code");
  EXPECT_EQ(field_of({2017, "150100", gsj, "x"}), "region_code");
  EXPECT_EQ(field_of({2017, "", gsj + 999, "x"}), "org_id");
  EXPECT_EQ(field_of({2017, "150100", std::nullopt, "  "}), "reason");
  EXPECT_EQ(field_of({1999, "150100", std::nullopt, "x"}), "year");

  EXPECT_EQ(assessment_->ListVetoes(officer_, 2017)->size(), 3u);
  EXPECT_EQ(assessment_->ListVetoes(officer_, std::nullopt)->size(), 4u);
  EXPECT_EQ(Audit("veto.create").size(), 4u);
  EXPECT_EQ(Audit("veto.revoke").size(), 1u);
  EXPECT_EQ(assessment_->RevokeVeto(office_, unit->id + 999, "x").error().code,
            ErrorCode::kNotFound);
}

TEST_P(AssessmentContract, PlanCompletionIsComputedFromAssignmentStatusesAtReadTime) {
  const Id plan_id = ImportPlan({"HHHT-GSJ", "HHHT-GSJ", "BT-GSJ", "NMG-GSJ"});
  const Rubric regions = Create(2017);
  const Rubric units = Create(2017, TargetKind::kUnit);
  Result<plans::Results> results = assessment_->GetResults(officer_, regions.id);
  ASSERT_TRUE(results);
  EXPECT_EQ(RowOf(*results, "150100").scores[2].points_tenths, 0);
  EXPECT_EQ(RowOf(*results, "150100").scores[2].evidence, "2017 年工作要点任务分工已完成 0/2");
  MarkDone(plan_id, "HHHT-GSJ", 1);
  results = assessment_->GetResults(officer_, regions.id);
  ASSERT_TRUE(results);
  const ResultRow& hohhot = RowOf(*results, "150100");
  EXPECT_TRUE(hohhot.scores[2].computed);
  EXPECT_EQ(hohhot.scores[2].evidence, "2017 年工作要点任务分工已完成 1/2");
  EXPECT_EQ(hohhot.scores[2].points_tenths, 50);
  EXPECT_EQ(hohhot.total_tenths, 50);
  EXPECT_EQ(RowOf(*results, "150200").scores[2].points_tenths, 0);
  EXPECT_EQ(results->rows[0].target.id, "150100");

  Result<plans::Results> unit_results = assessment_->GetResults(officer_, units.id);
  ASSERT_TRUE(unit_results);
  ASSERT_EQ(unit_results->rows.size(), 1u);  // NMG-GSJ; the office itself is not assessed
  EXPECT_EQ(unit_results->rows[0].target.code, "NMG-GSJ");
  EXPECT_EQ(unit_results->rows[0].scores[2].points_tenths, 0);
  MarkDone(plan_id, "NMG-GSJ", 1);
  unit_results = assessment_->GetResults(officer_, units.id);
  EXPECT_EQ(unit_results->rows[0].scores[2].points_tenths, 100);
}

TEST_P(AssessmentContract, RubricEditsThatWouldOrphanScoresConflictAndChangeNothing) {
  const Rubric r = Create(2017);
  ASSERT_TRUE(Put(r, "150100", 1, 90));
  const std::int64_t before = AuditCount();
  auto edit = [&](const std::function<void(Rubric&)>& change) {
    Rubric draft = r;
    change(draft);
    return assessment_->UpdateRubric(office_, r.id, draft);
  };
  Result<Rubric> removed = edit([](Rubric& d) { d.items.erase(d.items.begin() + 1); });
  ASSERT_FALSE(removed);
  EXPECT_EQ(removed.error().code, ErrorCode::kConflict);
  EXPECT_EQ(removed.error().field, "items");
  EXPECT_EQ(edit([](Rubric& d) { d.items[1].max_tenths = 50; }).error().code, ErrorCode::kConflict);
  EXPECT_EQ(edit([](Rubric& d) { d.items[1].computed = "plan_completion"; }).error().code,
            ErrorCode::kConflict);
  EXPECT_EQ(edit([](Rubric& d) { d.target = TargetKind::kUnit; }).error().field, "target");
  EXPECT_EQ(edit([](Rubric& d) { d.items[0].id = 12345; }).error().field, "items[0].id");
  EXPECT_EQ(edit([](Rubric& d) { d.items[0].max_tenths = 33; }).error().field,
            "items[0].max_points");
  EXPECT_EQ(AuditCount(), before);
  EXPECT_EQ(storage_->assessment().FindRubric(r.id)->items.size(), 3u);

  // Removing an unscored item, renaming a scored one and adding one is fine.
  Result<Rubric> updated = edit([](Rubric& d) {
    d.items.erase(d.items.begin());
    d.items[0].name = "工作成效（含案件）";
    d.items.push_back({0, 0, "宣传教育", 80, "", ""});
    d.title = "2017年度考核（修订）";
  });
  ASSERT_TRUE(updated) << updated.error().message;
  ASSERT_EQ(updated->items.size(), 3u);
  EXPECT_EQ(updated->items[0].id, r.items[1].id);
  EXPECT_EQ(updated->items[0].ordinal, 1);
  EXPECT_EQ(updated->items[2].name, "宣传教育");
  EXPECT_EQ(updated->MaxTotalTenths(), 280);
  EXPECT_EQ(Audit("assessment.rubric.update").size(), 1u);
  Result<plans::Results> results = assessment_->GetResults(officer_, r.id);
  EXPECT_EQ(RowOf(*results, "150100").total_tenths, 90);

  EXPECT_EQ(assessment_->CreateRubric(office_, Draft(2017)).error().code, ErrorCode::kConflict);
  EXPECT_EQ(assessment_->CopyRubric(office_, r.id, 2017).error().code, ErrorCode::kConflict);
  Rubric moved = *updated;
  moved.year = 2018;
  EXPECT_TRUE(assessment_->UpdateRubric(office_, r.id, moved));
  EXPECT_EQ(assessment_->GetRubric(officer_, r.id + 99).error().code, ErrorCode::kNotFound);
}

INSTANTIATE_TEST_SUITE_P(Backends, AssessmentContract, testing::ValuesIn(AvailableBackends()),
                         BackendName);

}  // namespace
}  // namespace redshield::testing_support
