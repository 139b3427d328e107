// SQL of cases::CustodyStore (migration 9). Lists (unit methods, witnesses)
// are newline-joined text; photos are in the attachments table (attachments_sql.h).
// Weights are DOUBLE PRECISION kilograms, values BIGINT fen.
#include "storage/custody_store_sql.h"

#include "storage/attachments_sql.h"
#include "storage/query.h"

namespace redshield::storage {
namespace {

using cases::CustodyEvent;
using cases::DestructionOrder;
using cases::DestructionUnit;
using cases::SeizedItem;

std::string JoinLines(const std::vector<std::string>& parts) {
  std::string out;
  for (size_t index = 0; index < parts.size(); ++index) {
    if (index > 0) out += '\n';
    out += parts[index];
  }
  return out;
}

std::vector<std::string> SplitLines(const std::string& text) {
  std::vector<std::string> parts;
  size_t start = 0;
  while (start < text.size()) {
    size_t end = text.find('\n', start);
    if (end == std::string::npos) end = text.size();
    if (end > start) parts.push_back(text.substr(start, end - start));
    start = end + 1;
  }
  return parts;
}

constexpr const char* kItemColumns =
    "SELECT id, case_id, org_id, region_code, description, quantity, unit, weight_kg, value_fen, "
    "storage_place, status, created_by, created_at, updated_at FROM case_items";

struct ItemRow {
  SeizedItem item;
  long long id = 0, case_id = 0, org_id = 0, value = 0, by = 0;
  void Bind(soci::statement& st) {
    st.exchange(soci::into(id));
    st.exchange(soci::into(case_id));
    st.exchange(soci::into(org_id));
    st.exchange(soci::into(item.region_code));
    st.exchange(soci::into(item.description));
    st.exchange(soci::into(item.quantity));
    st.exchange(soci::into(item.unit));
    st.exchange(soci::into(item.weight_kg));
    st.exchange(soci::into(value));
    st.exchange(soci::into(item.storage_place));
    st.exchange(soci::into(item.status));
    st.exchange(soci::into(by));
    st.exchange(soci::into(item.created_at));
    st.exchange(soci::into(item.updated_at));
  }
  SeizedItem Take() {
    item.id = id;
    item.case_id = case_id;
    item.org_id = org_id;
    item.value_fen = value;
    item.created_by = by;
    return item;
  }
};

struct EventRow {
  CustodyEvent e;
  long long id = 0, item_id = 0, case_id = 0, by = 0;
  void Bind(soci::statement& st) {
    st.exchange(soci::into(id));
    st.exchange(soci::into(item_id));
    st.exchange(soci::into(case_id));
    st.exchange(soci::into(e.action));
    st.exchange(soci::into(e.from_place));
    st.exchange(soci::into(e.to_place));
    st.exchange(soci::into(e.note));
    st.exchange(soci::into(by));
    st.exchange(soci::into(e.by_name));
    st.exchange(soci::into(e.at));
  }
  CustodyEvent Take() {
    e.id = id;
    e.item_id = item_id;
    e.case_id = case_id;
    e.by = by;
    return e;
  }
};

constexpr const char* kUnitColumns =
    "SELECT id, name, licence_number, region_code, methods, valid_until, created_by, created_at, "
    "updated_at FROM destruction_units";

struct UnitRow {
  DestructionUnit u;
  long long id = 0, by = 0;
  std::string methods;
  void Bind(soci::statement& st) {
    st.exchange(soci::into(id));
    st.exchange(soci::into(u.name));
    st.exchange(soci::into(u.licence_number));
    st.exchange(soci::into(u.region_code));
    st.exchange(soci::into(methods));
    st.exchange(soci::into(u.valid_until));
    st.exchange(soci::into(by));
    st.exchange(soci::into(u.created_at));
    st.exchange(soci::into(u.updated_at));
  }
  DestructionUnit Take() {
    u.id = id;
    u.created_by = by;
    u.methods = SplitLines(methods);
    return u;
  }
};

struct OrderRow {
  DestructionOrder o;
  long long id = 0, case_id = 0, org_id = 0, unit_id = 0, value = 0, by = 0;
  std::string witnesses;
  void Bind(soci::statement& st) {
    st.exchange(soci::into(id));
    st.exchange(soci::into(case_id));
    st.exchange(soci::into(org_id));
    st.exchange(soci::into(o.region_code));
    st.exchange(soci::into(unit_id));
    st.exchange(soci::into(o.unit_name));
    st.exchange(soci::into(o.method));
    st.exchange(soci::into(o.destroyed_on));
    st.exchange(soci::into(o.weight_kg));
    st.exchange(soci::into(value));
    st.exchange(soci::into(witnesses));
    st.exchange(soci::into(by));
    st.exchange(soci::into(o.created_at));
  }
  DestructionOrder Take() {
    o.id = id;
    o.case_id = case_id;
    o.org_id = org_id;
    o.unit_id = unit_id;
    o.value_fen = value;
    o.created_by = by;
    o.witnesses = SplitLines(witnesses);
    return o;
  }
};

struct PairRow {
  long long first = 0, second = 0;
  void Bind(soci::statement& st) {
    st.exchange(soci::into(first));
    st.exchange(soci::into(second));
  }
  std::pair<Id, Id> Take() { return {first, second}; }
};

void InsertEvent(soci::session& sql, const CustodyEvent& e) {
  long long id = e.id, item = e.item_id, case_id = e.case_id, by = e.by;
  sql << "INSERT INTO custody_events (id, item_id, case_id, action, from_place, to_place, note, "
         "by_user, at) VALUES (:id, :i, :c, :a, :f, :t, :n, :b, :at)",
      soci::use(id), soci::use(item), soci::use(case_id), soci::use(e.action),
      soci::use(e.from_place), soci::use(e.to_place), soci::use(e.note), soci::use(by),
      soci::use(e.at);
}

Status WriteItem(soci::session& sql, const SeizedItem& i, const CustodyEvent& seized) {
  long long id = i.id, case_id = i.case_id, org = i.org_id, value = i.value_fen, by = i.created_by;
  double quantity = i.quantity, weight = i.weight_kg;
  sql << "INSERT INTO case_items (id, case_id, org_id, region_code, description, quantity, unit, "
         "weight_kg, value_fen, storage_place, status, created_by, created_at, updated_at) VALUES "
         "(:id, :c, :o, :r, :d, :q, :u, :w, :v, :p, :s, :b, :ca, :ua)",
      soci::use(id), soci::use(case_id), soci::use(org), soci::use(i.region_code),
      soci::use(i.description), soci::use(quantity), soci::use(i.unit), soci::use(weight),
      soci::use(value), soci::use(i.storage_place), soci::use(i.status), soci::use(by),
      soci::use(i.created_at), soci::use(i.updated_at);
  InsertEvent(sql, seized);
  return Ok();
}

Status WriteUnit(soci::session& sql, const DestructionUnit& u) {
  long long exists = 0;
  sql << "SELECT COUNT(*) FROM destruction_units WHERE licence_number = :l",
      soci::use(u.licence_number), soci::into(exists);
  if (exists > 0) return Fail(ErrorCode::kConflict, "该资质证号已登记", "licence_number");
  long long id = u.id, by = u.created_by;
  std::string methods = JoinLines(u.methods);
  sql << "INSERT INTO destruction_units (id, name, licence_number, region_code, methods, "
         "valid_until, created_by, created_at, updated_at) VALUES (:id, :n, :l, :r, :m, :v, :b, "
         ":ca, :ua)",
      soci::use(id), soci::use(u.name), soci::use(u.licence_number), soci::use(u.region_code),
      soci::use(methods), soci::use(u.valid_until), soci::use(by), soci::use(u.created_at),
      soci::use(u.updated_at);
  return Ok();
}

Status WriteOrder(soci::session& sql, const DestructionOrder& o, const std::vector<CustodyEvent>& events) {
  long long id = o.id, case_id = o.case_id, org = o.org_id, unit = o.unit_id, value = o.value_fen,
            by = o.created_by;
  double weight = o.weight_kg;
  std::string witnesses = JoinLines(o.witnesses);
  sql << "INSERT INTO destruction_orders (id, case_id, org_id, region_code, unit_id, method, "
         "destroyed_on, weight_kg, value_fen, witnesses, created_by, created_at) VALUES (:id, :c, "
         ":o, :r, :u, :m, :d, :w, :v, :wi, :b, :at)",
      soci::use(id), soci::use(case_id), soci::use(org), soci::use(o.region_code),
      soci::use(unit), soci::use(o.method), soci::use(o.destroyed_on), soci::use(weight),
      soci::use(value), soci::use(witnesses), soci::use(by), soci::use(o.created_at);
  std::string in_store = cases::kItemInStore, destroyed = cases::kItemDestroyed;
  for (Id item_id : o.item_ids) {
    long long item = item_id;
    soci::statement st = (sql.prepare << "UPDATE case_items SET status = :s, updated_at = :u "
                                         "WHERE id = :id AND case_id = :c AND status = :old",
                          soci::use(destroyed), soci::use(o.created_at), soci::use(item),
                          soci::use(case_id), soci::use(in_store));
    st.execute(true);
    if (st.get_affected_rows() == 0) {
      return Fail(ErrorCode::kConflict, "物品状态已变化，请刷新后重试", "item_ids");
    }
    sql << "INSERT INTO destruction_order_items (order_id, item_id) VALUES (:o, :i)",
        soci::use(id), soci::use(item);
  }
  InsertAttachments(sql, o.photos, o.created_at);
  for (const CustodyEvent& e : events) InsertEvent(sql, e);
  return Ok();
}

std::vector<SeizedItem> ItemsWhere(soci::session& sql, const char* column, Id value) {
  QueryBuilder q(kItemColumns);
  q.Sql(" WHERE ").Sql(column).Sql(" = ").Param(static_cast<long long>(value));
  q.Sql(" ORDER BY created_at, id");
  return FetchAll<ItemRow>(sql, q);
}

class SqlCustodyStore final : public cases::CustodyStore {
 public:
  explicit SqlCustodyStore(Database& db) : db_(db) {}

