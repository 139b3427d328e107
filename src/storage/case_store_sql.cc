// SQL of cases::CaseStore (migration 7). The case row is described once, by
// the member tables below, so that INSERT, UPDATE and SELECT list the same
// columns in the same order. Numbers and flags are BIGINT on both backends.
#include "storage/case_store_sql.h"

#include <algorithm>
#include <array>
#include <map>

#include "storage/attachments_sql.h"
#include "storage/query.h"

namespace redshield::storage {
namespace {

using cases::Case;
using cases::CaseEvent;
using cases::CaseParty;
using cases::CaseTimer;

struct TextColumn {
  const char* name;
  std::string Case::*member;
};
struct NumberColumn {
  const char* name;
  int64_t Case::*member;
};
struct FlagColumn {
  const char* name;
  bool Case::*member;
};

constexpr TextColumn kText[] = {
    {"case_number", &Case::case_number}, {"region_code", &Case::region_code},
    {"category", &Case::category}, {"channel", &Case::channel}, {"title", &Case::title},
    {"facts", &Case::facts}, {"brand", &Case::brand}, {"rights_holder", &Case::rights_holder},
    {"offence", &Case::offence}, {"offence_date", &Case::offence_date},
    {"goods_or_services", &Case::goods_or_services}, {"status", &Case::status},
    {"opened_on", &Case::opened_on}, {"decided_on", &Case::decided_on},
    {"closed_on", &Case::closed_on}, {"penalty_type", &Case::penalty_type},
    {"transfer_status", &Case::transfer_status}, {"transferred_on", &Case::transferred_on},
    {"police_reason", &Case::police_reason}, {"eval_rule", &Case::eval_rule},
    {"eval_basis", &Case::eval_basis}, {"created_at", &Case::created_at},
    {"updated_at", &Case::updated_at}};
constexpr NumberColumn kNumbers[] = {
    {"id", &Case::id}, {"org_id", &Case::org_id},
    {"illegal_business_fen", &Case::illegal_business_fen},
    {"illegal_gains_fen", &Case::illegal_gains_fen}, {"sales_fen", &Case::sales_fen},
    {"unsold_value_fen", &Case::unsold_value_fen}, {"production_loss_fen", &Case::production_loss_fen},
    {"rights_holder_loss_fen", &Case::rights_holder_loss_fen},
    {"unsold_label_count", &Case::unsold_label_count},
    {"item_count", &Case::item_count}, {"label_count", &Case::label_count}, {"copies", &Case::copies},
    {"marks_count", &Case::marks_count}, {"dens_destroyed", &Case::dens_destroyed},
    {"suspects", &Case::suspects}, {"fine_fen", &Case::fine_fen},
    {"confiscated_fen", &Case::confiscated_fen}, {"police_org_id", &Case::police_org_id},
    {"arrested_persons", &Case::arrested_persons}, {"prosecuted_persons", &Case::prosecuted_persons},
    {"convicted_persons", &Case::convicted_persons}, {"created_by", &Case::created_by},
    {"version", &Case::version}};
constexpr FlagColumn kFlags[] = {
    {"prior_penalty", &Case::prior_penalty}, {"reasonable_suspicion", &Case::reasonable_suspicion},
    {"transfer_suggested", &Case::transfer_suggested}, {"filing_supervised", &Case::filing_supervised},
    {"court_accepted", &Case::court_accepted}, {"court_concluded", &Case::court_concluded},
    {"should_transfer", &Case::should_transfer}, {"eval_uncertain", &Case::eval_uncertain}};

constexpr size_t kNumberCount = std::size(kNumbers) + std::size(kFlags);

std::string Join(const std::vector<std::string>& parts, char separator) {
  std::string out;
  for (size_t index = 0; index < parts.size(); ++index) {
    if (index > 0) out += separator;
    out += parts[index];
  }
  return out;
}

std::vector<std::string> Split(const std::string& text, char separator) {
  std::vector<std::string> parts;
  size_t start = 0;
  while (start < text.size()) {
    size_t end = text.find(separator, start);
    if (end == std::string::npos) end = text.size();
    if (end > start) parts.push_back(text.substr(start, end - start));
    start = end + 1;
  }
  return parts;
}

// "c.case_number, c.region_code, ..., c.eval_reasons, c.tags" in the order rows bind.
std::string SelectList() {
  std::string out;
  for (const TextColumn& col : kText) out += std::string("c.") + col.name + ", ";
  for (const NumberColumn& col : kNumbers) out += std::string("c.") + col.name + ", ";
  for (const FlagColumn& col : kFlags) out += std::string("c.") + col.name + ", ";
  return out + "c.eval_reasons, c.tags, o.name, COALESCE(p.name, '')";
}

const std::string& Columns() {
  static const std::string kColumns =
      SelectList() +
      " FROM cases c JOIN organizations o ON o.id = c.org_id "
      "LEFT JOIN organizations p ON p.id = c.police_org_id";
  return kColumns;
}

struct CaseRow {
  Case c;
  std::array<long long, kNumberCount> numbers{};
  std::string reasons, tags;
  void Bind(soci::statement& st) {
    for (const TextColumn& col : kText) st.exchange(soci::into(c.*col.member));
    for (long long& number : numbers) st.exchange(soci::into(number));
    st.exchange(soci::into(reasons));
    st.exchange(soci::into(tags));
    st.exchange(soci::into(c.org_name));
    st.exchange(soci::into(c.police_org_name));
  }
  Case Take() {
    size_t index = 0;
    for (const NumberColumn& col : kNumbers) c.*col.member = numbers[index++];
    for (const FlagColumn& col : kFlags) c.*col.member = numbers[index++] != 0;
    c.eval_reasons = Split(reasons, '\n');
    c.tags = Split(tags, ',');
    return c;
  }
};

// Appends the row's values as parameters, in Columns() order, separated by `glue`
// ("" for VALUES lists, "name = " assignments for UPDATE).
void AddValues(QueryBuilder& q, const Case& c, bool assignments) {
  bool first = true;
  auto next = [&](const char* name) {
    if (!first) q.Sql(", ");
    first = false;
    if (assignments) q.Sql(name).Sql(" = ");
  };
  for (const TextColumn& col : kText) {
    next(col.name);
    q.Param(c.*col.member);
  }
  for (const NumberColumn& col : kNumbers) {
    next(col.name);
    q.Param(static_cast<long long>(c.*col.member));
  }
  for (const FlagColumn& col : kFlags) {
    next(col.name);
    q.Param(static_cast<long long>(c.*col.member ? 1 : 0));
  }
  next("eval_reasons");
  q.Param(Join(c.eval_reasons, '\n'));
  next("tags");
  q.Param(Join(c.tags, ','));
}

std::string ColumnNames() {
  std::string out;
  for (const TextColumn& col : kText) out += std::string(col.name) + ", ";
  for (const NumberColumn& col : kNumbers) out += std::string(col.name) + ", ";
  for (const FlagColumn& col : kFlags) out += std::string(col.name) + ", ";
  return out + "eval_reasons, tags";
}

void Execute(soci::session& sql, QueryBuilder& q) {
  soci::statement st(sql);
  q.Prepare(st);
  st.execute(true);
}

void WriteGoods(soci::session& sql, const Case& c) {
  long long id = c.id, seq = 0;
  for (const cases::CaseGoods& g : c.goods) {
    ++seq;
    long long value = g.value_fen;
    double quantity = g.quantity;
    sql << "INSERT INTO case_goods (case_id, seq, name, brand, registration_no, rights_holder, "
           "rights_holder_uscc, quantity, unit, value_fen) VALUES (:c, :s, :n, :b, :r, :h, :u, :q, "
           ":un, :v)",
        soci::use(id), soci::use(seq), soci::use(g.name), soci::use(g.brand),
        soci::use(g.registration_no), soci::use(g.rights_holder), soci::use(g.rights_holder_uscc),
        soci::use(quantity), soci::use(g.unit), soci::use(value);
  }
}

std::vector<cases::CaseGoods> LoadGoods(soci::session& sql, Id case_id) {
  std::vector<cases::CaseGoods> out;
  long long id = case_id;
  cases::CaseGoods g;
  long long value = 0;
  soci::statement st =
      (sql.prepare << "SELECT name, brand, registration_no, rights_holder, rights_holder_uscc, "
                      "quantity, unit, value_fen FROM case_goods WHERE case_id = :c ORDER BY seq",
       soci::into(g.name), soci::into(g.brand), soci::into(g.registration_no),
       soci::into(g.rights_holder), soci::into(g.rights_holder_uscc), soci::into(g.quantity),
       soci::into(g.unit), soci::into(value), soci::use(id));
  st.execute();
  while (st.fetch()) {
    g.value_fen = value;
    out.push_back(g);
  }
  return out;
}

void WriteChildren(soci::session& sql, const Case& c) {
  long long id = c.id;
  sql << "DELETE FROM case_goods WHERE case_id = :id", soci::use(id);
  WriteGoods(sql, c);
  sql << "DELETE FROM case_parties WHERE case_id = :id", soci::use(id);
  sql << "DELETE FROM case_tags WHERE case_id = :id", soci::use(id);
  sql << "DELETE FROM case_timers WHERE case_id = :id", soci::use(id);
  long long seq = 0;
  for (const CaseParty& p : c.parties) {
    ++seq;
    sql << "INSERT INTO case_parties (case_id, seq, kind, name, uscc, id_encrypted, id_masked) "
           "VALUES (:c, :s, :k, :n, :u, :e, :m)",
        soci::use(id), soci::use(seq), soci::use(p.kind), soci::use(p.name), soci::use(p.uscc),
        soci::use(p.id_encrypted), soci::use(p.id_masked);
  }
  std::vector<std::string> tags = c.tags;
  std::sort(tags.begin(), tags.end());
  tags.erase(std::unique(tags.begin(), tags.end()), tags.end());
  for (const std::string& tag : tags) {
    long long value = c.illegal_business_fen, penalty = c.fine_fen + c.confiscated_fen;
    long long transferred = c.transferred_on.empty() ? 0 : 1;
    sql << "INSERT INTO case_tags (case_id, tag, region_code, opened_on, value_fen, penalty_fen, "
           "transferred) VALUES (:c, :t, :r, :o, :v, :p, :x)",
        soci::use(id), soci::use(tag), soci::use(c.region_code), soci::use(c.opened_on),
        soci::use(value), soci::use(penalty), soci::use(transferred);
  }
  seq = 0;
  for (const CaseTimer& t : c.timers) {
    ++seq;
    sql << "INSERT INTO case_timers (case_id, seq, kind, name, started_at, deadline_at, done_at, "
           "legal_source, rule, region_code) VALUES (:c, :s, :k, :n, :st, :d, :done, :l, :r, :rg)",
        soci::use(id), soci::use(seq), soci::use(t.kind), soci::use(t.name), soci::use(t.started_at),
        soci::use(t.deadline_at), soci::use(t.done_at), soci::use(t.legal_source), soci::use(t.rule),
        soci::use(c.region_code);
  }
}

// The timers of a new case (InsertMany writes parties and tags itself).
void WriteChildrenTimers(soci::session& sql, const Case& c) {
  long long id = c.id, seq = 0;
  for (const CaseTimer& t : c.timers) {
    ++seq;
    sql << "INSERT INTO case_timers (case_id, seq, kind, name, started_at, deadline_at, done_at, "
           "legal_source, rule, region_code) VALUES (:c, :s, :k, :n, :st, :d, :done, :l, :r, :rg)",
        soci::use(id), soci::use(seq), soci::use(t.kind), soci::use(t.name), soci::use(t.started_at),
        soci::use(t.deadline_at), soci::use(t.done_at), soci::use(t.legal_source), soci::use(t.rule),
        soci::use(c.region_code);
  }
}

void InsertEvent(soci::session& sql, const CaseEvent& e) {
  long long id = e.id, case_id = e.case_id, by = e.by;
  sql << "INSERT INTO case_events (id, case_id, action, from_status, to_status, text, by_user, at) "
         "VALUES (:id, :c, :a, :f, :t, :x, :b, :at)",
      soci::use(id), soci::use(case_id), soci::use(e.action), soci::use(e.from_status),
      soci::use(e.to_status), soci::use(e.text), soci::use(by), soci::use(e.at);
}

// Daily aggregates (case_daily, case_tag_daily; migration 7): what each case
// adds to the summary, kept up to date in the transaction of every write, so
// that the summary reads a few thousand rows whatever the number of cases.
constexpr const char* kStatColumns[] = {
    "cases", "value_fen", "penalty_fen", "dens", "transferred", "transferred_persons",
    "police_filed", "police_suspects", "police_value_fen", "arrest_cases", "arrest_persons",
    "prosecute_cases", "prosecute_persons", "supervised_filings", "court_accepted",
    "court_concluded", "convicted_persons", "customs_batches", "customs_items", "customs_value_fen"};
constexpr size_t kStatCount = std::size(kStatColumns);
using Stats = std::array<int64_t, kStatCount>;

Stats Contribution(const Case& c) {
  bool transferred = !c.transferred_on.empty();
  bool filed = c.transfer_status == "已立案";
  bool customs = c.channel == "进出口";
  return {1, c.illegal_business_fen, c.fine_fen + c.confiscated_fen, c.dens_destroyed,
          transferred, transferred ? c.suspects : 0, filed, filed ? c.suspects : 0,
          filed ? c.illegal_business_fen : 0, c.arrested_persons > 0, c.arrested_persons,
          c.prosecuted_persons > 0, c.prosecuted_persons, c.filing_supervised, c.court_accepted,
          c.court_concluded, c.convicted_persons, customs, customs ? c.item_count : 0,
          customs ? c.sales_fen + c.unsold_value_fen : 0};
}

struct DailyKey {
  std::string day, region, group;  // group: category (case_daily) or tag (case_tag_daily)
  auto operator<=>(const DailyKey&) const = default;
};
struct Daily {
  std::map<DailyKey, Stats> cases;
  std::map<DailyKey, Stats> tags;  // cases, value_fen, penalty_fen, transferred in the first 4

