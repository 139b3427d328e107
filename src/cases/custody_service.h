// Custody and destruction (issue 5 §4, plan item (七)): seized items of a case
// with their chain of custody, the directory of qualified destruction units
// (published on the public API) and destruction orders executed by a unit
// whose qualification is valid on the day of destruction.
//
// Permissions:
//   items, custody events, destruction orders: case.write on the own
//     organisation's cases (the officer); reads: whoever may see the case
//     (CaseService::Get: case.read and case.procurate over their region ...).
//   destruction-unit directory: written by case.read holders (the office),
//     for units in their region or below — the office already reads every
//     case of the region and publishes the 双打 figures; plan.write would
//     also grant plan administration, which has nothing to do with custody.
//     Any signed-in user may list the units (the order form needs them);
//     the public sees the currently valid ones.
// Thread-safe if the stores are.
#pragma once

#include <string>
#include <vector>

#include "cases/case_service.h"
#include "cases/custody_store.h"
#include "core/clock.h"
#include "core/id.h"
#include "platform/types.h"

namespace redshield::cases {

struct ItemDraft {
  std::string description;
  double quantity = 0;
  std::string unit;
  double weight_kg = 0;
  int64_t value_fen = 0;
  std::string storage_place;
};

struct MoveDraft {
  std::string action;    // move (移库, stays 在库) | hand_over (移交, becomes 已移交)
  std::string to_place;  // new storage place or receiving organisation
  std::string note;
};

struct UnitDraft {
  std::string name;
  std::string licence_number;
  std::string region_code;
  std::vector<std::string> methods;
  std::string valid_until;  // YYYY-MM-DD
};

struct OrderDraft {
  std::vector<Id> item_ids;
  Id unit_id = 0;
  std::string method;        // one of the unit's methods
  std::string destroyed_on;  // YYYY-MM-DD, not in the future
  double weight_kg = -1;     // negative: the items' total weight
  int64_t value_fen = -1;    // negative: the items' total value
  std::vector<std::string> witnesses;  // at least one
  std::vector<FileDraft> photos;       // at least one, ≤ 10, each ≤ 2 MiB
};

class CustodyService {
 public:
  CustodyService(CustodyStore& store, CaseService& cases, const Clock& clock, IdGenerator& ids);

  // kNotFound if `who` may not see the case.
  Result<Custody> Get(const platform::Principal& who, Id case_id);
  // kPermissionDenied without case.write on the case's organisation,
  // kInvalidArgument naming the field.
  Result<SeizedItem> AddItem(const platform::Principal& who, Id case_id, const ItemDraft& draft);
  // kConflict (field "status") unless the item is 在库.
  Result<SeizedItem> MoveItem(const platform::Principal& who, Id case_id, Id item_id,
                              const MoveDraft& draft);
  // kInvalidArgument (field "unit_id") if the unit's qualification has
  // expired on `destroyed_on`, ("method") if it does not offer the method;
  // kConflict if an item is not 在库.
  Result<DestructionOrder> Destroy(const platform::Principal& who, Id case_id,
                                   const OrderDraft& draft);
  // kNotFound unless `who` may see the case and the order has the photo.
  Result<Attachment> Photo(const platform::Principal& who, Id case_id, Id order_id, Id photo_id);

  // case.read, unit in the user's region or below; kConflict for a licence
  // number already listed.
  Result<DestructionUnit> AddUnit(const platform::Principal& who, const UnitDraft& draft);
  // Every unit (signed-in users; expired ones too, the form shows why).
  Result<std::vector<DestructionUnit>> Units(const platform::Principal& who);
  // The public directory: units valid today, in `region_code` or below
  // (empty: all). kInvalidArgument for a malformed region code.
  Result<std::vector<DestructionUnit>> PublicUnits(const std::string& region_code);

  // `init --demo` (demo_custody.cc): qualified destruction units and, for
  // about one in eight of the decided `cases` (stored demo cases), seized
  // goods with their custody events, most of them destroyed by a unit of the
  // same 盟市 with a witness and a photo, in one transaction. Nothing if any
  // unit exists. Returns the number of destruction orders.
  Result<int> SeedDemo(const Actor& actor, const std::vector<Case>& cases);

 private:
  Result<Case> WritableCase(const platform::Principal& who, Id case_id);
  std::string Today() const;

  CustodyStore& store_;
  CaseService& cases_;
  const Clock& clock_;
  IdGenerator& ids_;
};

// "1.25" for 1250 kg: tonnes with at most three decimals, trailing zeros dropped.
std::string FormatTonnes(double kg);

}  // namespace redshield::cases
