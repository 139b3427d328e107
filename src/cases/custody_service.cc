#include "cases/custody_service.h"

#include <algorithm>
#include <cmath>
#include <cstdio>

#include "core/crypto.h"
#include "core/date.h"
#include "core/text.h"
#include "platform/permissions.h"

namespace redshield::cases {
namespace {

using platform::Permission;
using platform::Principal;

// Destruction photos: 1 to 10 of 2 MiB each.
constexpr FileLimits kPhotoLimits{1, 10, 2 << 20, "销毁现场照片"};

Status RequireText(const std::string& text, size_t max, const char* label, const char* field) {
  if (text.empty() || text.size() > max) {
    return Fail(ErrorCode::kInvalidArgument,
                std::string(label) + "不能为空（不超过 " + std::to_string(max) + " 字节）", field);
  }
  return Ok();
}

bool Sane(double value) { return std::isfinite(value) && value >= 0 && value < 1e12; }



Status ValidateItem(const ItemDraft& d) {
  RS_TRY(RequireText(d.description, 500, "物品名称", "description"));
  RS_TRY(RequireText(d.unit, 20, "计量单位", "unit"));
  RS_TRY(RequireText(d.storage_place, 200, "存放地点", "storage_place"));
  if (!Sane(d.quantity) || d.quantity <= 0) {
    return Fail(ErrorCode::kInvalidArgument, "数量须大于 0", "quantity");
  }
  if (!Sane(d.weight_kg)) return Fail(ErrorCode::kInvalidArgument, "重量无效", "weight_kg");
  if (d.value_fen < 0) return Fail(ErrorCode::kInvalidArgument, "货值不能为负", "value_fen");
  return Ok();
}

Status ValidateUnit(const UnitDraft& d) {
  RS_TRY(RequireText(d.name, 200, "单位名称", "name"));
  RS_TRY(RequireText(d.licence_number, 100, "资质证号", "licence_number"));
  if (d.region_code.size() != 6 || d.region_code.find_first_not_of("0123456789") != std::string::npos) {
    return Fail(ErrorCode::kInvalidArgument, "地区代码应为 6 位数字", "region_code");
  }
  if (d.methods.empty()) return Fail(ErrorCode::kInvalidArgument, "至少填写一种销毁方式", "methods");
  for (const std::string& method : d.methods) {
    RS_TRY(RequireText(method, 40, "销毁方式", "methods"));
  }
  if (!Date::Parse(d.valid_until)) {
    return Fail(ErrorCode::kInvalidArgument, "有效期应为 YYYY-MM-DD", "valid_until");
  }
  return Ok();
}

}  // namespace

std::string FormatTonnes(double kg) {
  char buffer[64];
  std::snprintf(buffer, sizeof(buffer), "%.3f", std::round(kg) / 1000.0);
  std::string out = buffer;
  while (out.back() == '0') out.pop_back();
  if (out.back() == '.') out.pop_back();
  return out == "-0" ? "0" : out;
}

CustodyService::CustodyService(CustodyStore& store, CaseService& cases, const Clock& clock,
                               IdGenerator& ids)
    : store_(store), cases_(cases), clock_(clock), ids_(ids) {}

std::string CustodyService::Today() const { return ShanghaiDate(clock_.Now()); }

Result<Case> CustodyService::WritableCase(const Principal& who, Id case_id) {
  Result<Case> c = cases_.Get(who, case_id);
  if (!c) return c;
  if (!who.Has(Permission::kCaseWrite) || who.user.org_id != c->org_id) {
    return Fail(ErrorCode::kPermissionDenied, "只有办案机构的执法人员可以登记涉案物品和销毁");
  }
  return c;
}

Result<Custody> CustodyService::Get(const Principal& who, Id case_id) {
  Result<Case> c = cases_.Get(who, case_id);
  if (!c) return tl::unexpected(c.error());
  return store_.ForCase(case_id);
}

Result<SeizedItem> CustodyService::AddItem(const Principal& who, Id case_id, const ItemDraft& draft) {
  Result<Case> c = WritableCase(who, case_id);
  if (!c) return tl::unexpected(c.error());
  RS_TRY(ValidateItem(draft));
  std::string now = FormatUtc(clock_.Now());
  SeizedItem item{ids_.Next(), case_id, c->org_id, c->region_code, draft.description,
                  draft.quantity, draft.unit, draft.weight_kg, draft.value_fen,
                  draft.storage_place, kItemInStore, who.user.id, now, now};
  CustodyEvent seized{ids_.Next(), item.id, case_id, "seize", "", draft.storage_place,
                      "扣押登记", who.user.id, "", now};
  AuditEntry audit{who.actor, "custody.item_add", "case_item", std::to_string(item.id),
                   c->case_number + " 登记涉案物品：" + draft.description};
  RS_TRY(store_.InsertItem(item, seized, audit));
  return item;
}

Result<SeizedItem> CustodyService::MoveItem(const Principal& who, Id case_id, Id item_id,
                                            const MoveDraft& draft) {
  Result<Case> c = WritableCase(who, case_id);
  if (!c) return tl::unexpected(c.error());
  Result<SeizedItem> item = store_.FindItem(item_id);
  if (!item || item->case_id != case_id) return Fail(ErrorCode::kNotFound, "涉案物品不存在");
  if (draft.action != "move" && draft.action != "hand_over") {
    return Fail(ErrorCode::kInvalidArgument, "操作应为 move 或 hand_over", "action");
  }
  RS_TRY(RequireText(draft.to_place, 200, "去向", "to_place"));
  if (draft.note.size() > 1000) return Fail(ErrorCode::kInvalidArgument, "说明过长", "note");
  if (item->status != kItemInStore) {
    return Fail(ErrorCode::kConflict, "物品" + item->status + "，不能再移动", "status");
  }
  std::string now = FormatUtc(clock_.Now());
  CustodyEvent event{ids_.Next(), item_id, case_id, draft.action, item->storage_place,
                     draft.to_place, draft.note, who.user.id, "", now};
  item->storage_place = draft.to_place;
  if (draft.action == "hand_over") item->status = kItemHandedOver;
  item->updated_at = now;
  AuditEntry audit{who.actor, "custody.item_" + draft.action, "case_item", std::to_string(item_id),
                   c->case_number + " " + item->description + " → " + draft.to_place};
  RS_TRY(store_.MoveItem(*item, event, audit));
  return item;
}

Result<DestructionOrder> CustodyService::Destroy(const Principal& who, Id case_id,
                                                 const OrderDraft& draft) {
  Result<Case> c = WritableCase(who, case_id);
  if (!c) return tl::unexpected(c.error());
  if (draft.item_ids.empty()) return Fail(ErrorCode::kInvalidArgument, "请选择要销毁的物品", "item_ids");
  Result<Date> on = Date::Parse(draft.destroyed_on);
  if (!on) return Fail(ErrorCode::kInvalidArgument, "销毁日期应为 YYYY-MM-DD", "destroyed_on");
  if (draft.destroyed_on > Today()) {
    return Fail(ErrorCode::kInvalidArgument, "销毁日期不能晚于今天", "destroyed_on");
  }
  Result<DestructionUnit> unit = store_.FindUnit(draft.unit_id);
  if (!unit) return Fail(ErrorCode::kInvalidArgument, "销毁单位不存在", "unit_id");
  if (unit->valid_until < draft.destroyed_on) {
    return Fail(ErrorCode::kInvalidArgument,
                "销毁单位资质已于 " + unit->valid_until + " 到期，不能执行该日的销毁", "unit_id");
  }
  if (std::find(unit->methods.begin(), unit->methods.end(), draft.method) == unit->methods.end()) {
    return Fail(ErrorCode::kInvalidArgument, "该单位不具备“" + draft.method + "”销毁资质", "method");
  }
  if (draft.witnesses.empty()) return Fail(ErrorCode::kInvalidArgument, "至少一名见证人", "witnesses");
  for (const std::string& witness : draft.witnesses) RS_TRY(RequireText(witness, 100, "见证人", "witnesses"));
  DestructionOrder order;
  order.weight_kg = 0;
  order.value_fen = 0;
  std::vector<CustodyEvent> events;
  std::string now = FormatUtc(clock_.Now());
  for (Id item_id : draft.item_ids) {
    Result<SeizedItem> item = store_.FindItem(item_id);
    if (!item || item->case_id != case_id) {
      return Fail(ErrorCode::kInvalidArgument, "物品不属于本案", "item_ids");
    }
    if (item->status != kItemInStore) {
      return Fail(ErrorCode::kConflict, item->description + "状态为" + item->status + "，不能销毁",
                  "item_ids");
    }
    if (std::count(draft.item_ids.begin(), draft.item_ids.end(), item_id) > 1) {
      return Fail(ErrorCode::kInvalidArgument, "物品重复", "item_ids");
    }
    order.weight_kg += item->weight_kg;
    order.value_fen += item->value_fen;
    events.push_back({ids_.Next(), item_id, case_id, "destroy", item->storage_place, unit->name,
                      draft.method + "销毁", who.user.id, "", now});
  }
  if (draft.weight_kg >= 0) order.weight_kg = draft.weight_kg;
  if (draft.value_fen >= 0) order.value_fen = draft.value_fen;
  if (!Sane(order.weight_kg)) return Fail(ErrorCode::kInvalidArgument, "重量无效", "weight_kg");
  order.id = ids_.Next();
  Result<std::vector<Attachment>> photos = MakeAttachments(
      draft.photos, kPhotoLimits, {"destruction_order", order.id, c->org_id, c->region_code, ""}, ids_);
  if (!photos) return tl::unexpected(photos.error());
  order.case_id = case_id;
  order.org_id = c->org_id;
  order.region_code = c->region_code;
  order.unit_id = unit->id;
  order.unit_name = unit->name;
  order.method = draft.method;
  order.destroyed_on = draft.destroyed_on;
  order.witnesses = draft.witnesses;
  order.item_ids = draft.item_ids;
  order.photos = std::move(*photos);
  order.created_by = who.user.id;
  order.created_at = now;
  AuditEntry audit{who.actor, "custody.destroy", "destruction_order", std::to_string(order.id),
                   c->case_number + " 由" + unit->name + draft.method + "销毁 " +
                       std::to_string(draft.item_ids.size()) + " 项物品，" +
                       FormatTonnes(order.weight_kg) + " 吨"};
  RS_TRY(store_.InsertOrder(order, events, audit));
  for (Attachment& photo : order.photos) photo.data.clear();
  return order;
}

Result<Attachment> CustodyService::Photo(const Principal& who, Id case_id, Id order_id,
                                           Id photo_id) {
  Result<Custody> custody = Get(who, case_id);
  if (!custody) return tl::unexpected(custody.error());
  bool owned = std::any_of(custody->orders.begin(), custody->orders.end(),
                           [&](const DestructionOrder& o) { return o.id == order_id; });
  if (!owned) return Fail(ErrorCode::kNotFound, "照片不存在");
  return store_.FindPhoto(order_id, photo_id);
}

Result<DestructionUnit> CustodyService::AddUnit(const Principal& who, const UnitDraft& draft) {
  if (!who.Has(Permission::kCaseRead)) {
    return Fail(ErrorCode::kPermissionDenied, "只有双打办可以维护销毁单位名录");
  }
  RS_TRY(ValidateUnit(draft));
  if (!platform::RegionCovers(who.user.org_region, draft.region_code)) {
    return Fail(ErrorCode::kPermissionDenied, "只能登记本地区的销毁单位", "region_code");
  }
  std::string now = FormatUtc(clock_.Now());
  DestructionUnit unit{ids_.Next(), draft.name, draft.licence_number, draft.region_code,
                       draft.methods, draft.valid_until, who.user.id, now, now};
  AuditEntry audit{who.actor, "custody.unit_add", "destruction_unit", std::to_string(unit.id),
                   "登记销毁单位：" + draft.name + "（" + draft.licence_number + "）"};
  RS_TRY(store_.InsertUnit(unit, audit));
  return unit;
}

Result<std::vector<DestructionUnit>> CustodyService::Units(const Principal& /*who*/) {
  return store_.Units("", "");
}

Result<std::vector<DestructionUnit>> CustodyService::PublicUnits(const std::string& region_code) {
  if (!region_code.empty() &&
      (region_code.size() != 6 || region_code.find_first_not_of("0123456789") != std::string::npos)) {
    return Fail(ErrorCode::kInvalidArgument, "地区代码应为 6 位数字", "region_code");
  }
  return store_.Units(region_code, Today());
}

}  // namespace redshield::cases