  // Adds `c`'s contribution `sign` times (-1 to take an old version out).
  void Add(const Case& c, int sign) {
    if (c.opened_on.empty()) return;
    Stats stats = Contribution(c);
    Stats& row = cases[{c.opened_on, c.region_code, c.category}];
    for (size_t index = 0; index < kStatCount; ++index) row[index] += sign * stats[index];
    std::vector<std::string> tags_of = c.tags;
    std::sort(tags_of.begin(), tags_of.end());
    tags_of.erase(std::unique(tags_of.begin(), tags_of.end()), tags_of.end());
    for (const std::string& tag : tags_of) {
      Stats& t = tags[{c.opened_on, c.region_code, tag}];
      t[0] += sign;
      t[1] += sign * stats[1];
      t[2] += sign * stats[2];
      t[3] += sign * stats[4];
    }
  }

  // Upserts the deltas (INSERT … ON CONFLICT DO UPDATE: SQLite ≥ 3.24 and PostgreSQL).
  void Write(soci::session& sql) const {
    for (const auto& [key, stats] : cases) {
      if (std::all_of(stats.begin(), stats.end(), [](int64_t v) { return v == 0; })) continue;
      QueryBuilder q("INSERT INTO case_daily (opened_on, region_code, category");
      for (const char* column : kStatColumns) q.Sql(", ").Sql(column);
      q.Sql(") VALUES (").Param(key.day).Sql(", ").Param(key.region).Sql(", ").Param(key.group);
      for (int64_t value : stats) q.Sql(", ").Param(static_cast<long long>(value));
      q.Sql(") ON CONFLICT (opened_on, region_code, category) DO UPDATE SET ");
      for (size_t index = 0; index < kStatCount; ++index) {
        std::string column = kStatColumns[index];
        q.Sql(index == 0 ? "" : ", ").Sql(column + " = case_daily." + column + " + excluded." + column);
      }
      Execute(sql, q);
    }
    for (const auto& [key, stats] : tags) {
      if (stats[0] == 0 && stats[1] == 0 && stats[2] == 0 && stats[3] == 0) continue;
      QueryBuilder q("INSERT INTO case_tag_daily (opened_on, region_code, tag, cases, value_fen, "
                     "penalty_fen, transferred) VALUES (");
      q.Param(key.day).Sql(", ").Param(key.region).Sql(", ").Param(key.group);
      for (size_t index = 0; index < 4; ++index) q.Sql(", ").Param(static_cast<long long>(stats[index]));
      q.Sql(") ON CONFLICT (opened_on, region_code, tag) DO UPDATE SET "
            "cases = case_tag_daily.cases + excluded.cases, "
            "value_fen = case_tag_daily.value_fen + excluded.value_fen, "
            "penalty_fen = case_tag_daily.penalty_fen + excluded.penalty_fen, "
            "transferred = case_tag_daily.transferred + excluded.transferred");
      Execute(sql, q);
    }
  }
};

void InsertRow(soci::session& sql, const Case& c) {
  QueryBuilder q("INSERT INTO cases (");
  q.Sql(ColumnNames()).Sql(") VALUES (");
  AddValues(q, c, false);
  q.Sql(")");
  Execute(sql, q);
  WriteChildren(sql, c);
  Daily daily;
  daily.Add(c, 1);
  daily.Write(sql);
}

struct PartyRow {
  long long case_id = 0;
  CaseParty p;
  void Bind(soci::statement& st) {
    st.exchange(soci::into(case_id));
    st.exchange(soci::into(p.kind));
    st.exchange(soci::into(p.name));
    st.exchange(soci::into(p.uscc));
    st.exchange(soci::into(p.id_encrypted));
    st.exchange(soci::into(p.id_masked));
  }
  std::pair<Id, CaseParty> Take() { return {case_id, p}; }
};

struct TimerRow {
  long long case_id = 0;
  CaseTimer t;
  std::string case_number, org_name;
  void Bind(soci::statement& st) {
    st.exchange(soci::into(case_id));
    st.exchange(soci::into(t.kind));
    st.exchange(soci::into(t.name));
    st.exchange(soci::into(t.started_at));
    st.exchange(soci::into(t.deadline_at));
    st.exchange(soci::into(t.done_at));
    st.exchange(soci::into(t.legal_source));
    st.exchange(soci::into(t.rule));
    st.exchange(soci::into(case_number));
    st.exchange(soci::into(org_name));
  }
  cases::TimerOnCase Take() { return {case_id, case_number, org_name, t}; }
};

const char* kTimerColumns =
    "SELECT t.case_id, t.kind, t.name, t.started_at, t.deadline_at, t.done_at, t.legal_source, "
    "t.rule, c.case_number, o.name FROM case_timers t JOIN cases c ON c.id = t.case_id "
    "JOIN organizations o ON o.id = c.org_id";

struct EventRow {
  long long id = 0, case_id = 0, by = 0;
  CaseEvent e;
  void Bind(soci::statement& st) {
    st.exchange(soci::into(id));
    st.exchange(soci::into(case_id));
    st.exchange(soci::into(e.action));
    st.exchange(soci::into(e.from_status));
    st.exchange(soci::into(e.to_status));
    st.exchange(soci::into(e.text));
    st.exchange(soci::into(by));
    st.exchange(soci::into(e.by_name));
    st.exchange(soci::into(e.by_org));
    st.exchange(soci::into(e.at));
  }
  CaseEvent Take() {
    e.id = id;
    e.case_id = case_id;
    e.by = by;
    return e;
  }
};

void Filters(QueryBuilder& q, const cases::CaseQuery& query) {
  q.Sql(" WHERE 1 = 1");
  if (!query.number.empty()) q.Contains("c.case_number", query.number);
  if (!query.party.empty()) {
    q.Sql(" AND EXISTS (SELECT 1 FROM case_parties cp WHERE cp.case_id = c.id");
    q.Contains("cp.name", query.party);
    q.Sql(")");
  }
  if (!query.category.empty()) q.Sql(" AND c.category = ").Param(query.category);
  if (!query.status.empty()) q.Sql(" AND c.status = ").Param(query.status);
  if (!query.transfer_status.empty()) q.Sql(" AND c.transfer_status = ").Param(query.transfer_status);
  if (!query.region_prefix.empty()) q.InRegion("c.region_code", query.region_prefix);
  if (query.org_id) q.Sql(" AND c.org_id = ").Param(static_cast<long long>(*query.org_id));
  if (query.police_org_id) {
    q.Sql(" AND c.police_org_id = ").Param(static_cast<long long>(*query.police_org_id));
  }
  if (query.prosecuted_only) q.Sql(" AND c.prosecuted_persons > 0");
  if (!query.from.empty()) q.Sql(" AND c.opened_on >= ").Param(query.from);
  if (!query.to.empty()) q.Sql(" AND c.opened_on <> '' AND c.opened_on <= ").Param(query.to);
  if (query.not_transferred_only) {
    q.Sql(" AND c.should_transfer = 1 AND c.transfer_status IN ('', '不批准')");
  }
}

void LoadParties(soci::session& sql, std::vector<Case>& cases) {
  if (cases.empty()) return;
  QueryBuilder q("SELECT case_id, kind, name, uscc, id_encrypted, id_masked FROM case_parties "
                 "WHERE case_id IN (");
  for (size_t index = 0; index < cases.size(); ++index) {
    if (index > 0) q.Sql(", ");
    q.Param(static_cast<long long>(cases[index].id));
  }
  q.Sql(") ORDER BY case_id, seq");
  for (auto& [case_id, party] : FetchAll<PartyRow>(sql, q)) {
    for (Case& c : cases) {
      if (c.id == case_id) c.parties.push_back(party);
    }
  }
}

// SUM over `expr` as BIGINT, 0 for no rows, on both backends.
std::string Sum(const std::string& expr) {
  return "CAST(COALESCE(SUM(" + expr + "), 0) AS BIGINT)";
}

void PeriodFilter(QueryBuilder& q, const cases::SummaryQuery& query, const char* table) {
  std::string t = table;
  q.Sql(" WHERE ").Sql(t).Sql(".opened_on >= ").Param(query.from);
  q.Sql(" AND ").Sql(t).Sql(".opened_on <= ").Param(query.to);
  q.Sql(" AND ").Sql(t).Sql(".opened_on <> ''");
  if (!query.region_prefix.empty()) q.InRegion(t + ".region_code", query.region_prefix);
}

struct GroupRow {
  cases::SummaryRow row;
  long long cases = 0, value = 0, penalty = 0, transferred = 0;
  void Bind(soci::statement& st) {
    st.exchange(soci::into(row.key));
    st.exchange(soci::into(cases));
    st.exchange(soci::into(value));
    st.exchange(soci::into(penalty));
    st.exchange(soci::into(transferred));
  }
  cases::SummaryRow Take() {
    row.cases = cases;
    row.value_fen = value;
    row.penalty_fen = penalty;
    row.transferred = transferred;
    return row;
  }
};

class SqlCaseStore final : public cases::CaseStore {
 public:
  explicit SqlCaseStore(Database& db) : db_(db) {}

