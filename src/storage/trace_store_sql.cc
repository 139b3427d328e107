#include "storage/trace_store_sql.h"

#include <soci/sqlite3/soci-sqlite3.h>
#include <spdlog/spdlog.h>

#include <algorithm>
#include <functional>
#include <initializer_list>
#include <limits>
#include <map>
#include <mutex>
#include <numeric>
#include <optional>
#include <set>
#include <tuple>

#include "core/check.h"
#include "core/clock.h"
#include "storage/event_body.h"
#include "storage/query.h"

namespace redshield::storage {
namespace {

using trace::CaptureResult;
using trace::CompleteNotices;
using trace::CodeLink;
using trace::EpcisEvent;
using trace::EventCode;
using trace::EventQuery;
using trace::EventRef;
using trace::StoredEvent;

struct EventRow {
  long long id = 0, capture_id = 0, time_ms = 0;
  StoredEvent s;
  void Bind(soci::statement& st) {
    st.exchange(soci::into(id));
    st.exchange(soci::into(capture_id));
    st.exchange(soci::into(s.event.event_id));
    st.exchange(soci::into(s.event.type));
    st.exchange(soci::into(s.event.event_time));
    st.exchange(soci::into(time_ms));
    st.exchange(soci::into(s.event.time_zone_offset));
    st.exchange(soci::into(s.event.record_time));
    st.exchange(soci::into(s.event.action));
    st.exchange(soci::into(s.event.biz_step));
    st.exchange(soci::into(s.event.disposition));
    st.exchange(soci::into(s.event.read_point));
    st.exchange(soci::into(s.event.biz_location));
    st.exchange(soci::into(s.declared_error));
    st.exchange(soci::into(s.declared_at));
    st.exchange(soci::into(s.event.body));
  }
  StoredEvent Take() {
    StoredEvent out = s;
    if (Result<std::string> body = UnpackEventBody(s.event.body)) {
      out.event.body = std::move(*body);
    } else {
      spdlog::error("trace event {}: {}", id, body.error().message);
      out.event.body.clear();
    }
    out.event.id = id;
    out.capture_id = capture_id;
    out.event.event_time_ms = time_ms;
    return out;
  }
};

const char* kEventColumns =
    "e.id, e.capture_id, e.event_id, e.event_type, e.event_time, e.event_time_ms, "
    "e.time_zone_offset, e.record_time, e.action, e.biz_step, e.disposition, e.read_point, "
    "e.biz_location, e.declared_error, e.declared_at, e.body FROM trace_events e";

struct CodeRow {
  long long event_row = 0;
  std::string role;
  EventCode c;
  void Bind(soci::statement& st) {
    st.exchange(soci::into(event_row));
    st.exchange(soci::into(role));
    st.exchange(soci::into(c.key));
    st.exchange(soci::into(c.raw));
    st.exchange(soci::into(c.lot));
    st.exchange(soci::into(c.quantity));
    st.exchange(soci::into(c.uom));
  }
  std::pair<long long, EventCode> Take() {
    EventCode out = c;
    for (trace::CodeRole r : {trace::CodeRole::kEpc, trace::CodeRole::kParent, trace::CodeRole::kChild,
                              trace::CodeRole::kInput, trace::CodeRole::kOutput, trace::CodeRole::kQuantity,
                              trace::CodeRole::kChildQuantity, trace::CodeRole::kInputQuantity,
                              trace::CodeRole::kOutputQuantity}) {
      if (trace::CodeRoleName(r) == role) out.role = r;
    }
    return {event_row, out};
  }
};

struct RefRow {
  long long event_row = 0;
  EventRef r;
  void Bind(soci::statement& st) {
    st.exchange(soci::into(event_row));
    st.exchange(soci::into(r.kind));
    st.exchange(soci::into(r.type));
    st.exchange(soci::into(r.value));
    st.exchange(soci::into(r.key));
  }
  std::pair<long long, EventRef> Take() { return {event_row, r}; }
};

struct LinkRow {
  std::string key, from_role, to_role, event_id;
  void Bind(soci::statement& st) {
    st.exchange(soci::into(key));
    st.exchange(soci::into(from_role));
    st.exchange(soci::into(to_role));
    st.exchange(soci::into(event_id));
  }
  LinkRow Take() { return *this; }
};

// What the linked code is to the code asked about, or empty if the two roles
// are not a containment or transformation link.
std::string Relation(std::string_view from, std::string_view to) {
  auto input = [](std::string_view r) { return r == "input" || r == "input_quantity"; };
  auto output = [](std::string_view r) { return r == "output" || r == "output_quantity"; };
  auto child = [](std::string_view r) { return r == "child" || r == "child_quantity"; };
  if (child(from) && to == "parent") return "parent";
  if (from == "parent" && child(to)) return "child";
  if (input(from) && output(to)) return "output";
  if (output(from) && input(to)) return "input";
  return "";
}

// Writes the events of one capture with statements prepared once per
// transaction (capture is one INSERT per event, code and reference: preparing
// each of them again was most of the time of a large document).
class EventInserter {
 public:
  virtual ~EventInserter() = default;
  // False (nothing written) if an event with the same event_id and kind is
  // stored already: one statement instead of a lookup and an insert.
  virtual bool Insert(Id capture_id, const EpcisEvent& e, int is_declaration) = 0;
};

constexpr char kInsertEventSql[] =
    "INSERT INTO trace_events (id, capture_id, event_id, is_declaration, event_type, event_time, event_time_ms, "
    "time_zone_offset, record_time, action, biz_step, disposition, read_point, biz_location, body) VALUES (:id, "
    ":c, :eid, :d, :t, :et, :ms, :tz, :rt, :a, :bs, :disp, :rp, :bl, :body) ON CONFLICT (event_id, is_declaration) "
    "DO NOTHING";
// Each named code carries its batch (0 if not issued here), so that a
// batch's events are one index range (the recall list); a container packed
// with a batch's codes is listed with the batch. `:b` is the batch
// PrepareEvents looked up, NULL where it did not.
#define RS_BATCH_OF_CODE(CODE) "(SELECT t.batch_id FROM trace_codes t WHERE t.code = " CODE ")"
constexpr char kInsertCodeSql[] =
    "INSERT INTO trace_event_codes (event_row, role, code, raw, lot, quantity, uom, batch_id) "
    "VALUES (:e, :r, :c, :raw, :lot, :q, :u, COALESCE(:b, " RS_BATCH_OF_CODE(":c2") ", 0))";
constexpr char kBatchOfCodeSql[] = "SELECT COALESCE(" RS_BATCH_OF_CODE("?") ", 0)";
// A link keeps the capture that made it, so that the capture can add the
// holders of events stored earlier that named the container. WHERE picks the
// packing rows (parent `p`, child `ch`); `:cap` is the capture (0: none).
#define RS_LINK_CONTAINERS(WHERE) \
  "INSERT INTO trace_containers (container_key, batch_id, capture_id) SELECT DISTINCT p.code, ch.batch_id, " \
  "CAST(:cap AS BIGINT) FROM trace_event_codes p JOIN trace_event_codes ch ON ch.event_row = p.event_row " \
  "WHERE " WHERE " AND p.role = 'parent' AND ch.role = 'child' AND ch.batch_id <> 0 " \
  "ON CONFLICT (batch_id, container_key) DO NOTHING"
constexpr char kInsertContainersSql[] = RS_LINK_CONTAINERS("p.event_row = :e");

// The codes a retail sale names, so that the clone rule "scanned after a
// retail sale elsewhere" probes this small index for each public scan
// rather than every event naming the code (several random reads each in a
// database of millions of events).
constexpr char kInsertSaleSql[] =
    "INSERT INTO trace_retail_sales (code, event_row) VALUES (:c, :e) ON CONFLICT (code, event_row) DO NOTHING";
bool IsRetailSale(const EpcisEvent& e) { return e.biz_step == "retail_selling"; }

bool PacksCodes(const EpcisEvent& e) {
  bool parent = false, child = false;
  for (const EventCode& c : e.codes) {
    parent = parent || c.role == trace::CodeRole::kParent;
    child = child || c.role == trace::CodeRole::kChild;
  }
  return parent && child;
}
constexpr char kInsertRefSql[] =
    "INSERT INTO trace_event_refs (event_row, kind, type, value, ref_key) VALUES (:e, :k, :t, :v, :key)";

// SQLite: parameters bound from the event itself (perf: SOCI's copies of ~25
// string parameters per event were a tenth of the insert thread); a packed
// body (storage/event_body.h) as a blob.
class SqliteEventWriter final : public EventInserter {
 public:
  explicit SqliteEventWriter(soci::session& sql)
      : event_(sql, kInsertEventSql), code_(sql, kInsertCodeSql), ref_(sql, kInsertRefSql),
        containers_(sql, kInsertContainersSql), sale_(sql, kInsertSaleSql) {}

  bool Insert(Id capture_id, const EpcisEvent& e, int is_declaration) override {
    int at = 1;
    event_.Bind(at++, static_cast<long long>(e.id));
    event_.Bind(at++, static_cast<long long>(capture_id));
    event_.Bind(at++, e.event_id);
    event_.Bind(at++, static_cast<long long>(is_declaration));
    for (const std::string* text : {&e.type, &e.event_time}) event_.Bind(at++, *text);
    event_.Bind(at++, static_cast<long long>(e.event_time_ms));
    for (const std::string* text : {&e.time_zone_offset, &e.record_time, &e.action, &e.biz_step, &e.disposition,
                                    &e.read_point, &e.biz_location}) {
      event_.Bind(at++, *text);
    }
    // Packed by PrepareEvent, unless packing would not make it smaller.
    if (IsPackedEventBody(e.body)) {
      event_.BindBlob(at++, e.body);
    } else {
      event_.Bind(at++, e.body);
    }
    if (event_.Run() == 0) return false;
    if (is_declaration != 0) return true;
    for (const EventCode& c : e.codes) {
      code_.Bind(1, static_cast<long long>(e.id));
      code_.Bind(2, trace::CodeRoleName(c.role));
      code_.Bind(3, c.key);
      code_.Bind(4, c.raw);
      code_.Bind(5, c.lot);
      code_.Bind(6, c.quantity);
      code_.Bind(7, c.uom);
      if (c.batch_id >= 0) {
        code_.Bind(8, c.batch_id);
      } else {
        code_.BindNull(8);
      }
      code_.Bind(9, c.key);
      code_.Run();
      if (IsRetailSale(e)) {
        sale_.Bind(1, c.key);
        sale_.Bind(2, static_cast<long long>(e.id));
        sale_.Run();
      }
    }
    if (PacksCodes(e)) {
      containers_.Bind(1, static_cast<long long>(capture_id));
      containers_.Bind(2, static_cast<long long>(e.id));
      containers_.Run();
    }
    for (const EventRef& r : e.refs) {
      ref_.Bind(1, static_cast<long long>(e.id));
      ref_.Bind(2, r.kind);
      ref_.Bind(3, r.type);
      ref_.Bind(4, r.value);
      ref_.Bind(5, r.key);
      ref_.Run();
    }
    return true;
  }

 private:
  SqliteStatement event_, code_, ref_, containers_, sale_;
};

// PostgreSQL: through SOCI, the body as text (its text columns cannot hold a
// packed body).
class EventWriter final : public EventInserter {
 public:
  explicit EventWriter(soci::session& sql)
      : event_((sql.prepare << kInsertEventSql, soci::use(id_), soci::use(capture_),
                soci::use(e_.event_id), soci::use(declaration_), soci::use(e_.type),
                soci::use(e_.event_time), soci::use(time_ms_), soci::use(e_.time_zone_offset),
                soci::use(e_.record_time), soci::use(e_.action), soci::use(e_.biz_step),
                soci::use(e_.disposition), soci::use(e_.read_point), soci::use(e_.biz_location),
                soci::use(e_.body))),
        code_((sql.prepare << kInsertCodeSql, soci::use(id_), soci::use(role_), soci::use(c_.key),
               soci::use(c_.raw), soci::use(c_.lot), soci::use(quantity_), soci::use(c_.uom),
               soci::use(batch_, batch_set_), soci::use(c_.key))),
        containers_((sql.prepare << kInsertContainersSql, soci::use(capture_), soci::use(id_))),
        sale_((sql.prepare << kInsertSaleSql, soci::use(c_.key), soci::use(id_))),
        ref_((sql.prepare << kInsertRefSql, soci::use(id_), soci::use(r_.kind), soci::use(r_.type),
              soci::use(r_.value), soci::use(r_.key))) {}

