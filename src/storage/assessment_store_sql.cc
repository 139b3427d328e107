#include "storage/assessment_store_sql.h"

#include <charconv>
#include <set>

#include "storage/query.h"

namespace redshield::storage {
namespace {

using plans::PersonRef;
using plans::Rubric;
using plans::RubricItem;
using plans::RubricQuery;
using plans::Score;
using plans::Target;
using plans::TargetKind;
using plans::Veto;

std::string KindText(TargetKind kind) { return std::string(plans::TargetKindName(kind)); }

TargetKind KindOf(const std::string& text) {
  return plans::ParseTargetKind(text).value_or(TargetKind::kRegion);
}

const char* kRubricColumns =
    "SELECT id, year, target_kind, region_code, title, source, note, created_at, updated_at "
    "FROM assessment_rubrics";

struct RubricRow {
  long long id = 0;
  std::string kind;
  Rubric r;
  void Bind(soci::statement& st) {
    st.exchange(soci::into(id));
    st.exchange(soci::into(r.year));
    st.exchange(soci::into(kind));
    st.exchange(soci::into(r.region_code));
    st.exchange(soci::into(r.title));
    st.exchange(soci::into(r.source));
    st.exchange(soci::into(r.note));
    st.exchange(soci::into(r.created_at));
    st.exchange(soci::into(r.updated_at));
  }
  Rubric Take() {
    r.id = id;
    r.target = KindOf(kind);
    return r;
  }
};

struct ItemRow {
  long long id = 0;
  RubricItem item;
  void Bind(soci::statement& st) {
    st.exchange(soci::into(id));
    st.exchange(soci::into(item.ordinal));
    st.exchange(soci::into(item.name));
    st.exchange(soci::into(item.max_tenths));
    st.exchange(soci::into(item.guidance));
    st.exchange(soci::into(item.computed));
  }
  RubricItem Take() {
    item.id = id;
    return item;
  }
};

struct ScoreRow {
  long long rubric_id = 0, item_id = 0, scored_by = 0;
  std::string kind;
  Score s;
  void Bind(soci::statement& st) {
    st.exchange(soci::into(rubric_id));
    st.exchange(soci::into(item_id));
    st.exchange(soci::into(kind));
    st.exchange(soci::into(s.target_id));
    st.exchange(soci::into(s.region_code));
    st.exchange(soci::into(s.points_tenths));
    st.exchange(soci::into(s.evidence));
    st.exchange(soci::into(s.comment));
    st.exchange(soci::into(scored_by));
    st.exchange(soci::into(s.scored_by.display_name));
    st.exchange(soci::into(s.scored_at));
  }
  Score Take() {
    s.rubric_id = rubric_id;
    s.item_id = item_id;
    s.kind = KindOf(kind);
    s.scored_by.id = scored_by;
    return s;
  }
};

const char* kScoreColumns =
    "SELECT s.rubric_id, s.item_id, s.target_kind, s.target_id, s.region_code, s.points_tenths, "
    "s.evidence, s.comment, s.scored_by, COALESCE(u.display_name, ''), s.scored_at "
    "FROM assessment_scores s LEFT JOIN users u ON u.id = s.scored_by";

struct RegionTargetRow {
  Target t;
  void Bind(soci::statement& st) {
    st.exchange(soci::into(t.code));
    st.exchange(soci::into(t.name));
  }
  Target Take() {
    t.kind = TargetKind::kRegion;
    t.id = t.code;
    t.region_code = t.code;
    return t;
  }
};

struct UnitTargetRow {
  long long id = 0;
  Target t;
  void Bind(soci::statement& st) {
    st.exchange(soci::into(id));
    st.exchange(soci::into(t.code));
    st.exchange(soci::into(t.name));
    st.exchange(soci::into(t.region_code));
  }
  Target Take() {
    t.kind = TargetKind::kUnit;
    t.org_id = id;
    t.id = std::to_string(id);
    return t;
  }
};

// The member units a region's office assesses (docs/api.md, Organization.type).
const char* kUnitTypes = "('agency', 'police', 'procuratorate', 'court', 'customs')";

struct VetoRow {
  long long id = 0, created_by = 0, revoked_by = 0;
  std::string kind, status;
  Veto v;
  void Bind(soci::statement& st) {
    st.exchange(soci::into(id));
    st.exchange(soci::into(v.year));
    st.exchange(soci::into(kind));
    st.exchange(soci::into(v.target.id));
    st.exchange(soci::into(v.target.region_code));
    st.exchange(soci::into(v.reason));
    st.exchange(soci::into(status));
    st.exchange(soci::into(created_by));
    st.exchange(soci::into(v.created_by.display_name));
    st.exchange(soci::into(v.created_at));
    st.exchange(soci::into(revoked_by));
    st.exchange(soci::into(v.revoked_by.display_name));
    st.exchange(soci::into(v.revoked_at));
    st.exchange(soci::into(v.revoked_reason));
  }
  Veto Take() {
    v.id = id;
    v.target.kind = KindOf(kind);
    v.in_force = status == "in_force";
    v.created_by.id = created_by;
    v.revoked_by.id = revoked_by;
    return v;
  }
};

const char* kVetoColumns =
    "SELECT v.id, v.year, v.target_kind, v.target_id, v.region_code, v.reason, v.status, "
    "v.created_by, COALESCE(c.display_name, ''), v.created_at, COALESCE(v.revoked_by, 0), "
    "COALESCE(r.display_name, ''), COALESCE(v.revoked_at, ''), COALESCE(v.revoked_reason, '') "
    "FROM vetoes v LEFT JOIN users c ON c.id = v.created_by LEFT JOIN users r ON r.id = "
    "v.revoked_by";

class SqlAssessmentStore final : public plans::AssessmentStore {
 public:
  explicit SqlAssessmentStore(Database& db) : db_(db) {}