  Result<std::string> Insert(const Case& c, const std::string& number_prefix,
                             const CaseEvent& created, const AuditEntry& audit) override {
    std::string number;
    RS_TRY(db_.Write(&audit, [&](soci::session& sql) -> Status {
      long long org = c.org_id, exists = 0;
      sql << "SELECT COUNT(*) FROM organizations WHERE id = :id", soci::use(org), soci::into(exists);
      if (exists == 0) return Fail(ErrorCode::kInvalidArgument, "办案机构不存在", "org_id");
      QueryBuilder count("SELECT COUNT(*) FROM cases WHERE case_number LIKE ");
      count.Param(number_prefix + "%");
      long long sequence = CountRows(sql, count) + 1;
      std::string digits = std::to_string(sequence);
      number = number_prefix + std::string(digits.size() < 5 ? 5 - digits.size() : 0, '0') + digits;
      Case row = c;
      row.case_number = number;
      InsertRow(sql, row);
      InsertEvent(sql, created);
      return Ok();
    }));
    return number;
  }

  // Multi-row INSERTs of kChunk cases: one round trip per chunk instead of
  // several per case (PostgreSQL). Chunks stay small because SOCI maps named
  // parameters to positions in time quadratic in their number: 200 rows
  // (13,400 parameters) loaded ~500 cases/s.
  Status InsertMany(const std::vector<Case>& all, const AuditEntry& audit) override {
    constexpr size_t kChunk = 16;
    return db_.Write(&audit, [&](soci::session& sql) -> Status {
      Daily daily;
      for (const Case& c : all) daily.Add(c, 1);
      daily.Write(sql);
      for (size_t begin = 0; begin < all.size(); begin += kChunk) {
        size_t end = std::min(all.size(), begin + kChunk);
        QueryBuilder rows("INSERT INTO cases (");
        rows.Sql(ColumnNames()).Sql(") VALUES ");
        QueryBuilder parties("INSERT INTO case_parties (case_id, seq, kind, name, uscc, id_encrypted, id_masked) VALUES ");
        QueryBuilder tags("INSERT INTO case_tags (case_id, tag, region_code, opened_on, value_fen, "
                          "penalty_fen, transferred) VALUES ");
        bool any_party = false, any_tag = false;
        for (size_t index = begin; index < end; ++index) {
          const Case& c = all[index];
          rows.Sql(index == begin ? "(" : ", (");
          AddValues(rows, c, false);
          rows.Sql(")");
          long long seq = 0;
          for (const CaseParty& p : c.parties) {
            parties.Sql(any_party ? ", (" : "(").Param(static_cast<long long>(c.id)).Sql(", ").Param(++seq);
            for (const std::string* text : {&p.kind, &p.name, &p.uscc, &p.id_encrypted, &p.id_masked}) {
              parties.Sql(", ").Param(*text);
            }
            parties.Sql(")");
            any_party = true;
          }
          for (const std::string& tag : c.tags) {
            tags.Sql(any_tag ? ", (" : "(").Param(static_cast<long long>(c.id)).Sql(", ").Param(tag);
            tags.Sql(", ").Param(c.region_code).Sql(", ").Param(c.opened_on);
            tags.Sql(", ").Param(static_cast<long long>(c.illegal_business_fen));
            tags.Sql(", ").Param(static_cast<long long>(c.fine_fen + c.confiscated_fen));
            tags.Sql(", ").Param(static_cast<long long>(c.transferred_on.empty() ? 0 : 1)).Sql(")");
            any_tag = true;
          }
        }
        Execute(sql, rows);
        if (any_party) Execute(sql, parties);
        if (any_tag) Execute(sql, tags);
        for (size_t index = begin; index < end; ++index) {
          if (!all[index].timers.empty()) WriteChildrenTimers(sql, all[index]);
          if (!all[index].goods.empty()) WriteGoods(sql, all[index]);
        }
      }
      return Ok();
    });
  }

