// Cases and 两法衔接 (issue 5) on every backend: the case store through the
// service — numbering, encryption of resident IDs, the transfer workflow with
// statutory timers, scope per role, optimistic concurrency, the
// procuratorate's board and the summary figures.
#include <gtest/gtest.h>

#include "contract/fixture.h"
#include "core/date.h"

namespace redshield::testing_support {
namespace {

using cases::ActionInput;
using cases::Case;
using cases::CaseDraft;

constexpr const char* kUscc = "914403001922038216";
constexpr const char* kResidentId = "11010519491231002X";

class CaseContract : public PlatformFixture {
 protected:
  void SetUp() override {
    PlatformFixture::SetUp();
    platform::Organization police;
    police.id = ids_.Next();
    police.code = "NMG-GAT";
    police.name = "内蒙古自治区公安厅";
    police.short_name = "公安厅";
    police.type = "police";
    police.region_code = "150000";
    ASSERT_TRUE(storage_->platform().InsertOrganization(police, AuditEntry{ClientActor(), "org.create", "organization", "", ""}));
    police_org_ = police.id;
    MakeUser("officer1", "NMG-GSJ", {"officer"});
    MakeUser("reviewer1", "NMG-GSJ", {"reviewer"});
    MakeUser("officer2", "BT-GSJ", {"officer"});
    MakeUser("police1", "NMG-GAT", {"police"});
    MakeUser("procurator1", "NMG-SDB", {"procurator"});
    MakeUser("office1", "NMG-SDB", {"office"});
  }

  CaseDraft Draft(int64_t sales_yuan = 80000) {
    CaseDraft d;
    d.title = "销售假冒注册商标的商品案";
    d.category = "商标";
    d.tags = {"秋风", "剑网"};
    d.offence = "销售假冒注册商标的商品罪";
    d.offence_date = "2025-03-01";
    d.sales_fen = sales_yuan * 100;
    d.suspects = 2;
    d.parties = {{"enterprise", "某商贸有限公司", kUscc, ""}, {"person", "张三", "", kResidentId}};
    return d;
  }

  Case Act(const platform::Principal& who, const Case& c, const char* action, ActionInput input = {}) {
    Result<Case> done = cases_->Act(who, c.id, action, input);
    EXPECT_TRUE(done.has_value()) << action << ": " << (done ? "" : done.error().message);
    return done ? *done : c;
  }

  // One file of each kind the transfer's send requires (documents.csv).
  Case WithTransferDocuments(const platform::Principal& officer, const Case& c) {
    Case out = c;
    for (const char* kind : {"transfer_letter", "investigation_report", "goods_list", "inspection_report"}) {
      Result<Case> added =
          cases_->AddDocuments(officer, c.id, kind, {{std::string(kind) + ".pdf", "application/pdf", "%PDF-1.4 x"}});
      EXPECT_TRUE(added.has_value()) << kind << ": " << (added ? "" : added.error().message);
      if (added) out = *added;
    }
    return out;
  }