  Status InsertRubric(const Rubric& rubric, const AuditEntry& audit) override {
    return db_.Write(&audit, [&](soci::session& sql) -> Status {
      RS_TRY(CheckUniqueRubric(sql, rubric));
      long long id = rubric.id;
      std::string kind = KindText(rubric.target);
      sql << "INSERT INTO assessment_rubrics (id, year, target_kind, region_code, title, source, "
             "note, created_at, updated_at) VALUES (:id, :y, :k, :r, :t, :s, :n, :c, :u)",
          soci::use(id), soci::use(rubric.year), soci::use(kind), soci::use(rubric.region_code),
          soci::use(rubric.title), soci::use(rubric.source), soci::use(rubric.note),
          soci::use(rubric.created_at), soci::use(rubric.updated_at);
      for (const RubricItem& item : rubric.items) InsertItem(sql, id, item);
      return Ok();
    });
  }

  Status UpdateRubric(const Rubric& rubric, const AuditEntry& audit) override {
    return db_.Write(&audit, [&](soci::session& sql) -> Status {
      long long id = rubric.id;
      RS_TRY(CheckUniqueRubric(sql, rubric));
      std::string kind = KindText(rubric.target);
      soci::statement st =
          (sql.prepare << "UPDATE assessment_rubrics SET year = :y, target_kind = :k, title = :t, "
                          "source = :s, note = :n, updated_at = :u WHERE id = :id",
           soci::use(rubric.year), soci::use(kind), soci::use(rubric.title),
           soci::use(rubric.source), soci::use(rubric.note), soci::use(rubric.updated_at),
           soci::use(id));
      st.execute(true);
      if (st.get_affected_rows() == 0) return Fail(ErrorCode::kNotFound, "考核表不存在");
      std::set<long long> keep;
      for (const RubricItem& item : rubric.items) keep.insert(item.id);
      std::set<long long> existing = ItemIds(sql, id);
      for (long long old_id : existing) {
        if (keep.count(old_id)) continue;
        long long scored = 0;
        sql << "SELECT COUNT(*) FROM assessment_scores WHERE item_id = :i", soci::use(old_id),
            soci::into(scored);
        if (scored > 0) {
          return Fail(ErrorCode::kConflict, "已有得分的考核项不能删除", "items");
        }
        sql << "DELETE FROM assessment_items WHERE id = :i", soci::use(old_id);
      }
      for (const RubricItem& item : rubric.items) {
        if (!existing.count(item.id)) {
          InsertItem(sql, id, item);
          continue;
        }
        long long item_id = item.id;
        sql << "UPDATE assessment_items SET ordinal = :o, name = :n, max_tenths = :m, "
               "guidance = :g, computed = :c WHERE id = :id",
            soci::use(item.ordinal), soci::use(item.name), soci::use(item.max_tenths),
            soci::use(item.guidance), soci::use(item.computed), soci::use(item_id);
      }
      return Ok();
    });
  }

