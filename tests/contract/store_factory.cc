#include "contract/store_factory.h"

#include <gtest/gtest.h>
#include <libpq-fe.h>
#include <unistd.h>

#include <atomic>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>

#include "core/check.h"
#include "core/crypto.h"

namespace redshield::testing_support {
namespace {

std::unique_ptr<storage::Storage> Migrated(const std::string& url, const Clock& clock) {
  Result<std::unique_ptr<storage::Storage>> s = storage::Storage::Open(url, clock, 2);
  RS_CHECK(s.has_value()) << "cannot open " << url << ": " << s.error().message;
  Result<storage::MigrationStatus> m = (*s)->Migrate();
  RS_CHECK(m.has_value()) << "migration failed: " << m.error().message;
  return std::move(*s);
}

std::unique_ptr<storage::Storage> MakeSqlite(const Clock& clock) {
  return Migrated("sqlite::memory:", clock);
}

std::unique_ptr<storage::Storage> MakeSqliteFile(const Clock& clock) {
  // Left to the end of the process, which removes the directory.
  static const auto* dir = [] {
    auto* d = new std::filesystem::path(std::filesystem::temp_directory_path() /
                                        ("rs-contract-" + std::to_string(::getpid())));
    std::filesystem::create_directories(*d);
    return d;
  }();
  static const int removed_at_exit = std::atexit([] { std::filesystem::remove_all(*dir); });
  (void)removed_at_exit;
  static std::atomic<int> next{0};
  return Migrated("sqlite:" + (*dir / (std::to_string(next++) + ".db")).string(), clock);
}

// Each store gets its own schema, so that tests do not see each other's rows.
std::unique_ptr<storage::Storage> MakePostgres(const Clock& clock) {
  std::string base = std::getenv("REDSHIELD_TEST_PG_URL");
  std::string schema = "t" + std::to_string(RandomU64() % 1000000000000ULL);
  PGconn* conn = PQconnectdb(base.c_str());
  RS_CHECK(PQstatus(conn) == CONNECTION_OK) << PQerrorMessage(conn);
  PGresult* r = PQexec(conn, ("CREATE SCHEMA " + schema).c_str());
  RS_CHECK(PQresultStatus(r) == PGRES_COMMAND_OK) << PQerrorMessage(conn);
  PQclear(r);
  PQfinish(conn);
  std::string sep = base.find('?') == std::string::npos ? "?" : "&";
  return Migrated(base + sep + "options=-csearch_path%3D" + schema, clock);
}

}  // namespace

std::vector<Backend> AvailableBackends() {
  InitCrypto();
  std::vector<Backend> backends = {{"sqlite", &MakeSqlite}};
  const char* pg = std::getenv("REDSHIELD_TEST_PG_URL");
  if (pg != nullptr && *pg != '\0') {
    backends.push_back({"postgresql", &MakePostgres});
  } else {
    const char* require = std::getenv("REDSHIELD_REQUIRE_PG");
    RS_CHECK(require == nullptr || std::string(require) != "1")
        << "REDSHIELD_REQUIRE_PG=1 but REDSHIELD_TEST_PG_URL is not set";
  }
  return backends;
}

std::vector<Backend> BackendsWithSqliteFile() {
  std::vector<Backend> backends = AvailableBackends();
  backends.insert(backends.begin() + 1, {"sqlite_file", &MakeSqliteFile});
  return backends;
}

std::string ReadRepoFile(const std::string& relative) {
  const char* source = std::getenv("REDSHIELD_SOURCE");
  std::string root = source != nullptr ? source : REDSHIELD_SOURCE_DIR_DEFAULT;
  std::ifstream in(root + "/" + relative, std::ios::binary);
  RS_CHECK(in.good()) << "cannot read " << root << "/" << relative;
  std::ostringstream out;
  out << in.rdbuf();
  return out.str();
}

}  // namespace redshield::testing_support

#include "contract/fixture.h"