  bool Insert(Id capture_id, const EpcisEvent& e, int is_declaration) override {
    id_ = e.id;
    capture_ = capture_id;
    time_ms_ = e.event_time_ms;
    declaration_ = is_declaration;
    e_.event_id = e.event_id;
    e_.type = e.type;
    e_.event_time = e.event_time;
    e_.time_zone_offset = e.time_zone_offset;
    e_.record_time = e.record_time;
    e_.action = e.action;
    e_.biz_step = e.biz_step;
    e_.disposition = e.disposition;
    e_.read_point = e.read_point;
    e_.biz_location = e.biz_location;
    e_.body = e.body;
    event_.execute(true);
    if (event_.get_affected_rows() == 0) return false;
    if (is_declaration != 0) return true;
    for (const EventCode& c : e.codes) {
      c_ = c;
      role_ = std::string(trace::CodeRoleName(c.role));
      quantity_ = c.quantity;
      batch_ = c.batch_id;
      batch_set_ = c.batch_id >= 0 ? soci::i_ok : soci::i_null;
      code_.execute(true);
      if (IsRetailSale(e)) sale_.execute(true);
    }
    if (PacksCodes(e)) containers_.execute(true);
    for (const EventRef& r : e.refs) {
      r_ = r;
      ref_.execute(true);
    }
    return true;
  }