  Status InsertItem(const SeizedItem& i, const CustodyEvent& seized, const AuditEntry& audit) override {
    return db_.Write(&audit, [&](soci::session& sql) -> Status {
      return WriteItem(sql, i, seized);
    });
  }

  Result<SeizedItem> FindItem(Id id) override {
    std::vector<SeizedItem> found;
    RS_TRY(db_.Read([&](soci::session& sql) -> Status {
      found = ItemsWhere(sql, "id", id);
      return Ok();
    }));
    if (found.empty()) return Fail(ErrorCode::kNotFound, "涉案物品不存在");
    return found.front();
  }

  Status MoveItem(const SeizedItem& i, const CustodyEvent& event, const AuditEntry& audit) override {
    return db_.Write(&audit, [&](soci::session& sql) -> Status {
      long long id = i.id;
      std::string in_store = cases::kItemInStore;
      soci::statement st = (sql.prepare << "UPDATE case_items SET storage_place = :p, status = :s, "
                                           "updated_at = :u WHERE id = :id AND status = :old",
                            soci::use(i.storage_place), soci::use(i.status), soci::use(i.updated_at),
                            soci::use(id), soci::use(in_store));
      st.execute(true);
      if (st.get_affected_rows() == 0) {
        return Fail(ErrorCode::kConflict, "物品状态已变化，请刷新后重试", "status");
      }
      InsertEvent(sql, event);
      return Ok();
    });
  }

