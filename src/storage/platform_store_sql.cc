#include "storage/platform_store_sql.h"

#include <optional>

#include "storage/query.h"
#include "storage/ttl_cache.h"

namespace redshield::storage {
namespace {

using platform::Credentials;
using platform::DayCount;
using platform::NewUser;
using platform::Organization;
using platform::OrgQuery;
using platform::Page;
using platform::Region;
using platform::RegionCount;
using platform::SessionRecord;
using platform::User;
using platform::UserQuery;

// A nullable text column read into a std::string (NULL reads as "").
struct NullableText {
  std::string value;
  soci::indicator ind = soci::i_ok;
  std::optional<std::string> Get() const {
    if (ind == soci::i_null) return std::nullopt;
    return value;
  }
};

tl::unexpected<Error> NotFound(const std::string& what) { return Fail(ErrorCode::kNotFound, what + "不存在"); }

const char* kOrgColumns =
    "o.id, o.code, o.name, o.short_name, o.type, o.region_code, COALESCE(r.name, ''), "
    "COALESCE(o.parent_id, 0) FROM organizations o LEFT JOIN regions r ON r.code = o.region_code";

struct OrgRow {
  long long id = 0, parent = 0;
  Organization org;
  void Bind(soci::statement& st) {
    st.exchange(soci::into(id));
    st.exchange(soci::into(org.code));
    st.exchange(soci::into(org.name));
    st.exchange(soci::into(org.short_name));
    st.exchange(soci::into(org.type));
    st.exchange(soci::into(org.region_code));
    st.exchange(soci::into(org.region_name));
    st.exchange(soci::into(parent));
  }
  Organization Take() {
    org.id = id;
    org.parent_id = parent != 0 ? std::optional<Id>(parent) : std::nullopt;
    return org;
  }
};

const char* kUserColumns =
    "u.id, u.username, u.display_name, u.org_id, o.code, o.name, o.region_code, u.status, "
    "u.locked_until, u.must_change_password, u.phone_masked, u.created_at, u.last_login_at "
    "FROM users u JOIN organizations o ON o.id = u.org_id";

struct UserRow {
  long long id = 0, org_id = 0;
  int must_change = 0;
  NullableText locked_until, last_login;
  User user;
  void Bind(soci::statement& st) {
    st.exchange(soci::into(id));
    st.exchange(soci::into(user.username));
    st.exchange(soci::into(user.display_name));
    st.exchange(soci::into(org_id));
    st.exchange(soci::into(user.org_code));
    st.exchange(soci::into(user.org_name));
    st.exchange(soci::into(user.org_region));
    st.exchange(soci::into(user.status));
    st.exchange(soci::into(locked_until.value, locked_until.ind));
    st.exchange(soci::into(must_change));
    st.exchange(soci::into(user.phone_masked));
    st.exchange(soci::into(user.created_at));
    st.exchange(soci::into(last_login.value, last_login.ind));
  }
  User Take() {
    user.id = id;
    user.org_id = org_id;
    user.must_change_password = must_change != 0;
    user.locked_until = locked_until.Get();
    user.last_login_at = last_login.Get();
    return user;
  }
};

std::vector<std::string> LoadRoles(soci::session& sql, Id user_id) {
  std::vector<std::string> roles;
  std::string role;
  long long id = user_id;
  soci::statement st = (sql.prepare << "SELECT role FROM user_roles WHERE user_id = :id ORDER BY role",
                        soci::into(role), soci::use(id));
  st.execute();
  while (st.fetch()) roles.push_back(role);
  return roles;
}

void OrgFilters(QueryBuilder& q, const OrgQuery& query) {
  q.Sql(" WHERE 1 = 1");
  if (!query.text.empty()) {
    q.Sql(" AND (0 = 1");
    for (const char* column : {"o.code", "o.name", "o.short_name"}) {
      q.Sql(" OR (1 = 1").Contains(column, query.text).Sql(")");
    }
    q.Sql(" OR EXISTS (SELECT 1 FROM organization_aliases a WHERE a.org_id = o.id")
        .Contains("a.alias", query.text)
        .Sql("))");
  }
  if (!query.type.empty()) q.Sql(" AND o.type = ").Param(query.type);
  for (const std::string* prefix : {&query.region_code, &query.region_prefix}) {
    if (prefix->empty()) continue;
    q.InRegion("o.region_code", *prefix);
  }
}

void UserFilters(QueryBuilder& q, const UserQuery& query) {
  q.Sql(" WHERE 1 = 1");
  if (!query.text.empty()) {
    q.Sql(" AND ((1 = 1").Contains("u.username", query.text);
    q.Sql(") OR (1 = 1").Contains("u.display_name", query.text).Sql("))");
  }
  if (query.org_id) q.Sql(" AND u.org_id = ").Param(static_cast<long long>(*query.org_id));
  if (!query.role.empty()) {
    q.Sql(" AND EXISTS (SELECT 1 FROM user_roles ur WHERE ur.user_id = u.id AND ur.role = ")
        .Param(query.role)
        .Sql(")");
  }
  if (query.status == "locked") {
    q.Sql(" AND u.locked_until > ").Param(query.now);
  } else if (query.status == "active") {
    q.Sql(" AND u.status = 'active' AND (u.locked_until IS NULL OR u.locked_until <= ")
        .Param(query.now)
        .Sql(")");
  } else if (!query.status.empty()) {
    q.Sql(" AND u.status = ").Param(query.status);
  }
  if (!query.region_prefix.empty()) q.InRegion("o.region_code", query.region_prefix);
}

// Sessions and users are read on every authenticated request; they are
// cached for one second. Writes through this store invalidate what they
// change at once; another server process sees a change within the TTL.
constexpr std::chrono::seconds kHotRowTtl{1};
constexpr size_t kHotRowCapacity = 20000;

class SqlPlatformStore final : public platform::PlatformStore {
 public:
  explicit SqlPlatformStore(Database& db)
      : db_(db), sessions_(kHotRowTtl, kHotRowCapacity), users_(kHotRowTtl, kHotRowCapacity) {}

