#include "storage/database.h"

#include <libpq-fe.h>
#include <soci/postgresql/soci-postgresql.h>
#include <soci/sqlite3/soci-sqlite3.h>
#include <spdlog/spdlog.h>
#include <sqlite3.h>

#include <mutex>
#include <optional>
#include <thread>

#include "core/check.h"
#include "storage/checkpointer.h"
#include "storage/shared_map.h"
#include "storage/snapshot_readers.h"

namespace redshield::storage {
namespace {

constexpr int kWriteAttempts = 5;

// Friendly messages for the constraints users can run into; the key is a
// fragment of the constraint's name as SQLite or PostgreSQL report it.
struct ConflictMessage {
  const char* fragment;
  const char* field;
  const char* message;
};
constexpr ConflictMessage kConflicts[] = {
    {"username", "username", "用户名已存在"},
    {"admin_group", "roles", "三权分立：系统管理员、安全管理员、审计管理员不能由同一用户兼任"},
    {"organizations.code", "code", "机构代码已存在"},
    {"organizations_code", "code", "机构代码已存在"},
    {"organization_aliases", "aliases", "机构别名在同一地区内已被其他机构使用"},
    {"append-only", "", "审计日志只能追加，不能修改或删除"},
    {"plans.year", "year", "该地区该年度的工作要点已导入"},
    {"plans_year_region", "year", "该地区该年度的工作要点已导入"},
};

Error Conflict(const std::string& driver_text) {
  for (const ConflictMessage& c : kConflicts) {
    if (driver_text.find(c.fragment) != std::string::npos) {
      return Error{ErrorCode::kConflict, c.message, c.field};
    }
  }
  return Error{ErrorCode::kConflict, "与已有数据冲突", ""};
}

bool IsRetryable(const std::exception& e) {
  auto* pg = dynamic_cast<const soci::postgresql_soci_error*>(&e);
  if (pg != nullptr) {
    std::string state = pg->sqlstate();
    return state == "40001" || state == "40P01";
  }
  auto* lite = dynamic_cast<const soci::sqlite3_soci_error*>(&e);
  return lite != nullptr && (lite->result() == SQLITE_BUSY || lite->result() == SQLITE_LOCKED);
}

// Counts pooled sessions in use for /metrics.
class Lease {
 public:
  explicit Lease(std::atomic<int>& n) : n_(n) { ++n_; }
  ~Lease() { --n_; }