  Result<Case> Find(Id id) override {
    std::vector<Case> found;
    RS_TRY(db_.Read([&](soci::session& sql) -> Status {
      QueryBuilder q("SELECT ");
      q.Sql(Columns()).Sql(" WHERE c.id = ").Param(static_cast<long long>(id));
      found = FetchAll<CaseRow>(sql, q);
      if (found.empty()) return Ok();
      LoadParties(sql, found);
      QueryBuilder timers(kTimerColumns);
      timers.Sql(" WHERE t.case_id = ").Param(static_cast<long long>(id)).Sql(" ORDER BY t.seq");
      for (cases::TimerOnCase& t : FetchAll<TimerRow>(sql, timers)) found.front().timers.push_back(t.timer);
      QueryBuilder events(
          "SELECT e.id, e.case_id, e.action, e.from_status, e.to_status, e.text, e.by_user, "
          "COALESCE(u.display_name, 'system'), COALESCE(o.name, ''), e.at FROM case_events e "
          "LEFT JOIN users u ON u.id = e.by_user LEFT JOIN organizations o ON o.id = u.org_id "
          "WHERE e.case_id = ");
      events.Param(static_cast<long long>(id)).Sql(" ORDER BY e.at, e.id");
      found.front().events = FetchAll<EventRow>(sql, events);
      found.front().documents = LoadAttachmentMetas(sql, "case", id);
      found.front().goods = LoadGoods(sql, id);
      return Ok();
    }));
    if (found.empty()) return Fail(ErrorCode::kNotFound, "案件不存在");
    return found.front();
  }

