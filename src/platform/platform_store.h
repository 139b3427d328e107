// Persistence the platform module needs; storage/ implements it on SQLite and
// PostgreSQL. Every method that changes state takes the AuditEntry that
// describes the change and commits both in one transaction, or neither.
// Implementations are safe to call from many threads at once.
#pragma once

#include <functional>
#include <string>
#include <vector>

#include "core/audit.h"
#include "core/error.h"
#include "platform/types.h"

namespace redshield::platform {

class PlatformStore {
 public:
  virtual ~PlatformStore() = default;

  // Regions: inserted or updated by code.
  virtual Status UpsertRegions(const std::vector<Region>& regions, const AuditEntry& audit) = 0;
  virtual Result<std::vector<Region>> ListRegions() = 0;

  // kConflict if the code (or an alias within the region) is taken.
  virtual Status InsertOrganization(const Organization& org, const AuditEntry& audit) = 0;
  // kNotFound if no organisation has org.id; kConflict as for insert.
  virtual Status UpdateOrganization(const Organization& org, const AuditEntry& audit) = 0;
  // With its aliases. kNotFound if none has `id`; kConflict if users, child
  // organisations or any record still refer to it (nothing is deleted).
  virtual Status DeleteOrganization(Id id, const AuditEntry& audit) = 0;
  virtual Result<Organization> FindOrganization(Id id) = 0;
  virtual Result<Organization> FindOrganizationByCode(const std::string& code) = 0;
  virtual Result<Page<Organization>> ListOrganizations(const OrgQuery& query) = 0;

  // kConflict if the username is taken or the roles break 三权分立.
  virtual Status InsertUser(const NewUser& user, const AuditEntry& audit) = 0;
  // Updates display name, organisation, status and (if non-empty) phone.
  virtual Status UpdateUser(const User& user, const std::string& phone_encrypted,
                            const AuditEntry& audit) = 0;
  virtual Result<User> FindUser(Id id) = 0;
  virtual Result<User> FindUserByUsername(const std::string& username) = 0;
  virtual Result<Page<User>> ListUsers(const UserQuery& query) = 0;
  // Replaces the user's roles. kConflict if they break 三权分立 (checked by the database).
  virtual Status SetRoles(Id user_id, const std::vector<std::string>& roles,
                          const AuditEntry& audit) = 0;

  // kNotFound if no user has that username.
  virtual Result<Credentials> FindCredentials(const std::string& username) = 0;
  // Counts one more failed login in the same transaction as its audit record
  // (concurrent attempts cannot lose counts). When the count reaches
  // `max_failures` the account is locked until `lock_until` and the count
  // restarts. Returns the count including this failure.
  virtual Result<int> RecordLoginFailure(Id user_id, int max_failures,
                                         const std::string& lock_until,
                                         const AuditEntry& audit) = 0;
  // Resets failures, sets last login and stores the new session.
  virtual Status RecordLogin(const SessionRecord& session, const AuditEntry& audit) = 0;
  virtual Status SetPassword(Id user_id, const std::string& password_hash,
                             bool must_change_password, const AuditEntry& audit) = 0;
  // Clears failures and the lock.
  virtual Status Unlock(Id user_id, const AuditEntry& audit) = 0;

  // kNotFound if no session has that hash.
  virtual Result<SessionRecord> FindSession(const std::string& token_hash) = 0;
  // Not audited: it only records activity for the idle timeout.
  virtual Status TouchSession(const std::string& token_hash, const std::string& last_seen_at) = 0;
  virtual Status RevokeSession(const std::string& token_hash, const std::string& revoked_at,
                               const AuditEntry& audit) = 0;
  // Records an event that changes nothing else (e.g. a failed login of an unknown user).
  virtual Status AppendAudit(const AuditEntry& audit) = 0;

  // Newest first.
  virtual Result<Page<AuditRecord>> ListAudit(const AuditQuery& query) = 0;
  // Calls `visit` for every record in sequence order until it returns false.
  virtual Status ScanAudit(const std::function<bool(const AuditRecord&)>& visit) = 0;
  // The last record's sequence number and hash (0 and the genesis hash if none),
  // kept apart from the log so that deleting its tail is detected too.
  virtual Result<std::pair<std::int64_t, std::string>> AuditHead() = 0;
  // Audit events per Asia/Shanghai day since `from` (UTC text).
  virtual Result<std::vector<DayCount>> AuditPerDay(const std::string& from) = 0;
  // Organisations and users per prefecture-level region (and the region itself).
  virtual Result<std::vector<RegionCount>> CountByRegion() = 0;
};

}  // namespace redshield::platform