 private:
  std::atomic<int>& n_;
};

Result<std::pair<Dialect, std::string>> ParseUrl(const std::string& url) {
  if (url == "sqlite::memory:") return std::pair{Dialect::kSqlite, std::string("db=:memory:")};
  if (url.starts_with("sqlite:")) {
    std::string path = url.substr(7);
    if (path.starts_with("//")) path = path.substr(2);
    if (path.empty() || path.find_first_of(" '\"") != std::string::npos) {
      return Fail(ErrorCode::kInvalidArgument, "SQLite 数据库路径为空或含空格、引号：" + path, "db");
    }
    return std::pair{Dialect::kSqlite, "db=" + path + " timeout=10"};
  }
  if (url.starts_with("postgresql://") || url.starts_with("postgres://")) {
    // SOCI splits its connection string at '=' (for its own options) and
    // rebuilds it, which turns ".../db" into ".../db=" when the URI has no
    // query: give it one, naming the program to the server.
    return std::pair{Dialect::kPostgres,
                     url.find('?') == std::string::npos ? url + "?application_name=redshield" : url};
  }
  if (url.starts_with("postgresql:")) return std::pair{Dialect::kPostgres, url.substr(11)};
  return Fail(ErrorCode::kInvalidArgument,
              "数据库地址须以 sqlite: 或 postgresql:// 开头：" + url, "db");
}

// Once per process, before the first connection. A connection here is
// used by one thread at a time (the pool leases it, SnapshotReaders hands
// it over, the checkpointer has its own), so SQLite's mutex per connection,
// locked by every call (bind, step, each column), is left out: 1,700 of
// the io threads' 49,000 instructions per verification. SQLite counts its
// allocations under one process-wide mutex unless told not to before its
// first use; nothing here reads those counts, and with it the public
// verification's lookups on two threads waited on each other. Then every
// connection reads a file through one shared map (shared_map.h).
void PrepareSqlite() {
  static std::once_flag once;
  std::call_once(once, [] {
    if (sqlite_api::sqlite3_config(SQLITE_CONFIG_MULTITHREAD) != SQLITE_OK) {
      spdlog::debug("SQLite was initialised already: connections keep their mutexes");
    }
    if (sqlite_api::sqlite3_config(SQLITE_CONFIG_MEMSTATUS, 0) != SQLITE_OK) {
      spdlog::debug("SQLite was initialised already: its memory statistics stay on");
    }
    if (!UseSharedMaps()) spdlog::warn("SQLite refused the shared-map VFS: each connection maps files itself");
  });
}

void ConfigureSqlite(soci::session& sql) {
  // 64 KB pages (SQLite's largest) for a new database; an existing one keeps
  // its size: SQLite changes it only by a VACUUM outside WAL mode
  // (docs/operations.md). An EPCIS capture inserts into indexes keyed at
  // random (codes) and pays per page it changes: a 1M-event document into
  // 2M codes and 0/1M/2M events took 24.1/27.0/29.4 s with 4 KB pages,
  // 21.1/22.9/23.8 with 16 KB, 21.9/22.2/24.1 with 32 KB and 19.7/21.6/22.0
  // with 64 KB (alternating runs). Public verification, which changes one
  // random page per scan, measured alike with each. Must precede journal_mode.
  sql << "PRAGMA page_size=65536";
  sql << "PRAGMA journal_mode=WAL";
  sql << "PRAGMA synchronous=FULL";
  sql << "PRAGMA foreign_keys=ON";
  sql << "PRAGMA busy_timeout=10000";
  // A transaction's dirty pages stay in memory until it commits, rather than
  // spilling to the WAL once the page cache is full: after a spill every page
  // read searches the WAL's index, which grows with the spill (a 1M-event
  // capture into 30M events dirties 3.6 GB; spilled, sqlite3WalFindFrame was
  // the top entry of its second half). The largest transactions are bounded
  // by their input (a capture by the upload limit). Only takes effect
  // outside a transaction, hence here (WriteInOrder turns it on for one).
  sql << "PRAGMA cache_spill=OFF";
  // Reads through a memory map rather than a pread per page: the public
  // verification (issue 7 §4) reads one random code row per scan. With the
  // shared-map VFS (shared_map.h) the value only turns the map on; the
  // whole file is mapped. Under SQLite's own VFS it is the most Debian's
  // SQLite maps (SQLITE_MAX_MMAP_SIZE).
  sql << "PRAGMA mmap_size=2147418112";
}

}  // namespace

Error TranslateDbError(const std::exception& e) {
  std::string text = e.what();
  // SOCI appends the statement with its bound values: keep those (password
  // hashes, personal data) out of the log.
  spdlog::warn("database error: {}", text.substr(0, text.find(" while executing")));
  if (auto* pg = dynamic_cast<const soci::postgresql_soci_error*>(&e)) {
    std::string state = pg->sqlstate();
    if (state.starts_with("23") || text.find("append-only") != std::string::npos) {
      return Conflict(text);
    }
    if (state.starts_with("08") || state.starts_with("57") || IsRetryable(e)) {
      return Error{ErrorCode::kUnavailable, "数据库暂不可用，请稍后重试", ""};
    }
  }
  if (auto* lite = dynamic_cast<const soci::sqlite3_soci_error*>(&e)) {
    int code = lite->result() & 0xFF;
    if (code == SQLITE_CONSTRAINT) return Conflict(text);
    if (code == SQLITE_BUSY || code == SQLITE_LOCKED || code == SQLITE_FULL ||
        code == SQLITE_CANTOPEN || code == SQLITE_READONLY) {
      return Error{ErrorCode::kUnavailable, "数据库暂不可用，请稍后重试", ""};
    }
  }
  if (text.find("constraint") != std::string::npos || text.find("append-only") != std::string::npos) {
    return Conflict(text);
  }
  if (auto* se = dynamic_cast<const soci::soci_error*>(&e);
      se != nullptr && se->get_error_category() == soci::soci_error::connection_error) {
    return Error{ErrorCode::kUnavailable, "数据库暂不可用，请稍后重试", ""};
  }
  return Error{ErrorCode::kInternal, "数据库操作失败", ""};
}

Database::Database(Dialect dialect, const Clock& clock, int pool_size)
    : dialect_(dialect), clock_(clock), pool_size_(pool_size) {}

Database::~Database() {
  for (auto& slot : statements_) {
    for (auto& [text, statement] : slot) sqlite_api::sqlite3_finalize(statement);
  }
}

Result<std::unique_ptr<Database>> Database::Open(const std::string& url, const Clock& clock,
                                                 int pool_size) {
  Result<std::pair<Dialect, std::string>> parsed = ParseUrl(url);
  RS_TRY(parsed);
  auto [dialect, connect] = *parsed;
  // Each in-memory SQLite connection is its own database: share one.
  if (connect == "db=:memory:") pool_size = 1;
  std::unique_ptr<Database> db(new Database(dialect, clock, pool_size));
  if (dialect == Dialect::kSqlite) PrepareSqlite();
  try {
    db->pool_ = std::make_unique<soci::connection_pool>(static_cast<size_t>(pool_size));
    db->statements_.resize(static_cast<size_t>(pool_size));
    for (int i = 0; i < pool_size; ++i) {
      soci::session& sql = db->pool_->at(static_cast<size_t>(i));
      if (dialect == Dialect::kSqlite) {
        sql.open(soci::sqlite3, connect);
        ConfigureSqlite(sql);
      } else {
        sql.open(soci::postgresql, connect);
        sql << "SET client_min_messages = warning";
      }
    }
    if (dialect == Dialect::kSqlite) db->WatchCheckpoints();
  } catch (const std::exception& e) {
    spdlog::error("cannot open database: {}", e.what());
    return Fail(ErrorCode::kUnavailable, "无法打开数据库，请检查数据库地址和服务状态", "db");
  }
  return db;
}

void Database::WatchCheckpoints() {
  auto conn = [this](size_t i) {
    return static_cast<soci::sqlite3_session_backend*>(pool_->at(i).get_backend())->conn_;
  };
  const char* file = sqlite_api::sqlite3_db_filename(conn(0), "main");
  if (file == nullptr || *file == '\0') return;  // in memory: no WAL
  snapshots_ = std::make_unique<SnapshotReaders>(file, kSnapshotAge);
  checkpointer_ = std::make_unique<Checkpointer>(file, sqlite_writer_, *snapshots_);
  for (size_t i = 0; i < static_cast<size_t>(pool_size_); ++i) checkpointer_->Watch(conn(i));
}

Status Database::Read(const Work& work) {
  try {
    Lease lease(in_use_);
    soci::session sql(*pool_);
    return work(sql);
  } catch (const std::exception& e) {
    return tl::unexpected(TranslateDbError(e));
  }
}

Status Database::ReadPrepared(const char* sql_text, const StatementWork& work) {
  RS_CHECK(dialect_ == Dialect::kSqlite) << "ReadPrepared is for SQLite";
  Lease lease(in_use_);
  const size_t position = pool_->lease();
  struct GiveBack {
    soci::connection_pool& pool;
    size_t position;
    ~GiveBack() { pool.give_back(position); }
  } give_back{*pool_, position};
  auto* backend = static_cast<soci::sqlite3_session_backend*>(pool_->at(position).get_backend());
  sqlite_api::sqlite3_stmt* statement =
      PreparedOnce(backend->conn_, statements_[position], sql_text);
  if (statement == nullptr) return Fail(ErrorCode::kUnavailable, "数据库暂不可用，请稍后重试");
  Status status = work(statement);
  sqlite_api::sqlite3_reset(statement);
  sqlite_api::sqlite3_clear_bindings(statement);
  return status;
}

Status Database::ReadSnapshot(const char* sql_text, const StatementWork& work) {
  if (std::optional<Status> status = TryReadSnapshot(sql_text, work)) return *std::move(status);
  return ReadPrepared(sql_text, work);
}

std::optional<Status> Database::TryReadSnapshot(const char* sql_text, const StatementWork& work) {
  if (snapshots_ == nullptr) return std::nullopt;
  return snapshots_->Read(sql_text, work);
}

SqliteStatement::SqliteStatement(soci::session& sql, const char* text) {
  auto* backend = static_cast<soci::sqlite3_session_backend*>(sql.get_backend());
  const int rc = sqlite_api::sqlite3_prepare_v2(backend->conn_, text, -1, &statement_, nullptr);
  if (rc != SQLITE_OK) {
    throw soci::sqlite3_soci_error(sqlite_api::sqlite3_errmsg(backend->conn_), rc);
  }
}

SqliteStatement::~SqliteStatement() { sqlite_api::sqlite3_finalize(statement_); }

void SqliteStatement::Bind(int index, std::string_view text) {
  // A view with no data (a default one) is the empty text, not NULL.
  const char* data = text.data() != nullptr ? text.data() : "";
  sqlite_api::sqlite3_bind_text(statement_, index, data, static_cast<int>(text.size()), SQLITE_STATIC);
}

void SqliteStatement::BindBlob(int index, std::string_view bytes) {
  sqlite_api::sqlite3_bind_blob(statement_, index, bytes.data(), static_cast<int>(bytes.size()), SQLITE_STATIC);
}

void SqliteStatement::Bind(int index, long long value) { sqlite_api::sqlite3_bind_int64(statement_, index, value); }

void SqliteStatement::Bind(int index, double value) { sqlite_api::sqlite3_bind_double(statement_, index, value); }

void SqliteStatement::BindNull(int index) { sqlite_api::sqlite3_bind_null(statement_, index); }

bool SqliteStatement::Next() {
  const int rc = sqlite_api::sqlite3_step(statement_);
  if (rc == SQLITE_ROW) return true;
  Reset(rc);
  return false;
}

std::string_view SqliteStatement::Text(int index) const {
  const auto* text =
      reinterpret_cast<const char*>(sqlite_api::sqlite3_column_text(statement_, index));
  if (text == nullptr) return {};
  return {text, static_cast<std::size_t>(sqlite_api::sqlite3_column_bytes(statement_, index))};
}

long long SqliteStatement::Int(int index) const {
  return sqlite_api::sqlite3_column_int64(statement_, index);
}

int SqliteStatement::Run() {
  int rc = SQLITE_ROW;
  while (rc == SQLITE_ROW) rc = sqlite_api::sqlite3_step(statement_);
  return Reset(rc);
}

int SqliteStatement::Reset(int rc) {
  sqlite_api::sqlite3* db = sqlite_api::sqlite3_db_handle(statement_);
  const int changed = rc == SQLITE_DONE ? sqlite_api::sqlite3_changes(db) : 0;
  std::string message = rc == SQLITE_DONE ? "" : sqlite_api::sqlite3_errmsg(db);
  const int extended = rc == SQLITE_DONE ? rc : sqlite_api::sqlite3_extended_errcode(db);
  sqlite_api::sqlite3_reset(statement_);
  if (rc != SQLITE_DONE) throw soci::sqlite3_soci_error(message, extended);
  return changed;
}

Error SqliteStepError(sqlite_api::sqlite3_stmt* statement, int rc) {
  spdlog::warn("database error: {}", sqlite_api::sqlite3_errmsg(sqlite_api::sqlite3_db_handle(statement)));
  const int code = rc & 0xFF;
  if (code == SQLITE_BUSY || code == SQLITE_LOCKED) {
    return Error{ErrorCode::kUnavailable, "数据库暂不可用，请稍后重试", ""};
  }
  return Error{ErrorCode::kInternal, "数据库操作失败", ""};
}

Status Database::Write(const AuditEntry* audit, const Work& work) {
  return Transact(work, [&](soci::session& sql) {
    return audit != nullptr ? AppendAudits(sql, std::vector<AuditEntry>{*audit}) : Ok();
  });
}

Status Database::WriteAll(const std::vector<AuditEntry>& audits, const Work& work) {
  return Transact(work, [&](soci::session& sql) { return AppendAudits(sql, audits); });
}

Status Database::WriteInOrder(const Work& work) {
  return Transact(work, [](soci::session&) { return Ok(); }, dialect_ == Dialect::kSqlite);
}

namespace {

// cache_spill on for one transaction: set before BEGIN and off again after
// its end (the pragma takes effect only outside a transaction).
class SpillWhile {
 public:
  SpillWhile(soci::session& sql, bool on) : sql_(on ? &sql : nullptr) {
    if (sql_ != nullptr) *sql_ << "PRAGMA cache_spill=ON";
  }
  ~SpillWhile() {
    if (sql_ == nullptr) return;
    try {
      *sql_ << "PRAGMA cache_spill=OFF";
    } catch (const std::exception&) {
      // The connection is broken; nothing to switch back.
    }
  }
  SpillWhile(const SpillWhile&) = delete;
  SpillWhile& operator=(const SpillWhile&) = delete;

