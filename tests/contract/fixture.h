// A fully wired platform on one backend, with a manual clock, for the
// contract tests.
#pragma once

#include <gtest/gtest.h>

#include <memory>

#include "cases/case_service.h"
#include "cases/custody_service.h"
#include "contract/store_factory.h"
#include "platform/admin_service.h"
#include "platform/audit_service.h"
#include "platform/auth_service.h"
#include "platform/setup_service.h"
#include "plans/assessment_service.h"
#include "plans/plan_service.h"
#include "plans/progress_service.h"
#include "plans/supervision_service.h"

namespace redshield::testing_support {

inline constexpr const char* kSmallRegions =
    "code,name,level,parent_code,subtype,in_mca_gbt2260,in_nbs_stats_2023\n"
    "150000,内蒙古自治区,province,,自治区,1,1\n"
    "150100,呼和浩特市,prefecture,150000,地级市,1,1\n"
    "150102,新城区,county,150100,市辖区,1,1\n"
    "150200,包头市,prefecture,150000,地级市,1,1\n"
    "150271,包头稀土高新技术产业开发区,county,150200,,0,1\n";

inline constexpr const char* kSmallOrgs =
    "code,name,short_name,aliases,type,region_code,parent_code\n"
    "NMG-SDB,内蒙古自治区打击侵权假冒工作领导小组办公室,双打办,自治区双打办,office,150000,\n"
    "NMG-GSJ,内蒙古自治区工商行政管理局,工商局,自治区工商局,agency,150000,\n"
    "HHHT-GSJ,呼和浩特市工商行政管理局,呼和浩特市工商局,,agency,150100,\n"
    "BT-GSJ,包头市工商行政管理局,包头市工商局,,agency,150200,\n";

inline constexpr const char* kPassword = "Test@Passw0rd-2017";

class PlatformFixture : public testing::TestWithParam<Backend> {
 protected:
  void SetUp() override;

  // Logs `username` in and returns the principal of the new session.
  platform::Principal SignIn(const std::string& username, const std::string& password = kPassword);
  // Creates an active user with `roles` in the organisation `org_code`.
  platform::User MakeUser(const std::string& username, const std::string& org_code,
                          std::vector<std::string> roles);
  Id OrgId(const std::string& code);
  Actor ClientActor() const;

  ManualClock clock_{*ParseTime("2026-03-02T02:00:00Z")};
  IdGenerator ids_{1};
  std::unique_ptr<storage::Storage> storage_;
  std::optional<SecretBox> box_;
  std::unique_ptr<platform::AuthService> auth_;
  std::unique_ptr<platform::AdminService> admin_;
  std::unique_ptr<platform::AuditService> audit_;
  std::unique_ptr<platform::SetupService> setup_;
  // The plans module over the same storage, on the shipped holiday calendar.
  std::optional<WorkCalendar> calendar_;
  std::unique_ptr<plans::PlanService> plans_;
  std::unique_ptr<plans::ProgressService> progress_;
  std::unique_ptr<plans::SupervisionService> supervision_;
  std::unique_ptr<plans::AssessmentService> assessment_;
  // Cases (issue 5): the shipped thresholds and timers.
  std::optional<cases::ThresholdTable> thresholds_;
  std::optional<cases::TimerRules> timer_rules_;
  std::optional<cases::DocumentKinds> document_kinds_;
  std::unique_ptr<cases::CaseService> cases_;
  std::unique_ptr<cases::CustodyService> custody_;
};

std::string BackendName(const testing::TestParamInfo<Backend>& info);

}  // namespace redshield::testing_support