  Result<Rubric> FindRubric(Id id) override {
    std::vector<Rubric> found;
    RS_TRY(db_.Read([&](soci::session& sql) -> Status {
      QueryBuilder q(kRubricColumns);
      q.Sql(" WHERE id = ").Param(static_cast<long long>(id));
      found = LoadRubrics(sql, q);
      return Ok();
    }));
    if (found.empty()) return Fail(ErrorCode::kNotFound, "考核表不存在");
    return found.front();
  }

  Result<std::optional<Rubric>> FindRubricFor(int year, TargetKind target,
                                              const std::string& region_code) override {
    std::vector<Rubric> found;
    RS_TRY(db_.Read([&](soci::session& sql) -> Status {
      QueryBuilder q(kRubricColumns);
      q.Sql(" WHERE year = ").Param(static_cast<long long>(year));
      q.Sql(" AND target_kind = ").Param(KindText(target));
      q.Sql(" AND region_code = ").Param(region_code);
      found = LoadRubrics(sql, q);
      return Ok();
    }));
    if (found.empty()) return std::optional<Rubric>();
    return std::optional<Rubric>(found.front());
  }

  Result<std::vector<Rubric>> ListRubrics(const RubricQuery& query) override {
    std::vector<Rubric> out;
    RS_TRY(db_.Read([&](soci::session& sql) -> Status {
      QueryBuilder q(kRubricColumns);
      q.Sql(" WHERE 1 = 1");
      if (query.year) q.Sql(" AND year = ").Param(static_cast<long long>(*query.year));
      if (query.target) q.Sql(" AND target_kind = ").Param(KindText(*query.target));
      q.Sql(" ORDER BY year DESC, target_kind, region_code");
      out = LoadRubrics(sql, q);
      return Ok();
    }));
    return out;
  }

  Result<std::vector<Score>> ListScores(Id rubric_id) override {
    std::vector<Score> out;
    RS_TRY(db_.Read([&](soci::session& sql) -> Status {
      QueryBuilder q(kScoreColumns);
      q.Sql(" WHERE s.rubric_id = ").Param(static_cast<long long>(rubric_id));
      q.Sql(" ORDER BY s.target_id, s.item_id");
      out = FetchAll<ScoreRow>(sql, q);
      return Ok();
    }));
    return out;
  }

  Status PutScore(const Score& score, bool clear,
                  const std::function<AuditEntry(const std::optional<Score>&)>& audit) override {
    AuditEntry entry;
    return db_.Write(&entry, [&](soci::session& sql) -> Status {
      long long rubric_id = score.rubric_id;
      long long item_id = score.item_id;
      QueryBuilder q(kScoreColumns);
      q.Sql(" WHERE s.rubric_id = ").Param(rubric_id);
      q.Sql(" AND s.target_id = ").Param(score.target_id);
      q.Sql(" AND s.item_id = ").Param(item_id);
      std::vector<Score> before = FetchAll<ScoreRow>(sql, q);
      entry = audit(before.empty() ? std::nullopt : std::optional<Score>(before.front()));
      if (clear) {
        sql << "DELETE FROM assessment_scores WHERE rubric_id = :r AND target_id = :t AND "
               "item_id = :i",
            soci::use(rubric_id), soci::use(score.target_id), soci::use(item_id);
        return Ok();
      }
      std::string kind = KindText(score.kind);
      long long by = score.scored_by.id;
      sql << "INSERT INTO assessment_scores (rubric_id, item_id, target_kind, target_id, "
             "region_code, points_tenths, evidence, comment, scored_by, scored_at) VALUES (:r, :i, "
             ":k, :t, :rc, :p, :e, :c, :b, :at) ON CONFLICT (rubric_id, target_id, item_id) DO "
             "UPDATE SET points_tenths = excluded.points_tenths, evidence = excluded.evidence, "
             "comment = excluded.comment, scored_by = excluded.scored_by, "
             "scored_at = excluded.scored_at",
          soci::use(rubric_id), soci::use(item_id), soci::use(kind), soci::use(score.target_id),
          soci::use(score.region_code), soci::use(score.points_tenths), soci::use(score.evidence),
          soci::use(score.comment), soci::use(by), soci::use(score.scored_at);
      return Ok();
    });
  }

