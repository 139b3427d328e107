// Every route has an access rule, the OpenAPI document lists every route, and
// nothing but the public routes answers without a session.
#include <gtest/gtest.h>

#include <set>

#include <boost/json.hpp>

#include "api/api.h"
#include "api/json.h"
#include "contract/fixture.h"
#include "screening/screening_service.h"
#include "trace/code_service.h"
#include "trace/trace_service.h"

namespace redshield::testing_support {
namespace {

class ApiRoutes : public PlatformFixture {
 protected:
  void SetUp() override {
    PlatformFixture::SetUp();
    Result<std::shared_ptr<const screening::RuleSet>> rules =
        screening::RuleSet::Compile(screening::RuleSetSpec{});
    ASSERT_TRUE(rules.has_value());
    screening_ = std::make_unique<screening::ScreeningService>(std::move(*rules));
    clues_ = std::make_unique<clues::ClueService>(storage_->clues(), clock_);
    jobs_ = std::make_unique<clues::ScreeningJobs>(
        storage_->clues(), *screening_, nullptr, nullptr, clock_, ids_, clues::JobsOptions{});
    api::Services services{*auth_,     *admin_,       *audit_,
                           *plans_,    *progress_,    *supervision_,
                           *assessment_,
                           [] { return std::pair{0, 1}; }};
    services.clues = clues_.get();
    services.screening_jobs = jobs_.get();
    services.reload_rules = [] { return Ok(); };
    services.cases = cases_.get();
    services.custody = custody_.get();
    trace_ = std::make_unique<trace::TraceService>(storage_->trace(), clock_, ids_);
    codes_ = std::make_unique<trace::CodeService>(storage_->trace(), clock_, ids_,
                                                  code_options_,
                                                  [](const std::string&) { return Id{0}; });
    services.trace = trace_.get();
    services.codes = codes_.get();
    api_ = std::make_unique<api::Api>(std::move(services), api::ApiOptions{});
  }
  std::unique_ptr<screening::ScreeningService> screening_;
  std::unique_ptr<clues::ClueService> clues_;
  std::unique_ptr<clues::ScreeningJobs> jobs_;
  std::unique_ptr<trace::TraceService> trace_;
  trace::CodeServiceOptions code_options_;  // named: GCC 12 warns on a temporary here
  std::unique_ptr<trace::CodeService> codes_;
  std::unique_ptr<api::Api> api_;
};

std::string Concrete(std::string pattern) {
  for (size_t pos; (pos = pattern.find('{')) != std::string::npos;) {
    pattern.replace(pos, pattern.find('}', pos) - pos + 1, "123");
  }
  return pattern;
}

TEST_P(ApiRoutes, EveryRouteHasAnAccessRuleAndOnlyTheseArePublic) {
  std::set<std::string> is_public;
  for (const api::Route& route : api_->router().routes()) {
    if (route.access.kind == api::AccessKind::kPermission) {
      EXPECT_NE(route.access.permission, platform::Permission::kCount) << route.pattern;
    }
    if (route.access.kind == api::AccessKind::kPublic) is_public.insert(route.method + " " + route.pattern);
  }
  EXPECT_EQ(is_public, (std::set<std::string>{"GET /healthz", "GET /metrics",
                                              "GET /api/v1/openapi.json", "POST /api/v1/auth/login",
                                              "GET /api/v1/public/verify/{code}",
                                              "GET /api/v1/public/destruction-units"}));
}

TEST_P(ApiRoutes, NonPublicRoutesRefuseRequestsWithoutASession) {
  for (const api::Route& route : api_->router().routes()) {
    if (route.access.kind == api::AccessKind::kPublic) continue;
    api::HttpRequest request;
    request.method = route.method;
    request.path = Concrete(route.pattern);
    request.body = "{}";
    api::HttpResponse response = api_->Handle(request);
    EXPECT_EQ(response.status, 401) << route.method << " " << route.pattern;
  }
}

TEST_P(ApiRoutes, OpenApiListsExactlyTheRoutes) {
  boost::json::value doc = boost::json::parse(api_->OpenApiJson());
  const boost::json::object& paths = doc.at("paths").as_object();
  size_t operations = 0;
  for (const auto& [path, item] : paths) operations += item.as_object().size();
  EXPECT_EQ(operations, api_->router().routes().size());
  for (const api::Route& route : api_->router().routes()) {
    std::string method = route.method;
    for (char& c : method) c = static_cast<char>(std::tolower(c));
    ASSERT_TRUE(paths.contains(route.pattern)) << route.pattern;
    EXPECT_TRUE(paths.at(route.pattern).as_object().contains(method)) << route.method << " " << route.pattern;
  }
  EXPECT_EQ(std::string(doc.at("openapi").as_string()).substr(0, 2), "3.");
}

TEST_P(ApiRoutes, UploadRoutesAreRefusedFromTheHeadersWithoutASession) {
  size_t streamed = 0;
  for (const api::Route& route : api_->router().routes()) {
    if (!route.streamed_body) continue;
    ++streamed;
    api::HttpRequest request;
    request.method = route.method;
    request.path = Concrete(route.pattern);
    api::BodyPlan plan = api_->PlanBody(request);
    EXPECT_EQ(plan.kind, api::BodyPlan::Kind::kReject) << route.pattern;
    EXPECT_EQ(plan.rejection.status, 401) << route.pattern;
  }
  EXPECT_EQ(streamed, 2u);  // POST /api/v1/screening/jobs and /api/v1/trace/capture
  api::HttpRequest other;
  other.method = "POST";
  other.path = "/api/v1/auth/login";
  EXPECT_EQ(api_->PlanBody(other).kind, api::BodyPlan::Kind::kBuffer);
}

TEST_P(ApiRoutes, UnknownRoutesAndMethodsAreNotFound) {
  api::HttpRequest request;
  request.method = "GET";
  request.path = "/api/v1/nope";
  EXPECT_EQ(api_->Handle(request).status, 404);
  request.method = "DELETE";
  request.path = "/api/v1/me";
  EXPECT_EQ(api_->Handle(request).status, 404);
}

TEST_P(ApiRoutes, PathsLongerThanAnyRouteAreNotFound) {
  api::HttpRequest request;
  request.method = "GET";
  request.path = "/api/v1/trace/batches/1/codes/2/3/4/5/6/7/8/9";
  EXPECT_EQ(api_->Handle(request).status, 404);
}

INSTANTIATE_TEST_SUITE_P(Backends, ApiRoutes, testing::Values(AvailableBackends().front()), BackendName);

TEST(QueryStrings, DecodeEscapesAndPlusesBetweenPlainRuns) {
  EXPECT_EQ(api::PercentDecode("150100"), "150100");
  EXPECT_EQ(api::PercentDecode("a+b%2Fc%e5%86%9c%E8%8D%AF"), "a b/c农药");
  EXPECT_EQ(api::PercentDecode("100%"), "100%");    // a lone % stays
  EXPECT_EQ(api::PercentDecode("%zz%4"), "%zz%4");  // so do bad escapes
  EXPECT_EQ(api::PercentDecode(""), "");
  const std::map<std::string, std::string> query =
      api::ParseQueryString("region=150100&name=%E9%BE%99+%E6%B2%B3&x");
  EXPECT_EQ(query.at("region"), "150100");
  EXPECT_EQ(query.at("name"), "龙 河");
  EXPECT_EQ(query.at("x"), "");
}

// What the writer writes, Boost.JSON reads back as it was given.
TEST(FlatJson, WritesStringsAndNumbersThatParseBack) {
  std::string controls;
  for (char c = 0; c < 0x20; ++c) controls += c;
  const std::vector<std::string> texts = {"",        "正常",           "say \"hi\"", "a\\b\\",
                                          controls,  "\x7f 🌾 末尾\"", "\"\"\\\\"};
  api::FlatJsonWriter writer;
  for (size_t i = 0; i < texts.size(); ++i) writer.Field("s" + std::to_string(i), texts[i]);
  writer.Field("zero", 0).Field("min", INT64_MIN).Field("max", INT64_MAX).Field("键\n", "值");
  const std::string body = writer.Take();
  boost::system::error_code ec;
  const boost::json::value parsed = boost::json::parse(body, ec);
  ASSERT_FALSE(ec) << ec.message() << " in " << body;
  const boost::json::object& object = parsed.as_object();
  ASSERT_EQ(object.size(), texts.size() + 4) << body;
  for (size_t i = 0; i < texts.size(); ++i) {
    EXPECT_EQ(object.at("s" + std::to_string(i)).as_string(), texts[i]) << i;
  }
  EXPECT_EQ(object.at("zero").as_int64(), 0);
  EXPECT_EQ(object.at("min").as_int64(), INT64_MIN);
  EXPECT_EQ(object.at("max").as_int64(), INT64_MAX);
  EXPECT_EQ(object.at("键\n").as_string(), "值");
  EXPECT_EQ(api::FlatJsonWriter().Take(), "{}");
}

// A character to escape reads back unchanged at every offset, among ASCII
// and Chinese text.
TEST(FlatJson, EscapesACharacterAtEveryOffset) {
  const std::string base = "abcdefgh正常ijklmnop已召回qrstuvwx";
  for (const char special : {'"', '\\', '\n', '\x01', '\x1f', '\x7f'}) {
    for (size_t at = 0; at <= base.size(); ++at) {
      if (at < base.size() && (static_cast<unsigned char>(base[at]) & 0xC0) == 0x80) continue;  // inside a character
      const std::string text = base.substr(0, at) + special + base.substr(at);
      const std::string body = api::FlatJsonWriter().Field("s", text).Take();
      boost::system::error_code ec;
      const boost::json::value parsed = boost::json::parse(body, ec);
      ASSERT_FALSE(ec) << ec.message() << " in " << body;
      EXPECT_EQ(parsed.as_object().at("s").as_string(), text) << static_cast<int>(special) << " at " << at;
    }
  }
}

}  // namespace
}  // namespace redshield::testing_support