  Status UpsertRegions(const std::vector<Region>& regions, const AuditEntry& audit) override {
    return db_.Write(&audit, [&](soci::session& sql) -> Status {
      for (const Region& r : regions) {
        soci::indicator parent_ind = r.parent_code.empty() ? soci::i_null : soci::i_ok;
        sql << "INSERT INTO regions (code, name, level, parent_code) VALUES (:c, :n, :l, :p) "
               "ON CONFLICT (code) DO UPDATE SET name = excluded.name, level = excluded.level, "
               "parent_code = excluded.parent_code",
            soci::use(r.code), soci::use(r.name), soci::use(r.level),
            soci::use(r.parent_code, parent_ind);
      }
      return Ok();
    });
  }

  Result<std::vector<Region>> ListRegions() override {
    std::vector<Region> out;
    RS_TRY(db_.Read([&](soci::session& sql) -> Status {
      Region r;
      NullableText parent;
      soci::statement st = (sql.prepare << "SELECT code, name, level, parent_code FROM regions "
                                           "ORDER BY code",
                            soci::into(r.code), soci::into(r.name), soci::into(r.level),
                            soci::into(parent.value, parent.ind));
      st.execute();
      while (st.fetch()) {
        r.parent_code = parent.Get().value_or("");
        out.push_back(r);
      }
      return Ok();
    }));
    return out;
  }

  Status InsertOrganization(const Organization& org, const AuditEntry& audit) override {
    return db_.Write(&audit, [&](soci::session& sql) -> Status {
      std::string now = FormatUtc(db_.clock().Now());
      long long id = org.id;
      long long parent = org.parent_id.value_or(0);
      soci::indicator parent_ind = org.parent_id ? soci::i_ok : soci::i_null;
      sql << "INSERT INTO organizations (id, code, name, short_name, type, region_code, "
             "parent_id, created_at, updated_at) VALUES (:id, :code, :name, :short, :type, "
             ":region, :parent, :c, :u)",
          soci::use(id), soci::use(org.code), soci::use(org.name), soci::use(org.short_name),
          soci::use(org.type), soci::use(org.region_code), soci::use(parent, parent_ind),
          soci::use(now), soci::use(now);
      WriteAliases(sql, org);
      return Ok();
    });
  }