  Result<platform::Page<Case>> List(const cases::CaseQuery& query) override {
    platform::Page<Case> page;
    RS_TRY(db_.Read([&](soci::session& sql) -> Status {
      page = FetchPage<CaseRow>(
          sql, Columns(), [&](QueryBuilder& q) { Filters(q, query); },
          "c.created_at DESC, c.id DESC", query.page);
      LoadParties(sql, page.items);
      return Ok();
    }));
    return page;
  }

  Status Update(const Case& c, const CaseEvent& event, const AuditEntry& audit) override {
    return db_.Write(&audit, [&](soci::session& sql) -> Status {
      QueryBuilder old("SELECT ");
      old.Sql(Columns()).Sql(" WHERE c.id = ").Param(static_cast<long long>(c.id));
      std::vector<Case> before = FetchAll<CaseRow>(sql, old);
      QueryBuilder q("UPDATE cases SET ");
      AddValues(q, c, true);
      q.Sql(" WHERE id = ").Param(static_cast<long long>(c.id));
      q.Sql(" AND version = ").Param(static_cast<long long>(c.version - 1));
      soci::statement st(sql);
      q.Prepare(st);
      st.execute(true);
      if (st.get_affected_rows() == 0) {
        return Fail(ErrorCode::kConflict, "案件已被他人修改，请刷新后重试", "version");
      }
      WriteChildren(sql, c);
      Daily daily;
      if (!before.empty()) daily.Add(before.front(), -1);
      daily.Add(c, 1);
      daily.Write(sql);
      InsertEvent(sql, event);
      return Ok();
    });
  }

