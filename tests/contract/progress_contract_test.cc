// Progress reports, reminders, the board and supervision (issue 4 §3, §4)
// through the services on both backends: who may do what, what is stored,
// what is audited, and that a refused request writes nothing.
#include <gtest/gtest.h>

#include "contract/fixture.h"
#include "core/check.h"

namespace redshield::testing_support {
namespace {

using plans::Assignment;
using plans::ReportDraft;
using plans::Supervision;
using plans::SupervisionDraft;
using platform::Principal;

constexpr const char* kSmallPlan =
    "2017年全区打击侵权假冒工作要点\n"
    "一、加强市场监管\n"
    "（一）开展专项整治。\n"
    "1.开展农村和城乡结合部市场专项整治。（自治区工商局牵头负责，呼和浩特市工商局、包头市工商局按职责分工负责）\n"
    "2.加强网络市场监管。（自治区工商局负责）\n";

class ProgressContract : public PlatformFixture {
 protected:
  void SetUp() override {
    PlatformFixture::SetUp();
    MakeUser("office1", "NMG-SDB", {"office"});
    MakeUser("gsj_officer", "NMG-GSJ", {"officer"});
    MakeUser("hhht_officer", "HHHT-GSJ", {"officer"});
    MakeUser("bt_officer", "BT-GSJ", {"officer"});
    office_ = SignIn("office1");
    gsj_ = SignIn("gsj_officer");
    hhht_ = SignIn("hhht_officer");
    plans::ImportRequest request{2017, "150000", Date::ParseOrDie("2026-03-31"), "", "monthly"};
    Result<Id> id = plans_->ImportFile(office_, kSmallPlan, request);
    RS_CHECK(id.has_value()) << id.error().message;
    plan_id_ = *id;
  }

  Assignment AssignmentOf(const std::string& org_code, int task = 1) {
    Result<std::vector<Assignment>> all = plans_->ListAssignments(office_, plan_id_, {OrgId(org_code)});
    RS_CHECK(all.has_value() && static_cast<int>(all->size()) >= task);
    return (*all)[static_cast<size_t>(task - 1)];
  }

  std::int64_t AuditCount() { return storage_->platform().AuditHead()->first; }

  static ReportDraft Draft(std::string status = "进行中") {
    ReportDraft d;
    d.period = "2017-03";
    d.status = std::move(status);
    d.narrative = "已检查集贸市场 12 个";
    d.indicators = {{"立案数", 3, "件"}, {"案值", 12.5, "万元"}};
    return d;
  }