  Result<cases::Custody> ForCase(Id case_id) override {
    cases::Custody out;
    RS_TRY(db_.Read([&](soci::session& sql) -> Status {
      long long key = case_id;
      out.items = ItemsWhere(sql, "case_id", case_id);
      QueryBuilder events(
          "SELECT e.id, e.item_id, e.case_id, e.action, e.from_place, e.to_place, e.note, "
          "e.by_user, COALESCE(u.display_name, ''), e.at FROM custody_events e "
          "LEFT JOIN users u ON u.id = e.by_user WHERE e.case_id = ");
      events.Param(key).Sql(" ORDER BY e.at, e.id");
      out.events = FetchAll<EventRow>(sql, events);
      QueryBuilder orders(
          "SELECT d.id, d.case_id, d.org_id, d.region_code, d.unit_id, COALESCE(u.name, ''), "
          "d.method, d.destroyed_on, d.weight_kg, d.value_fen, d.witnesses, d.created_by, "
          "d.created_at FROM destruction_orders d LEFT JOIN destruction_units u ON u.id = d.unit_id "
          "WHERE d.case_id = ");
      orders.Param(key).Sql(" ORDER BY d.destroyed_on, d.id");
      out.orders = FetchAll<OrderRow>(sql, orders);
      if (out.orders.empty()) return Ok();
      QueryBuilder items(
          "SELECT oi.order_id, oi.item_id FROM destruction_order_items oi JOIN destruction_orders d "
          "ON d.id = oi.order_id WHERE d.case_id = ");
      items.Param(key).Sql(" ORDER BY oi.order_id, oi.item_id");
      std::vector<std::pair<Id, Id>> links = FetchAll<PairRow>(sql, items);
      for (DestructionOrder& o : out.orders) {
        for (const auto& [order_id, item_id] : links) {
          if (order_id == o.id) o.item_ids.push_back(item_id);
        }
        for (AttachmentMeta& meta : LoadAttachmentMetas(sql, "destruction_order", o.id)) {
          o.photos.push_back(Attachment{std::move(meta), "destruction_order", o.id, o.org_id,
                                        o.region_code, ""});
        }
      }
      return Ok();
    }));
    return out;
  }