 private:
  long long id_ = 0, capture_ = 0, time_ms_ = 0, batch_ = 0;
  soci::indicator batch_set_ = soci::i_null;
  int declaration_ = 0;
  double quantity_ = 0;
  std::string role_;
  EpcisEvent e_;  // bound fields; codes and refs unused
  EventCode c_;
  EventRef r_;
  soci::statement event_, code_, containers_, sale_, ref_;
};

// Appends a condition selecting the rows of trace_event_codes `alias` that
// name the code `key` writes (`= expression`; called twice), in the form the
// index (batch_id, code, role, event_row) serves on both backends: each row
// carries the batch its code was issued in, or 0 for a code not issued here
// (containers, lots, foreign codes), set at capture and at issuance.
// Batch first keeps a document's index entries together: its events name
// the codes of a few batches, and random code strings as the first key put
// a 1M-event document's entries on nearly every page of the index.
void NamesCode(QueryBuilder& q, std::string_view alias, const std::function<void()>& key) {
  q.Sql(alias).Sql(".batch_id = COALESCE((SELECT batch_id FROM trace_codes WHERE code ");
  key();
  q.Sql("), 0) AND ").Sql(alias).Sql(".code ");
  key();
}


const char* kBatchColumns =
    "b.id, b.kind, b.enterprise_uscc, b.enterprise_name, b.registration_no, b.product_name, b.spec, "
    "b.production_type, b.enterprise_code, b.lot, b.production_date, b.quantity, b.region_code, "
    "b.random_bits, b.status, b.org_id, b.created_by, b.created_at, b.recalled_at, b.recall_reason, "
    "b.destroyed_at, b.pack_sizes";

std::vector<int> ParsePackSizes(const std::string& text) {
  std::vector<int> out;
  size_t begin = 0;
  while (begin < text.size()) {
    size_t end = text.find(',', begin);
    if (end == std::string::npos) end = text.size();
    out.push_back(std::atoi(text.substr(begin, end - begin).c_str()));
    begin = end + 1;
  }
  return out;
}

std::string PackSizesText(const std::vector<int>& sizes) {
  std::string out;
  for (int size : sizes) out += (out.empty() ? "" : ",") + std::to_string(size);
  return out;
}

void BindBatch(soci::statement& st, long long& id, long long& org, long long& by, std::string& packs,
               trace::Batch& b) {
  st.exchange(soci::into(id));
  st.exchange(soci::into(b.request.kind));
  st.exchange(soci::into(b.request.enterprise_uscc));
  st.exchange(soci::into(b.request.enterprise_name));
  st.exchange(soci::into(b.request.registration_no));
  st.exchange(soci::into(b.request.product_name));
  st.exchange(soci::into(b.request.spec));
  st.exchange(soci::into(b.request.production_type));
  st.exchange(soci::into(b.request.enterprise_code));
  st.exchange(soci::into(b.request.lot));
  st.exchange(soci::into(b.request.production_date));
  st.exchange(soci::into(b.request.quantity));
  st.exchange(soci::into(b.request.region_code));
  st.exchange(soci::into(b.random_bits));
  st.exchange(soci::into(b.status));
  st.exchange(soci::into(org));
  st.exchange(soci::into(by));
  st.exchange(soci::into(b.created_at));
  st.exchange(soci::into(b.recalled_at));
  st.exchange(soci::into(b.recall_reason));
  st.exchange(soci::into(b.destroyed_at));
  st.exchange(soci::into(packs));
}

// kBatchColumns, the scans and the store's last fold.
struct BatchRow {
  long long id = 0, org = 0, by = 0, scans = 0, last_fold = 0;
  std::string packs;
  trace::Batch b;
  void Bind(soci::statement& st) {
    BindBatch(st, id, org, by, packs, b);
    st.exchange(soci::into(scans));
    st.exchange(soci::into(last_fold));
  }
  trace::Batch Take() {
    trace::Batch out = b;
    out.id = id;
    out.org_id = org;
    out.created_by = by;
    out.scans = scans;
    out.last_fold = last_fold;
    out.request.pack_sizes = ParsePackSizes(packs);
    return out;
  }
};

struct ScanRow {
  int known = 0;
  trace::Scan s;
  void Bind(soci::statement& st) {
    st.exchange(soci::into(s.key));
    st.exchange(soci::into(s.text));
    st.exchange(soci::into(s.scanned_at));
    st.exchange(soci::into(s.region_code));
    st.exchange(soci::into(known));
  }
  trace::Scan Take() {
    trace::Scan out = s;
    out.known = known != 0;
    return out;
  }
};

struct CountRow {
  std::string key;
  long long count = 0;
  void Bind(soci::statement& st) {
    st.exchange(soci::into(key));
    st.exchange(soci::into(count));
  }
  std::pair<std::string, long long> Take() { return {key, count}; }
};

constexpr char kSuspicionColumns[] =
    "s.id, s.rule, s.code_key, s.batch_id, s.region_code, s.org_id, s.detail, s.status, s.hits, s.created_at, "
    "s.updated_at, COALESCE(o.name, ''), COALESCE(s.reviewed_by, 0), COALESCE(u.display_name, ''), s.reviewed_at, "
    "s.review_comment, COALESCE(o.region_code, '') FROM trace_suspicions s LEFT JOIN organizations o ON o.id = s.org_id "
    "LEFT JOIN users u ON u.id = s.reviewed_by";

struct SuspicionRow {
  long long id = 0, batch = 0, org = 0, reviewer = 0;
  trace::Suspicion s;
  void Bind(soci::statement& st) {
    st.exchange(soci::into(id));
    st.exchange(soci::into(s.rule));
    st.exchange(soci::into(s.code_key));
    st.exchange(soci::into(batch));
    st.exchange(soci::into(s.region_code));
    st.exchange(soci::into(org));
    st.exchange(soci::into(s.detail));
    st.exchange(soci::into(s.status));
    st.exchange(soci::into(s.hits));
    st.exchange(soci::into(s.created_at));
    st.exchange(soci::into(s.updated_at));
    st.exchange(soci::into(s.org_name));
    st.exchange(soci::into(reviewer));
    st.exchange(soci::into(s.reviewed_by_name));
    st.exchange(soci::into(s.reviewed_at));
    st.exchange(soci::into(s.review_comment));
    st.exchange(soci::into(s.org_region));
  }
  trace::Suspicion Take() {
    trace::Suspicion out = s;
    out.id = id;
    out.batch_id = batch;
    out.org_id = org;
    out.reviewed_by = reviewer;
    return out;
  }
};

constexpr char kPlaceColumns[] =
    "p.place_key, p.id_text, p.name, p.region_code, p.retail, COALESCE(p.org_id, 0), p.updated_at, "
    "COALESCE(r.name, ''), COALESCE(o.name, '') FROM trace_places p LEFT JOIN regions r ON r.code = p.region_code "
    "LEFT JOIN organizations o ON o.id = p.org_id";

struct PlaceRow {
  int retail = 0;
  long long org = 0;
  trace::Place p;
  void Bind(soci::statement& st) {
    st.exchange(soci::into(p.key));
    st.exchange(soci::into(p.id));
    st.exchange(soci::into(p.name));
    st.exchange(soci::into(p.region_code));
    st.exchange(soci::into(retail));
    st.exchange(soci::into(org));
    st.exchange(soci::into(p.updated_at));
    st.exchange(soci::into(p.region_name));
    st.exchange(soci::into(p.org_name));
  }
  trace::Place Take() {
    trace::Place out = p;
    out.retail = retail != 0;
    out.org_id = org;
    return out;
  }
};

constexpr char kNoticeColumns[] =
    "n.id, n.batch_id, n.holder_key, n.holder_id, n.holder_name, n.region_code, n.org_id, n.routed, n.status, "
    "n.created_at, n.acknowledged_at, COALESCE(n.acknowledged_by, 0), n.ack_note, b.product_name, b.lot, "
    "b.enterprise_name, b.recall_reason, b.recalled_at, COALESCE(r.name, ''), COALESCE(o.name, ''), "
    "COALESCE(u.display_name, ''), COALESCE(o.region_code, '') FROM trace_recall_notices n JOIN trace_batches b ON b.id = n.batch_id "
    "LEFT JOIN regions r ON r.code = n.region_code LEFT JOIN organizations o ON o.id = n.org_id "
    "LEFT JOIN users u ON u.id = n.acknowledged_by";

constexpr char kRuleVersionColumns[] =
    "SELECT v.id, v.scans_per_unit, v.distant_window_hours, v.cluster_threshold, v.cluster_window_minutes, v.note, "
    "COALESCE(v.changed_by, 0), COALESCE(u.display_name, ''), v.changed_at FROM trace_rule_versions v "
    "LEFT JOIN users u ON u.id = v.changed_by";

struct RuleVersionRow {
  long long id = 0, by = 0;
  trace::RuleVersion v;
  void Bind(soci::statement& st) {
    st.exchange(soci::into(id));
    for (int* n : {&v.rules.scans_per_unit, &v.rules.distant_window_hours, &v.rules.cluster_threshold,
                   &v.rules.cluster_window_minutes}) {
      st.exchange(soci::into(*n));
    }
    st.exchange(soci::into(v.note));
    st.exchange(soci::into(by));
    st.exchange(soci::into(v.changed_by_name));
    st.exchange(soci::into(v.changed_at));
  }
  trace::RuleVersion Take() {
    trace::RuleVersion out = v;
    out.id = id;
    out.changed_by = by;
    return out;
  }
};

struct NoticeRow {
  long long id = 0, batch = 0, org = 0, by = 0;
  trace::RecallNotice n;
  void Bind(soci::statement& st) {
    st.exchange(soci::into(id));
    st.exchange(soci::into(batch));
    for (std::string* text : {&n.holder_key, &n.holder_id, &n.holder_name, &n.region_code}) {
      st.exchange(soci::into(*text));
    }
    st.exchange(soci::into(org));
    for (std::string* text : {&n.routed, &n.status, &n.created_at, &n.acknowledged_at}) st.exchange(soci::into(*text));
    st.exchange(soci::into(by));
    for (std::string* text : {&n.ack_note, &n.product_name, &n.lot, &n.enterprise_name, &n.recall_reason,
                              &n.recalled_at, &n.region_name, &n.org_name, &n.acknowledged_by_name, &n.org_region}) {
      st.exchange(soci::into(*text));
    }
  }
  trace::RecallNotice Take() {
    trace::RecallNotice out = n;
    out.id = id;
    out.batch_id = batch;
    out.org_id = org;
    out.acknowledged_by = by;
    return out;
  }
};

void Visible(QueryBuilder& q, const std::string& table, const trace::Visibility& v) {
  if (v.org_id != 0) q.Sql(" AND " + table + ".org_id = ").Param(static_cast<long long>(v.org_id));
  if (!v.region_prefix.empty()) {
    q.Sql(" AND " + table + ".org_id IN (SELECT id FROM organizations WHERE 1 = 1");
    q.InRegion("region_code", v.region_prefix).Sql(")");
  }
}

// A holder with its registered place and the batch's notice to it.
constexpr char kHolderColumns[] =
    "SELECT h.hkey, h.hid, h.hrole, h.htime, COALESCE(p.name, ''), COALESCE(p.region_code, ''), "
    "COALESCE(r.name, ''), COALESCE(p.org_id, 0), COALESCE(o.name, ''), COALESCE(n.id, 0), COALESCE(n.org_id, 0), "
    "COALESCE(n.routed, ''), COALESCE(n.status, ''), COALESCE(n.created_at, ''), COALESCE(n.acknowledged_at, ''), "
    "COALESCE(n.ack_note, ''), COALESCE(no.name, '') FROM (";
constexpr char kHolderJoins[] =
    ") h LEFT JOIN trace_places p ON p.place_key = h.hkey LEFT JOIN regions r ON r.code = p.region_code "
    "LEFT JOIN organizations o ON o.id = p.org_id LEFT JOIN trace_recall_notices n ON n.holder_key = h.hkey AND "
    "n.batch_id = ";

struct HolderRow {
  long long org = 0, notice_id = 0, notice_org = 0;
  trace::RecallNotice n;
  trace::Holder h;
  void Bind(soci::statement& st) {
    for (std::string* text : {&h.key, &h.id, &h.role, &h.last_event_time, &h.name, &h.region_code, &h.region_name}) {
      st.exchange(soci::into(*text));
    }
    st.exchange(soci::into(org));
    st.exchange(soci::into(h.org_name));
    st.exchange(soci::into(notice_id));
    st.exchange(soci::into(notice_org));
    for (std::string* text : {&n.routed, &n.status, &n.created_at, &n.acknowledged_at, &n.ack_note, &n.org_name}) {
      st.exchange(soci::into(*text));
    }
  }
  trace::Holder Take() {
    trace::Holder out = h;
    out.org_id = org;
    if (notice_id != 0) {
      out.notice = n;
      out.notice->id = notice_id;
      out.notice->org_id = notice_org;
      out.notice->holder_key = h.key;
    }
    return out;
  }
};

// The lookup key of a GS1 batch's lot as a class (01/GTIN/10/lot), over
// the columns of trace_batches.
#define RS_LOT_KEY "'01/' || registration_no || '/10/' || lot"

// The common table expression `ev`: the events naming the batch's codes
// (one range of the code index, batch first), a container they were packed into
// (trace_containers, kept at capture) or, for GS1 batches, their lot as a
// class. Materialised first, so that rebuilding a batch's holder list reads
// the batch's own index entries rather than probing the code index once per
// code (2.3 s for a batch of 100,000 codes in a database of 30M events).
void BatchEvents(QueryBuilder& q, Dialect dialect, Id batch_id) {
  const long long b = batch_id;
  const char* join = dialect == Dialect::kSqlite ? " CROSS JOIN " : " JOIN ";
  q.Sql("WITH ev AS MATERIALIZED (SELECT event_row AS id FROM trace_event_codes WHERE batch_id = ").Param(b);
  q.Sql(" UNION SELECT c.event_row FROM trace_containers k").Sql(join).Sql("trace_event_codes c ON ");
  NamesCode(q, "c", [&] { q.Sql("= k.container_key"); });
  q.Sql(" WHERE k.batch_id = ").Param(b).Sql(" UNION SELECT c.event_row FROM trace_event_codes c WHERE ");
  NamesCode(q, "c", [&] {
    q.Sql("= (SELECT " RS_LOT_KEY " FROM trace_batches WHERE kind = 'sgtin' AND id = ").Param(b).Sql(")");
  });
  q.Sql(") ");
}

// The holders of a batch (issue 7 §5, the recall list) are kept in
// trace_batch_holders as events are captured, so that a recall reads one
// index range: computed from the events, the list took 2.5 s on the first
// request for a batch named in 500,000 events of a 30M-event database.
//
// Writes the CTE `src(ev, batch_id)`: the events with rows in [lo, hi] and
// the batches they concern, through a code of the batch, a container packed
// with the batch's codes or the batch's lot as a GS1 class; with a capture
// id, also every event naming a container first linked by that capture.
// Pairs may repeat: the holder upsert aggregates them.
void EventBatches(QueryBuilder& q, Dialect dialect, long long lo, long long hi, Id capture_id) {
  const char* join = dialect == Dialect::kSqlite ? " CROSS JOIN " : " JOIN ";
  auto range = [&](const char* column) { q.Sql(column).Sql(" BETWEEN ").Param(lo).Sql(" AND ").Param(hi); };
  q.Sql("WITH lots AS MATERIALIZED (SELECT id, " RS_LOT_KEY " AS k FROM trace_batches "
        "WHERE kind = 'sgtin'), src AS MATERIALIZED (SELECT event_row AS ev, batch_id FROM trace_event_codes WHERE ");
  range("event_row");
  q.Sql(" AND batch_id <> 0 UNION ALL SELECT c.event_row, k.batch_id FROM trace_event_codes c").Sql(join);
  q.Sql("trace_containers k ON k.container_key = c.code WHERE ");
  range("c.event_row");
  q.Sql(" UNION ALL SELECT c.event_row, l.id FROM trace_event_codes c").Sql(join).Sql("lots l ON l.k = c.code WHERE ");
  range("c.event_row");
  if (capture_id != 0) {
    q.Sql(" UNION ALL SELECT c.event_row, k.batch_id FROM trace_containers k").Sql(join).Sql("trace_event_codes c ON ");
    NamesCode(q, "c", [&] { q.Sql("= k.container_key"); });
    q.Sql(" WHERE k.capture_id = ").Param(static_cast<long long>(capture_id));
  }
  q.Sql(") ");
}

// After a `WITH … src(ev, batch_id)`: adds each shipping event's
// destinations and each receiving event's place to the batches, keeping the
// latest event time; a holder new to a batch keeps `capture_id` (0 outside a
// capture), so that the capture can notify it if the batch is recalled.
// Events declared erroneous name no holder.
void UpsertHolders(QueryBuilder& q, Dialect dialect, Id capture_id) {
  const char* join = dialect == Dialect::kSqlite ? " CROSS JOIN " : " JOIN ";
  q.Sql("INSERT INTO trace_batch_holders (batch_id, holder_key, role, holder_id, last_time, capture_id) SELECT h.*, "
        "CAST(").Param(static_cast<long long>(capture_id));
  q.Sql(" AS BIGINT) FROM (SELECT s.batch_id, r.ref_key, 'destination:' || r.type, MIN(r.value), MAX(e.event_time) "
        "FROM src s").Sql(join);
  q.Sql("trace_events e ON e.id = s.ev").Sql(join).Sql("trace_event_refs r ON r.event_row = e.id WHERE r.kind = "
        "'destination' AND e.biz_step = 'shipping' AND e.declared_error = '' GROUP BY s.batch_id, r.ref_key, r.type "
        "UNION ALL SELECT s.batch_id, e.biz_location, 'receiving', MIN(e.biz_location), MAX(e.event_time) FROM src s");
  q.Sql(join).Sql("trace_events e ON e.id = s.ev WHERE e.biz_step = 'receiving' AND e.biz_location <> '' AND "
                  "e.declared_error = '' GROUP BY s.batch_id, e.biz_location) h WHERE true ON CONFLICT (batch_id, "
                  "holder_key, role) DO UPDATE SET holder_id = CASE WHEN excluded.holder_id < "
                  "trace_batch_holders.holder_id THEN excluded.holder_id ELSE trace_batch_holders.holder_id END, "
                  "last_time = CASE WHEN excluded.last_time > trace_batch_holders.last_time THEN excluded.last_time "
                  "ELSE trace_batch_holders.last_time END");
}

void RunStatement(soci::session& sql, QueryBuilder& q) {
  soci::statement st(sql);
  q.Prepare(st);
  st.execute(true);
}

// Lists a batch's holders again from all its events (after an error
// declaration, which may take holders away, or when an sgtin batch is issued
// for a lot that events named already).
void RebuildHolders(soci::session& sql, Dialect dialect, Id batch_id, Id capture_id) {
  long long b = batch_id;
  sql << "DELETE FROM trace_batch_holders WHERE batch_id = :b", soci::use(b);
  QueryBuilder q("");
  BatchEvents(q, dialect, batch_id);
  q.Sql(", src AS MATERIALIZED (SELECT id AS ev, CAST(").Param(b).Sql(" AS BIGINT) AS batch_id FROM ev) ");
  UpsertHolders(q, dialect, capture_id);
  RunStatement(sql, q);
}

// Gives the rows of events that named a batch's codes before they were
// issued (batch 0) the batch (see NamesCode), and links the containers they
// were packed into; true if there were any.
bool RekeyIssuedCodes(soci::session& sql, Id batch_id) {
  long long b = batch_id;
  soci::statement rekey = (sql.prepare << "UPDATE trace_event_codes SET batch_id = :b WHERE batch_id = 0 AND code IN "
                                          "(SELECT code FROM trace_codes WHERE batch_id = :b2)",
                           soci::use(b), soci::use(b));
  rekey.execute(true);
  if (rekey.get_affected_rows() == 0) return false;
  long long no_capture = 0;
  sql << RS_LINK_CONTAINERS("ch.batch_id = :b"), soci::use(no_capture), soci::use(b);
  return true;
}

// The stored rows of one capture's events, and the event ids it declared erroneous.
struct CapturedRows {
  long long lo = std::numeric_limits<long long>::max(), hi = 0;
  std::vector<std::string> declared;
};

// Brings the holder lists up to date with one capture, in its transaction.
void UpdateHolders(soci::session& sql, Dialect dialect, Id capture_id, const CapturedRows& rows) {
  QueryBuilder q("");
  EventBatches(q, dialect, rows.lo, rows.hi, capture_id);
  UpsertHolders(q, dialect, capture_id);
  RunStatement(sql, q);
  std::set<long long> rebuild;
  for (const std::string& event_id : rows.declared) {
    long long row = 0, batch = 0;
    sql << "SELECT id FROM trace_events WHERE event_id = :e AND is_declaration = 0", soci::into(row),
        soci::use(event_id);
    QueryBuilder batches("");
    EventBatches(batches, dialect, row, row, 0);
    batches.Sql("SELECT DISTINCT batch_id FROM src");
    soci::statement st(sql);
    st.exchange(soci::into(batch));
    batches.Prepare(st);
    st.execute();
    while (st.fetch()) rebuild.insert(batch);
  }
  for (long long batch : rebuild) RebuildHolders(sql, dialect, batch, capture_id);
}

// One event of a capture: skipped if already stored, a declaration marks
// the stored event erroneous.
void StoreEvent(soci::session& sql, EventInserter& writer, Id capture_id, const EpcisEvent& e,
                CaptureResult& result, CapturedRows& rows) {
  if (!writer.Insert(capture_id, e, e.is_declaration ? 1 : 0)) {
    ++result.duplicates;
    return;
  }
  ++result.events;
  if (!e.is_declaration) {
    rows.lo = std::min(rows.lo, static_cast<long long>(e.id));
    rows.hi = std::max(rows.hi, static_cast<long long>(e.id));
    return;
  }
  std::string reason = e.error_reason;
  sql << "UPDATE trace_events SET declared_error = :r, declared_at = :t WHERE event_id = :e "
         "AND is_declaration = 0",
      soci::use(reason), soci::use(e.declaration_time), soci::use(e.event_id);
  rows.declared.push_back(e.event_id);
  ++result.declarations;
}

// A larger page cache for the length of a large write transaction on
// SQLite: a capture of a million events, or a fold of scans of random codes
// into their counters, reads far more pages than the default 2 MB cache holds
// (a capture's dirty pages stay in memory anyway, a fold's spill beyond the
// cache: see cache_spill in database.cc). Set back afterwards so pooled
// connections stay small.
class LargeCache {
 public:
  LargeCache(soci::session& sql, Dialect dialect, int mib) : sql_(sql), sqlite_(dialect == Dialect::kSqlite) {
    if (sqlite_) sql_ << "PRAGMA cache_size = -" + std::to_string(mib * 1024);
  }
  ~LargeCache() {
    if (!sqlite_) return;
    try {
      sql_ << "PRAGMA cache_size = -2000";
    } catch (const std::exception&) {
      // The connection is broken; nothing to give back.
    }
  }
  LargeCache(const LargeCache&) = delete;
  LargeCache& operator=(const LargeCache&) = delete;