  Status UpdateOrganization(const Organization& org, const AuditEntry& audit) override {
    Status done = db_.Write(&audit, [&](soci::session& sql) -> Status {
      std::string now = FormatUtc(db_.clock().Now());
      long long id = org.id;
      long long parent = org.parent_id.value_or(0);
      soci::indicator parent_ind = org.parent_id ? soci::i_ok : soci::i_null;
      soci::statement st =
          (sql.prepare << "UPDATE organizations SET code = :code, name = :name, short_name = "
                          ":short, type = :type, region_code = :region, parent_id = :parent, "
                          "updated_at = :u WHERE id = :id",
           soci::use(org.code), soci::use(org.name), soci::use(org.short_name), soci::use(org.type),
           soci::use(org.region_code), soci::use(parent, parent_ind), soci::use(now),
           soci::use(id));
      st.execute(true);
      if (st.get_affected_rows() == 0) return NotFound("机构");
      sql << "DELETE FROM organization_aliases WHERE org_id = :id", soci::use(id);
      WriteAliases(sql, org);
      return Ok();
    });
    users_.Clear();  // users carry their organisation's name
    return done;
  }

  Status DeleteOrganization(Id id, const AuditEntry& audit) override {
    Status done = db_.Write(&audit, [&](soci::session& sql) -> Status {
      long long key = id;
      sql << "DELETE FROM organization_aliases WHERE org_id = :id", soci::use(key);
      soci::statement st = (sql.prepare << "DELETE FROM organizations WHERE id = :id", soci::use(key));
      st.execute(true);
      if (st.get_affected_rows() == 0) return NotFound("机构");
      return Ok();
    });
    if (!done && done.error().code == ErrorCode::kConflict) {
      return Fail(ErrorCode::kConflict, "该机构仍有用户、下级机构或业务记录，不能删除", "id");
    }
    return done;
  }

  Result<Organization> FindOrganization(Id id) override {
    return FindOneOrg(QueryBuilder("SELECT ")
                          .Sql(kOrgColumns)
                          .Sql(" WHERE o.id = ")
                          .Param(static_cast<long long>(id)));
  }

  Result<Organization> FindOrganizationByCode(const std::string& code) override {
    return FindOneOrg(QueryBuilder("SELECT ").Sql(kOrgColumns).Sql(" WHERE o.code = ").Param(code));
  }

  Result<Page<Organization>> ListOrganizations(const OrgQuery& query) override {
    Page<Organization> page;
    RS_TRY(db_.Read([&](soci::session& sql) -> Status {
      page = FetchPage<OrgRow>(
          sql, kOrgColumns, [&](QueryBuilder& q) { OrgFilters(q, query); },
          "o.region_code, o.type, o.code", query.page);
      for (Organization& org : page.items) org.aliases = LoadAliases(sql, org.id);
      return Ok();
    }));
    return page;
  }

  Status InsertUser(const NewUser& nu, const AuditEntry& audit) override {
    return db_.Write(&audit, [&](soci::session& sql) -> Status {
      const User& u = nu.user;
      long long id = u.id;
      long long org = u.org_id;
      int must = u.must_change_password ? 1 : 0;
      soci::indicator phone_ind = nu.phone_encrypted.empty() ? soci::i_null : soci::i_ok;
      sql << "INSERT INTO users (id, username, display_name, org_id, password_hash, "
             "must_change_password, status, phone_enc, phone_masked, created_at, updated_at) "
             "VALUES (:id, :un, :dn, :org, :pw, :must, 'active', :phone, :pm, :c, :u)",
          soci::use(id), soci::use(u.username), soci::use(u.display_name), soci::use(org),
          soci::use(nu.password_hash), soci::use(must), soci::use(nu.phone_encrypted, phone_ind),
          soci::use(u.phone_masked), soci::use(u.created_at), soci::use(u.created_at);
      return InsertRoles(sql, u.id, u.roles);
    });
  }