namespace redshield::testing_support {

std::string BackendName(const testing::TestParamInfo<Backend>& info) { return info.param.name; }

void PlatformFixture::SetUp() {
  storage_ = GetParam().make(clock_);
  box_.emplace(*SecretBox::FromBase64Key(SecretBox::GenerateKeyBase64()));
  platform::PlatformStore& store = storage_->platform();
  auth_ = std::make_unique<platform::AuthService>(store, clock_, platform::AuthPolicy{});
  admin_ = std::make_unique<platform::AdminService>(store, clock_, ids_, *box_);
  audit_ = std::make_unique<platform::AuditService>(store);
  setup_ = std::make_unique<platform::SetupService>(store, clock_, ids_);
  ASSERT_TRUE(setup_->LoadReference(kSmallRegions, kSmallOrgs));
  Result<WorkCalendar> calendar = WorkCalendar::FromCsv(ReadRepoFile("data/calendar/cn_holidays.csv"));
  ASSERT_TRUE(calendar.has_value()) << calendar.error().message;
  calendar_.emplace(std::move(*calendar));
  plans_ = std::make_unique<plans::PlanService>(storage_->plans(), store, *calendar_,
                                                ReadRepoFile("data/org_groups.csv"), clock_, ids_);
  progress_ = std::make_unique<plans::ProgressService>(storage_->plans(), store, *calendar_,
                                                       clock_, ids_);
  supervision_ = std::make_unique<plans::SupervisionService>(storage_->supervision(),
                                                             storage_->plans(), clock_, ids_);
  assessment_ = std::make_unique<plans::AssessmentService>(storage_->assessment(),
                                                           storage_->plans(), clock_, ids_);
  Result<cases::ThresholdTable> thresholds =
      cases::ThresholdTable::FromCsv(ReadRepoFile("data/cases/thresholds.csv"));
  ASSERT_TRUE(thresholds.has_value()) << thresholds.error().message;
  thresholds_.emplace(std::move(*thresholds));
  Result<cases::TimerRules> timer_rules = cases::TimerRules::FromCsv(ReadRepoFile("data/cases/timers.csv"));
  ASSERT_TRUE(timer_rules.has_value()) << timer_rules.error().message;
  timer_rules_.emplace(std::move(*timer_rules));
  Result<cases::DocumentKinds> documents =
      cases::DocumentKinds::FromCsv(ReadRepoFile("data/cases/documents.csv"));
  ASSERT_TRUE(documents.has_value()) << documents.error().message;
  document_kinds_.emplace(std::move(*documents));
  cases_ = std::make_unique<cases::CaseService>(storage_->cases(), store, *thresholds_, *timer_rules_,
                                                *document_kinds_, *calendar_, *box_, clock_, ids_);
  custody_ = std::make_unique<cases::CustodyService>(storage_->custody(), *cases_, clock_, ids_);
}

Actor PlatformFixture::ClientActor() const {
  Actor actor;
  actor.client_addr = "127.0.0.1";
  actor.request_id = "test";
  return actor;
}

platform::Principal PlatformFixture::SignIn(const std::string& username,
                                            const std::string& password) {
  Result<platform::LoginResult> login = auth_->Login(username, password, ClientActor());
  RS_CHECK(login.has_value()) << username << ": " << login.error().message;
  Result<platform::Principal> p = auth_->Authenticate(login->token, ClientActor());
  RS_CHECK(p.has_value()) << p.error().message;
  return *p;
}

platform::User PlatformFixture::MakeUser(const std::string& username, const std::string& org_code,
                                         std::vector<std::string> roles) {
  Result<platform::User> user = setup_->AddUser(username, username, roles, org_code, kPassword, false);
  RS_CHECK(user.has_value()) << user.error().message;
  return *user;
}

Id PlatformFixture::OrgId(const std::string& code) {
  return storage_->platform().FindOrganizationByCode(code)->id;
}

}  // namespace redshield::testing_support