 private:
  soci::session& sql_;
  const bool sqlite_;
};

// The hot path of verification: one row by primary key, few columns.
// A pack's parent and contents are read only for codes that have them.
#define RS_PACK_COLUMNS                                                                             \
  "c.level, CASE WHEN c.parent <> '' THEN COALESCE((SELECT p.text FROM trace_codes p WHERE p.code = " \
  "c.parent), '') ELSE '' END, CASE WHEN c.level > 0 THEN (SELECT COUNT(*) FROM trace_codes k WHERE "  \
  "k.parent = c.code AND k.parent <> '') ELSE 0 END"
// The store's last fold, read in the same statement (one snapshot) as the
// counts beside it.
#define RS_LAST_FOLD "(SELECT last_fold FROM trace_folds)"
// A code's scan counters, from `s` (trace_code_scans, which has a row only
// for a code scanned at least once): the count and first scan, then its
// last located scan.
#define RS_FIRST_SCAN "COALESCE(s.scan_count, 0), COALESCE(s.first_scan_at, ''), COALESCE(s.first_scan_region, '')"
#define RS_LAST_SCAN "COALESCE(s.last_region, ''), COALESCE(s.last_region_at, '')"
#define RS_CODE_SCANS " FROM trace_codes c LEFT JOIN trace_code_scans s ON s.code = c.code"
constexpr char kLookupSql[] = "SELECT c.text, " RS_FIRST_SCAN ", c.suspicious, c.batch_id, " RS_PACK_COLUMNS
                              ", " RS_LAST_SCAN ", " RS_LAST_FOLD RS_CODE_SCANS " WHERE c.code = ?";

// A statement written for SQLite's prepared path (`?` placeholders) in
// SOCI's form for PostgreSQL: the i-th `?` becomes names[i].
std::string Named(const char* sql, std::initializer_list<const char*> names) {
  std::string text = sql;
  for (const char* name : names) text.replace(text.find('?'), 1, name);
  return text;
}

std::string ColumnText(sqlite_api::sqlite3_stmt* st, int column) {
  const auto* text = reinterpret_cast<const char*>(sqlite_api::sqlite3_column_text(st, column));
  if (text == nullptr) return "";
  return std::string(text, static_cast<size_t>(sqlite_api::sqlite3_column_bytes(st, column)));
}

// LookupCode on SQLite through a statement prepared once per connection,
// in a snapshot kept between reads (Database::ReadSnapshot): the row, its
// counters and the last fold read together are as new as the last commit
// of this process.
Status LookupSqlite(Database& db, const std::string& key, std::optional<trace::CodeInfo>& out) {
  return db.ReadSnapshot(kLookupSql, [&](sqlite_api::sqlite3_stmt* st) -> Status {
    sqlite_api::sqlite3_bind_text(st, 1, key.data(), static_cast<int>(key.size()), SQLITE_STATIC);
    const int rc = sqlite_api::sqlite3_step(st);
    if (rc == SQLITE_DONE) return Ok();
    if (rc != SQLITE_ROW) return tl::unexpected(SqliteStepError(st, rc));
    trace::CodeInfo& info = out.emplace();
    info.key = key;
    info.text = ColumnText(st, 0);
    info.scan_count = sqlite_api::sqlite3_column_int64(st, 1);
    info.first_scan_at = ColumnText(st, 2);
    info.first_scan_region = ColumnText(st, 3);
    info.suspicious = sqlite_api::sqlite3_column_int64(st, 4) != 0;
    info.batch_id = sqlite_api::sqlite3_column_int64(st, 5);
    info.level = sqlite_api::sqlite3_column_int(st, 6);
    info.parent_text = ColumnText(st, 7);
    info.contains = sqlite_api::sqlite3_column_int64(st, 8);
    info.last_region = ColumnText(st, 9);
    info.last_region_at = ColumnText(st, 10);
    info.last_fold = sqlite_api::sqlite3_column_int64(st, 11);
    return Ok();
  });
}

// The batch of each code that `events` name, read in a snapshot of this
// thread's (inside a capture's transaction, one that sees what it sees):
// the inserting thread then no longer descends trace_codes for each code
// (a tenth of its time, capturing 1M events into 10M codes). Codes are left
// to be looked up as they are stored where no snapshot reader is free or
// the read fails.
void LookUpBatchesSqlite(Database& db, std::vector<EpcisEvent>& events) {
  db.TryReadSnapshot(kBatchOfCodeSql, [&](sqlite_api::sqlite3_stmt* st) -> Status {
    for (EpcisEvent& e : events) {
      for (EventCode& c : e.codes) {
        sqlite_api::sqlite3_bind_text(st, 1, c.key.data(), static_cast<int>(c.key.size()),
                                      SQLITE_STATIC);
        const int rc = sqlite_api::sqlite3_step(st);
        if (rc != SQLITE_ROW) return tl::unexpected(SqliteStepError(st, rc));
        c.batch_id = sqlite_api::sqlite3_column_int64(st, 0);
        sqlite_api::sqlite3_reset(st);
      }
    }
    return Ok();
  });
}

// The latest retail sale (not declared an error) of a code at or before a time.
constexpr char kRetailSaleSql[] =
    "SELECT e.biz_location, e.event_time, COALESCE(p.region_code, '') FROM trace_retail_sales s "
    "JOIN trace_events e ON e.id = s.event_row LEFT JOIN trace_places p ON p.place_key = e.biz_location "
    "WHERE s.code = ? AND e.declared_error = '' AND e.event_time <= ? ORDER BY e.event_time_ms DESC LIMIT 1";

// Whether a code has a retail sale on record at all (most scanned codes
// have none).
constexpr char kHasRetailSaleSql[] = "SELECT 1 FROM trace_retail_sales WHERE code = ? LIMIT 1";

// RetailSales on SQLite: a statement prepared once per connection, and one
// read transaction for the whole flush rather than one per code (the scan
// writer asks for every code of a flush: ~5% of server CPU through SOCI).
// The full query sorts in a temporary B-tree that it opens even when the
// code has no sale (28% of the scan writer): a probe of the sales' index,
// prepared once per flush, goes first.
Status RetailSalesSqlite(Database& db, const std::vector<std::string>& keys, const std::string& before,
                         std::map<std::string, trace::TraceStore::Sale>& out) {
  return db.ReadPrepared(kRetailSaleSql, [&](sqlite_api::sqlite3_stmt* st) -> Status {
    sqlite_api::sqlite3* conn = sqlite_api::sqlite3_db_handle(st);
    sqlite_api::sqlite3_stmt* probe = nullptr;
    if (sqlite_api::sqlite3_prepare_v2(conn, kHasRetailSaleSql, -1, &probe, nullptr) != SQLITE_OK) {
      sqlite_api::sqlite3_finalize(probe);
      return Fail(ErrorCode::kUnavailable, "数据库暂不可用，请稍后重试");
    }
    sqlite_api::sqlite3_exec(conn, "BEGIN", nullptr, nullptr, nullptr);
    struct End {  // the read transaction ends with the statements done, on every path
      sqlite_api::sqlite3_stmt* st;
      sqlite_api::sqlite3_stmt* probe;
      ~End() {
        sqlite_api::sqlite3_reset(st);
        sqlite_api::sqlite3_finalize(probe);
        sqlite_api::sqlite3_exec(sqlite_api::sqlite3_db_handle(st), "COMMIT", nullptr, nullptr, nullptr);
      }
    } end{st, probe};
    sqlite_api::sqlite3_bind_text(st, 2, before.data(), static_cast<int>(before.size()), SQLITE_STATIC);
    for (const std::string& key : keys) {
      sqlite_api::sqlite3_bind_text(probe, 1, key.data(), static_cast<int>(key.size()), SQLITE_STATIC);
      const int sold = sqlite_api::sqlite3_step(probe);
      if (sold != SQLITE_ROW && sold != SQLITE_DONE) return tl::unexpected(SqliteStepError(probe, sold));
      sqlite_api::sqlite3_reset(probe);
      if (sold == SQLITE_DONE) continue;
      sqlite_api::sqlite3_bind_text(st, 1, key.data(), static_cast<int>(key.size()), SQLITE_STATIC);
      const int rc = sqlite_api::sqlite3_step(st);
      if (rc != SQLITE_ROW && rc != SQLITE_DONE) return tl::unexpected(SqliteStepError(st, rc));
      if (rc == SQLITE_ROW) out.emplace(key, trace::TraceStore::Sale{ColumnText(st, 0), ColumnText(st, 1), ColumnText(st, 2)});
      sqlite_api::sqlite3_reset(st);
    }
    return Ok();
  });
}

#define RS_INSERT_SCANS \
  "INSERT INTO trace_scans (code, text, scanned_at, region_code, known) VALUES "
#define RS_INSERT_BACKLOG \
  "INSERT INTO trace_scan_backlog (code, scanned_at, region_code, batch_id, writer) VALUES "
constexpr char kInsertScanSql[] = RS_INSERT_SCANS "(:c, :t, :at, :r, :k)";
constexpr char kInsertBacklogSql[] = RS_INSERT_BACKLOG "(:c, :at, :r, :b, :w)";
// The backlog's rows a fold takes (TraceStore::FoldScans): its writer's, and
// those of writers stopped (0: written before writers were named).
#define RS_FOLDS_ROW "(writer = :w OR writer = 0 OR scanned_at < :s)"
constexpr char kTakeBacklogSql[] = "DELETE FROM trace_scan_backlog WHERE " RS_FOLDS_ROW
                                   " RETURNING code, scanned_at, region_code, batch_id";
// A code's first scan is kept; its last located scan is replaced by a later one.
constexpr char kBumpCodeSql[] =
    "INSERT INTO trace_code_scans (code, scan_count, first_scan_at, first_scan_region, last_region, last_region_at) "
    "VALUES (:c, :n, :at, :r, :lr, :la) ON CONFLICT (code) DO UPDATE SET "
    "scan_count = trace_code_scans.scan_count + excluded.scan_count, "
    "last_region = CASE WHEN excluded.last_region <> '' THEN excluded.last_region ELSE trace_code_scans.last_region END, "
    "last_region_at = CASE WHEN excluded.last_region <> '' THEN excluded.last_region_at "
    "ELSE trace_code_scans.last_region_at END";

// A known scan as a fold reads it, from the queue or the backlog (views
// into them: a fold of 200,000 codes reads as many scans or more, and
// copying each as a trace::Scan faulted in hundreds of MB per fold).
struct FoldScan {
  std::string_view key, at, region;
  long long batch = 0;  // the code's batch (0: not an issued code)
};

// Scans taken from the backlog, in one buffer: a string per scan made
// allocation and page faults most of a fold's time (perf, 200,000 codes).
class BacklogScans {
 public:
  void Add(std::string_view key, std::string_view at, std::string_view region, long long batch) {
    for (std::string_view field : {key, at, region}) {
      bytes_ += field;
      ends_.push_back(bytes_.size());
    }
    batches_.push_back(batch);
  }
  std::size_t size() const { return batches_.size(); }
  void Clear() {
    bytes_.clear();
    ends_.clear();
    batches_.clear();
  }
  // Appends a view of each scan to `out`, valid while this object lives.
  void AppendTo(std::vector<FoldScan>& out) const {
    std::size_t begin = 0;
    auto next = [&](std::size_t i) {
      const std::string_view field(bytes_.data() + begin, ends_[i] - begin);
      begin = ends_[i];
      return field;
    };
    for (std::size_t i = 0; i < batches_.size(); ++i) {
      FoldScan scan;
      scan.key = next(3 * i);
      scan.at = next(3 * i + 1);
      scan.region = next(3 * i + 2);
      scan.batch = batches_[i];
      out.push_back(scan);
    }
  }

