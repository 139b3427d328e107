// The platform module over real stores, on every backend.
#include <gtest/gtest.h>

#include <thread>

#include "contract/fixture.h"

namespace redshield::testing_support {
namespace {

using platform::OrgDraft;
using platform::Principal;

class PlatformContract : public PlatformFixture {};

TEST_P(PlatformContract, LoadsShippedReferenceDataIdempotently) {
  std::string regions = ReadRepoFile("data/regions/inner_mongolia_divisions.csv");
  std::string orgs = ReadRepoFile("data/organizations.csv");
  Result<platform::SeedReport> first = setup_->LoadReference(regions, orgs);
  ASSERT_TRUE(first) << first.error().message;
  EXPECT_EQ(first->regions, 116);  // 121 rows less the 5 statistics-only zones
  EXPECT_GT(first->organizations_added, 150);
  Result<platform::SeedReport> again = setup_->LoadReference(regions, orgs);
  ASSERT_TRUE(again);
  EXPECT_EQ(again->organizations_added, 0);
  EXPECT_EQ(again->organizations_kept, first->organizations_added + first->organizations_kept);
}

TEST_P(PlatformContract, BadReferenceFileNamesLineAndWritesNothing) {
  std::string orgs = std::string(kSmallOrgs) + "X-1,某单位,,,spaceship,150000,\n";
  Result<platform::SeedReport> report = setup_->LoadReference(kSmallRegions, orgs);
  ASSERT_FALSE(report);
  EXPECT_NE(report.error().message.find("第 6 行"), std::string::npos) << report.error().message;
  EXPECT_FALSE(storage_->platform().FindOrganizationByCode("X-1"));
}

TEST_P(PlatformContract, OrganizationCodesAndAliasesAreUnique) {
  MakeUser("sys1", "NMG-SDB", {"sysadmin"});
  Principal sys = SignIn("sys1");
  OrgDraft draft{"NMG-ZSCQJ", "内蒙古自治区知识产权局", "知识产权局", {"自治区知识产权局"}, "agency", "150000", {}};
  ASSERT_TRUE(admin_->CreateOrganization(sys, draft));
  auto dup = admin_->CreateOrganization(sys, draft);
  ASSERT_FALSE(dup);
  EXPECT_EQ(dup.error().code, ErrorCode::kConflict);
  EXPECT_EQ(dup.error().field, "code");
  draft.code = "NMG-OTHER";
  auto alias = admin_->CreateOrganization(sys, draft);
  ASSERT_FALSE(alias);
  EXPECT_EQ(alias.error().field, "aliases");
  draft.region_code = "150100";  // the same alias in another region is another unit
  draft.code = "HHHT-ZSCQJ";
  EXPECT_TRUE(admin_->CreateOrganization(sys, draft));
}

TEST_P(PlatformContract, OnlyAnOrganisationNothingRefersToCanBeDeleted) {
  MakeUser("sys1", "NMG-SDB", {"sysadmin"});
  MakeUser("aud", "NMG-SDB", {"auditadmin"});
  Principal sys = SignIn("sys1");
  auto typo = admin_->CreateOrganization(sys, {"NMG-TYPO", "误建单位", "", {"误建"}, "other", "150000", {}});
  ASSERT_TRUE(typo);
  auto used = admin_->CreateOrganization(sys, {"NMG-USED", "在用单位", "", {}, "other", "150000", {}});
  ASSERT_TRUE(used);
  MakeUser("member", "NMG-USED", {"officer"});
  ASSERT_TRUE(admin_->DeleteOrganization(sys, typo->id));
  EXPECT_EQ(admin_->GetOrganization(sys, typo->id).error().code, ErrorCode::kNotFound);
  EXPECT_EQ(admin_->DeleteOrganization(sys, typo->id).error().code, ErrorCode::kNotFound);
  Status refused = admin_->DeleteOrganization(sys, used->id);
  EXPECT_EQ(refused.error().code, ErrorCode::kConflict);
  EXPECT_TRUE(admin_->GetOrganization(sys, used->id));
  EXPECT_EQ(admin_->DeleteOrganization(SignIn("member"), used->id).error().code,
            ErrorCode::kPermissionDenied);
  // The alias is free again, and the deletion is in the audit log.
  EXPECT_TRUE(admin_->CreateOrganization(sys, {"NMG-TYPO2", "更正单位", "", {"误建"}, "other", "150000", {}}));
  auto page = audit_->List(SignIn("aud"), {.action = "organization.delete"});
  ASSERT_TRUE(page);
  ASSERT_EQ(page->total, 1);
  EXPECT_EQ(page->items.front().entry.summary, "删除机构 NMG-TYPO 误建单位");
}

TEST_P(PlatformContract, SearchesOrganizationsByChineseTextAliasRegionAndPage) {
  Principal office = (MakeUser("office1", "NMG-SDB", {"office"}), SignIn("office1"));
  platform::OrgQuery q;
  q.text = "工商";
  auto found = admin_->ListOrganizations(office, q);
  ASSERT_TRUE(found);
  EXPECT_EQ(found->total, 3);
  q.text = "自治区工商局";  // an alias only
  EXPECT_EQ(admin_->ListOrganizations(office, q)->total, 1);
  q = {};
  q.region_code = "150100";
  EXPECT_EQ(admin_->ListOrganizations(office, q)->total, 1);
  q = {};
  q.page = {2, 3};
  auto page2 = admin_->ListOrganizations(office, q);
  EXPECT_EQ(page2->total, 4);
  EXPECT_EQ(page2->items.size(), 1u);
  q = {};
  q.text = "100%_";  // LIKE wildcards are literal
  EXPECT_EQ(admin_->ListOrganizations(office, q)->total, 0);
}

TEST_P(PlatformContract, AdminRolesAreExclusiveInTheDatabaseItself) {
  platform::User u = MakeUser("adm", "NMG-SDB", {"sysadmin"});
  AuditEntry entry{ClientActor(), "role.grant", "user", std::to_string(u.id), "test"};
  Status both = storage_->platform().SetRoles(u.id, {"sysadmin", "auditadmin"}, entry);
  ASSERT_FALSE(both);
  EXPECT_EQ(both.error().code, ErrorCode::kConflict);
  EXPECT_NE(both.error().message.find("三权分立"), std::string::npos);
  EXPECT_EQ(storage_->platform().FindUser(u.id)->roles, std::vector<std::string>{"sysadmin"});
  EXPECT_TRUE(storage_->platform().SetRoles(u.id, {"auditadmin", "office"}, entry));
}

TEST_P(PlatformContract, SecadminGrantsRolesButNotTwoAdminRoles) {
  MakeUser("sec", "NMG-SDB", {"secadmin"});
  platform::User target = MakeUser("target", "NMG-GSJ", {});
  Principal sec = SignIn("sec");
  auto refused = admin_->SetRoles(sec, target.id, {"sysadmin", "secadmin"});
  ASSERT_FALSE(refused);
  EXPECT_EQ(refused.error().code, ErrorCode::kConflict);
  auto unknown = admin_->SetRoles(sec, target.id, {"wizard"});
  EXPECT_EQ(unknown.error().code, ErrorCode::kInvalidArgument);
  auto granted = admin_->SetRoles(sec, target.id, {"officer", "reviewer"});
  ASSERT_TRUE(granted);
  EXPECT_EQ(granted->roles, (std::vector<std::string>{"officer", "reviewer"}));
  EXPECT_EQ(admin_->SetRoles(sec, sec.user.id, {"secadmin", "office"}).error().code,
            ErrorCode::kPermissionDenied);
}

TEST_P(PlatformContract, SysadminCannotGrantRolesOrReadAudit) {
  MakeUser("sys", "NMG-SDB", {"sysadmin"});
  platform::User target = MakeUser("tgt2", "NMG-GSJ", {});
  Principal sys = SignIn("sys");
  EXPECT_EQ(admin_->SetRoles(sys, target.id, {"officer"}).error().code, ErrorCode::kPermissionDenied);
  EXPECT_EQ(audit_->List(sys, {}).error().code, ErrorCode::kPermissionDenied);
}

TEST_P(PlatformContract, LockoutAfterFiveFailuresForThirtyMinutes) {
  MakeUser("zhang", "NMG-GSJ", {"officer"});
  for (int i = 1; i <= 4; ++i) {
    auto fail = auth_->Login("zhang", "wrong", ClientActor());
    ASSERT_EQ(fail.error().code, ErrorCode::kUnauthenticated);
    EXPECT_NE(fail.error().message.find(std::to_string(5 - i) + " 次"), std::string::npos);
  }
  EXPECT_EQ(auth_->Login("zhang", "wrong", ClientActor()).error().code, ErrorCode::kAccountLocked);
  EXPECT_EQ(auth_->Login("zhang", kPassword, ClientActor()).error().code, ErrorCode::kAccountLocked);
  clock_.Advance(std::chrono::minutes(29));
  EXPECT_FALSE(auth_->Login("zhang", kPassword, ClientActor()));
  clock_.Advance(std::chrono::minutes(2));
  EXPECT_TRUE(auth_->Login("zhang", kPassword, ClientActor()));
}

TEST_P(PlatformContract, UnknownUserLooksLikeWrongPassword) {
  auto fail = auth_->Login("nobody", "x", ClientActor());
  EXPECT_EQ(fail.error().code, ErrorCode::kUnauthenticated);
  EXPECT_EQ(fail.error().message, "用户名或密码错误");
}

TEST_P(PlatformContract, SessionsExpireWhenIdleAndAtTheAbsoluteLimit) {
  MakeUser("lisi", "NMG-GSJ", {"officer"});
  auto login = auth_->Login("lisi", kPassword, ClientActor());
  ASSERT_TRUE(login);
  clock_.Advance(std::chrono::minutes(29));
  ASSERT_TRUE(auth_->Authenticate(login->token, ClientActor()));
  clock_.Advance(std::chrono::minutes(29));  // active: the idle clock restarted
  ASSERT_TRUE(auth_->Authenticate(login->token, ClientActor()));
  clock_.Advance(std::chrono::minutes(31));
  auto idle = auth_->Authenticate(login->token, ClientActor());
  ASSERT_FALSE(idle);
  EXPECT_NE(idle.error().message.find("超时"), std::string::npos);

  auto second = auth_->Login("lisi", kPassword, ClientActor());
  for (int i = 0; i < 28; ++i) {  // active every 25 minutes for 11 h 40 min
    clock_.Advance(std::chrono::minutes(25));
    ASSERT_TRUE(auth_->Authenticate(second->token, ClientActor())) << i;
  }
  clock_.Advance(std::chrono::minutes(25));  // 12 h 5 min after login, 25 min after last use
  auto absolute = auth_->Authenticate(second->token, ClientActor());
  ASSERT_FALSE(absolute);
  EXPECT_NE(absolute.error().message.find("最长时限"), std::string::npos);
}

TEST_P(PlatformContract, LogoutRevokesTheSession) {
  MakeUser("wang", "NMG-GSJ", {"officer"});
  auto login = auth_->Login("wang", kPassword, ClientActor());
  Principal p = *auth_->Authenticate(login->token, ClientActor());
  ASSERT_TRUE(auth_->Logout(p));
  EXPECT_EQ(auth_->Authenticate(login->token, ClientActor()).error().code, ErrorCode::kUnauthenticated);
}

TEST_P(PlatformContract, NewUsersGetATemporaryPasswordTheyMustChange) {
  MakeUser("sys", "NMG-SDB", {"sysadmin"});
  Principal sys = SignIn("sys");
  auto created = admin_->CreateUser(sys, {"newbie", "新用户", OrgId("NMG-GSJ"), "13812345678", ""});
  ASSERT_TRUE(created) << created.error().message;
  EXPECT_TRUE(created->user.must_change_password);
  EXPECT_EQ(created->user.phone_masked, "138****5678");
  Principal newbie = SignIn("newbie", created->temporary_password);
  EXPECT_TRUE(newbie.user.must_change_password);
  auto weak = auth_->ChangePassword(newbie, created->temporary_password, "short");
  EXPECT_EQ(weak.error().field, "new_password");
  auto two_classes = auth_->ChangePassword(newbie, created->temporary_password, "abcdefghijkl1");
  EXPECT_EQ(two_classes.error().field, "new_password");
  auto wrong_old = auth_->ChangePassword(newbie, "nope", "Good-Password-2017");
  EXPECT_EQ(wrong_old.error().field, "old_password");
  ASSERT_TRUE(auth_->ChangePassword(newbie, created->temporary_password, "Good-Password-2017"));
  EXPECT_FALSE(SignIn("newbie", "Good-Password-2017").user.must_change_password);
}

TEST_P(PlatformContract, ScopeStopsAtTheRegionOfTheActorsOrganisation) {
  MakeUser("hsys", "HHHT-GSJ", {"sysadmin"});
  Principal hsys = SignIn("hsys");
  OrgDraft own{"HHHT-ZJJ", "呼和浩特市质量技术监督局", "质监局", {}, "agency", "150102", {}};
  EXPECT_TRUE(admin_->CreateOrganization(hsys, own));
  OrgDraft other{"BT-ZJJ", "包头市质量技术监督局", "质监局", {}, "agency", "150200", {}};
  EXPECT_EQ(admin_->CreateOrganization(hsys, other).error().code, ErrorCode::kPermissionDenied);
  platform::User far = MakeUser("btuser", "BT-GSJ", {"officer"});
  EXPECT_EQ(admin_->GetUser(hsys, far.id).error().code, ErrorCode::kPermissionDenied);
  EXPECT_EQ(admin_->ResetPassword(hsys, far.id).error().code, ErrorCode::kPermissionDenied);
  auto listed = admin_->ListUsers(hsys, {});
  for (const platform::User& u : listed->items) EXPECT_TRUE(u.org_region.starts_with("1501"));
}

TEST_P(PlatformContract, DisablingAUserEndsTheirSessions) {
  MakeUser("sys", "NMG-SDB", {"sysadmin"});
  platform::User u = MakeUser("leaver", "NMG-GSJ", {"officer"});
  auto login = auth_->Login("leaver", kPassword, ClientActor());
  Principal sys = SignIn("sys");
  ASSERT_TRUE(admin_->UpdateUser(sys, u.id, {"", "离职人员", u.org_id, "", "disabled"}));
  EXPECT_FALSE(auth_->Authenticate(login->token, ClientActor()));
  EXPECT_EQ(auth_->Login("leaver", kPassword, ClientActor()).error().code, ErrorCode::kPermissionDenied);
  auto disabled = admin_->ListUsers(sys, {.status = "disabled"});
  EXPECT_EQ(disabled->total, 1);
}

TEST_P(PlatformContract, EveryChangeIsAuditedAndTheChainVerifies) {
  MakeUser("sys", "NMG-SDB", {"sysadmin"});
  MakeUser("aud", "NMG-SDB", {"auditadmin"});
  Principal sys = SignIn("sys");
  ASSERT_TRUE(admin_->CreateOrganization(sys, {"X-1", "测试单位", "", {}, "other", "150000", {}}));
  (void)auth_->Login("sys", "bad", ClientActor());
  Principal aud = SignIn("aud");
  auto page = audit_->List(aud, {.action = "organization.create"});
  ASSERT_TRUE(page);
  EXPECT_EQ(page->items.front().entry.summary, "新增机构 X-1 测试单位");
  EXPECT_EQ(page->items.front().entry.actor.username, "sys");
  EXPECT_EQ(page->items.front().entry.actor.client_addr, "127.0.0.1");
  EXPECT_EQ(audit_->List(aud, {.action = "auth.login_failed"})->total, 1);
  auto check = audit_->Verify(&aud);
  ASSERT_TRUE(check);
  EXPECT_TRUE(check->ok) << check->message;
  EXPECT_GT(check->checked, 8);
}

TEST_P(PlatformContract, ConcurrentWritersKeepOneUnbrokenChain) {
  MakeUser("sys", "NMG-SDB", {"sysadmin"});
  Principal sys = SignIn("sys");
  std::vector<std::thread> threads;
  std::atomic<int> ok{0};
  for (int t = 0; t < 4; ++t) {
    threads.emplace_back([&, t] {
      for (int i = 0; i < 10; ++i) {
        std::string code = "C-" + std::to_string(t) + "-" + std::to_string(i);
        ok += admin_->CreateOrganization(sys, {code, "并发单位" + code, "", {}, "other", "150000", {}})
                  .has_value();
      }
    });
  }
  for (std::thread& t : threads) t.join();
  EXPECT_EQ(ok.load(), 40);
  auto check = audit_->Verify(nullptr);
  EXPECT_TRUE(check->ok) << check->message;
}

TEST_P(PlatformContract, OverviewCountsByPrefecture) {
  MakeUser("ofc", "HHHT-GSJ", {"office"});
  Principal o = SignIn("ofc");
  auto overview = admin_->GetOverview(o);
  ASSERT_TRUE(overview);
  EXPECT_EQ(overview->organizations, 4);
  EXPECT_EQ(overview->users, 1);
  bool found = false;
  for (const auto& r : overview->by_region) {
    if (r.region_code == "150100") {
      found = true;
      EXPECT_EQ(r.users, 1);
    }
  }
  EXPECT_TRUE(found);
  EXPECT_FALSE(overview->audit_per_day.empty());
}

TEST_P(PlatformContract, MigrationsAreIdempotent) {
  auto again = storage_->Migrate();
  ASSERT_TRUE(again);
  EXPECT_EQ(again->current, again->latest);
}

INSTANTIATE_TEST_SUITE_P(Backends, PlatformContract, testing::ValuesIn(AvailableBackends()),
                         BackendName);

}  // namespace
}  // namespace redshield::testing_support

namespace redshield::testing_support {
namespace {

// A plain PostgreSQL URI (no query string), as an operator writes it for
// `serve --db`, opens: SOCI once turned ".../db" into ".../db=".
TEST(PostgresUrl, APlainUriOpens) {
  const char* pg = std::getenv("REDSHIELD_TEST_PG_URL");
  if (pg == nullptr || *pg == '\0') GTEST_SKIP() << "REDSHIELD_TEST_PG_URL is not set";
  std::string url = pg;
  url = url.substr(0, url.find('?'));
  ManualClock clock(*ParseTime("2026-03-02T02:00:00Z"));
  Result<std::unique_ptr<storage::Storage>> opened = storage::Storage::Open(url, clock, 1);
  ASSERT_TRUE(opened.has_value()) << opened.error().message;
  Result<storage::MigrationStatus> status = (*opened)->Status();
  ASSERT_TRUE(status.has_value()) << status.error().message;
}

}  // namespace
}  // namespace redshield::testing_support