  Status UpdateUser(const User& u, const std::string& phone_enc, const AuditEntry& audit) override {
    Status done = db_.Write(&audit, [&](soci::session& sql) -> Status {
      std::string now = FormatUtc(db_.clock().Now());
      long long id = u.id;
      long long org = u.org_id;
      soci::statement st =
          (sql.prepare << "UPDATE users SET display_name = :dn, org_id = :org, status = :st, "
                          "updated_at = :u WHERE id = :id",
           soci::use(u.display_name), soci::use(org), soci::use(u.status), soci::use(now),
           soci::use(id));
      st.execute(true);
      if (st.get_affected_rows() == 0) return NotFound("用户");
      if (!phone_enc.empty()) {
        sql << "UPDATE users SET phone_enc = :pe, phone_masked = :pm WHERE id = :id",
            soci::use(phone_enc), soci::use(u.phone_masked), soci::use(id);
      }
      if (u.status == "disabled") {
        sql << "UPDATE sessions SET revoked_at = :t WHERE user_id = :id AND revoked_at IS NULL",
            soci::use(now), soci::use(id);
      }
      return Ok();
    });
    users_.Erase(u.id);
    sessions_.Clear();  // disabling ends the user's sessions
    return done;
  }

  Result<User> FindUser(Id id) override {
    if (std::optional<User> cached = users_.Get(id)) return *cached;
    Result<User> user = FindOneUser(
        QueryBuilder("SELECT ").Sql(kUserColumns).Sql(" WHERE u.id = ").Param(static_cast<long long>(id)));
    if (user) users_.Put(id, *user);
    return user;
  }

  Result<User> FindUserByUsername(const std::string& username) override {
    return FindOneUser(QueryBuilder("SELECT ").Sql(kUserColumns).Sql(" WHERE u.username = ").Param(username));
  }

  Result<Page<User>> ListUsers(const UserQuery& query) override {
    Page<User> page;
    RS_TRY(db_.Read([&](soci::session& sql) -> Status {
      page = FetchPage<UserRow>(
          sql, kUserColumns, [&](QueryBuilder& q) { UserFilters(q, query); },
          "o.region_code, o.code, u.username", query.page);
      for (User& u : page.items) u.roles = LoadRoles(sql, u.id);
      return Ok();
    }));
    return page;
  }

  Status SetRoles(Id user_id, const std::vector<std::string>& roles,
                  const AuditEntry& audit) override {
    Status done = db_.Write(&audit, [&](soci::session& sql) -> Status {
      long long id = user_id;
      sql << "DELETE FROM user_roles WHERE user_id = :id", soci::use(id);
      return InsertRoles(sql, user_id, roles, audit.actor.user_id);
    });
    users_.Erase(user_id);
    return done;
  }

  Result<Credentials> FindCredentials(const std::string& username) override {
    Credentials c;
    bool found = false;
    RS_TRY(db_.Read([&](soci::session& sql) -> Status {
      long long id = 0;
      NullableText locked;
      sql << "SELECT id, password_hash, status, failed_logins, locked_until FROM users "
             "WHERE username = :u",
          soci::into(id), soci::into(c.password_hash), soci::into(c.status),
          soci::into(c.failed_logins), soci::into(locked.value, locked.ind), soci::use(username);
      found = sql.got_data();
      c.user_id = id;
      c.locked_until = locked.Get();
      return Ok();
    }));
    if (!found) return NotFound("用户");
    return c;
  }

  Result<int> RecordLoginFailure(Id user_id, int max_failures, const std::string& lock_until,
                                 const AuditEntry& audit) override {
    int failed = 0;
    AuditEntry entry = audit;
    RS_TRY(db_.Write(&entry, [&](soci::session& sql) -> Status {
      long long id = user_id;
      // Increment in the database: the row lock (PostgreSQL) or the single
      // writer (SQLite) serialises concurrent attempts.
      sql << "UPDATE users SET failed_logins = failed_logins + 1 WHERE id = :id", soci::use(id);
      sql << "SELECT failed_logins FROM users WHERE id = :id", soci::into(failed), soci::use(id);
      entry.summary += "（连续第 " + std::to_string(failed) + " 次）";
      if (failed >= max_failures) {
        sql << "UPDATE users SET failed_logins = 0, locked_until = :l WHERE id = :id",
            soci::use(lock_until), soci::use(id);
        entry.summary += "，账号锁定至 " + lock_until;
      }
      return Ok();
    }));
    users_.Erase(user_id);
    return failed;
  }