 private:
  std::string bytes_;
  std::vector<std::size_t> ends_;  // of each scan's key, time and region in bytes_
  std::vector<long long> batches_;
};

// One code's scans in a fold: the first (it sets first_scan_*), the last
// with a region ("" if none), and how many.
struct ScanRun {
  FoldScan first;  // with the code's batch
  std::string_view last_region, last_region_at;
  long long count = 0;
};

// What a fold builds, kept from one fold to the next (emptied, its
// capacity kept): allocated afresh, its tens of MB were faulted in page by
// page at every fold, clearing pages a fifth of the scan writer's time
// (perf, 10M codes).
struct FoldBuffers {
  BacklogScans backlog;
  std::vector<FoldScan> known;
  std::vector<ScanRun> runs;
};

// The runs of `known` scans into `runs`, by key and in time order within a key.
void RunsOf(std::vector<FoldScan>& known, std::vector<ScanRun>& runs) {
  std::sort(known.begin(), known.end(),
            [](const FoldScan& a, const FoldScan& b) { return std::tie(a.key, a.at) < std::tie(b.key, b.at); });
  runs.clear();
  for (const FoldScan& s : known) {
    if (runs.empty() || runs.back().first.key != s.key) runs.push_back(ScanRun{s});
    ScanRun& run = runs.back();
    ++run.count;
    if (!s.region.empty()) {
      run.last_region = s.region;
      run.last_region_at = s.at;
    }
  }
}

// Inserts `count` rows with `head` ("INSERT INTO t (…) VALUES "), 64 rows a
// statement: a statement per row spent a fifth of the scan writer's
// instructions halting statements (callgrind). bind(statement, offset, i)
// binds row i's `columns` values from parameter offset + 1 on.
template <typename Bind>
void InsertRows(soci::session& sql, const char* head, int columns, std::size_t count,
                const Bind& bind) {
  constexpr std::size_t kRows = 64;
  auto text = [&](std::size_t rows) {
    std::string row = "(?";
    for (int c = 1; c < columns; ++c) row += ",?";
    row += ')';
    std::string out = head;
    for (std::size_t r = 0; r < rows; ++r) out += (r == 0 ? "" : ",") + row;
    return out;
  };
  std::optional<SqliteStatement> full;
  for (std::size_t first = 0; first < count; first += kRows) {
    const std::size_t rows = std::min(kRows, count - first);
    std::optional<SqliteStatement> rest;
    if (rows == kRows && !full) full.emplace(sql, text(kRows).c_str());
    if (rows < kRows) rest.emplace(sql, text(rows).c_str());
    SqliteStatement& statement = rows == kRows ? *full : *rest;
    for (std::size_t r = 0; r < rows; ++r)
      bind(statement, static_cast<int>(r) * columns, first + r);
    statement.Run();
  }
}

// SQLite: parameters bound from the scans in place (SOCI copies each string).
// Known scans go to the backlog too, as `writer`'s, unless `writer` is 0.
void AppendScansSqlite(soci::session& sql, const std::vector<trace::Scan>& scans,
                       long long writer) {
  InsertRows(sql, RS_INSERT_SCANS, 5, scans.size(),
             [&](SqliteStatement& st, int at, std::size_t i) {
               const trace::Scan& s = scans[i];
               st.Bind(at + 1, s.key);
               st.Bind(at + 2, std::string_view(s.text).substr(0, 64));
               st.Bind(at + 3, s.scanned_at);
               st.Bind(at + 4, s.region_code);
               st.Bind(at + 5, static_cast<long long>(s.known ? 1 : 0));
             });
  if (writer == 0) return;
  std::vector<const trace::Scan*> known;
  for (const trace::Scan& s : scans) {
    if (s.known) known.push_back(&s);
  }
  InsertRows(sql, RS_INSERT_BACKLOG, 5, known.size(),
             [&](SqliteStatement& st, int at, std::size_t i) {
               st.Bind(at + 1, known[i]->key);
               st.Bind(at + 2, known[i]->scanned_at);
               st.Bind(at + 3, known[i]->region_code);
               st.Bind(at + 4, static_cast<long long>(known[i]->batch_id));
               st.Bind(at + 5, writer);
             });
}

void AppendScansSoci(soci::session& sql, const std::vector<trace::Scan>& scans, long long writer) {
  std::string code, text, at, region;
  int known = 0;
  long long batch = 0;
  soci::statement insert = (sql.prepare << kInsertScanSql, soci::use(code), soci::use(text), soci::use(at),
                            soci::use(region), soci::use(known));
  soci::statement backlog = (sql.prepare << kInsertBacklogSql, soci::use(code), soci::use(at),
                             soci::use(region), soci::use(batch), soci::use(writer));
  for (const trace::Scan& s : scans) {
    code = s.key;
    text = s.text.substr(0, 64);
    at = s.scanned_at;
    region = s.region_code;
    known = s.known ? 1 : 0;
    batch = s.batch_id;
    insert.execute(true);
    if (writer != 0 && s.known) backlog.execute(true);
  }
}

// The backlog's scans that a fold by `writer` takes (RS_FOLDS_ROW), removed
// from it. On SQLite the fold is the only writer: the rows are read, then
// those taken deleted, by a DELETE without WHERE when they are all of them
// (it drops the table's pages at once, where a DELETE with WHERE removes
// row by row). On PostgreSQL each row goes to exactly one of several
// servers folding at once.
void TakeBacklog(soci::session& sql, Dialect dialect, long long writer,
                 const std::string& stale_before, BacklogScans& out) {
  out.Clear();
  if (dialect == Dialect::kSqlite) {
    SqliteStatement read(sql, "SELECT code, scanned_at, region_code, batch_id, " RS_FOLDS_ROW
                              " FROM trace_scan_backlog");
    read.Bind(1, writer);
    read.Bind(2, stale_before);
    bool all = true;
    while (read.Next()) {
      if (read.Int(4) != 0) {
        out.Add(read.Text(0), read.Text(1), read.Text(2), read.Int(3));
      } else {
        all = false;
      }
    }
    if (all) {
      SqliteStatement(sql, "DELETE FROM trace_scan_backlog").Run();
      return;
    }
    SqliteStatement taken(sql, "DELETE FROM trace_scan_backlog WHERE " RS_FOLDS_ROW);
    taken.Bind(1, writer);
    taken.Bind(2, stale_before);
    taken.Run();
    return;
  }
  std::string key, at, region;
  long long batch = 0;
  soci::statement st =
      (sql.prepare << kTakeBacklogSql, soci::use(writer, "w"), soci::use(stale_before, "s"),
       soci::into(key), soci::into(at), soci::into(region), soci::into(batch));
  st.execute(false);
  while (st.fetch()) out.Add(key, at, region, batch);
}

// SQLite: parameters bound in place; runs in key order, the order of the
// table (each page of trace_code_scans is changed in one stretch).
void BumpSqlite(soci::session& sql, const std::vector<ScanRun>& runs) {
  SqliteStatement bump(sql, kBumpCodeSql);
  for (const ScanRun& run : runs) {
    if (run.first.batch == 0) continue;  // not an issued code
    bump.Bind(1, run.first.key);
    bump.Bind(2, run.count);
    bump.Bind(3, run.first.at);
    bump.Bind(4, run.first.region);
    bump.Bind(5, run.last_region);
    bump.Bind(6, run.last_region_at);
    bump.Run();
  }
}

void BumpSoci(soci::session& sql, const std::vector<ScanRun>& runs) {
  std::string code, at, region, last_region, last_at;
  long long count = 0;
  soci::statement bump = (sql.prepare << kBumpCodeSql, soci::use(code), soci::use(count), soci::use(at),
                          soci::use(region), soci::use(last_region), soci::use(last_at));
  for (const ScanRun& run : runs) {
    if (run.first.batch == 0) continue;
    code = run.first.key;
    at = run.first.at;
    region = run.first.region;
    count = run.count;
    last_region = run.last_region;
    last_at = run.last_region_at;
    bump.execute(true);
  }
}

// Adds the runs' scans to their batches' totals, in batch order (two
// servers folding at once on PostgreSQL lock the rows in the same order).
void AddBatchTotals(soci::session& sql, const std::vector<ScanRun>& runs) {
  std::map<long long, long long> totals;
  for (const ScanRun& run : runs) {
    if (run.first.batch != 0) totals[run.first.batch] += run.count;
  }
  long long batch = 0, count = 0;
  soci::statement add = (sql.prepare << "UPDATE trace_batches SET scan_total = scan_total + :n WHERE id = :b",
                         soci::use(count), soci::use(batch));
  for (const auto& [b, n] : totals) {
    batch = b;
    count = n;
    add.execute(true);
  }
}

// expected_status → status (已召回 records the reason, 已销毁 the note);
// kConflict if the batch is not in expected_status.
Status ChangeBatchStatus(soci::session& sql, Id batch_id, const std::string& expected_status,
                         const std::string& status, const std::string& reason, const std::string& at) {
  long long b = batch_id;
  const bool recall = status == trace::kStatusRecalled;
  const std::string sql_text =
      recall ? "UPDATE trace_batches SET status = :s, recalled_at = :at, recall_reason = :r WHERE id = :id AND status = :old"
             : "UPDATE trace_batches SET status = :s, destroyed_at = :at, recall_reason = recall_reason || :r WHERE id = :id AND status = :old";
  const std::string note = recall ? reason : (reason.empty() ? "" : "；销毁：" + reason);
  soci::statement st = (sql.prepare << sql_text, soci::use(status), soci::use(at), soci::use(note), soci::use(b),
                        soci::use(expected_status));
  st.execute(true);
  if (st.get_affected_rows() == 0) {
    return Fail(ErrorCode::kConflict, recall ? "只有状态为正常的批次可以召回" : "只有已召回的批次可以销毁");
  }
  return Ok();
}

void InsertBatchRow(soci::session& sql, const trace::Batch& batch) {
  long long id = batch.id, org = batch.org_id, by = batch.created_by;
  const trace::BatchRequest& r = batch.request;
  double bits = batch.random_bits;
  const std::string packs = PackSizesText(r.pack_sizes);
  sql << "INSERT INTO trace_batches (id, kind, enterprise_uscc, enterprise_name, registration_no, product_name, spec, "
         "production_type, enterprise_code, lot, production_date, quantity, region_code, random_bits, status, org_id, "
         "created_by, created_at, pack_sizes) VALUES (:id, :k, :u, :n, :reg, :p, :spec, :pt, :ec, :lot, :pd, :q, "
         ":rc, :bits, :st, :org, :by, :at, :packs)",
      soci::use(id), soci::use(r.kind), soci::use(r.enterprise_uscc), soci::use(r.enterprise_name),
      soci::use(r.registration_no), soci::use(r.product_name), soci::use(r.spec), soci::use(r.production_type),
      soci::use(r.enterprise_code), soci::use(r.lot), soci::use(r.production_date), soci::use(r.quantity),
      soci::use(r.region_code), soci::use(bits), soci::use(batch.status), soci::use(org), soci::use(by),
      soci::use(batch.created_at), soci::use(packs);
}

// Notices to write: one per holder of a recalled batch that has none, for
// the holders with `column` (h.batch_id or h.capture_id) = `value`; with the
// place's name, region and organisation when it is registered, and the id
// as written of its first role (destination before receiving).
std::vector<trace::RecallNotice> DraftNotices(soci::session& sql, const char* column, Id value) {
  QueryBuilder q("SELECT h.batch_id, h.holder_key, h.holder_id, COALESCE(p.name, ''), COALESCE(p.region_code, ''), "
                 "COALESCE(p.org_id, 0) FROM trace_batch_holders h JOIN trace_batches b ON b.id = h.batch_id LEFT "
                 "JOIN trace_places p ON p.place_key = h.holder_key WHERE ");
  q.Sql(column).Sql(" = ").Param(static_cast<long long>(value)).Sql(" AND b.status = ").Param(trace::kStatusRecalled);
  q.Sql(" AND NOT EXISTS (SELECT 1 FROM trace_recall_notices n WHERE n.batch_id = h.batch_id AND n.holder_key = "
        "h.holder_key) ORDER BY h.batch_id, h.holder_key, h.role");
  long long batch = 0, org = 0;
  trace::RecallNotice n;
  soci::statement st(sql);
  st.exchange(soci::into(batch));
  for (std::string* text : {&n.holder_key, &n.holder_id, &n.holder_name, &n.region_code}) {
    st.exchange(soci::into(*text));
  }
  st.exchange(soci::into(org));
  q.Prepare(st);
  st.execute();
  std::vector<trace::RecallNotice> out;
  while (st.fetch()) {
    if (!out.empty() && out.back().batch_id == batch && out.back().holder_key == n.holder_key) continue;
    n.batch_id = batch;
    n.org_id = org;
    out.push_back(n);
  }
  return out;
}

// A notice that exists already is kept.
void InsertNotices(soci::session& sql, const std::vector<trace::RecallNotice>& notices) {
  trace::RecallNotice n;
  long long id = 0, batch = 0, org = 0;
  soci::statement insert =
      (sql.prepare << "INSERT INTO trace_recall_notices (id, batch_id, holder_key, holder_id, holder_name, "
                      "region_code, org_id, routed, status, created_at) VALUES (:id, :b, :k, :h, :n, :r, :o, "
                      ":routed, :s, :c) ON CONFLICT (batch_id, holder_key) DO NOTHING",
       soci::use(id), soci::use(batch), soci::use(n.holder_key), soci::use(n.holder_id), soci::use(n.holder_name),
       soci::use(n.region_code), soci::use(org), soci::use(n.routed), soci::use(n.status), soci::use(n.created_at));
  for (const trace::RecallNotice& next : notices) {
    n = next;
    id = n.id;
    batch = n.batch_id;
    org = n.org_id;
    insert.execute(true);
  }
}

// Notices to the holders capture `capture_id` listed first for batches
// recalled already. On PostgreSQL the batches are locked first: a recall
// being written is waited for and then seen, and a recall that starts later
// waits for this capture and lists its holders itself.
int NotifyNewHolders(soci::session& sql, Dialect dialect, Id capture_id, const CompleteNotices& complete) {
  if (dialect == Dialect::kPostgres) {
    long long c = capture_id;
    sql << "SELECT 1 FROM trace_batches WHERE id IN (SELECT batch_id FROM trace_batch_holders WHERE capture_id = :c) "
           "FOR SHARE", soci::use(c);
  }
  std::vector<trace::RecallNotice> notices = DraftNotices(sql, "h.capture_id", capture_id);
  if (notices.empty()) return 0;
  complete(notices);
  InsertNotices(sql, notices);
  return static_cast<int>(notices.size());
}

class SqlTraceStore final : public trace::TraceStore {
 public:
  explicit SqlTraceStore(Database& db) : db_(db) {}