  Status AddDocuments(const std::vector<Attachment>& files,
                      const CaseEvent& event, const AuditEntry& audit) override {
    return db_.Write(&audit, [&](soci::session& sql) -> Status {
      InsertAttachments(sql, files, event.at);
      InsertEvent(sql, event);
      return Ok();
    });
  }

  Result<Attachment> FindDocument(Id case_id, Id document_id) override {
    Result<Attachment> file = FindAttachmentIn(db_, document_id);
    if (!file || file->owner_kind != "case" || file->owner_id != case_id) {
      return Fail(ErrorCode::kNotFound, "材料不存在");
    }
    return file;
  }

  Result<std::vector<cases::TimerOnCase>> Overdue(const std::string& region_prefix,
                                                   const std::string& now) override {
    std::vector<cases::TimerOnCase> out;
    RS_TRY(db_.Read([&](soci::session& sql) -> Status {
      QueryBuilder q(kTimerColumns);
      q.Sql(" WHERE t.done_at = '' AND t.deadline_at < ").Param(now);
      if (!region_prefix.empty()) q.InRegion("t.region_code", region_prefix);
      q.Sql(" ORDER BY t.deadline_at LIMIT 500");
      out = FetchAll<TimerRow>(sql, q);
      return Ok();
    }));
    return out;
  }