  Result<std::vector<Target>> ListTargets(TargetKind kind,
                                          const std::string& region_code) override {
    std::vector<Target> out;
    RS_TRY(db_.Read([&](soci::session& sql) -> Status {
      if (kind == TargetKind::kRegion) {
        QueryBuilder q(
            "SELECT code, name FROM regions WHERE level = 'prefecture' AND parent_code = ");
        q.Param(region_code).Sql(" ORDER BY code");
        out = FetchAll<RegionTargetRow>(sql, q);
      } else {
        QueryBuilder q("SELECT id, code, name, region_code FROM organizations WHERE type IN ");
        q.Sql(kUnitTypes).Sql(" AND region_code = ").Param(region_code).Sql(" ORDER BY code");
        out = FetchAll<UnitTargetRow>(sql, q);
      }
      return Ok();
    }));
    return out;
  }

  Result<std::optional<Target>> FindTarget(TargetKind kind, const std::string& id) override {
    std::optional<Target> out;
    RS_TRY(db_.Read([&](soci::session& sql) -> Status {
      out = LoadTarget(sql, kind, id);
      return Ok();
    }));
    return out;
  }

  Status InsertVeto(const Veto& veto, const AuditEntry& audit) override {
    return db_.Write(&audit, [&](soci::session& sql) -> Status {
      long long id = veto.id;
      long long by = veto.created_by.id;
      std::string kind = KindText(veto.target.kind);
      long long in_force = 0;
      sql << "SELECT COUNT(*) FROM vetoes WHERE year = :y AND target_kind = :k AND target_id = :t "
             "AND status = 'in_force'",
          soci::use(veto.year), soci::use(kind), soci::use(veto.target.id), soci::into(in_force);
      if (in_force > 0) {
        return Fail(ErrorCode::kConflict,
                    veto.target.name + " " + std::to_string(veto.year) + " 年已有生效的一票否决",
                    veto.target.kind == TargetKind::kRegion ? "region_code" : "org_id");
      }
      sql << "INSERT INTO vetoes (id, year, target_kind, target_id, region_code, reason, status, "
             "created_by, created_at) VALUES (:id, :y, :k, :t, :r, :reason, 'in_force', :by, :at)",
          soci::use(id), soci::use(veto.year), soci::use(kind), soci::use(veto.target.id),
          soci::use(veto.target.region_code), soci::use(veto.reason), soci::use(by),
          soci::use(veto.created_at);
      return Ok();
    });
  }

  Status RevokeVeto(Id id, const std::string& reason, Id by, const std::string& at,
                    const AuditEntry& audit) override {
    return db_.Write(&audit, [&](soci::session& sql) -> Status {
      long long veto_id = id;
      long long revoked_by = by;
      soci::statement st =
          (sql.prepare
               << "UPDATE vetoes SET status = 'revoked', revoked_reason = :r, "
                  "revoked_by = :b, revoked_at = :at WHERE id = :id AND status = 'in_force'",
           soci::use(reason), soci::use(revoked_by), soci::use(at), soci::use(veto_id));
      st.execute(true);
      if (st.get_affected_rows() > 0) return Ok();
      long long exists = 0;
      sql << "SELECT COUNT(*) FROM vetoes WHERE id = :id", soci::use(veto_id), soci::into(exists);
      if (exists == 0) return Fail(ErrorCode::kNotFound, "一票否决记录不存在");
      return Fail(ErrorCode::kConflict, "该一票否决已撤销", "status");
    });
  }

  Result<Veto> FindVeto(Id id) override {
    std::vector<Veto> found;
    RS_TRY(db_.Read([&](soci::session& sql) -> Status {
      QueryBuilder q(kVetoColumns);
      q.Sql(" WHERE v.id = ").Param(static_cast<long long>(id));
      found = LoadVetoes(sql, q);
      return Ok();
    }));
    if (found.empty()) return Fail(ErrorCode::kNotFound, "一票否决记录不存在");
    return found.front();
  }