  void PrepareEvents(std::vector<EpcisEvent>& events) const override {
    if (db_.dialect() != Dialect::kSqlite) return;
    for (EpcisEvent& e : events) e.body = PackEventBody(e.body);
    LookUpBatchesSqlite(db_, events);
  }

  Result<CaptureResult> Capture(Id capture_id, const std::string& received_at, const trace::EventSource& source,
                                const CompleteNotices& complete,
                                const std::function<AuditEntry(int events, int notices)>& audit_for) override {
    CaptureResult result;
    AuditEntry audit;  // appended by Write after the work, once the number of events is known
    RS_TRY(db_.Write(&audit, [&](soci::session& sql) -> Status {
      result = {capture_id, 0, 0, 0, 0};
      long long id = capture_id, user = 0;
      int count = 0;
      sql << "INSERT INTO trace_captures (id, received_at, user_id, events) VALUES (:id, :t, :u, :n)",
          soci::use(id), soci::use(received_at), soci::use(user), soci::use(count);
      // A million events grow four randomly keyed indexes (event id, code,
      // place, destination) and append some 700 MB of rows: a smaller cache
      // spills dirty pages to the WAL mid-transaction and reads them back
      // (perf: sqlite3WalFindFrame and page copies the top entries). 1M events
      // into a database of 10M: 72.7 s at 512 MiB, 52.0 s at 2 GiB (2.6 GB
      // RSS); pages are only allocated as they are touched.
      LargeCache cache(sql, db_.dialect(), 2048);
      std::unique_ptr<EventInserter> writer;
      if (db_.dialect() == Dialect::kSqlite) {
        writer = std::make_unique<SqliteEventWriter>(sql);
      } else {
        writer = std::make_unique<EventWriter>(sql);
      }
      CapturedRows rows;
      RS_TRY(source([&](EpcisEvent& e) -> Status {
        ++count;
        StoreEvent(sql, *writer, capture_id, e, result, rows);
        return Ok();
      }));
      UpdateHolders(sql, db_.dialect(), capture_id, rows);
      if (complete) result.notified = NotifyNewHolders(sql, db_.dialect(), capture_id, complete);
      audit = audit_for(count, result.notified);
      user = audit.actor.user_id;
      sql << "UPDATE trace_captures SET events = :n, user_id = :u WHERE id = :id", soci::use(count), soci::use(user),
          soci::use(id);
      return Ok();
    }));
    return result;
  }

  Result<std::vector<StoredEvent>> FindEvents(const EventQuery& query) override {
    std::vector<StoredEvent> out;
    RS_TRY(db_.Read([&](soci::session& sql) -> Status {
      QueryBuilder q("SELECT ");
      q.Sql(kEventColumns).Sql(" WHERE e.is_declaration = 0");
      if (!query.code_keys.empty()) {
        q.Sql(" AND e.id IN (SELECT c.event_row FROM trace_event_codes c WHERE ");
        for (size_t idx = 0; idx < query.code_keys.size(); ++idx) {
          q.Sql(idx == 0 ? "(" : " OR (");
          NamesCode(q, "c", [&] { q.Sql("= ").Param(query.code_keys[idx]); });
          q.Sql(")");
        }
        q.Sql(")");
      }
      if (!query.lot.empty()) {
        // `lot <> ''` lets the partial index trace_event_codes_lot serve.
        q.Sql(" AND e.id IN (SELECT event_row FROM trace_event_codes WHERE lot <> '' AND lot = ")
            .Param(query.lot)
            .Sql(")");
      }
      if (!query.place.empty()) {
        q.Sql(" AND (e.read_point = ").Param(query.place).Sql(" OR e.biz_location = ").Param(query.place).Sql(")");
      }
      if (!query.region.empty()) {
        auto places = [&] { q.Sql(" IN (SELECT place_key FROM trace_places WHERE 1 = 1").InRegion("region_code", query.region).Sql(")"); };
        q.Sql(" AND (e.read_point");
        places();
        q.Sql(" OR e.biz_location");
        places();
        q.Sql(")");
      }
      if (!query.biz_step.empty()) q.Sql(" AND e.biz_step = ").Param(query.biz_step);
      if (!query.from.empty()) q.Sql(" AND e.event_time >= ").Param(query.from);
      if (!query.to.empty()) q.Sql(" AND e.event_time <= ").Param(query.to);
      q.Sql(" ORDER BY e.event_time_ms, e.id LIMIT ").Param(static_cast<long long>(query.limit));
      out = FetchAll<EventRow>(sql, q);
      if (out.empty()) return Ok();
      std::map<long long, StoredEvent*> by_id;
      std::vector<std::string> unused;
      QueryBuilder codes("SELECT event_row, role, code, raw, lot, quantity, uom FROM trace_event_codes WHERE event_row IN (");
      QueryBuilder refs("SELECT event_row, kind, type, value, ref_key FROM trace_event_refs WHERE event_row IN (");
      for (size_t idx = 0; idx < out.size(); ++idx) {
        by_id[out[idx].event.id] = &out[idx];
        codes.Sql(idx == 0 ? "" : ", ").Param(static_cast<long long>(out[idx].event.id));
        refs.Sql(idx == 0 ? "" : ", ").Param(static_cast<long long>(out[idx].event.id));
      }
      codes.Sql(")");
      refs.Sql(")");
      for (auto& [row, code] : FetchAll<CodeRow>(sql, codes)) by_id[row]->event.codes.push_back(std::move(code));
      for (auto& [row, ref] : FetchAll<RefRow>(sql, refs)) by_id[row]->event.refs.push_back(std::move(ref));
      return Ok();
    }));
    return out;
  }

  Result<std::vector<CodeLink>> Links(const std::string& key) override {
    std::vector<CodeLink> out;
    RS_TRY(db_.Read([&](soci::session& sql) -> Status {
      QueryBuilder q(
          "SELECT c2.code, c1.role, c2.role, e.event_id FROM trace_event_codes c1 "
          "JOIN trace_event_codes c2 ON c2.event_row = c1.event_row "
          "JOIN trace_events e ON e.id = c1.event_row WHERE ");
      NamesCode(q, "c1", [&] { q.Sql("= ").Param(key); });
      q.Sql(" AND c2.code <> ").Param(key).Sql(
          " AND e.declared_error = '' AND e.event_type IN ('AggregationEvent', 'AssociationEvent', "
          "'TransformationEvent') ORDER BY e.event_time_ms, e.id LIMIT 10000");
      for (LinkRow& row : FetchAll<LinkRow>(sql, q)) {
        std::string relation = Relation(row.from_role, row.to_role);
        if (!relation.empty()) out.push_back({row.key, relation, row.event_id});
      }
      // Pack levels linked at issuance (no event).
      std::string linked;
      soci::statement parent = (sql.prepare << "SELECT parent FROM trace_codes WHERE code = :k AND parent <> ''",
                                soci::into(linked), soci::use(key));
      parent.execute(false);
      while (parent.fetch()) out.push_back({linked, "parent", ""});
      soci::statement children = (sql.prepare << "SELECT code FROM trace_codes WHERE parent = :k AND parent <> '' ORDER BY seq LIMIT 10000",
                                  soci::into(linked), soci::use(key));
      children.execute(false);
      while (children.fetch()) out.push_back({linked, "child", ""});
      return Ok();
    }));
    return out;
  }

