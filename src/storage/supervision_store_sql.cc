#include "storage/supervision_store_sql.h"

#include "storage/attachments_sql.h"
#include "storage/query.h"

namespace redshield::storage {
namespace {

using plans::Supervision;
using plans::SupervisionEvent;

const char* kColumns =
    "s.id, s.plan_id, s.kind, s.org_id, o.code, o.name, s.region_code, "
    "COALESCE(s.assignment_id, 0), COALESCE(i.number, ''), COALESCE(t.number, ''), "
    "COALESCE(t.text, ''), s.title, s.content, s.deadline, s.meeting_at, s.place, s.status, "
    "s.created_by, u.display_name, s.created_at, s.updated_at FROM supervisions s "
    "JOIN organizations o ON o.id = s.org_id JOIN users u ON u.id = s.created_by "
    "LEFT JOIN plan_assignments a ON a.id = s.assignment_id "
    "LEFT JOIN plan_tasks t ON t.id = a.task_id LEFT JOIN plan_items i ON i.id = t.item_id";

struct SupervisionRow {
  long long id = 0, plan_id = 0, org_id = 0, assignment_id = 0, created_by = 0;
  Supervision s;
  void Bind(soci::statement& st) {
    st.exchange(soci::into(id));
    st.exchange(soci::into(plan_id));
    st.exchange(soci::into(s.kind));
    st.exchange(soci::into(org_id));
    st.exchange(soci::into(s.org_code));
    st.exchange(soci::into(s.org_name));
    st.exchange(soci::into(s.region_code));
    st.exchange(soci::into(assignment_id));
    st.exchange(soci::into(s.item_number));
    st.exchange(soci::into(s.task_number));
    st.exchange(soci::into(s.task_text));
    st.exchange(soci::into(s.title));
    st.exchange(soci::into(s.content));
    st.exchange(soci::into(s.deadline));
    st.exchange(soci::into(s.meeting_at));
    st.exchange(soci::into(s.place));
    st.exchange(soci::into(s.status));
    st.exchange(soci::into(created_by));
    st.exchange(soci::into(s.created_by_name));
    st.exchange(soci::into(s.created_at));
    st.exchange(soci::into(s.updated_at));
  }
  Supervision Take() {
    s.id = id;
    s.plan_id = plan_id;
    s.org_id = org_id;
    s.assignment_id = assignment_id == 0 ? std::nullopt : std::optional<Id>(assignment_id);
    s.created_by = created_by;
    return s;
  }
};

struct EventRow {
  long long id = 0, supervision_id = 0, by = 0;
  SupervisionEvent e;
  void Bind(soci::statement& st) {
    st.exchange(soci::into(id));
    st.exchange(soci::into(supervision_id));
    st.exchange(soci::into(e.action));
    st.exchange(soci::into(e.text));
    st.exchange(soci::into(by));
    st.exchange(soci::into(e.by_name));
    st.exchange(soci::into(e.by_org));
    st.exchange(soci::into(e.at));
  }
  SupervisionEvent Take() {
    e.id = id;
    e.supervision_id = supervision_id;
    e.by = by;
    return e;
  }
};

void InsertEvent(soci::session& sql, const SupervisionEvent& e) {
  long long id = e.id, supervision_id = e.supervision_id, by = e.by;
  sql << "INSERT INTO supervision_events (id, supervision_id, action, text, by_user, at) "
         "VALUES (:id, :s, :a, :t, :b, :at)",
      soci::use(id), soci::use(supervision_id), soci::use(e.action), soci::use(e.text),
      soci::use(by), soci::use(e.at);
}

void Filters(QueryBuilder& q, const plans::SupervisionQuery& query) {
  q.Sql(" WHERE 1 = 1");
  if (query.plan_id) q.Sql(" AND s.plan_id = ").Param(static_cast<long long>(*query.plan_id));
  if (!query.kind.empty()) q.Sql(" AND s.kind = ").Param(query.kind);
  if (!query.status.empty()) q.Sql(" AND s.status = ").Param(query.status);
  if (query.org_id) q.Sql(" AND s.org_id = ").Param(static_cast<long long>(*query.org_id));
  if (!query.region_prefix.empty()) q.InRegion("s.region_code", query.region_prefix);
}

class SqlSupervisionStore final : public plans::SupervisionStore {
 public:
  explicit SqlSupervisionStore(Database& db) : db_(db) {}