  Result<std::vector<Veto>> ListVetoes(std::optional<int> year) override {
    std::vector<Veto> out;
    RS_TRY(db_.Read([&](soci::session& sql) -> Status {
      QueryBuilder q(kVetoColumns);
      q.Sql(" WHERE 1 = 1");
      if (year) q.Sql(" AND v.year = ").Param(static_cast<long long>(*year));
      q.Sql(" ORDER BY v.created_at DESC, v.id DESC");
      out = LoadVetoes(sql, q);
      return Ok();
    }));
    return out;
  }

 private:
  Status CheckUniqueRubric(soci::session& sql, const Rubric& rubric) {
    long long id = rubric.id;
    long long others = 0;
    std::string kind = KindText(rubric.target);
    sql << "SELECT COUNT(*) FROM assessment_rubrics WHERE year = :y AND target_kind = :k AND "
           "region_code = :r AND id <> :id",
        soci::use(rubric.year), soci::use(kind), soci::use(rubric.region_code), soci::use(id),
        soci::into(others);
    if (others == 0) return Ok();
    return Fail(ErrorCode::kConflict,
                std::to_string(rubric.year) + " 年的" +
                    (rubric.target == TargetKind::kRegion ? "盟市" : "成员单位") + "考核表已存在",
                "year");
  }

  void InsertItem(soci::session& sql, long long rubric_id, const RubricItem& item) {
    long long item_id = item.id;
    sql << "INSERT INTO assessment_items (id, rubric_id, ordinal, name, max_tenths, guidance, "
           "computed) VALUES (:id, :r, :o, :n, :m, :g, :c)",
        soci::use(item_id), soci::use(rubric_id), soci::use(item.ordinal), soci::use(item.name),
        soci::use(item.max_tenths), soci::use(item.guidance), soci::use(item.computed);
  }

  std::set<long long> ItemIds(soci::session& sql, long long rubric_id) {
    std::set<long long> out;
    long long id = 0;
    soci::statement st = (sql.prepare << "SELECT id FROM assessment_items WHERE rubric_id = :r",
                          soci::into(id), soci::use(rubric_id));
    st.execute();
    while (st.fetch()) out.insert(id);
    return out;
  }

  std::vector<Rubric> LoadRubrics(soci::session& sql, QueryBuilder& q) {
    std::vector<Rubric> rubrics = FetchAll<RubricRow>(sql, q);
    for (Rubric& rubric : rubrics) {
      QueryBuilder items(
          "SELECT id, ordinal, name, max_tenths, guidance, computed FROM assessment_items "
          "WHERE rubric_id = ");
      items.Param(static_cast<long long>(rubric.id)).Sql(" ORDER BY ordinal");
      rubric.items = FetchAll<ItemRow>(sql, items);
    }
    return rubrics;
  }

  std::optional<Target> LoadTarget(soci::session& sql, TargetKind kind, const std::string& id) {
    std::vector<Target> found;
    if (kind == TargetKind::kRegion) {
      QueryBuilder q("SELECT code, name FROM regions WHERE code = ");
      q.Param(id);
      found = FetchAll<RegionTargetRow>(sql, q);
    } else {
      long long org_id = 0;
      auto [end, ec] = std::from_chars(id.data(), id.data() + id.size(), org_id);
      if (ec != std::errc() || end != id.data() + id.size()) return std::nullopt;
      QueryBuilder q("SELECT id, code, name, region_code FROM organizations WHERE id = ");
      q.Param(org_id);
      found = FetchAll<UnitTargetRow>(sql, q);
    }
    if (found.empty()) return std::nullopt;
    return found.front();
  }

  std::vector<Veto> LoadVetoes(soci::session& sql, QueryBuilder& q) {
    std::vector<Veto> vetoes = FetchAll<VetoRow>(sql, q);
    for (Veto& veto : vetoes) {
      std::optional<Target> target = LoadTarget(sql, veto.target.kind, veto.target.id);
      if (target) veto.target = *target;
    }
    return vetoes;
  }

  Database& db_;
};

}  // namespace

std::unique_ptr<plans::AssessmentStore> MakeAssessmentStore(Database& db) {
  return std::make_unique<SqlAssessmentStore>(db);
}

}  // namespace redshield::storage