 private:
  soci::session* sql_;
};

}  // namespace

Status Database::Transact(const Work& work, const Work& append, bool spill) {
  std::unique_lock<std::mutex> lock(sqlite_writer_, std::defer_lock);
  if (dialect_ == Dialect::kSqlite) lock.lock();
  for (int attempt = 1;; ++attempt) {
    try {
      Lease lease(in_use_);
      soci::session sql(*pool_);
      SpillWhile spilling(sql, spill);
      sql << (dialect_ == Dialect::kSqlite ? "BEGIN IMMEDIATE" : "BEGIN");
      // Snapshots read from here on begin after this transaction did.
      if (snapshots_ != nullptr) snapshots_->Renew();
      try {
        Status status = work(sql);
        if (status) status = append(sql);
        sql << (status ? "COMMIT" : "ROLLBACK");
        if (status && snapshots_ != nullptr) snapshots_->Renew();
        return status;
      } catch (...) {
        try {
          sql << "ROLLBACK";
        } catch (...) {
          // The connection is broken; the server rolls back on its own.
        }
        throw;
      }
    } catch (const std::exception& e) {
      if (attempt < kWriteAttempts && IsRetryable(e)) {
        std::this_thread::sleep_for(std::chrono::milliseconds(5 * attempt));
        continue;
      }
      return tl::unexpected(TranslateDbError(e));
    }
  }
}

// The chain's head is read once and written once; the records go through
// one prepared statement (a flush of clone suspicions appends hundreds).
Status Database::AppendAudits(soci::session& sql, const std::vector<AuditEntry>& audits) {
  if (audits.empty()) return Ok();
  AuditRecord record;
  sql << std::string("SELECT seq, hash FROM audit_head WHERE id = 1") +
             (dialect_ == Dialect::kPostgres ? " FOR UPDATE" : ""),
      soci::into(record.seq), soci::into(record.hash);
  long long user_id = 0, org_id = 0;
  soci::statement insert =
      (sql.prepare << "INSERT INTO audit_log (seq, time, user_id, username, org_id, client_addr, request_id, "
                      "action, object_type, object_id, summary, prev_hash, hash) VALUES (:seq, :time, :uid, "
                      ":uname, :oid, :addr, :rid, :action, :otype, :oid2, :summary, :prev, :hash)",
       soci::use(record.seq), soci::use(record.time), soci::use(user_id), soci::use(record.entry.actor.username),
       soci::use(org_id), soci::use(record.entry.actor.client_addr), soci::use(record.entry.actor.request_id),
       soci::use(record.entry.action), soci::use(record.entry.object_type), soci::use(record.entry.object_id),
       soci::use(record.entry.summary), soci::use(record.prev_hash), soci::use(record.hash));
  const std::string now = FormatUtc(clock_.Now());
  for (const AuditEntry& audit : audits) {
    record = AuditRecord{record.seq + 1, now, audit, record.hash, ""};
    record.hash = AuditChainHash(record);
    user_id = audit.actor.user_id;
    org_id = audit.actor.org_id;
    insert.execute(true);
  }
  sql << "UPDATE audit_head SET seq = :seq, hash = :hash WHERE id = 1", soci::use(record.seq),
      soci::use(record.hash);
  return Ok();
}

Status Database::ExecScript(soci::session& sql, const std::string& script) {
  if (script.find_first_not_of(" \n\t") == std::string::npos) return Ok();
  if (dialect_ == Dialect::kSqlite) {
    auto* backend = static_cast<soci::sqlite3_session_backend*>(sql.get_backend());
    char* message = nullptr;
    if (sqlite_api::sqlite3_exec(backend->conn_, script.c_str(), nullptr, nullptr, &message) != SQLITE_OK) {
      spdlog::error("migration failed: {}", message ? message : "?");
      sqlite_api::sqlite3_free(message);
      return Fail(ErrorCode::kInternal, "数据库迁移失败");
    }
    return Ok();
  }
  auto* backend = static_cast<soci::postgresql_session_backend*>(sql.get_backend());
  PGresult* result = PQexec(backend->conn_, script.c_str());
  bool ok = PQresultStatus(result) == PGRES_COMMAND_OK || PQresultStatus(result) == PGRES_TUPLES_OK;
  if (!ok) spdlog::error("migration failed: {}", PQresultErrorMessage(result));
  PQclear(result);
  if (!ok) return Fail(ErrorCode::kInternal, "数据库迁移失败");
  return Ok();
}

}  // namespace redshield::storage
