// Persistence of custody and destruction (issue 5 §4, plan item (七),
// migration 9): seized items per case with their chain-of-custody events, the
// directory of qualified destruction units, and destruction orders with their
// items and photo evidence. storage/ implements it
// (storage/custody_store_sql.cc). Every write commits with its audit record in
// one transaction. Thread-safe.
#pragma once

#include <cstdint>
#include <string>
#include <utility>
#include <vector>

#include "core/attachment.h"
#include "core/audit.h"
#include "core/error.h"
#include "core/id.h"

namespace redshield::cases {

inline constexpr const char* kItemInStore = "在库";
inline constexpr const char* kItemHandedOver = "已移交";
inline constexpr const char* kItemDestroyed = "已销毁";

struct SeizedItem {
  Id id = 0;
  Id case_id = 0;
  Id org_id = 0;  // the case's organisation
  std::string region_code;
  std::string description;
  double quantity = 0;
  std::string unit;  // 件, 箱, 千克 ...
  double weight_kg = 0;
  int64_t value_fen = 0;
  std::string storage_place;
  std::string status = kItemInStore;  // 在库 | 已移交 | 已销毁
  Id created_by = 0;
  std::string created_at;
  std::string updated_at;
};

// One link of the chain of custody: who moved the item when, from where to where.
struct CustodyEvent {
  Id id = 0;
  Id item_id = 0;
  Id case_id = 0;
  std::string action;  // seize | move | hand_over | destroy
  std::string from_place, to_place;
  std::string note;
  Id by = 0;
  std::string by_name;  // filled by reads
  std::string at;       // UTC text
};

struct DestructionUnit {
  Id id = 0;
  std::string name;
  std::string licence_number;  // unique
  std::string region_code;
  std::vector<std::string> methods;  // 焚烧, 粉碎, 填埋 ...
  std::string valid_until;           // YYYY-MM-DD, inclusive
  Id created_by = 0;
  std::string created_at;
  std::string updated_at;
};

struct DestructionOrder {
  Id id = 0;
  Id case_id = 0;
  Id org_id = 0;
  std::string region_code;
  Id unit_id = 0;
  std::string unit_name;  // filled by reads
  std::string method;
  std::string destroyed_on;  // YYYY-MM-DD
  double weight_kg = 0;
  int64_t value_fen = 0;
  std::vector<std::string> witnesses;
  std::vector<Id> item_ids;
  std::vector<Attachment> photos;  // owner destruction_order; without data in reads
  Id created_by = 0;
  std::string created_at;
};

// Everything about the seized goods of one case.
struct Custody {
  std::vector<SeizedItem> items;     // oldest first
  std::vector<CustodyEvent> events;  // oldest first
  std::vector<DestructionOrder> orders;
};

// Demo data for `init --demo`, written in one transaction.
struct CustodyDemo {
  std::vector<DestructionUnit> units;
  std::vector<std::pair<SeizedItem, CustodyEvent>> items;  // with their seize event
  std::vector<std::pair<DestructionOrder, std::vector<CustodyEvent>>> orders;
};

class CustodyStore {
 public:
  virtual ~CustodyStore() = default;

  // Stores `item` and its first event.
  virtual Status InsertItem(const SeizedItem& item, const CustodyEvent& seized,
                            const AuditEntry& audit) = 0;
  // kNotFound if no item has `id`.
  virtual Result<SeizedItem> FindItem(Id id) = 0;
  // Writes the item's place and status and adds `event`, if the stored item
  // is still 在库; kConflict otherwise, and nothing is written.
  virtual Status MoveItem(const SeizedItem& item, const CustodyEvent& event,
                          const AuditEntry& audit) = 0;
  virtual Result<Custody> ForCase(Id case_id) = 0;

  // kConflict if the licence number is already listed.
  virtual Status InsertUnit(const DestructionUnit& unit, const AuditEntry& audit) = 0;
  // kNotFound if no unit has `id`.
  virtual Result<DestructionUnit> FindUnit(Id id) = 0;
  // By name; in the region or below it (empty: all); valid on `on` or later
  // when `on` is not empty.
  virtual Result<std::vector<DestructionUnit>> Units(const std::string& region_prefix,
                                                     const std::string& on) = 0;

  // Stores the order with its items and photos, marks each item 已销毁 and
  // adds `events` (one per item). kConflict if any item is no longer 在库
  // (checked in the transaction), and nothing is written.
  virtual Status InsertOrder(const DestructionOrder& order, const std::vector<CustodyEvent>& events,
                             const AuditEntry& audit) = 0;
  // Everything in `demo`, one audit record; nothing if any part fails.
  virtual Status InsertDemo(const CustodyDemo& demo, const AuditEntry& audit) = 0;
  // With data. kNotFound unless order `order_id` has photo `photo_id`.
  virtual Result<Attachment> FindPhoto(Id order_id, Id photo_id) = 0;
};

}  // namespace redshield::cases
