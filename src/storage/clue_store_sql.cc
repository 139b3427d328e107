#include "storage/clue_store_sql.h"

#include <charconv>

#include "storage/query.h"

namespace redshield::storage {
namespace {

using clues::Clue;
using clues::ClueListing;
using clues::ClueQuery;
using clues::ClueStats;
using clues::HitCounts;
using clues::JobQuery;
using clues::MalformedLine;
using clues::NamedCount;
using clues::ScreeningJob;
using platform::Page;

// Samples are stored as lines of "line<TAB>message" (messages are one line).
std::string EncodeSamples(const std::vector<MalformedLine>& samples) {
  std::string out;
  for (const MalformedLine& s : samples) {
    out += std::to_string(s.line) + "\t";
    for (char c : s.message) out.push_back(c == '\n' || c == '\t' ? ' ' : c);
    out.push_back('\n');
  }
  return out;
}

std::vector<MalformedLine> DecodeSamples(std::string_view text) {
  std::vector<MalformedLine> out;
  while (!text.empty()) {
    const size_t end = std::min(text.find('\n'), text.size());
    std::string_view row = text.substr(0, end);
    text.remove_prefix(std::min(end + 1, text.size()));
    const size_t tab = row.find('\t');
    if (tab == std::string_view::npos) continue;
    MalformedLine sample;
    std::from_chars(row.data(), row.data() + tab, sample.line);
    sample.message = std::string(row.substr(tab + 1));
    out.push_back(std::move(sample));
  }
  return out;
}

const char* kClueColumns =
    "c.id, c.source, c.job_id, c.platform, c.listing_id, c.url, c.title, c.description, "
    "c.price_fen, c.seller_id, c.seller_name, c.brand, c.category, c.score, c.reasons, c.spans, "
    "c.status, c.org_id, o.name, c.region_code, c.listing_count, c.first_seen, c.last_seen, "
    "c.created_at, c.updated_at, c.reviewed_by, COALESCE(u.display_name, ''), c.reviewed_at, "
    "c.review_comment FROM clues c JOIN organizations o ON o.id = c.org_id "
    "LEFT JOIN users u ON u.id = c.reviewed_by";

struct ClueRow {
  long long id = 0, job_id = 0, price_fen = 0, org_id = 0, reviewed_by = 0;
  std::string reviewed_at;
  Clue c;
  void Bind(soci::statement& st) {
    st.exchange(soci::into(id));
    st.exchange(soci::into(c.source));
    st.exchange(soci::into(job_id));
    st.exchange(soci::into(c.platform));
    st.exchange(soci::into(c.listing_id));
    st.exchange(soci::into(c.url));
    st.exchange(soci::into(c.title));
    st.exchange(soci::into(c.description));
    st.exchange(soci::into(price_fen));
    st.exchange(soci::into(c.seller_id));
    st.exchange(soci::into(c.seller_name));
    st.exchange(soci::into(c.brand));
    st.exchange(soci::into(c.category));
    st.exchange(soci::into(c.score));
    st.exchange(soci::into(c.reasons_json));
    st.exchange(soci::into(c.spans_json));
    st.exchange(soci::into(c.status));
    st.exchange(soci::into(org_id));
    st.exchange(soci::into(c.org_name));
    st.exchange(soci::into(c.region_code));
    st.exchange(soci::into(c.listing_count));
    st.exchange(soci::into(c.first_seen));
    st.exchange(soci::into(c.last_seen));
    st.exchange(soci::into(c.created_at));
    st.exchange(soci::into(c.updated_at));
    st.exchange(soci::into(reviewed_by));
    st.exchange(soci::into(c.reviewed_by_name));
    st.exchange(soci::into(reviewed_at));
    st.exchange(soci::into(c.review_comment));
  }
  Clue Take() {
    c.id = id;
    c.job_id = job_id == 0 ? std::nullopt : std::optional<Id>(job_id);
    c.price_fen = price_fen;
    c.org_id = org_id;
    c.reviewed_by = reviewed_by == 0 ? std::nullopt : std::optional<Id>(reviewed_by);
    c.reviewed_at = reviewed_at.empty() ? std::nullopt : std::optional<std::string>(reviewed_at);
    return c;
  }
};

const char* kJobColumns =
    "id, status, file_name, bytes_total, bytes_read, listings_read, flagged, malformed, "
    "clues_created, clues_merged, threshold, created_at, started_at, finished_at, error, "
    "malformed_samples, created_by, org_id, region_code FROM screening_jobs";

struct JobRow {
  long long id = 0, bytes_total = 0, bytes_read = 0, listings_read = 0, flagged = 0,
            malformed = 0, created = 0, merged = 0, created_by = 0, org_id = 0;
  std::string started_at, finished_at, samples;
  ScreeningJob j;
  void Bind(soci::statement& st) {
    st.exchange(soci::into(id));
    st.exchange(soci::into(j.status));
    st.exchange(soci::into(j.file_name));
    st.exchange(soci::into(bytes_total));
    st.exchange(soci::into(bytes_read));
    st.exchange(soci::into(listings_read));
    st.exchange(soci::into(flagged));
    st.exchange(soci::into(malformed));
    st.exchange(soci::into(created));
    st.exchange(soci::into(merged));
    st.exchange(soci::into(j.threshold));
    st.exchange(soci::into(j.created_at));
    st.exchange(soci::into(started_at));
    st.exchange(soci::into(finished_at));
    st.exchange(soci::into(j.error));
    st.exchange(soci::into(samples));
    st.exchange(soci::into(created_by));
    st.exchange(soci::into(org_id));
    st.exchange(soci::into(j.region_code));
  }
  ScreeningJob Take() {
    j.id = id;
    j.bytes_total = static_cast<std::uint64_t>(bytes_total);
    j.bytes_read = static_cast<std::uint64_t>(bytes_read);
    j.listings_read = static_cast<std::uint64_t>(listings_read);
    j.flagged = static_cast<std::uint64_t>(flagged);
    j.malformed = static_cast<std::uint64_t>(malformed);
    j.clues_created = static_cast<std::uint64_t>(created);
    j.clues_merged = static_cast<std::uint64_t>(merged);
    j.started_at = started_at.empty() ? std::nullopt : std::optional<std::string>(started_at);
    j.finished_at = finished_at.empty() ? std::nullopt : std::optional<std::string>(finished_at);
    j.malformed_samples = DecodeSamples(samples);
    j.created_by = created_by;
    j.org_id = org_id;
    return j;
  }
};

struct ListingRow {
  long long price_fen = 0, job_id = 0;
  ClueListing l;
  void Bind(soci::statement& st) {
    st.exchange(soci::into(l.platform));
    st.exchange(soci::into(l.listing_id));
    st.exchange(soci::into(l.url));
    st.exchange(soci::into(l.title));
    st.exchange(soci::into(price_fen));
    st.exchange(soci::into(l.score));
    st.exchange(soci::into(job_id));
    st.exchange(soci::into(l.seen_at));
  }
  ClueListing Take() {
    l.price_fen = price_fen;
    l.job_id = job_id == 0 ? std::nullopt : std::optional<Id>(job_id);
    return l;
  }
};

struct CountRow {
  std::string key, name;
  long long count = 0;
  void Bind(soci::statement& st) {
    st.exchange(soci::into(key));
    st.exchange(soci::into(name));
    st.exchange(soci::into(count));
  }
  NamedCount Take() { return {key, name, count}; }
};

void ClueFilters(QueryBuilder& q, const ClueQuery& query) {
  q.Sql(" WHERE 1 = 1");
  if (query.scope_org_id) q.Sql(" AND c.org_id = ").Param(static_cast<long long>(*query.scope_org_id));
  if (!query.scope_region_prefix.empty()) {
    q.InRegion("c.region_code", query.scope_region_prefix);
  }
  if (!query.status.empty()) q.Sql(" AND c.status = ").Param(query.status);
  if (!query.brand.empty()) q.Sql(" AND c.brand = ").Param(query.brand);
  if (!query.platform.empty()) q.Sql(" AND c.platform = ").Param(query.platform);
  if (query.org_id) q.Sql(" AND c.org_id = ").Param(static_cast<long long>(*query.org_id));
  if (query.min_score > 0) q.Sql(" AND c.score >= ").Param(static_cast<long long>(query.min_score));
  if (!query.text.empty()) {
    q.Sql(" AND ((1 = 1").Contains("c.title", query.text);
    q.Sql(") OR (1 = 1").Contains("c.seller_name", query.text);
    q.Sql(") OR (1 = 1").Contains("c.seller_id", query.text).Sql("))");
  }
}

// One prepared statement per kind of write, re-executed for every hit with
// the bound variables changed (SOCI binds by reference).
struct HitWriter {
  explicit HitWriter(soci::session& sql)
      : find((sql.prepare << "SELECT id FROM clues WHERE platform = :p AND seller_id = :s AND "
                             "brand = :b",
              soci::into(found), soci::use(c.platform), soci::use(c.seller_id),
              soci::use(c.brand))),
        add_listing((sql.prepare << "INSERT INTO clue_listings (clue_id, listing_id, platform, "
                                    "url, title, price_fen, score, job_id, seen_at) VALUES (:c, "
                                    ":l, :p, :u, :t, :pr, :s, :j, :at) ON CONFLICT DO NOTHING",
                     soci::use(clue_id), soci::use(c.listing_id), soci::use(c.platform),
                     soci::use(c.url), soci::use(c.title), soci::use(price_fen),
                     soci::use(c.score), soci::use(job_id), soci::use(c.last_seen))),
        merge((sql.prepare << "UPDATE clues SET listing_count = listing_count + :n, last_seen = "
                              ":at, updated_at = :at2, score = CASE WHEN score < :s1 THEN :s2 "
                              "ELSE score END WHERE id = :id",
               soci::use(added), soci::use(c.last_seen), soci::use(c.updated_at),
               soci::use(c.score), soci::use(score2), soci::use(clue_id))),
        insert((sql.prepare << "INSERT INTO clues (id, source, job_id, platform, listing_id, url, "
                               "title, description, price_fen, seller_id, seller_name, brand, "
                               "category, score, reasons, spans, status, org_id, region_code, "
                               "listing_count, first_seen, last_seen, created_at, updated_at) "
                               "VALUES (:id, :src, :j, :p, :l, :u, :t, :d, :pr, :sid, :sn, :b, "
                               ":cat, :s, :r, :sp, :st, :o, :rc, 1, :fs, :ls, :ca, :ua)",
                soci::use(clue_id), soci::use(c.source), soci::use(job_id), soci::use(c.platform),
                soci::use(c.listing_id), soci::use(c.url), soci::use(c.title),
                soci::use(c.description), soci::use(price_fen), soci::use(c.seller_id),
                soci::use(c.seller_name), soci::use(c.brand), soci::use(c.category),
                soci::use(c.score), soci::use(c.reasons_json), soci::use(c.spans_json),
                soci::use(c.status), soci::use(org_id), soci::use(c.region_code),
                soci::use(c.first_seen), soci::use(c.last_seen), soci::use(c.created_at),
                soci::use(c.updated_at))) {}

