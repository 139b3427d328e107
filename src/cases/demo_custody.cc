// `init --demo` (issue 5 §4): four qualified destruction units and, for about
// one in eight decided demo cases, the seized goods with their chain of
// custody; three in four of those were destroyed by a unit of the case's 盟市
// (else the region's) about three weeks after the decision, with witnesses and
// a photo. Deterministic: the same cases give the same records.
#include <array>

#include "cases/custody_service.h"
#include "core/crypto.h"
#include "core/date.h"

namespace redshield::cases {
namespace {

// A 1×1 PNG: the demo's stand-in for the photo of the destruction site.
constexpr const char* kDemoPhotoBase64 =
    "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAQAAAC1HAwCAAAAC0lEQVR42mNkYAAAAAYAAjCB0C8AAAAASUVORK5CYII=";

struct DemoUnit {
  const char* region;
  const char* name;
  const char* licence;
};

constexpr std::array<DemoUnit, 4> kUnits = {{
    {"150000", "内蒙古自治区危险废物处置中心（演示）", "DEMO-NMG-2017-001"},
    {"150100", "呼和浩特市某环保科技有限公司（演示）", "DEMO-HHHT-2017-002"},
    {"150200", "包头市某再生资源处置有限公司（演示）", "DEMO-BT-2017-003"},
    {"150400", "赤峰市某固废处理有限公司（演示）", "DEMO-CF-2017-004"},
}};

std::string GoodsOf(const std::string& category) {
  static const std::array<std::pair<const char*, const char*>, 10> kGoods = {{
      {"商标", "假冒注册商标商品"}, {"食品", "不合格食品"}, {"农药", "假劣农药"},
      {"种子", "假劣种子"}, {"化肥", "假劣化肥"}, {"兽药", "假劣兽药"}, {"药品", "假劣药品"},
      {"化妆品", "假冒化妆品"}, {"产品质量", "不合格产品"}, {"著作权", "盗版出版物"},
  }};
  for (const auto& [cat, goods] : kGoods) {
    if (category == cat) return goods;
  }
  return "侵权假冒商品";
}

const DestructionUnit& UnitFor(const std::vector<DestructionUnit>& units, const std::string& region) {
  std::string prefecture = region.substr(0, 4) + "00";
  for (const DestructionUnit& u : units) {
    if (u.region_code == prefecture) return u;
  }
  return units.front();
}

}  // namespace

Result<int> CustodyService::SeedDemo(const Actor& actor, const std::vector<Case>& cases) {
  Result<std::vector<DestructionUnit>> existing = store_.Units("", "");
  if (!existing) return tl::unexpected(existing.error());
  if (!existing->empty() || cases.empty()) return 0;
  Result<std::string> photo = Base64Decode(kDemoPhotoBase64);
  if (!photo) return tl::unexpected(photo.error());
  CustodyDemo demo;
  std::string now = FormatUtc(clock_.Now());
  for (const DemoUnit& u : kUnits) {
    demo.units.push_back({ids_.Next(), u.name, u.licence, u.region, {"焚烧", "粉碎", "填埋"},
                          "2030-12-31", actor.user_id, now, now});
  }
  int picked = 0;
  for (const Case& c : cases) {
    if (c.decided_on.empty() || c.id % 8 != 0) continue;
    std::string seized_at = c.opened_on + "T03:00:00.000Z";
    std::vector<Id> item_ids;
    double weight = 0;
    int64_t value = 0;
    for (int64_t n = 0; n <= (c.id / 8) % 2; ++n) {
      SeizedItem item;
      item.id = ids_.Next();
      item.case_id = c.id;
      item.org_id = c.org_id;
      item.region_code = c.region_code;
      item.description = GoodsOf(c.category) + (n == 0 ? "" : "（包装、标识）");
      item.quantity = static_cast<double>(20 + (c.id / 8) % 300);
      item.unit = n == 0 ? "箱" : "件";
      item.weight_kg = static_cast<double>(50 + (c.id / 16) % 1500);
      item.value_fen = c.unsold_value_fen > 0 ? c.unsold_value_fen : 500000 + (c.id % 97) * 10000;
      item.storage_place = "执法机关罚没物品仓库";
      item.created_by = actor.user_id;
      item.created_at = item.updated_at = seized_at;
      demo.items.push_back({item, {ids_.Next(), item.id, c.id, "seize", "", item.storage_place,
                                   "现场查扣", actor.user_id, "", seized_at}});
      item_ids.push_back(item.id);
      weight += item.weight_kg;
      value += item.value_fen;
    }
    if (picked++ % 4 == 3) continue;  // still in store
    const DestructionUnit& unit = UnitFor(demo.units, c.region_code);
    Result<Date> decided = Date::Parse(c.decided_on);
    Result<Date> later = decided ? decided->AddDays(21) : decided;
    std::string day = later ? later->ToString() : c.decided_on;
    if (day > c.decided_on.substr(0, 4) + "-12-31") day = c.decided_on.substr(0, 4) + "-12-31";
    DestructionOrder order;
    order.id = ids_.Next();
    order.case_id = c.id;
    order.org_id = c.org_id;
    order.region_code = c.region_code;
    order.unit_id = unit.id;
    order.unit_name = unit.name;
    order.method = "焚烧";
    order.destroyed_on = day;
    order.weight_kg = weight;
    order.value_fen = value;
    order.witnesses = {"检察机关监督人员", "公证人员"};
    order.item_ids = item_ids;
    order.created_by = actor.user_id;
    order.created_at = day + "T06:00:00.000Z";
    order.photos.push_back({{ids_.Next(), "", "scene.png", "image/png",
                             static_cast<int64_t>(photo->size()), Sha256Hex(*photo), order.created_at},
                            "destruction_order", order.id, c.org_id, c.region_code, *photo});
    std::vector<CustodyEvent> events;
    for (Id item_id : item_ids) {
      events.push_back({ids_.Next(), item_id, c.id, "destroy", "执法机关罚没物品仓库", unit.name,
                        "焚烧销毁", actor.user_id, "", order.created_at});
    }
    demo.orders.push_back({std::move(order), std::move(events)});
  }
  int orders = static_cast<int>(demo.orders.size());
  RS_TRY(store_.InsertDemo(demo, {actor, "custody.demo", "destruction_order", "",
                                  "演示数据：销毁单位 4 家，涉案物品 " + std::to_string(demo.items.size()) +
                                      " 项，销毁记录 " + std::to_string(orders) + " 份"}));
  return orders;
}

}  // namespace redshield::cases