  Status RecordLogin(const SessionRecord& s, const AuditEntry& audit) override {
    Status done = db_.Write(&audit, [&](soci::session& sql) -> Status {
      long long id = s.user_id;
      sql << "UPDATE users SET failed_logins = 0, locked_until = NULL, last_login_at = :t "
             "WHERE id = :id",
          soci::use(s.created_at), soci::use(id);
      sql << "INSERT INTO sessions (token_hash, user_id, created_at, last_seen_at, client_addr) "
             "VALUES (:h, :u, :c, :s, :a)",
          soci::use(s.token_hash), soci::use(id), soci::use(s.created_at),
          soci::use(s.last_seen_at), soci::use(s.client_addr);
      return Ok();
    });
    users_.Erase(s.user_id);
    return done;
  }

  Status SetPassword(Id user_id, const std::string& hash, bool must_change,
                     const AuditEntry& audit) override {
    Status done = db_.Write(&audit, [&](soci::session& sql) -> Status {
      long long id = user_id;
      int must = must_change ? 1 : 0;
      std::string now = FormatUtc(db_.clock().Now());
      soci::statement st =
          (sql.prepare << "UPDATE users SET password_hash = :h, must_change_password = :m, "
                          "password_changed_at = :t, updated_at = :t2 WHERE id = :id",
           soci::use(hash), soci::use(must), soci::use(now), soci::use(now), soci::use(id));
      st.execute(true);
      if (st.get_affected_rows() == 0) return NotFound("用户");
      if (must_change) {
        // A reset by an administrator ends every session of the user.
        sql << "UPDATE sessions SET revoked_at = :t WHERE user_id = :id AND revoked_at IS NULL",
            soci::use(now), soci::use(id);
      }
      return Ok();
    });
    users_.Erase(user_id);
    sessions_.Clear();  // a reset ends the user's sessions
    return done;
  }

  Status Unlock(Id user_id, const AuditEntry& audit) override {
    Status done = db_.Write(&audit, [&](soci::session& sql) -> Status {
      long long id = user_id;
      sql << "UPDATE users SET failed_logins = 0, locked_until = NULL WHERE id = :id", soci::use(id);
      return Ok();
    });
    users_.Erase(user_id);
    return done;
  }

  Result<SessionRecord> FindSession(const std::string& token_hash) override {
    if (std::optional<SessionRecord> cached = sessions_.Get(token_hash)) return *cached;
    SessionRecord s;
    bool found = false;
    RS_TRY(db_.Read([&](soci::session& sql) -> Status {
      long long user = 0;
      NullableText revoked;
      sql << "SELECT user_id, created_at, last_seen_at, revoked_at, client_addr FROM sessions "
             "WHERE token_hash = :h",
          soci::into(user), soci::into(s.created_at), soci::into(s.last_seen_at),
          soci::into(revoked.value, revoked.ind), soci::into(s.client_addr), soci::use(token_hash);
      found = sql.got_data();
      s.user_id = user;
      s.revoked_at = revoked.Get();
      return Ok();
    }));
    if (!found) return NotFound("会话");
    s.token_hash = token_hash;
    sessions_.Put(token_hash, s);
    return s;
  }

  Status TouchSession(const std::string& token_hash, const std::string& last_seen) override {
    Status done = db_.Write(nullptr, [&](soci::session& sql) -> Status {
      sql << "UPDATE sessions SET last_seen_at = :t WHERE token_hash = :h", soci::use(last_seen),
          soci::use(token_hash);
      return Ok();
    });
    sessions_.Erase(token_hash);
    return done;
  }

  Status RevokeSession(const std::string& token_hash, const std::string& revoked_at,
                       const AuditEntry& audit) override {
    Status done = db_.Write(&audit, [&](soci::session& sql) -> Status {
      sql << "UPDATE sessions SET revoked_at = :t WHERE token_hash = :h", soci::use(revoked_at),
          soci::use(token_hash);
      return Ok();
    });
    sessions_.Erase(token_hash);
    return done;
  }

  Status AppendAudit(const AuditEntry& audit) override {
    return db_.Write(&audit, [](soci::session&) { return Ok(); });
  }