  // Stores `hit`; true if it made a new clue.
  bool Write(const Clue& hit) {
    c = hit;
    const ClueListing& listing = hit.listings.front();
    c.listing_id = listing.listing_id;
    c.url = listing.url;
    c.title = listing.title;
    price_fen = listing.price_fen;
    job_id = listing.job_id.value_or(0);
    score2 = c.score;
    org_id = c.org_id;
    found = 0;
    if (find.execute(true) && found != 0) {
      clue_id = found;
      add_listing.execute(true);
      added = static_cast<int>(add_listing.get_affected_rows());
      merge.execute(true);
      return false;
    }
    clue_id = c.id;
    insert.execute(true);
    add_listing.execute(true);
    return true;
  }

  Clue c;
  long long found = 0, clue_id = 0, price_fen = 0, job_id = 0, org_id = 0;
  int added = 0, score2 = 0;
  soci::statement find, add_listing, merge, insert;
};

void WriteJob(soci::session& sql, const ScreeningJob& j) {
  long long id = j.id;
  long long v[] = {static_cast<long long>(j.bytes_total),   static_cast<long long>(j.bytes_read),
                   static_cast<long long>(j.listings_read), static_cast<long long>(j.flagged),
                   static_cast<long long>(j.malformed),     static_cast<long long>(j.clues_created),
                   static_cast<long long>(j.clues_merged)};
  std::string started = j.started_at.value_or(""), finished = j.finished_at.value_or("");
  std::string samples = EncodeSamples(j.malformed_samples);
  sql << "UPDATE screening_jobs SET status = :st, bytes_total = :bt, bytes_read = :br, "
         "listings_read = :lr, flagged = :f, malformed = :m, clues_created = :cc, clues_merged = "
         ":cm, started_at = :sa, finished_at = :fa, error = :e, malformed_samples = :ms WHERE id "
         "= :id",
      soci::use(j.status), soci::use(v[0]), soci::use(v[1]), soci::use(v[2]), soci::use(v[3]),
      soci::use(v[4]), soci::use(v[5]), soci::use(v[6]), soci::use(started), soci::use(finished),
      soci::use(j.error), soci::use(samples), soci::use(id);
}

class SqlClueStore final : public clues::ClueStore {
 public:
  explicit SqlClueStore(Database& db) : db_(db) {}