  Principal office_, gsj_, hhht_;
  Id plan_id_ = 0;
};

// A file with a NUL byte inside: attachments are bytes, not text.
constexpr char kPdfBytes[] = "%PDF-1.4 \0\x01 binary";
const std::string kPdf(kPdfBytes, sizeof kPdfBytes - 1);

TEST_P(ProgressContract, AReportSetsTheStatusAndIsKeptWithIndicatorsAndFiles) {
  const Assignment a = AssignmentOf("NMG-GSJ");
  EXPECT_EQ(a.status, "未开始");
  ReportDraft draft = Draft();
  draft.files = {{"检查记录.pdf", "application/pdf", kPdf}};
  const std::int64_t before = AuditCount();
  Result<plans::Report> report = progress_->SubmitReport(gsj_, a.id, draft);
  ASSERT_TRUE(report.has_value()) << report.error().message;
  EXPECT_EQ(AuditCount(), before + 1);

  Result<plans::AssignmentDetail> detail = progress_->GetAssignment(hhht_, a.id);
  ASSERT_TRUE(detail.has_value());
  EXPECT_EQ(detail->assignment.status, "进行中");
  EXPECT_EQ(detail->assignment.report_count, 1);
  EXPECT_FALSE(detail->assignment.last_report_at.empty());
  ASSERT_EQ(detail->reports.size(), 1u);
  const plans::Report& stored = detail->reports[0];
  EXPECT_EQ(stored.period, "2017-03");
  EXPECT_EQ(stored.reported_by_name, "gsj_officer");
  EXPECT_EQ(stored.reported_by_org, "内蒙古自治区工商行政管理局");
  ASSERT_EQ(stored.indicators.size(), 2u);
  EXPECT_EQ(stored.indicators[1].name, "案值");
  EXPECT_DOUBLE_EQ(stored.indicators[1].value, 12.5);
  EXPECT_EQ(stored.indicators[1].unit, "万元");
  ASSERT_EQ(stored.attachments.size(), 1u);
  EXPECT_EQ(stored.attachments[0].filename, "检查记录.pdf");
  EXPECT_EQ(stored.attachments[0].size, static_cast<std::int64_t>(kPdf.size()));

  const Id file_id = stored.attachments[0].id;
  Result<Attachment> mine = progress_->GetAttachment(gsj_, file_id);
  ASSERT_TRUE(mine.has_value());
  EXPECT_EQ(mine->data, kPdf);
  EXPECT_TRUE(progress_->GetAttachment(office_, file_id).has_value());
  Result<Attachment> other = progress_->GetAttachment(hhht_, file_id);
  ASSERT_FALSE(other.has_value());
  EXPECT_EQ(other.error().code, ErrorCode::kPermissionDenied);

  // A later report supersedes the status; both are kept, newest first.
  clock_.Set(clock_.Now() + std::chrono::minutes(5));
  ASSERT_TRUE(progress_->SubmitReport(gsj_, a.id, Draft("已完成")).has_value());
  detail = progress_->GetAssignment(gsj_, a.id);
  EXPECT_EQ(detail->assignment.status, "已完成");
  ASSERT_EQ(detail->reports.size(), 2u);
  EXPECT_EQ(detail->reports[0].status, "已完成");
}

TEST_P(ProgressContract, BadReportsAreRefusedWithTheFieldAndWriteNothing) {
  const Assignment a = AssignmentOf("NMG-GSJ");
  const std::int64_t before = AuditCount();
  auto refused = [&](const Principal& who, ReportDraft d, ErrorCode code, const std::string& field) {
    Result<plans::Report> r = progress_->SubmitReport(who, a.id, d);
    ASSERT_FALSE(r.has_value()) << d.period << " " << d.status;
    EXPECT_EQ(r.error().code, code) << r.error().message;
    EXPECT_EQ(r.error().field, field) << r.error().message;
  };
  ReportDraft d = Draft();
  d.period = "2018-01";
  refused(gsj_, d, ErrorCode::kInvalidArgument, "period");
  d.period = "2017-13";
  refused(gsj_, d, ErrorCode::kInvalidArgument, "period");
  d.period = "2017-Q1";  // the plan reports monthly
  refused(gsj_, d, ErrorCode::kInvalidArgument, "period");
  d = Draft("暂停");
  refused(gsj_, d, ErrorCode::kInvalidArgument, "status");
  d = Draft("受阻");
  d.narrative = "  ";
  refused(gsj_, d, ErrorCode::kInvalidArgument, "narrative");
  d = Draft();
  d.indicators = {{"", 1, "件"}};
  refused(gsj_, d, ErrorCode::kInvalidArgument, "indicators");
  d = Draft();
  d.files.assign(6, FileDraft{"a.txt", "text/plain", "x"});
  refused(gsj_, d, ErrorCode::kInvalidArgument, "attachments");
  d = Draft();
  d.files = {FileDraft{"big.bin", "", std::string(plans::kMaxFileBytes + 1, 'x')}};
  refused(gsj_, d, ErrorCode::kInvalidArgument, "attachments");
  // Another organisation's officer, and the office, may not report for this one.
  refused(hhht_, Draft(), ErrorCode::kPermissionDenied, "");
  refused(office_, Draft(), ErrorCode::kPermissionDenied, "");

  EXPECT_EQ(AuditCount(), before);
  EXPECT_TRUE(progress_->GetAssignment(gsj_, a.id)->reports.empty());
  EXPECT_EQ(AssignmentOf("NMG-GSJ").status, "未开始");
}

TEST_P(ProgressContract, RemindersCountWorkingDaysAndOverdueFollowsTheCalendar) {
  // 2026-03-02 is a Monday. Due 2026-03-06 (Friday): 4 working days ahead.
  const Assignment a = AssignmentOf("NMG-GSJ");
  ASSERT_TRUE(plans_->UpdateAssignmentDue(office_, a.id, "2026-03-06").has_value());
  Result<std::vector<plans::Reminder>> reminders = progress_->Reminders(gsj_);
  ASSERT_TRUE(reminders.has_value());
  ASSERT_EQ(reminders->size(), 1u);  // the other task is due 2026-03-31
  EXPECT_EQ((*reminders)[0].kind, "due_soon");
  EXPECT_EQ((*reminders)[0].assignment.due_in_working_days, 4);
  EXPECT_EQ((*reminders)[0].plan.year, 2017);

  // 2026-02-27 (Friday) has passed: overdue by 2 working days (02-28 and 03-02).
  ASSERT_TRUE(plans_->UpdateAssignmentDue(office_, a.id, "2026-02-27").has_value());
  reminders = progress_->Reminders(gsj_);
  ASSERT_EQ(reminders->size(), 1u);
  EXPECT_EQ((*reminders)[0].kind, "overdue");
  EXPECT_EQ((*reminders)[0].assignment.due_in_working_days, -2);  // 02-28 was a make-up workday
  Result<std::vector<Assignment>> overdue =
      plans_->ListAssignments(office_, plan_id_, {std::nullopt, "", true});
  ASSERT_TRUE(overdue.has_value());
  ASSERT_EQ(overdue->size(), 1u);
  EXPECT_EQ((*overdue)[0].id, a.id);

  // Done is never overdue, and nothing is left to remind.
  ASSERT_TRUE(progress_->SubmitReport(gsj_, a.id, Draft("已完成")).has_value());
  EXPECT_TRUE(progress_->Reminders(gsj_)->empty());
  EXPECT_TRUE(plans_->ListAssignments(office_, plan_id_, {std::nullopt, "", true})->empty());

  // Across the Spring Festival 2026 (2026-02-15..23 off, 2026-02-14 and 02-28 worked).
  clock_.Set(*ParseTime("2026-02-12T02:00:00Z"));  // Thursday
  const Assignment b = AssignmentOf("HHHT-GSJ");
  ASSERT_TRUE(plans_->UpdateAssignmentDue(office_, b.id, "2026-02-25").has_value());
  Result<plans::AssignmentDetail> detail = progress_->GetAssignment(hhht_, b.id);
  // 02-13 (Fri), 02-14 (make-up Saturday), 02-24, 02-25: the holiday week does not count.
  EXPECT_EQ(detail->assignment.due_in_working_days, 4);
}

TEST_P(ProgressContract, TheBoardCountsByRegionAndOrganisationWithinTheOfficeScope) {
  ASSERT_TRUE(progress_->SubmitReport(gsj_, AssignmentOf("NMG-GSJ").id, Draft("已完成")).has_value());
  ReportDraft blocked = Draft("受阻");
  blocked.narrative = "缺少执法车辆";
  ASSERT_TRUE(progress_->SubmitReport(hhht_, AssignmentOf("HHHT-GSJ").id, blocked).has_value());
  ASSERT_TRUE(plans_->UpdateAssignmentDue(office_, AssignmentOf("BT-GSJ").id, "2026-02-27").has_value());

  Result<plans::Board> board = progress_->GetBoard(office_, plan_id_, "");
  ASSERT_TRUE(board.has_value()) << board.error().message;
  EXPECT_EQ(board->as_of, "2026-03-02");
  EXPECT_EQ(board->totals.assignments, 4);
  EXPECT_EQ(board->totals.done, 1);
  EXPECT_EQ(board->totals.blocked, 1);
  EXPECT_EQ(board->totals.not_started, 2);
  EXPECT_EQ(board->totals.overdue, 1);
  ASSERT_EQ(board->by_region.size(), 3u);
  EXPECT_EQ(board->by_region[0].name, "自治区本级");
  EXPECT_EQ(board->by_region[0].counts.assignments, 2);
  EXPECT_EQ(board->by_region[1].name, "呼和浩特市");
  EXPECT_EQ(board->by_region[2].name, "包头市");
  EXPECT_EQ(board->by_region[2].counts.overdue, 1);
  ASSERT_EQ(board->by_org.size(), 3u);
  EXPECT_EQ(board->by_org[0].code, "BT-GSJ");  // most overdue first
  ASSERT_EQ(board->overdue.size(), 1u);
  ASSERT_EQ(board->blocked.size(), 1u);
  EXPECT_EQ(board->blocked[0].org_code, "HHHT-GSJ");

  Result<plans::Board> hohhot = progress_->GetBoard(office_, plan_id_, "150100");
  ASSERT_TRUE(hohhot.has_value());
  EXPECT_EQ(hohhot->totals.assignments, 1);

  // Only the office; and a city office sees its own city only.
  EXPECT_EQ(progress_->GetBoard(gsj_, plan_id_, "").error().code, ErrorCode::kPermissionDenied);
  MakeUser("bt_office", "BT-GSJ", {"office"});
  const Principal bt_office = SignIn("bt_office");
  Result<plans::Board> bt = progress_->GetBoard(bt_office, plan_id_, "");
  ASSERT_TRUE(bt.has_value());
  EXPECT_EQ(bt->totals.assignments, 1);
  EXPECT_EQ(progress_->GetBoard(bt_office, plan_id_, "150100").error().code,
            ErrorCode::kPermissionDenied);
}

TEST_P(ProgressContract, ListedSupervisionRunsItsLifecycleWithAuditAndEvents) {
  SupervisionDraft draft;
  draft.plan_id = plan_id_;
  draft.kind = "listed";
  draft.org_id = OrgId("HHHT-GSJ");
  draft.assignment_id = AssignmentOf("HHHT-GSJ").id;
  draft.title = "农村市场专项整治进展滞后";
  draft.content = "请于期限前完成整改并报送整改报告。";
  draft.deadline = "2026-03-20";
  const std::int64_t before = AuditCount();
  Result<Supervision> s = supervision_->Create(office_, draft);
  ASSERT_TRUE(s.has_value()) << s.error().message;
  EXPECT_EQ(s->status, "整改中");
  EXPECT_EQ(s->org_name, "呼和浩特市工商行政管理局");
  EXPECT_EQ(s->task_number, "1");
  EXPECT_FALSE(supervision_->IsOverdue(*s));

  // The office cannot accept before a rectification; the target cannot accept at all.
  EXPECT_EQ(supervision_->Act(office_, s->id, "accept", "", {}).error().code, ErrorCode::kConflict);
  Result<Supervision> r = supervision_->Act(hhht_, s->id, "rectification", "已完成整改",
                                            {{"整改报告.docx", "", "report"}});
  ASSERT_TRUE(r.has_value()) << r.error().message;
  EXPECT_EQ(r->status, "待验收");
  EXPECT_EQ(supervision_->Act(hhht_, s->id, "accept", "", {}).error().code,
            ErrorCode::kPermissionDenied);
  EXPECT_EQ(supervision_->Act(office_, s->id, "return", "", {}).error().field, "text");
  r = supervision_->Act(office_, s->id, "return", "整改措施不具体", {});
  ASSERT_TRUE(r.has_value());
  EXPECT_EQ(r->status, "整改中");
  ASSERT_TRUE(supervision_->Act(hhht_, s->id, "rectification", "补充整改措施", {}).has_value());
  r = supervision_->Act(office_, s->id, "accept", "同意销号", {});
  ASSERT_TRUE(r.has_value());
  EXPECT_EQ(r->status, "已销号");
  EXPECT_EQ(supervision_->Act(office_, s->id, "cancel", "误发", {}).error().code,
            ErrorCode::kConflict);

  ASSERT_EQ(r->events.size(), 5u);
  EXPECT_EQ(r->events[0].action, "create");
  EXPECT_EQ(r->events[1].action, "rectification");
  ASSERT_EQ(r->events[1].attachments.size(), 1u);
  EXPECT_EQ(r->events[1].by_org, "呼和浩特市工商行政管理局");
  EXPECT_EQ(r->events[2].action, "return");
  EXPECT_EQ(r->events[2].text, "整改措施不具体");
  EXPECT_EQ(r->events[4].action, "accept");
  EXPECT_EQ(AuditCount(), before + 5);
  // The rectification's file is the target's: the target and the office may download it.
  const Id file = r->events[1].attachments[0].id;
  EXPECT_TRUE(progress_->GetAttachment(hhht_, file).has_value());
  EXPECT_FALSE(progress_->GetAttachment(gsj_, file).has_value());
}

TEST_P(ProgressContract, SupervisionChecksItsInputScopeAndVisibility) {
  SupervisionDraft draft;
  draft.plan_id = plan_id_;
  draft.kind = "listed";
  draft.org_id = OrgId("BT-GSJ");
  draft.title = "督办";
  draft.content = "内容";
  const std::int64_t before = AuditCount();
  EXPECT_EQ(supervision_->Create(office_, draft).error().field, "deadline");
  draft.kind = "interview";
  EXPECT_EQ(supervision_->Create(office_, draft).error().field, "meeting_at");
  draft.meeting_at = "2026-03-10T09:00:00+08:00";
  EXPECT_EQ(supervision_->Create(office_, draft).error().field, "place");
  draft.kind = "warning";
  EXPECT_EQ(supervision_->Create(office_, draft).error().field, "kind");
  draft.kind = "notice";
  draft.assignment_id = AssignmentOf("HHHT-GSJ").id;  // not BT's
  EXPECT_EQ(supervision_->Create(office_, draft).error().field, "assignment_id");
  draft.assignment_id.reset();
  EXPECT_EQ(supervision_->Create(gsj_, draft).error().code, ErrorCode::kPermissionDenied);
  EXPECT_EQ(AuditCount(), before);

  Result<Supervision> notice = supervision_->Create(office_, draft);
  ASSERT_TRUE(notice.has_value()) << notice.error().message;
  EXPECT_EQ(notice->status, "已下发");
  // Only BT sees it; HHHT neither reads nor lists it; the office lists it.
  EXPECT_EQ(supervision_->Get(hhht_, notice->id).error().code, ErrorCode::kPermissionDenied);
  EXPECT_EQ(supervision_->List(hhht_, {})->total, 0);
  EXPECT_EQ(supervision_->List(office_, {})->total, 1);
  const Principal bt = SignIn("bt_officer");
  EXPECT_EQ(supervision_->List(bt, {})->total, 1);
  EXPECT_EQ(supervision_->Act(bt, notice->id, "record", "x", {}).error().code, ErrorCode::kConflict);
  Result<Supervision> acknowledged = supervision_->Act(bt, notice->id, "acknowledge", "", {});
  ASSERT_TRUE(acknowledged.has_value());
  EXPECT_EQ(acknowledged->status, "已签收");

  draft.kind = "listed";
  draft.deadline = "2026-02-27";  // already past: overdue from the start
  Result<Supervision> listed = supervision_->Create(office_, draft);
  ASSERT_TRUE(listed.has_value());
  EXPECT_TRUE(supervision_->IsOverdue(*listed));
  plans::SupervisionQuery only_listed;
  only_listed.kind = "listed";
  EXPECT_EQ(supervision_->List(office_, only_listed)->total, 1);
  EXPECT_EQ(supervision_->Act(office_, listed->id, "cancel", "", {}).error().field, "text");
  Result<Supervision> cancelled = supervision_->Act(office_, listed->id, "cancel", "重复督办", {});
  ASSERT_TRUE(cancelled.has_value());
  EXPECT_EQ(cancelled->status, "已撤销");
  EXPECT_FALSE(supervision_->IsOverdue(*cancelled));
}

TEST_P(ProgressContract, AnUnresolvedUnitMappedInTheUiResolvesFromThenOn) {
  const std::string plan =
      "2018年全区打击侵权假冒工作要点\n（一）加强监管。\n1.开展执法检查。（自治区市场稽查局负责）\n";
  Result<plans::ParsedPlan> parsed = plans_->Parse(office_, plan, "150000");
  ASSERT_TRUE(parsed.has_value()) << parsed.error().message;
  ASSERT_EQ(parsed->unresolved.size(), 1u);
  EXPECT_EQ(parsed->unresolved[0].text, "自治区市场稽查局");
  plans::ImportRequest request{2018, "150000", std::nullopt, "", "quarterly"};
  EXPECT_EQ(plans_->ImportFile(office_, plan, request).error().field, "units");

  EXPECT_EQ(plans_->AddUnitAlias(gsj_, "自治区市场稽查局", OrgId("NMG-GSJ")).error().code,
            ErrorCode::kPermissionDenied);
  Result<platform::Organization> org =
      plans_->AddUnitAlias(office_, "自治区市场稽查局", OrgId("NMG-GSJ"));
  ASSERT_TRUE(org.has_value()) << org.error().message;
  EXPECT_NE(std::find(org->aliases.begin(), org->aliases.end(), "自治区市场稽查局"),
            org->aliases.end());
  // The same text cannot also name another organisation of the region.
  EXPECT_EQ(plans_->AddUnitAlias(office_, "自治区市场稽查局", OrgId("NMG-SDB")).error().code,
            ErrorCode::kConflict);

  EXPECT_TRUE(plans_->Parse(office_, plan, "150000")->unresolved.empty());
  Result<Id> id = plans_->ImportFile(office_, plan, request);
  ASSERT_TRUE(id.has_value()) << id.error().message;
  Result<plans::PlanTree> tree = plans_->GetPlan(office_, *id);
  EXPECT_EQ(tree->plan.report_cycle, "quarterly");
  // A quarterly plan takes quarters.
  const Assignment a = plans_->ListAssignments(gsj_, *id, {})->front();
  ReportDraft d = Draft();
  d.period = "2018-Q2";
  EXPECT_TRUE(progress_->SubmitReport(gsj_, a.id, d).has_value());
  d.period = "2018-05";
  EXPECT_EQ(progress_->SubmitReport(gsj_, a.id, d).error().field, "period");
  // Settings: the office changes the cycle and the reminder lead time.
  Result<plans::PlanRecord> updated = plans_->UpdateSettings(office_, *id, "monthly", 10);
  ASSERT_TRUE(updated.has_value());
  EXPECT_EQ(plans_->GetPlan(gsj_, *id)->plan.remind_days, 10);
  EXPECT_EQ(plans_->UpdateSettings(office_, *id, "weekly", 10).error().field, "report_cycle");
  EXPECT_EQ(plans_->UpdateSettings(gsj_, *id, "monthly", 3).error().code,
            ErrorCode::kPermissionDenied);
}

INSTANTIATE_TEST_SUITE_P(Backends, ProgressContract, testing::ValuesIn(AvailableBackends()),
                         BackendName);

}  // namespace
}  // namespace redshield::testing_support