  Result<std::vector<cases::TimerOnCase>> Running(Id org_id, bool sent_to,
                                                  const std::vector<std::string>& kinds) override {
    std::vector<cases::TimerOnCase> out;
    if (kinds.empty()) return out;
    RS_TRY(db_.Read([&](soci::session& sql) -> Status {
      QueryBuilder q(kTimerColumns);
      q.Sql(" WHERE t.done_at = '' AND ").Sql(sent_to ? "c.police_org_id" : "c.org_id");
      q.Sql(" = ").Param(static_cast<long long>(org_id)).Sql(" AND t.kind IN (");
      for (size_t i = 0; i < kinds.size(); ++i) q.Sql(i ? ", " : "").Param(kinds[i]);
      q.Sql(") ORDER BY t.deadline_at LIMIT 200");
      out = FetchAll<TimerRow>(sql, q);
      return Ok();
    }));
    return out;
  }

  // Reads the daily aggregates of the period grouped by (盟市, category,
  // month) and folds them into the totals and breakdowns here; the tags from
  // their own daily table. The work depends on days × regions × categories,
  // not on the number of cases (bench/cases_summary_bench).
  Result<cases::SummaryFigures> Summary(const cases::SummaryQuery& query) override {
    cases::SummaryFigures f;
    RS_TRY(db_.Read([&](soci::session& sql) -> Status {
      int64_t* targets[] = {&f.total.cases, &f.total.value_fen, &f.total.penalty_fen, &f.dens,
                            &f.total.transferred, &f.transferred_persons, &f.police_filed,
                            &f.police_suspects, &f.police_value_fen, &f.arrest_cases,
                            &f.arrest_persons, &f.prosecute_cases, &f.prosecute_persons,
                            &f.supervised_filings, &f.court_accepted, &f.court_concluded,
                            &f.convicted_persons, &f.customs_batches, &f.customs_items,
                            &f.customs_value_fen};
      QueryBuilder q("SELECT SUBSTR(d.region_code, 1, 4), d.category, SUBSTR(d.opened_on, 1, 7)");
      for (const char* column : kStatColumns) q.Sql(", ").Sql(Sum(std::string("d.") + column));
      q.Sql(" FROM case_daily d");
      PeriodFilter(q, query, "d");
      q.Sql(" GROUP BY SUBSTR(d.region_code, 1, 4), d.category, SUBSTR(d.opened_on, 1, 7)");
      std::string region, category, month;
      std::vector<long long> values(kStatCount);
      soci::statement st(sql);
      st.exchange(soci::into(region));
      st.exchange(soci::into(category));
      st.exchange(soci::into(month));
      for (long long& value : values) st.exchange(soci::into(value));
      q.Prepare(st);
      st.execute(false);
      std::map<std::string, cases::SummaryRow> by_region, by_category, by_month;
      auto add = [&](std::map<std::string, cases::SummaryRow>& rows, const std::string& key) {
        cases::SummaryRow& row = rows[key];
        row.key = key;
        row.cases += values[0];
        row.value_fen += values[1];
        row.penalty_fen += values[2];
        row.transferred += values[4];
      };
      while (st.fetch()) {
        for (size_t index = 0; index < values.size(); ++index) *targets[index] += values[index];
      if (values[0] == 0) continue;  // days whose cases all moved away
        add(by_region, region + "00");
        add(by_category, category);
        add(by_month, month);
      }
      for (auto [rows, out] : {std::pair{&by_region, &f.by_region}, {&by_category, &f.by_category},
                                {&by_month, &f.by_month}}) {
        for (auto& [key, row] : *rows) out->push_back(row);
      }
      QueryBuilder tags("SELECT g.tag, " + Sum("g.cases") + ", " + Sum("g.value_fen") + ", " +
                        Sum("g.penalty_fen") + ", " + Sum("g.transferred") + " FROM case_tag_daily g");
      PeriodFilter(tags, query, "g");
      tags.Sql(" GROUP BY g.tag ORDER BY g.tag");
      f.by_tag = FetchAll<GroupRow>(sql, tags);
      // 销毁: the destruction orders dated in the period (migration 9).
      QueryBuilder destroyed("SELECT CAST(COALESCE(SUM(o.weight_kg), 0) AS DOUBLE PRECISION), " +
                             Sum("o.value_fen") + " FROM destruction_orders o WHERE o.destroyed_on >= ");
      destroyed.Param(query.from).Sql(" AND o.destroyed_on <= ").Param(query.to);
      if (!query.region_prefix.empty()) destroyed.InRegion("o.region_code", query.region_prefix);
      long long destroyed_value = 0;
      soci::statement dst(sql);
      dst.exchange(soci::into(f.destroyed_kg));
      dst.exchange(soci::into(destroyed_value));
      destroyed.Prepare(dst);
      dst.execute(true);
      f.destroyed_value_fen = destroyed_value;
      return Ok();
    }));
    return f;
  }

 private:
  Database& db_;
};

}  // namespace

std::unique_ptr<cases::CaseStore> MakeCaseStore(Database& db) {
  return std::make_unique<SqlCaseStore>(db);
}

}  // namespace redshield::storage