  Result<HitCounts> RecordHits(const std::vector<Clue>& hits, const ScreeningJob& job,
                               const AuditEntry& audit) override {
    HitCounts counts;
    RS_TRY(db_.Write(&audit, [&](soci::session& sql) -> Status {
      counts = {};
      HitWriter writer(sql);
      for (const Clue& hit : hits) {
        if (hit.listings.empty()) continue;
        if (writer.Write(hit)) {
          ++counts.created;
        } else {
          ++counts.merged;
        }
      }
      ScreeningJob updated = job;
      updated.clues_created += counts.created;
      updated.clues_merged += counts.merged;
      WriteJob(sql, updated);
      return Ok();
    }));
    return counts;
  }

  Result<Clue> FindClue(Id id) override {
    std::vector<Clue> found;
    RS_TRY(db_.Read([&](soci::session& sql) -> Status {
      QueryBuilder q("SELECT ");
      q.Sql(kClueColumns).Sql(" WHERE c.id = ").Param(static_cast<long long>(id));
      found = FetchAll<ClueRow>(sql, q);
      if (found.empty()) return Ok();
      QueryBuilder l(
          "SELECT platform, listing_id, url, title, price_fen, score, job_id, seen_at FROM "
          "clue_listings WHERE clue_id = ");
      l.Param(static_cast<long long>(id)).Sql(" ORDER BY seen_at DESC, listing_id LIMIT 200");
      found.front().listings = FetchAll<ListingRow>(sql, l);
      return Ok();
    }));
    if (found.empty()) return Fail(ErrorCode::kNotFound, "线索不存在");
    return std::move(found.front());
  }