  Status InsertUnit(const DestructionUnit& u, const AuditEntry& audit) override {
    return db_.Write(&audit, [&](soci::session& sql) -> Status {
      return WriteUnit(sql, u);
    });
  }

  Result<DestructionUnit> FindUnit(Id id) override {
    std::vector<DestructionUnit> found;
    RS_TRY(db_.Read([&](soci::session& sql) -> Status {
      QueryBuilder q(kUnitColumns);
      q.Sql(" WHERE id = ").Param(static_cast<long long>(id));
      found = FetchAll<UnitRow>(sql, q);
      return Ok();
    }));
    if (found.empty()) return Fail(ErrorCode::kNotFound, "销毁单位不存在");
    return found.front();
  }

  Result<std::vector<DestructionUnit>> Units(const std::string& region_prefix,
                                             const std::string& on) override {
    std::vector<DestructionUnit> out;
    RS_TRY(db_.Read([&](soci::session& sql) -> Status {
      QueryBuilder q(kUnitColumns);
      q.Sql(" WHERE 1 = 1");
      if (!region_prefix.empty()) q.InRegion("region_code", region_prefix);
      if (!on.empty()) q.Sql(" AND valid_until >= ").Param(on);
      q.Sql(" ORDER BY name, id");
      out = FetchAll<UnitRow>(sql, q);
      return Ok();
    }));
    return out;
  }

  Status InsertOrder(const DestructionOrder& o, const std::vector<CustodyEvent>& events,
                     const AuditEntry& audit) override {
    return db_.Write(&audit, [&](soci::session& sql) -> Status {
      return WriteOrder(sql, o, events);
    });
  }

  Status InsertDemo(const cases::CustodyDemo& demo, const AuditEntry& audit) override {
    return db_.Write(&audit, [&](soci::session& sql) -> Status {
      for (const DestructionUnit& u : demo.units) RS_TRY(WriteUnit(sql, u));
      for (const auto& [item, seized] : demo.items) RS_TRY(WriteItem(sql, item, seized));
      for (const auto& [order, events] : demo.orders) RS_TRY(WriteOrder(sql, order, events));
      return Ok();
    });
  }

  Result<Attachment> FindPhoto(Id order_id, Id photo_id) override {
    Result<Attachment> file = FindAttachmentIn(db_, photo_id);
    if (!file || file->owner_kind != "destruction_order" || file->owner_id != order_id) {
      return Fail(ErrorCode::kNotFound, "照片不存在");
    }
    return file;
  }


 private:
  Database& db_;
};

}  // namespace

std::unique_ptr<cases::CustodyStore> MakeCustodyStore(Database& db) {
  return std::make_unique<SqlCustodyStore>(db);
}

}  // namespace redshield::storage