  Result<Page<AuditRecord>> ListAudit(const platform::AuditQuery& query) override;
  Status ScanAudit(const std::function<bool(const AuditRecord&)>& visit) override;
  Result<std::pair<std::int64_t, std::string>> AuditHead() override;
  Result<std::vector<DayCount>> AuditPerDay(const std::string& from) override;
  Result<std::vector<RegionCount>> CountByRegion() override;

 private:
  void WriteAliases(soci::session& sql, const Organization& org) {
    long long id = org.id;
    for (const std::string& alias : org.aliases) {
      sql << "INSERT INTO organization_aliases (org_id, alias, region_code) VALUES (:o, :a, :r)",
          soci::use(id), soci::use(alias), soci::use(org.region_code);
    }
  }

  static std::vector<std::string> LoadAliases(soci::session& sql, Id org_id) {
    std::vector<std::string> aliases;
    std::string alias;
    long long id = org_id;
    soci::statement st = (sql.prepare << "SELECT alias FROM organization_aliases WHERE org_id = "
                                         ":id ORDER BY alias",
                          soci::into(alias), soci::use(id));
    st.execute();
    while (st.fetch()) aliases.push_back(alias);
    return aliases;
  }

  Status InsertRoles(soci::session& sql, Id user_id, const std::vector<std::string>& roles,
                     Id granted_by = 0) {
    std::string now = FormatUtc(db_.clock().Now());
    long long id = user_id;
    long long by = granted_by;
    for (const std::string& role : roles) {
      bool admin = role == "sysadmin" || role == "secadmin" || role == "auditadmin";
      std::string group = "admin";
      soci::indicator ind = admin ? soci::i_ok : soci::i_null;
      sql << "INSERT INTO user_roles (user_id, role, admin_group, granted_at, granted_by) "
             "VALUES (:u, :r, :g, :t, :b)",
          soci::use(id), soci::use(role), soci::use(group, ind), soci::use(now), soci::use(by);
    }
    return Ok();
  }

  Result<Organization> FindOneOrg(QueryBuilder q) {
    std::vector<Organization> found;
    RS_TRY(db_.Read([&](soci::session& sql) -> Status {
      found = FetchAll<OrgRow>(sql, q);
      if (!found.empty()) found[0].aliases = LoadAliases(sql, found[0].id);
      return Ok();
    }));
    if (found.empty()) return NotFound("机构");
    return found[0];
  }

  Result<User> FindOneUser(QueryBuilder q) {
    std::vector<User> found;
    RS_TRY(db_.Read([&](soci::session& sql) -> Status {
      found = FetchAll<UserRow>(sql, q);
      if (!found.empty()) found[0].roles = LoadRoles(sql, found[0].id);
      return Ok();
    }));
    if (found.empty()) return NotFound("用户");
    return found[0];
  }