  Result<Page<Clue>> ListClues(const ClueQuery& query) override {
    Page<Clue> out;
    RS_TRY(db_.Read([&](soci::session& sql) -> Status {
      QueryBuilder count("SELECT COUNT(*) FROM clues c");
      ClueFilters(count, query);
      out = {{}, CountRows(sql, count), query.page.page, query.page.page_size};
      QueryBuilder list("SELECT ");
      list.Sql(kClueColumns);
      ClueFilters(list, query);
      list.Sql(" ORDER BY c.score DESC, c.last_seen DESC, c.id LIMIT ")
          .Param(static_cast<long long>(query.page.page_size))
          .Sql(" OFFSET ")
          .Param(static_cast<long long>(query.page.Offset()));
      out.items = FetchAll<ClueRow>(sql, list);
      return Ok();
    }));
    return out;
  }

  Status ReviewClue(Id id, const std::string& expected_status, const std::string& status,
                    Id reviewer, const std::string& comment, const std::string& now,
                    const AuditEntry& audit) override {
    return db_.Write(&audit, [&](soci::session& sql) -> Status {
      long long clue_id = id, by = reviewer;
      soci::statement st = (sql.prepare << "UPDATE clues SET status = :s, reviewed_by = :by, "
                                           "reviewed_at = :at, review_comment = :c, updated_at = "
                                           ":at2 WHERE id = :id AND status = :old",
                            soci::use(status), soci::use(by), soci::use(now), soci::use(comment),
                            soci::use(now), soci::use(clue_id), soci::use(expected_status));
      st.execute(true);
      if (st.get_affected_rows() == 0) {
        return Fail(ErrorCode::kConflict, "线索状态已变化，请刷新后重试");
      }
      return Ok();
    });
  }

