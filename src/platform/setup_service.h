// Setting up a database: reference data (regions, organisations) from the
// CSV files the product ships, demo accounts, and the user commands an
// operator runs on the server (`redshield user add/passwd`). Every change is
// audited with the system as actor. Re-running is safe: what exists is kept.
#pragma once

#include <string>
#include <vector>

#include "core/clock.h"
#include "core/error.h"
#include "core/id.h"
#include "platform/platform_store.h"

namespace redshield::platform {

struct SeedReport {
  int regions = 0;
  int organizations_added = 0;
  int organizations_kept = 0;
};

struct DemoAccount {
  std::string username;
  std::string display_name;
  std::string role;
  std::string org_code;
};

// The demo accounts `init --demo` creates, one per kind of user.
const std::vector<DemoAccount>& DemoAccounts();

class SetupService {
 public:
  SetupService(PlatformStore& store, const Clock& clock, IdGenerator& ids);

  // `regions_csv`: GB/T 2260 divisions (code,name,level,parent_code,...,in_mca_gbt2260);
  // statistics-only zones are skipped. `organizations_csv`: code,name,short_name,
  // aliases,type,region_code,parent_code. kInvalidArgument naming line and field;
  // nothing is written unless both files are valid.
  Result<SeedReport> LoadReference(const std::string& regions_csv,
                                   const std::string& organizations_csv);
  // The id of the organisation with `code`; kNotFound if none.
  Result<Id> OrganizationId(const std::string& code);
  // Creates the missing demo accounts with `password` (no forced change).
  Result<int> CreateDemoUsers(const std::string& password);
  // kInvalidArgument for a weak password, unknown role or organisation;
  // kConflict if the username exists.
  Result<User> AddUser(const std::string& username, const std::string& display_name,
                       const std::vector<std::string>& roles, const std::string& org_code,
                       const std::string& password, bool must_change);
  // Sets a new password (policy-checked) and clears any lock.
  Status SetPassword(const std::string& username, const std::string& password, bool must_change);

 private:
  Actor System() const;

  PlatformStore& store_;
  const Clock& clock_;
  IdGenerator& ids_;
};

}  // namespace redshield::platform