  Status IssueBatch(const trace::Batch& batch, const std::vector<int>& counts, const CodeDraw& draw,
                    const AuditEntry& audit) override {
    return db_.Write(&audit, [&](soci::session& sql) -> Status {
      InsertBatchRow(sql, batch);
      // Top level first, so that each code is stored with its pack.
      std::vector<std::vector<std::string>> keys(counts.size());
      long long id = batch.id, seq = 0;
      int level = 0;
      std::string code, text, parent;
      soci::statement insert = (sql.prepare << "INSERT INTO trace_codes (code, text, batch_id, seq, level, parent) "
                                               "VALUES (:c, :t, :b, :s, :l, :p) ON CONFLICT (code) DO NOTHING",
                                soci::use(code), soci::use(text), soci::use(id), soci::use(seq), soci::use(level),
                                soci::use(parent));
      for (level = static_cast<int>(counts.size()) - 1; level >= 0; --level) {
        const size_t want = static_cast<size_t>(counts[level]);
        const long long first_seq = std::accumulate(counts.begin(), counts.begin() + level, 0LL);
        std::vector<std::string>& stored = keys[level];
        // Drawn in rounds and inserted in key order, so that the code index
        // grows by appends within the round rather than on random pages
        // (which also leave its pages part-empty).
        long long draws = 0;
        while (stored.size() < want) {
          std::vector<std::pair<std::string, std::string>> round;
          for (size_t n = stored.size(); n < want; ++n) round.push_back(draw(level));
          draws += static_cast<long long>(round.size());
          std::sort(round.begin(), round.end());
          for (auto& [key, label] : round) {
            if (stored.size() == want) break;
            code = std::move(key);
            text = std::move(label);
            seq = first_seq + static_cast<long long>(stored.size());
            parent = level + 1 < static_cast<int>(counts.size())
                         ? keys[level + 1][stored.size() / static_cast<size_t>(batch.request.pack_sizes[level])]
                         : "";
            insert.execute(true);
            if (insert.get_affected_rows() > 0) stored.push_back(code);
          }
          if (stored.size() < want && draws >= 2LL * counts[level] + 64) {
            return Fail(ErrorCode::kUnavailable, "码空间不足，请稍后重试");
          }
        }
      }
      // Events may have named the codes (forged or by chance) or a GS1
      // batch's lot before the batch was issued here.
      if (RekeyIssuedCodes(sql, batch.id) || batch.request.kind == "sgtin") {
        RebuildHolders(sql, db_.dialect(), batch.id, 0);
      }
      return Ok();
    });
  }

  Result<trace::Batch> FindBatch(Id id, bool with_scans) override {
    std::vector<trace::Batch> found;
    RS_TRY(db_.Read([&](soci::session& sql) -> Status {
      QueryBuilder q("SELECT ");
      q.Sql(kBatchColumns)
          .Sql(with_scans ? ", b.scan_total, " RS_LAST_FOLD : ", 0, 0")
          .Sql(" FROM trace_batches b WHERE b.id = ")
          .Param(static_cast<long long>(id));
      found = FetchAll<BatchRow>(sql, q);
      return Ok();
    }));
    if (found.empty()) return Fail(ErrorCode::kNotFound, "批次不存在");
    return found.front();
  }

  Result<std::vector<trace::Batch>> ListBatches(Id org_id, int limit) override {
    std::vector<trace::Batch> out;
    RS_TRY(db_.Read([&](soci::session& sql) -> Status {
      QueryBuilder q("SELECT ");
      q.Sql(kBatchColumns)
          .Sql(", b.scan_total, " RS_LAST_FOLD " FROM trace_batches b WHERE 1 = 1");
      if (org_id != 0) q.Sql(" AND b.org_id = ").Param(static_cast<long long>(org_id));
      q.Sql(" ORDER BY b.created_at DESC, b.id DESC LIMIT ").Param(static_cast<long long>(limit));
      out = FetchAll<BatchRow>(sql, q);
      return Ok();
    }));
    return out;
  }

  Result<std::unordered_map<Id, std::string>> ClosedBatchStatuses() override {
    std::unordered_map<Id, std::string> out;
    RS_TRY(db_.Read([&](soci::session& sql) -> Status {
      long long id = 0;
      std::string status;
      // The status is a literal, not a parameter: SQLite uses the partial
      // index (migration 22) only for the WHERE it was made with.
      soci::statement st =
          (sql.prepare << "SELECT id, status FROM trace_batches WHERE status <> '" +
                              std::string(trace::kStatusNormal) + "'",
           soci::into(id), soci::into(status));
      st.execute(false);
      while (st.fetch()) out.emplace(id, status);
      return Ok();
    }));
    return out;
  }

  Result<std::vector<trace::IssuedCode>> BatchCodes(Id batch_id, int limit) override {
    std::vector<trace::IssuedCode> out;
    RS_TRY(db_.Read([&](soci::session& sql) -> Status {
      long long b = batch_id, n = limit;
      trace::IssuedCode code;
      soci::statement st = (sql.prepare << "SELECT c.text, c.level, COALESCE(p.text, '') FROM trace_codes c "
                                           "LEFT JOIN trace_codes p ON p.code = c.parent WHERE c.batch_id = :b "
                                           "ORDER BY c.seq LIMIT :n",
                            soci::into(code.text), soci::into(code.level), soci::into(code.parent), soci::use(b),
                            soci::use(n));
      st.execute(false);
      while (st.fetch()) out.push_back(code);
      return Ok();
    }));
    return out;
  }

  Status SetBatchStatus(Id batch_id, const std::string& expected_status, const std::string& status,
                        const std::string& reason, const std::string& at, const AuditEntry& audit) override {
    RS_TRY(FindBatch(batch_id, false));
    return db_.Write(&audit, [&](soci::session& sql) {
      return ChangeBatchStatus(sql, batch_id, expected_status, status, reason, at);
    });
  }

  Result<std::optional<trace::CodeInfo>> LookupCode(const std::string& key) override {
    std::optional<trace::CodeInfo> out;
    if (db_.dialect() == Dialect::kSqlite) {
      RS_TRY(LookupSqlite(db_, key, out));
      return out;
    }
    RS_TRY(db_.Read([&](soci::session& sql) -> Status {
      static const std::string text = Named(kLookupSql, {":k"});
      trace::CodeInfo info;
      long long scans = 0, batch = 0, contains = 0, last_fold = 0;
      int suspicious = 0;
      soci::indicator ind = soci::i_ok;
      sql << text, soci::into(info.text, ind), soci::into(scans), soci::into(info.first_scan_at),
          soci::into(info.first_scan_region), soci::into(suspicious), soci::into(batch), soci::into(info.level),
          soci::into(info.parent_text), soci::into(contains), soci::into(info.last_region),
          soci::into(info.last_region_at), soci::into(last_fold), soci::use(key);
      if (!sql.got_data()) return Ok();
      info.key = key;
      info.scan_count = scans;
      info.suspicious = suspicious != 0;
      info.batch_id = batch;
      info.contains = contains;
      info.last_fold = last_fold;
      out = std::move(info);
      return Ok();
    }));
    return out;
  }

  Status RecordScans(const std::vector<trace::Scan>& scans, Id writer) override {
    RS_CHECK(writer != 0) << "scans need their writer";
    return db_.Write(nullptr, [&](soci::session& sql) -> Status {
      if (db_.dialect() == Dialect::kSqlite) {
        AppendScansSqlite(sql, scans, writer);
      } else {
        AppendScansSoci(sql, scans, writer);
      }
      return Ok();
    });
  }

  Status FoldScans(const std::vector<trace::Scan>& scans, Id fold, Id writer,
                   const std::string& stale_before) override {
    std::lock_guard lock(fold_mu_);
    return db_.WriteInOrder([&](soci::session& sql) -> Status {
      LargeCache cache(sql, db_.dialect(), 64);
      const bool sqlite = db_.dialect() == Dialect::kSqlite;
      if (sqlite) {
        AppendScansSqlite(sql, scans, 0);
      } else {
        AppendScansSoci(sql, scans, 0);
      }
      TakeBacklog(sql, db_.dialect(), writer, stale_before, fold_.backlog);
      std::vector<FoldScan>& known = fold_.known;
      known.clear();
      known.reserve(fold_.backlog.size() + scans.size());
      fold_.backlog.AppendTo(known);
      for (const trace::Scan& s : scans) {
        if (s.known)
          known.push_back({s.key, s.scanned_at, s.region_code, static_cast<long long>(s.batch_id)});
      }
      RunsOf(known, fold_.runs);
      const std::vector<ScanRun>& runs = fold_.runs;
      if (sqlite) {
        BumpSqlite(sql, runs);
      } else {
        BumpSoci(sql, runs);
      }
      AddBatchTotals(sql, runs);
      long long token = fold;
      sql << "UPDATE trace_folds SET last_fold = :f", soci::use(token);
      return Ok();
    });
  }

  Result<trace::ScanStats> ScanStatistics(Id batch_id, const std::string& since) override {
    trace::ScanStats stats;
    RS_TRY(db_.Read([&](soci::session& sql) -> Status {
      auto filtered = [&](QueryBuilder& q) {
        q.Sql(" FROM trace_scans s WHERE s.known = 1 AND s.scanned_at >= ").Param(since);
        if (batch_id != 0) {
          q.Sql(" AND s.code IN (SELECT code FROM trace_codes WHERE batch_id = ").Param(static_cast<long long>(batch_id)).Sql(")");
        }
      };
      QueryBuilder regions("SELECT s.region_code, COUNT(*)");
      filtered(regions);
      regions.Sql(" GROUP BY s.region_code ORDER BY COUNT(*) DESC");
      for (auto& [k, n] : FetchAll<CountRow>(sql, regions)) stats.by_region.emplace_back(k.empty() ? "未知" : k, n);
      // Hours in UTC; the caller's day is Asia/Shanghai, so group by hour here.
      QueryBuilder hours("SELECT SUBSTR(s.scanned_at, 1, 13), COUNT(*)");
      filtered(hours);
      hours.Sql(" GROUP BY SUBSTR(s.scanned_at, 1, 13) ORDER BY 1");
      std::map<std::string, std::int64_t> days;
      for (auto& [hour, n] : FetchAll<CountRow>(sql, hours)) {
        Result<TimePoint> t = ParseTime(hour + ":00:00Z");
        if (t) days[ShanghaiDate(*t)] += n;
      }
      stats.by_day.assign(days.begin(), days.end());
      return Ok();
    }));
    return stats;
  }

  Result<std::map<std::string, Sale>> RetailSales(const std::vector<std::string>& keys,
                                                  const std::string& before) override {
    std::map<std::string, Sale> out;
    if (keys.empty()) return out;
    if (db_.dialect() == Dialect::kSqlite) {
      RS_TRY(RetailSalesSqlite(db_, keys, before, out));
      return out;
    }
    RS_TRY(db_.Read([&](soci::session& sql) -> Status {
      std::string key;
      Sale sale;
      static const std::string text = Named(kRetailSaleSql, {":k", ":b"});
      soci::statement find = (sql.prepare << text, soci::into(sale.place_key), soci::into(sale.event_time),
                              soci::into(sale.region_code), soci::use(key), soci::use(before));
      for (const std::string& k : keys) {
        key = k;
        if (find.execute(true)) out.emplace(k, sale);
      }
      return Ok();
    }));
    return out;
  }