  Result<ClueStats> Stats(const ClueQuery& query, int top) override {
    ClueStats stats;
    RS_TRY(db_.Read([&](soci::session& sql) -> Status {
      auto grouped = [&](const char* select, const char* group, bool limited) {
        QueryBuilder q(select);
        q.Sql(" FROM clues c");
        ClueFilters(q, query);
        q.Sql(group);
        if (limited) q.Sql(" LIMIT ").Param(static_cast<long long>(top));
        return FetchAll<CountRow>(sql, q);
      };
      QueryBuilder total("SELECT COUNT(*) FROM clues c");
      ClueFilters(total, query);
      stats.total = CountRows(sql, total);
      stats.top_brands = grouped("SELECT c.brand, c.brand, COUNT(*)",
                                 " AND c.brand <> '' GROUP BY c.brand ORDER BY COUNT(*) DESC, "
                                 "c.brand",
                                 true);
      stats.top_sellers = grouped("SELECT c.seller_id, MAX(c.seller_name), COUNT(*)",
                                  " GROUP BY c.seller_id ORDER BY COUNT(*) DESC, c.seller_id",
                                  true);
      stats.by_status = grouped("SELECT c.status, c.status, COUNT(*)",
                                " GROUP BY c.status ORDER BY c.status", false);
      stats.by_day = grouped("SELECT substr(c.first_seen, 1, 13), '', COUNT(*)",
                             " GROUP BY substr(c.first_seen, 1, 13) ORDER BY 1", false);
      return Ok();
    }));
    return stats;
  }

  Status InsertJob(const ScreeningJob& j, const AuditEntry& audit) override {
    return db_.Write(&audit, [&](soci::session& sql) -> Status {
      long long id = j.id, total = static_cast<long long>(j.bytes_total), by = j.created_by,
                org = j.org_id;
      sql << "INSERT INTO screening_jobs (id, status, file_name, bytes_total, threshold, "
             "created_at, created_by, org_id, region_code) VALUES (:id, :st, :f, :bt, :th, :ca, "
             ":by, :o, :r)",
          soci::use(id), soci::use(j.status), soci::use(j.file_name), soci::use(total),
          soci::use(j.threshold), soci::use(j.created_at), soci::use(by), soci::use(org),
          soci::use(j.region_code);
      return Ok();
    });
  }

  Status UpdateJob(const ScreeningJob& job, const AuditEntry& audit) override {
    return db_.Write(&audit, [&](soci::session& sql) -> Status {
      WriteJob(sql, job);
      return Ok();
    });
  }

  Result<ScreeningJob> FindJob(Id id) override {
    std::vector<ScreeningJob> found;
    RS_TRY(db_.Read([&](soci::session& sql) -> Status {
      QueryBuilder q("SELECT ");
      q.Sql(kJobColumns).Sql(" WHERE id = ").Param(static_cast<long long>(id));
      found = FetchAll<JobRow>(sql, q);
      return Ok();
    }));
    if (found.empty()) return Fail(ErrorCode::kNotFound, "筛查任务不存在");
    return std::move(found.front());
  }

  Result<Page<ScreeningJob>> ListJobs(const JobQuery& query) override {
    Page<ScreeningJob> out;
    RS_TRY(db_.Read([&](soci::session& sql) -> Status {
      auto filters = [&](QueryBuilder& q) {
        q.Sql(" WHERE 1 = 1");
        if (query.scope_org_id) {
          q.Sql(" AND org_id = ").Param(static_cast<long long>(*query.scope_org_id));
        }
        if (!query.scope_region_prefix.empty()) {
          q.InRegion("region_code", query.scope_region_prefix);
        }
      };
      QueryBuilder count("SELECT COUNT(*) FROM screening_jobs");
      filters(count);
      out = {{}, CountRows(sql, count), query.page.page, query.page.page_size};
      QueryBuilder list("SELECT ");
      list.Sql(kJobColumns);
      filters(list);
      list.Sql(" ORDER BY created_at DESC, id DESC LIMIT ")
          .Param(static_cast<long long>(query.page.page_size))
          .Sql(" OFFSET ")
          .Param(static_cast<long long>(query.page.Offset()));
      out.items = FetchAll<JobRow>(sql, list);
      return Ok();
    }));
    return out;
  }

  Result<std::vector<ScreeningJob>> UnfinishedJobs() override {
    std::vector<ScreeningJob> out;
    RS_TRY(db_.Read([&](soci::session& sql) -> Status {
      QueryBuilder q("SELECT ");
      q.Sql(kJobColumns).Sql(" WHERE status IN ('queued', 'running') ORDER BY created_at");
      out = FetchAll<JobRow>(sql, q);
      return Ok();
    }));
    return out;
  }

 private:
  Database& db_;
};

}  // namespace

std::unique_ptr<clues::ClueStore> MakeClueStore(Database& db) {
  return std::make_unique<SqlClueStore>(db);
}

}  // namespace redshield::storage