  Status Insert(const Supervision& s, const SupervisionEvent& created,
                const AuditEntry& audit) override {
    return db_.Write(&audit, [&](soci::session& sql) -> Status {
      long long id = s.id, plan_id = s.plan_id, org_id = s.org_id, by = s.created_by;
      long long assignment = s.assignment_id.value_or(0);
      soci::indicator assignment_ind = s.assignment_id ? soci::i_ok : soci::i_null;
      soci::statement st =
          (sql.prepare << "INSERT INTO supervisions (id, plan_id, kind, org_id, region_code, "
                          "assignment_id, title, content, deadline, meeting_at, place, status, "
                          "created_by, created_at, updated_at) SELECT :id, :p, :k, o.id, "
                          "o.region_code, :a, :t, :c, :d, :m, :pl, :s, :by, :at, :at2 FROM "
                          "organizations o WHERE o.id = :org",
           soci::use(id), soci::use(plan_id), soci::use(s.kind),
           soci::use(assignment, assignment_ind), soci::use(s.title), soci::use(s.content),
           soci::use(s.deadline), soci::use(s.meeting_at), soci::use(s.place),
           soci::use(s.status), soci::use(by), soci::use(s.created_at), soci::use(s.updated_at),
           soci::use(org_id));
      st.execute(true);
      if (st.get_affected_rows() == 0) {
        return Fail(ErrorCode::kInvalidArgument, "被督办的机构不存在", "org_id");
      }
      InsertEvent(sql, created);
      return Ok();
    });
  }

  Result<Supervision> Find(Id id) override {
    std::vector<Supervision> found;
    RS_TRY(db_.Read([&](soci::session& sql) -> Status {
      QueryBuilder q("SELECT ");
      q.Sql(kColumns).Sql(" WHERE s.id = ").Param(static_cast<long long>(id));
      found = FetchAll<SupervisionRow>(sql, q);
      if (found.empty()) return Ok();
      QueryBuilder events(
          "SELECT e.id, e.supervision_id, e.action, e.text, e.by_user, u.display_name, o.name, "
          "e.at FROM supervision_events e JOIN users u ON u.id = e.by_user "
          "JOIN organizations o ON o.id = u.org_id WHERE e.supervision_id = ");
      events.Param(static_cast<long long>(id)).Sql(" ORDER BY e.at, e.id");
      found.front().events = FetchAll<EventRow>(sql, events);
      for (SupervisionEvent& e : found.front().events) {
        e.attachments = LoadAttachmentMetas(sql, "supervision_event", e.id);
      }
      return Ok();
    }));
    if (found.empty()) return Fail(ErrorCode::kNotFound, "督办事项不存在");
    return found.front();
  }

  Result<platform::Page<Supervision>> List(const plans::SupervisionQuery& query) override {
    platform::Page<Supervision> page;
    RS_TRY(db_.Read([&](soci::session& sql) -> Status {
      page = FetchPage<SupervisionRow>(
          sql, kColumns, [&](QueryBuilder& q) { Filters(q, query); },
          "s.created_at DESC, s.id DESC", query.page);
      return Ok();
    }));
    return page;
  }

  Status Transition(Id id, const std::string& from, const std::string& to,
                    const SupervisionEvent& event, const std::vector<Attachment>& files,
                    const AuditEntry& audit) override {
    return db_.Write(&audit, [&](soci::session& sql) -> Status {
      long long key = id;
      soci::statement st = (sql.prepare << "UPDATE supervisions SET status = :to, updated_at = "
                                           ":at WHERE id = :id AND status = :from",
                            soci::use(to), soci::use(event.at), soci::use(key), soci::use(from));
      st.execute(true);
      if (st.get_affected_rows() == 0) {
        return Fail(ErrorCode::kConflict, "督办事项的状态已变化，请刷新后重试", "status");
      }
      InsertEvent(sql, event);
      InsertAttachments(sql, files, event.at);
      return Ok();
    });
  }

 private:
  Database& db_;
};

}  // namespace

std::unique_ptr<plans::SupervisionStore> MakeSupervisionStore(Database& db) {
  return std::make_unique<SqlSupervisionStore>(db);
}

}  // namespace redshield::storage