  Id police_org_ = 0;
};

TEST_P(CaseContract, CreatedCaseIsNumberedEvaluatedAndEncrypted) {
  platform::Principal officer = SignIn("officer1");
  Result<Case> c = cases_->Create(officer, Draft());
  ASSERT_TRUE(c.has_value()) << c.error().message;
  EXPECT_EQ(c->case_number, "NMG-GSJ-2026-00001");
  EXPECT_TRUE(c->should_transfer);
  EXPECT_EQ(c->eval_rule, "214-2010-sales");
  ASSERT_EQ(c->parties.size(), 2u);
  EXPECT_EQ(c->parties[1].id_masked, "1****************X");
  EXPECT_TRUE(c->parties[1].id_encrypted.empty());  // never leaves the service
  Result<Case> stored = storage_->cases().Find(c->id);
  ASSERT_TRUE(stored.has_value());
  EXPECT_NE(stored->parties[1].id_encrypted, kResidentId);
  EXPECT_EQ(*box_->Decrypt(stored->parties[1].id_encrypted), kResidentId);
  EXPECT_EQ(cases_->Create(officer, Draft())->case_number, "NMG-GSJ-2026-00002");
}

TEST_P(CaseContract, InvalidIdentifiersNameTheField) {
  platform::Principal officer = SignIn("officer1");
  CaseDraft d = Draft();
  d.parties[0].uscc = "91350100M000100Y4Z";
  EXPECT_EQ(cases_->Create(officer, d).error().field, "parties[0].uscc");
  d = Draft();
  d.parties[1].id_number = "110105194912310021";
  EXPECT_EQ(cases_->Create(officer, d).error().field, "parties[1].id_number");
  EXPECT_EQ(cases_->Create(SignIn("police1"), Draft()).error().code, ErrorCode::kPermissionDenied);
}

TEST_P(CaseContract, TransferWorkflowRunsItsTimers) {
  platform::Principal officer = SignIn("officer1");
  platform::Principal police = SignIn("police1");
  Case c = *cases_->Create(officer, Draft());
  c = Act(officer, c, "open");
  EXPECT_EQ(c.opened_on, "2026-03-02");
  EXPECT_EQ(cases_->Get(police, c.id).error().code, ErrorCode::kNotFound);
  c = Act(officer, c, "report_transfer");
  ASSERT_EQ(c.timers.size(), 1u);
  // 10:00 Shanghai on 2 March + 3 calendar days, ending at 24:00 Shanghai.
  EXPECT_EQ(c.timers[0].deadline_at, "2026-03-05T16:00:00.000Z");
  EXPECT_EQ(cases_->Act(officer, c.id, "approve_transfer", {}).error().code, ErrorCode::kPermissionDenied);
  c = Act(SignIn("reviewer1"), c, "approve_transfer");
  ASSERT_EQ(c.timers.size(), 2u);
  EXPECT_EQ(c.timers[1].deadline_at, "2026-03-03T02:00:00.000Z");  // 24 hours
  EXPECT_FALSE(c.timers[0].done_at.empty());
  ActionInput send;
  send.text = "移送书、调查报告、涉案物品清单、检验报告";
  send.police_org_id = police_org_;
  Result<Case> early = cases_->Act(officer, c.id, "send", send);
  ASSERT_FALSE(early.has_value());
  EXPECT_EQ(early.error().field, "documents");
  EXPECT_NE(early.error().message.find("涉案物品清单"), std::string::npos) << early.error().message;
  c = Act(officer, WithTransferDocuments(officer, c), "send", send);
  EXPECT_EQ(c.transfer_status, "已移送");
  EXPECT_TRUE(cases_->MissingDocuments(c, "send").empty());
  // The police receive the documents with the case.
  Result<Attachment> letter = cases_->Document(police, c.id, c.documents.front().id);
  ASSERT_TRUE(letter.has_value()) << letter.error().message;
  EXPECT_EQ(letter->meta.kind, "transfer_letter");
  EXPECT_EQ(letter->data, "%PDF-1.4 x");
  EXPECT_TRUE(cases_->Get(police, c.id).has_value());
  EXPECT_EQ(cases_->Act(police, c.id, "file", {}).error().code, ErrorCode::kConflict);
  c = Act(police, c, "accept");
  c = Act(police, c, "file");
  EXPECT_EQ(c.transfer_status, "已立案");
  for (const cases::CaseTimer& t : c.timers) EXPECT_FALSE(t.done_at.empty()) << t.kind;
  ASSERT_GE(c.events.size(), 6u);
  EXPECT_EQ(c.events.back().action, "file");
  EXPECT_EQ(c.events.back().from_status, "已受理");
}

// Each running timer reaches the users who must act on it, and nobody else.
TEST_P(CaseContract, TimerRemindersReachTheResponsibleUsers) {
  platform::Principal officer = SignIn("officer1");
  platform::Principal reviewer = SignIn("reviewer1");
  platform::Principal police = SignIn("police1");
  auto kinds = [&](const platform::Principal& who) {
    std::vector<std::string> out;
    Result<std::vector<cases::TimerReminder>> reminders = cases_->Reminders(who);
    for (const cases::TimerReminder& r : *reminders) out.push_back(r.timer.timer.kind);
    return out;
  };
  using Kinds = std::vector<std::string>;
  Case c = *cases_->Create(officer, Draft());
  c = Act(officer, Act(officer, c, "open"), "report_transfer");
  EXPECT_EQ(kinds(reviewer), Kinds{"approve"});
  EXPECT_EQ(kinds(officer), Kinds{});
  EXPECT_EQ(kinds(SignIn("officer2")), Kinds{});
  c = Act(reviewer, c, "approve_transfer");
  EXPECT_EQ(kinds(reviewer), Kinds{});
  EXPECT_EQ(kinds(officer), Kinds{"deliver"});
  clock_.Advance(std::chrono::hours(25));
  Result<std::vector<cases::TimerReminder>> late = cases_->Reminders(officer);
  ASSERT_EQ(late->size(), 1u);
  EXPECT_TRUE(late->front().overdue);
  EXPECT_EQ(late->front().responsible, "agency");
  EXPECT_EQ(late->front().timer.case_number, c.case_number);
  ActionInput send;
  send.text = "移送书、调查报告、涉案物品清单、检验报告";
  send.police_org_id = police_org_;
  c = Act(police, Act(officer, WithTransferDocuments(officer, c), "send", send), "accept");
  EXPECT_EQ(kinds(officer), Kinds{});
  EXPECT_EQ(kinds(police), Kinds{"police_decide"});
  EXPECT_EQ(kinds(SignIn("procurator1")), Kinds{});
  c = Act(police, c, "file");
  EXPECT_EQ(kinds(police), Kinds{});
}

TEST_P(CaseContract, DocumentsBelongToTheCaseAndItsOrganisation) {
  platform::Principal officer = SignIn("officer1");
  Case c = *cases_->Create(officer, Draft());
  EXPECT_EQ(cases_->MissingDocuments(c, "send").size(), 4u);
  std::vector<FileDraft> file = {{"../../移送书.pdf", "application/pdf", "%PDF"}};
  EXPECT_EQ(cases_->AddDocuments(officer, c.id, "unknown", file).error().field, "kind");
  EXPECT_EQ(cases_->AddDocuments(officer, c.id, "transfer_letter", {}).error().field, "attachments");
  EXPECT_EQ(cases_->AddDocuments(SignIn("officer2"), c.id, "transfer_letter", file).error().code,
            ErrorCode::kNotFound);
  EXPECT_EQ(cases_->AddDocuments(SignIn("reviewer1"), c.id, "transfer_letter", file).error().code,
            ErrorCode::kPermissionDenied);
  Result<Case> added = cases_->AddDocuments(officer, c.id, "transfer_letter", file);
  ASSERT_TRUE(added.has_value()) << added.error().message;
  ASSERT_EQ(added->documents.size(), 1u);
  EXPECT_EQ(added->documents[0].filename, "移送书.pdf");
  EXPECT_EQ(added->events.back().action, "document");
  EXPECT_EQ(cases_->MissingDocuments(*added, "send").size(), 3u);
  EXPECT_EQ(cases_->Document(SignIn("officer2"), c.id, added->documents[0].id).error().code,
            ErrorCode::kNotFound);
  EXPECT_EQ(cases_->Document(officer, c.id + 1, added->documents[0].id).error().code, ErrorCode::kNotFound);
  EXPECT_TRUE(cases_->Document(SignIn("procurator1"), c.id, added->documents[0].id).has_value());
}

TEST_P(CaseContract, GoodsBrandsAndRightsHoldersAreRecords) {
  platform::Principal officer = SignIn("officer1");
  CaseDraft d = Draft();
  d.goods = {{"婴幼儿配方奶粉", "伊利", "第1234567号", "内蒙古伊利实业集团股份有限公司", kUscc, 120, "罐", 3600000},
             {"液态奶", "蒙牛", "", "内蒙古蒙牛乳业（集团）股份有限公司", "", 50, "箱", 500000}};
  Result<Case> c = cases_->Create(officer, d);
  ASSERT_TRUE(c.has_value()) << c.error().message;
  ASSERT_EQ(c->goods.size(), 2u);
  EXPECT_EQ(c->goods[0].registration_no, "第1234567号");
  EXPECT_EQ(c->goods[1].unit, "箱");
  EXPECT_EQ(c->brand, "伊利");
  EXPECT_EQ(c->rights_holder, "内蒙古伊利实业集团股份有限公司");
  d.goods[1].rights_holder_uscc = "91350100M000100Y4Z";
  EXPECT_EQ(cases_->Edit(officer, c->id, c->version, d).error().field, "goods[1].rights_holder_uscc");
  d.goods[1].rights_holder_uscc.clear();
  d.goods[0].name = " ";
  EXPECT_EQ(cases_->Edit(officer, c->id, c->version, d).error().field, "goods[0].name");
  CaseDraft brand_only = Draft();
  brand_only.brand = "鄂尔多斯";
  Result<Case> simple = cases_->Create(officer, brand_only);
  ASSERT_TRUE(simple.has_value());
  ASSERT_EQ(simple->goods.size(), 1u);
  EXPECT_EQ(simple->goods[0].brand, "鄂尔多斯");
}

TEST_P(CaseContract, PublicationTimerCountsWorkingDays) {
  platform::Principal officer = SignIn("officer1");
  Case c = *cases_->Create(officer, Draft(1000));
  for (const char* step : {"open", "investigate", "submit"}) c = Act(officer, c, step);
  ActionInput decide;
  decide.penalty_type = "罚款";
  decide.fine_fen = 500000;
  c = Act(officer, c, "decide", decide);
  ASSERT_EQ(c.timers.size(), 1u);
  Date last = *calendar_->AddWorkdays(Date::ParseOrDie("2026-03-02"), 20);
  EXPECT_EQ(c.timers[0].deadline_at.substr(0, 10), last.ToString());
  EXPECT_EQ(c.timers[0].rule, "20 个工作日");
}

TEST_P(CaseContract, BoardCatchesFinesInsteadOfTransfersAndTimerOnCases) {
  platform::Principal officer = SignIn("officer1");
  platform::Principal procurator = SignIn("procurator1");
  Case fined = *cases_->Create(officer, Draft(120000));
  for (const char* step : {"open", "investigate", "submit"}) fined = Act(officer, fined, step);
  ActionInput decide;
  decide.penalty_type = "罚款";
  decide.fine_fen = 3000000;
  fined = Act(officer, fined, "decide", decide);
  Case waiting = *cases_->Create(officer, Draft());
  waiting = Act(officer, Act(officer, waiting, "open"), "report_transfer");
  Case small = *cases_->Create(officer, Draft(1000));
  small = Act(officer, small, "open");
  clock_.Advance(std::chrono::hours(24 * 5));
  Result<cases::SupervisionBoard> board = cases_->Board(procurator);
  ASSERT_TRUE(board.has_value()) << board.error().message;
  ASSERT_EQ(board->cases.size(), 1u);
  EXPECT_EQ(board->cases[0].c.id, fined.id);
  EXPECT_EQ(board->cases[0].kind, "以罚代刑");
  bool approve_overdue = false;
  for (const cases::TimerOnCase& t : board->overdue) {
    approve_overdue |= t.case_id == waiting.id && t.timer.kind == "approve";
  }
  EXPECT_TRUE(approve_overdue);
  EXPECT_EQ(cases_->Board(officer).error().code, ErrorCode::kPermissionDenied);
  ActionInput suggest;
  suggest.text = "建议移送";
  EXPECT_TRUE(Act(procurator, fined, "suggest_transfer", suggest).transfer_suggested);
  suggest.text = "建议移送";
  EXPECT_EQ(cases_->Act(procurator, small.id, "suggest_transfer", suggest).error().code, ErrorCode::kConflict);
}

TEST_P(CaseContract, ScopeFollowsRoleAndOrganisation) {
  Case c = *cases_->Create(SignIn("officer1"), Draft());
  EXPECT_EQ(cases_->Get(SignIn("officer2"), c.id).error().code, ErrorCode::kNotFound);
  EXPECT_TRUE(cases_->Get(SignIn("procurator1"), c.id).has_value());
  EXPECT_TRUE(cases_->Get(SignIn("office1"), c.id).has_value());
  cases::CaseQuery query;
  EXPECT_EQ(cases_->List(SignIn("officer2"), query)->total, 0);
  EXPECT_EQ(cases_->List(SignIn("office1"), query)->total, 1);
  query.party = "商贸";
  EXPECT_EQ(cases_->List(SignIn("procurator1"), query)->total, 1);
  query.party = "不存在";
  EXPECT_EQ(cases_->List(SignIn("procurator1"), query)->total, 0);
}

TEST_P(CaseContract, AnEditWithTheMaskedIdKeepsThePerson) {
  platform::Principal officer = SignIn("officer1");
  Case c = *cases_->Create(officer, Draft());
  CaseDraft d = Draft();
  d.parties[1].id_number = c.parties[1].id_masked;  // what the edit form got back
  Result<Case> edited = cases_->Edit(officer, c.id, c.version, d);
  ASSERT_TRUE(edited.has_value()) << edited.error().message;
  ASSERT_EQ(edited->parties.size(), 2u);
  EXPECT_EQ(edited->parties[1].id_masked, c.parties[1].id_masked);
  EXPECT_EQ(*box_->Decrypt(storage_->cases().Find(c.id)->parties[1].id_encrypted), kResidentId);
  // A masked ID that matches no stored person is refused, naming the field.
  d.parties[1].name = "李四";
  EXPECT_EQ(cases_->Edit(officer, c.id, edited->version, d).error().field, "parties[1].id_number");
}

TEST_P(CaseContract, StaleEditConflicts) {
  platform::Principal officer = SignIn("officer1");
  Case c = *cases_->Create(officer, Draft());
  CaseDraft d = Draft(1000);
  Result<Case> edited = cases_->Edit(officer, c.id, c.version, d);
  ASSERT_TRUE(edited.has_value()) << edited.error().message;
  EXPECT_FALSE(edited->should_transfer);  // re-evaluated
  EXPECT_EQ(cases_->Edit(officer, c.id, c.version, d).error().code, ErrorCode::kConflict);
}

TEST_P(CaseContract, SummaryAddsUpTheOpenedCases) {
  platform::Principal officer = SignIn("officer1");
  for (int64_t sales : {1000, 2000, 80000}) {
    Case c = *cases_->Create(officer, Draft(sales));
    Act(officer, c, "open");
  }
  Result<cases::Summary> s = cases_->Summarize(SignIn("office1"), "2026-01-01", "2026-12-31", "");
  ASSERT_TRUE(s.has_value()) << s.error().message;
  EXPECT_EQ(s->figures.total.cases, 3);
  ASSERT_EQ(s->figures.by_tag.size(), 2u);
  EXPECT_EQ(s->figures.by_tag[0].cases, 3);
  ASSERT_EQ(s->figures.by_month.size(), 1u);
  EXPECT_EQ(s->figures.by_month[0].key, "2026-03");
  EXPECT_EQ(s->figures.by_region.at(0).key, "150000");
  EXPECT_EQ(s->text.substr(0, std::string("行政执法机关立案查处侵权假冒案件3件").size()),
            "行政执法机关立案查处侵权假冒案件3件");
  Result<cases::Summary> none = cases_->Summarize(SignIn("office1"), "2025-01-01", "2025-12-31", "");
  EXPECT_EQ(none->figures.total.cases, 0);
  EXPECT_EQ(cases_->Summarize(SignIn("police1"), "2026-01-01", "2026-12-31", "").error().code,
            ErrorCode::kPermissionDenied);
}

INSTANTIATE_TEST_SUITE_P(Backends, CaseContract, testing::ValuesIn(AvailableBackends()), BackendName);

}  // namespace
}  // namespace redshield::testing_support