  Status UpsertSuspicions(const std::vector<trace::Suspicion>& list) override {
    std::vector<AuditEntry> audits;
    return db_.WriteAll(audits, [&](soci::session& sql) -> Status {
      audits.clear();
      trace::Suspicion s;
      long long existing = 0, id = 0, batch = 0, org = 0;
      soci::indicator ind = soci::i_ok;
      soci::statement find = (sql.prepare << "SELECT MAX(id) FROM trace_suspicions "
                                             "WHERE rule = :r AND code_key = :k AND status = '待核查'",
                              soci::into(existing, ind), soci::use(s.rule), soci::use(s.code_key));
      soci::statement bump = (sql.prepare << "UPDATE trace_suspicions SET hits = hits + 1, updated_at = :t, "
                                             "detail = :d WHERE id = :id",
                              soci::use(s.updated_at), soci::use(s.detail), soci::use(existing));
      soci::statement insert =
          (sql.prepare << "INSERT INTO trace_suspicions (id, rule, code_key, batch_id, region_code, org_id, detail, "
                          "status, hits, created_at, updated_at) VALUES (:id, :r, :k, :b, :rc, :o, :d, :s, 1, :c, :u)",
           soci::use(id), soci::use(s.rule), soci::use(s.code_key), soci::use(batch), soci::use(s.region_code),
           soci::use(org), soci::use(s.detail), soci::use(s.status), soci::use(s.created_at), soci::use(s.updated_at));
      // Verification reads this flag with the code (one indexed row) instead
      // of searching the suspicions on every scan.
      soci::statement flag = (sql.prepare << "UPDATE trace_codes SET suspicious = 1 WHERE code = :k", soci::use(s.code_key));
      for (const trace::Suspicion& next : list) {
        s = next;
        id = s.id;
        batch = s.batch_id;
        org = s.org_id;
        find.execute(true);
        if (ind != soci::i_null && existing != 0) {
          bump.execute(true);
          continue;
        }
        insert.execute(true);
        flag.execute(true);
        audits.push_back({Actor{}, "trace.suspicion", "trace_suspicion", std::to_string(s.id),
                          "疑似克隆码（" + s.rule + "）：" + s.detail});
      }
      return Ok();
    });
  }

  Result<std::vector<trace::Suspicion>> ListSuspicions(const std::string& status, const trace::Visibility& visibility,
                                                        int limit) override {
    std::vector<trace::Suspicion> out;
    RS_TRY(db_.Read([&](soci::session& sql) -> Status {
      QueryBuilder q("SELECT ");
      q.Sql(kSuspicionColumns).Sql(" WHERE 1 = 1");
      if (!status.empty()) q.Sql(" AND s.status = ").Param(status);
      Visible(q, "s", visibility);
      q.Sql(" ORDER BY s.updated_at DESC, s.id DESC LIMIT ").Param(static_cast<long long>(limit));
      out = FetchAll<SuspicionRow>(sql, q);
      return Ok();
    }));
    return out;
  }

  Result<trace::Suspicion> FindSuspicion(Id id) override {
    return FindOne<SuspicionRow>(kSuspicionColumns, " WHERE s.id = ", static_cast<long long>(id), "疑似克隆码记录不存在");
  }

  Status ReviewSuspicion(const trace::Suspicion& r, const AuditEntry& audit) override {
    return db_.Write(&audit, [&](soci::session& sql) -> Status {
      long long id = r.id, by = r.reviewed_by;
      soci::statement st = (sql.prepare << "UPDATE trace_suspicions SET status = :s, reviewed_by = :u, reviewed_at = :t, "
                                           "review_comment = :c, updated_at = :t2 WHERE id = :id AND status = '待核查'",
                            soci::use(r.status), soci::use(by), soci::use(r.reviewed_at), soci::use(r.review_comment),
                            soci::use(r.reviewed_at), soci::use(id));
      st.execute(true);
      if (st.get_affected_rows() == 0) return Fail(ErrorCode::kConflict, "该疑似克隆码已核查", "id");
      if (r.status == trace::kSuspicionDismissed) {
        const std::string dismissed = trace::kSuspicionDismissed;
        sql << "UPDATE trace_codes SET suspicious = 0 WHERE code = :k AND NOT EXISTS (SELECT 1 FROM trace_suspicions "
               "WHERE code_key = :k2 AND status <> :d)",
            soci::use(r.code_key), soci::use(r.code_key), soci::use(dismissed);
      }
      return Ok();
    });
  }

  Result<std::vector<trace::Holder>> Holders(Id batch_id) override {
    RS_TRY(FindBatch(batch_id, false));
    const long long b = batch_id;
    std::vector<trace::Holder> out;
    RS_TRY(db_.Read([&](soci::session& sql) -> Status {
      QueryBuilder q(kHolderColumns);
      q.Sql("SELECT holder_key AS hkey, holder_id AS hid, role AS hrole, last_time AS htime FROM "
            "trace_batch_holders WHERE batch_id = ").Param(b);
      q.Sql(kHolderJoins).Param(b).Sql(" LEFT JOIN organizations no ON no.id = n.org_id ORDER BY h.hkey, h.hrole");
      out = FetchAll<HolderRow>(sql, q);
      return Ok();
    }));
    return out;
  }

  Status RecallBatch(Id batch_id, const std::string& reason, const std::string& at, const CompleteNotices& complete,
                     const AuditEntry& audit) override {
    RS_TRY(FindBatch(batch_id, false));
    return db_.Write(&audit, [&](soci::session& sql) -> Status {
      RS_TRY(ChangeBatchStatus(sql, batch_id, trace::kStatusNormal, trace::kStatusRecalled, reason, at));
      std::vector<trace::RecallNotice> notices = DraftNotices(sql, "h.batch_id", batch_id);
      if (notices.empty()) return Ok();
      complete(notices);
      InsertNotices(sql, notices);
      return Ok();
    });
  }

  Status SaveRuleVersion(const trace::RuleVersion& version, const AuditEntry& audit) override {
    return db_.Write(&audit, [&](soci::session& sql) -> Status {
      long long id = version.id, by = version.changed_by;
      soci::indicator by_ind = by == 0 ? soci::i_null : soci::i_ok;
      const trace::CloneRules& r = version.rules;
      sql << "INSERT INTO trace_rule_versions (id, scans_per_unit, distant_window_hours, cluster_threshold, "
             "cluster_window_minutes, note, changed_by, changed_at) VALUES (:id, :s, :d, :c, :w, :n, :by, :at)",
          soci::use(id), soci::use(r.scans_per_unit), soci::use(r.distant_window_hours), soci::use(r.cluster_threshold),
          soci::use(r.cluster_window_minutes), soci::use(version.note), soci::use(by, by_ind),
          soci::use(version.changed_at);
      return Ok();
    });
  }

  Result<std::vector<trace::RuleVersion>> RuleVersions(int limit) override {
    std::vector<trace::RuleVersion> out;
    RS_TRY(db_.Read([&](soci::session& sql) -> Status {
      QueryBuilder q(kRuleVersionColumns);
      q.Sql(" ORDER BY v.changed_at DESC, v.id DESC LIMIT ").Param(static_cast<long long>(limit));
      out = FetchAll<RuleVersionRow>(sql, q);
      return Ok();
    }));
    return out;
  }

  Result<trace::Listing<trace::RecallNotice>> ListNotices(const trace::NoticeQuery& query) override {
    trace::Listing<trace::RecallNotice> out;
    RS_TRY(db_.Read([&](soci::session& sql) -> Status {
      auto filters = [&](QueryBuilder& q) {
        q.Sql(" WHERE 1 = 1");
        if (!query.status.empty()) q.Sql(" AND n.status = ").Param(query.status);
        if (query.batch_id != 0) q.Sql(" AND n.batch_id = ").Param(static_cast<long long>(query.batch_id));
        Visible(q, "n", query.visibility);
      };
      platform::Page<trace::RecallNotice> page = FetchPage<NoticeRow>(
          sql, kNoticeColumns, filters, "n.status DESC, n.created_at DESC, n.id DESC", {query.page, query.page_size});
      out = {std::move(page.items), page.total};
      return Ok();
    }));
    return out;
  }

  Result<trace::RecallNotice> FindNotice(Id id) override {
    return FindOne<NoticeRow>(kNoticeColumns, " WHERE n.id = ", static_cast<long long>(id), "召回通知不存在");
  }

  Status AcknowledgeNotice(const trace::RecallNotice& n, const AuditEntry& audit) override {
    return db_.Write(&audit, [&](soci::session& sql) -> Status {
      long long id = n.id, by = n.acknowledged_by;
      soci::statement st = (sql.prepare << "UPDATE trace_recall_notices SET status = '已确认', acknowledged_at = :t, "
                                           "acknowledged_by = :u, ack_note = :note WHERE id = :id AND status = '待确认'",
                            soci::use(n.acknowledged_at), soci::use(by), soci::use(n.ack_note), soci::use(id));
      st.execute(true);
      if (st.get_affected_rows() == 0) return Fail(ErrorCode::kConflict, "该召回通知已确认", "id");
      return Ok();
    });
  }

  Status UpsertPlaces(const std::vector<trace::Place>& places, const AuditEntry& audit) override {
    return db_.Write(&audit, [&](soci::session& sql) -> Status {
      trace::Place p;
      int retail = 0;
      long long org = 0;
      soci::indicator org_ind = soci::i_null;
      soci::statement update =
          (sql.prepare << "UPDATE trace_places SET id_text = :i, name = :n, region_code = :r, retail = :re, "
                          "org_id = :o, updated_at = :t WHERE place_key = :k",
           soci::use(p.id), soci::use(p.name), soci::use(p.region_code), soci::use(retail), soci::use(org, org_ind),
           soci::use(p.updated_at), soci::use(p.key));
      soci::statement insert =
          (sql.prepare << "INSERT INTO trace_places (place_key, id_text, name, region_code, retail, org_id, updated_at) "
                          "VALUES (:k, :i, :n, :r, :re, :o, :t)",
           soci::use(p.key), soci::use(p.id), soci::use(p.name), soci::use(p.region_code), soci::use(retail),
           soci::use(org, org_ind), soci::use(p.updated_at));
      for (const trace::Place& next : places) {
        p = next;
        retail = p.retail ? 1 : 0;
        org = p.org_id;
        org_ind = p.org_id != 0 ? soci::i_ok : soci::i_null;
        update.execute(true);
        if (update.get_affected_rows() == 0) insert.execute(true);
      }
      return Ok();
    });
  }

  Result<trace::Place> FindPlace(const std::string& key) override {
    return FindOne<PlaceRow>(kPlaceColumns, " WHERE p.place_key = ", key, "地点未登记");
  }


  Result<trace::Listing<trace::Place>> ListPlaces(const trace::PlaceQuery& query) override {
    trace::Listing<trace::Place> out;
    RS_TRY(db_.Read([&](soci::session& sql) -> Status {
      auto filters = [&](QueryBuilder& q) {
        q.Sql(" WHERE 1 = 1");
        if (!query.region.empty()) q.InRegion("p.region_code", query.region);
        if (query.retail) q.Sql(*query.retail ? " AND p.retail = 1" : " AND p.retail = 0");
        if (!query.text.empty()) {
          const std::string like = "%" + query.text + "%";
          q.Sql(" AND (p.name LIKE ").Param(like).Sql(" OR p.id_text LIKE ").Param(like).Sql(" OR p.place_key LIKE ").Param(like).Sql(")");
        }
      };
      platform::Page<trace::Place> page =
          FetchPage<PlaceRow>(sql, kPlaceColumns, filters, "p.region_code, p.name, p.place_key", {query.page, query.page_size});
      out = {std::move(page.items), page.total};
      return Ok();
    }));
    return out;
  }

 private:
  // The one row of `columns_from` whose `where` (" WHERE x = ") equals `key`;
  // kNotFound with `missing` if none.
  template <typename Row, typename Key>
  auto FindOne(const char* columns_from, const char* where, const Key& key, const char* missing)
      -> Result<decltype(std::declval<Row&>().Take())> {
    std::vector<decltype(std::declval<Row&>().Take())> found;
    RS_TRY(db_.Read([&](soci::session& sql) -> Status {
      QueryBuilder q("SELECT ");
      q.Sql(columns_from).Sql(where).Param(key);
      found = FetchAll<Row>(sql, q);
      return Ok();
    }));
    if (found.empty()) return Fail(ErrorCode::kNotFound, missing);
    return found.front();
  }

  Database& db_;
  std::mutex fold_mu_;  // held by a fold
  FoldBuffers fold_;    // GUARDED_BY(fold_mu_)
};

}  // namespace

std::unique_ptr<trace::TraceStore> MakeTraceStore(Database& db) {
  return std::make_unique<SqlTraceStore>(db);
}

}  // namespace redshield::storage