  Database& db_;
  TtlCache<std::string, SessionRecord> sessions_;  // by token hash
  TtlCache<Id, User> users_;
};

// ---- audit ----

const char* kAuditColumns =
    "seq, time, user_id, username, org_id, client_addr, request_id, action, object_type, "
    "object_id, summary, prev_hash, hash FROM audit_log";

struct AuditRow {
  long long seq = 0, user = 0, org = 0;
  AuditRecord r;
  void Bind(soci::statement& st) {
    st.exchange(soci::into(seq));
    st.exchange(soci::into(r.time));
    st.exchange(soci::into(user));
    st.exchange(soci::into(r.entry.actor.username));
    st.exchange(soci::into(org));
    st.exchange(soci::into(r.entry.actor.client_addr));
    st.exchange(soci::into(r.entry.actor.request_id));
    st.exchange(soci::into(r.entry.action));
    st.exchange(soci::into(r.entry.object_type));
    st.exchange(soci::into(r.entry.object_id));
    st.exchange(soci::into(r.entry.summary));
    st.exchange(soci::into(r.prev_hash));
    st.exchange(soci::into(r.hash));
  }
  AuditRecord Take() {
    r.seq = seq;
    r.entry.actor.user_id = user;
    r.entry.actor.org_id = org;
    return r;
  }
};

void AuditFilters(QueryBuilder& q, const platform::AuditQuery& query) {
  q.Sql(" WHERE 1 = 1");
  if (!query.from.empty()) q.Sql(" AND time >= ").Param(query.from);
  if (!query.to.empty()) q.Sql(" AND time < ").Param(query.to);
  if (query.user_id) q.Sql(" AND user_id = ").Param(static_cast<long long>(*query.user_id));
  if (query.org_id) q.Sql(" AND org_id = ").Param(static_cast<long long>(*query.org_id));
  if (!query.action.empty()) q.Sql(" AND action = ").Param(query.action);
  if (!query.object_type.empty()) q.Sql(" AND object_type = ").Param(query.object_type);
  if (!query.object_id.empty()) q.Sql(" AND object_id = ").Param(query.object_id);
}

Result<Page<AuditRecord>> SqlPlatformStore::ListAudit(const platform::AuditQuery& query) {
  Page<AuditRecord> page;
  RS_TRY(db_.Read([&](soci::session& sql) -> Status {
    page = FetchPage<AuditRow>(
        sql, kAuditColumns, [&](QueryBuilder& q) { AuditFilters(q, query); }, "seq DESC",
        query.page);
    return Ok();
  }));
  return page;
}

Status SqlPlatformStore::ScanAudit(const std::function<bool(const AuditRecord&)>& visit) {
  return db_.Read([&](soci::session& sql) -> Status {
    AuditRow row;
    soci::statement st(sql);
    row.Bind(st);
    QueryBuilder q("SELECT ");
    q.Sql(kAuditColumns).Sql(" ORDER BY seq");
    q.Prepare(st);
    st.execute(false);
    while (st.fetch()) {
      if (!visit(row.Take())) break;
    }
    return Ok();
  });
}

Result<std::pair<std::int64_t, std::string>> SqlPlatformStore::AuditHead() {
  std::pair<std::int64_t, std::string> head;
  RS_TRY(db_.Read([&](soci::session& sql) -> Status {
    long long seq = 0;
    sql << "SELECT seq, hash FROM audit_head WHERE id = 1", soci::into(seq), soci::into(head.second);
    head.first = seq;
    return Ok();
  }));
  return head;
}

Result<std::vector<DayCount>> SqlPlatformStore::AuditPerDay(const std::string& from) {
  // Asia/Shanghai has had no DST since 1991: a fixed +8 h shift gives the local date.
  std::map<std::string, std::int64_t> days;
  RS_TRY(db_.Read([&](soci::session& sql) -> Status {
    std::string time;
    soci::statement st = (sql.prepare << "SELECT time FROM audit_log WHERE time >= :f",
                          soci::into(time), soci::use(from));
    st.execute();
    while (st.fetch()) {
      Result<TimePoint> t = ParseTime(time);
      if (t) ++days[ShanghaiDate(*t)];
    }
    return Ok();
  }));
  std::vector<DayCount> out;
  for (auto& [date, count] : days) out.push_back({date, count});
  return out;
}

Result<std::vector<RegionCount>> SqlPlatformStore::CountByRegion() {
  std::vector<RegionCount> out;
  RS_TRY(db_.Read([&](soci::session& sql) -> Status {
    RegionCount c;
    long long orgs = 0, users = 0;
    // Counties roll up into their prefecture (盟市); the region itself stays.
    soci::statement st =
        (sql.prepare << "SELECT r.code, r.name, "
                        "(SELECT COUNT(*) FROM organizations o WHERE o.region_code = r.code OR "
                        " o.region_code IN (SELECT code FROM regions k WHERE k.parent_code = r.code "
                        " AND r.level = 'prefecture')), "
                        "(SELECT COUNT(*) FROM users u JOIN organizations o ON o.id = u.org_id "
                        " WHERE o.region_code = r.code OR o.region_code IN (SELECT code FROM "
                        " regions k WHERE k.parent_code = r.code AND r.level = 'prefecture')) "
                        "FROM regions r WHERE r.level IN ('province', 'prefecture') ORDER BY r.code",
         soci::into(c.region_code), soci::into(c.region_name), soci::into(orgs), soci::into(users));
    st.execute();
    while (st.fetch()) {
      c.organizations = orgs;
      c.users = users;
      out.push_back(c);
    }
    return Ok();
  }));
  return out;
}

}  // namespace

std::unique_ptr<platform::PlatformStore> MakePlatformStore(Database& db) {
  return std::make_unique<SqlPlatformStore>(db);
}

}  // namespace redshield::storage
