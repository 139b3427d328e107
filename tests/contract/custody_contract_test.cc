// Custody and destruction (issue 5 §4, plan item (七)) on every backend:
// seized items and their chain of custody, the destruction-unit directory
// (office only, public list of valid units), destruction orders executed only
// by a unit valid on the day, the audit of every write and the 销毁 line of
// the 双打 summary.
#include <gtest/gtest.h>

#include <algorithm>

#include "contract/fixture.h"

namespace redshield::testing_support {
namespace {

using cases::Case;
using cases::CaseDraft;

class CustodyContract : public PlatformFixture {
 protected:
  void SetUp() override {
    PlatformFixture::SetUp();
    MakeUser("officer1", "NMG-GSJ", {"officer"});
    MakeUser("officer2", "BT-GSJ", {"officer"});
    MakeUser("procurator1", "NMG-SDB", {"procurator"});
    MakeUser("office1", "NMG-SDB", {"office"});
    officer_ = SignIn("officer1");
    CaseDraft d;
    d.title = "销售假冒注册商标的商品案";
    d.category = "商标";
    d.offence = "销售假冒注册商标的商品罪";
    d.sales_fen = 1000000;
    Result<Case> c = cases_->Create(officer_, d);
    ASSERT_TRUE(c.has_value()) << c.error().message;
    case_ = *c;
  }

  cases::SeizedItem AddItem(double weight_kg, int64_t value_fen) {
    Result<cases::SeizedItem> item = custody_->AddItem(
        officer_, case_.id, {"假冒白酒", 120, "瓶", weight_kg, value_fen, "呼和浩特罚没物品仓库A区"});
    EXPECT_TRUE(item.has_value()) << item.error().message;
    return item ? *item : cases::SeizedItem{};
  }

  cases::DestructionUnit AddUnit(const std::string& licence, const std::string& valid_until) {
    Result<cases::DestructionUnit> unit = custody_->AddUnit(
        SignIn("office1"), {"内蒙古某环保科技有限公司", licence, "150100", {"焚烧", "粉碎"}, valid_until});
    EXPECT_TRUE(unit.has_value()) << unit.error().message;
    return unit ? *unit : cases::DestructionUnit{};
  }

  cases::OrderDraft Order(const std::vector<Id>& items, Id unit, const std::string& on) {
    cases::OrderDraft d;
    d.item_ids = items;
    d.unit_id = unit;
    d.method = "焚烧";
    d.destroyed_on = on;
    d.witnesses = {"王五", "赵六"};
    d.photos = {{"scene.jpg", "image/jpeg", std::string("\xff\xd8\xff\xe0photo", 9)}};
    return d;
  }

  platform::Principal officer_;
  Case case_;
};

TEST_P(CustodyContract, ItemsKeepTheirChainOfCustody) {
  cases::SeizedItem item = AddItem(300, 500000);
  Result<cases::SeizedItem> moved =
      custody_->MoveItem(officer_, case_.id, item.id, {"move", "呼和浩特罚没物品仓库B区", "库位调整"});
  ASSERT_TRUE(moved.has_value()) << moved.error().message;
  Result<cases::SeizedItem> handed =
      custody_->MoveItem(officer_, case_.id, item.id, {"hand_over", "呼和浩特市公安局", "随案移交"});
  ASSERT_TRUE(handed.has_value()) << handed.error().message;
  EXPECT_EQ(handed->status, "已移交");
  EXPECT_EQ(custody_->MoveItem(officer_, case_.id, item.id, {"move", "A区", ""}).error().code,
            ErrorCode::kConflict);
  Result<cases::Custody> custody = custody_->Get(SignIn("procurator1"), case_.id);
  ASSERT_TRUE(custody.has_value()) << custody.error().message;
  ASSERT_EQ(custody->items.size(), 1u);
  EXPECT_EQ(custody->items[0].status, "已移交");
  ASSERT_EQ(custody->events.size(), 3u);
  EXPECT_EQ(custody->events[0].action, "seize");
  EXPECT_EQ(custody->events[1].from_place, "呼和浩特罚没物品仓库A区");
  EXPECT_EQ(custody->events[1].to_place, "呼和浩特罚没物品仓库B区");
  EXPECT_EQ(custody->events[2].action, "hand_over");
  EXPECT_FALSE(custody->events[0].by_name.empty());
}

TEST_P(CustodyContract, OnlyTheCaseOrganisationWrites) {
  EXPECT_EQ(custody_->AddItem(SignIn("officer2"), case_.id, {"假冒白酒", 1, "瓶", 1, 1, "仓库"})
                .error()
                .code,
            ErrorCode::kNotFound);  // another organisation's case is invisible
  EXPECT_EQ(custody_->AddItem(SignIn("procurator1"), case_.id, {"假冒白酒", 1, "瓶", 1, 1, "仓库"})
                .error()
                .code,
            ErrorCode::kPermissionDenied);
  Result<cases::SeizedItem> bad = custody_->AddItem(officer_, case_.id, {"", 1, "瓶", 1, 1, "仓库"});
  EXPECT_EQ(bad.error().field, "description");
  EXPECT_EQ(custody_->Get(SignIn("officer2"), case_.id).error().code, ErrorCode::kNotFound);
}

TEST_P(CustodyContract, UnitDirectoryIsTheOfficesAndPublicShowsValidUnits) {
  AddUnit("NMG-HW-001", "2027-12-31");
  AddUnit("NMG-HW-002", "2026-01-31");  // expired before today (2026-03-02)
  EXPECT_EQ(custody_->AddUnit(officer_, {"某公司", "X-1", "150100", {"焚烧"}, "2027-01-01"}).error().code,
            ErrorCode::kPermissionDenied);
  EXPECT_EQ(custody_->AddUnit(SignIn("office1"), {"某公司", "NMG-HW-001", "150100", {"焚烧"}, "2027-01-01"})
                .error()
                .code,
            ErrorCode::kConflict);
  EXPECT_EQ(custody_->AddUnit(SignIn("office1"), {"某公司", "X-2", "150100", {"焚烧"}, "2027-13-01"})
                .error()
                .field,
            "valid_until");
  EXPECT_EQ(custody_->Units(officer_)->size(), 2u);
  Result<std::vector<cases::DestructionUnit>> open = custody_->PublicUnits("");
  ASSERT_TRUE(open.has_value());
  ASSERT_EQ(open->size(), 1u);
  EXPECT_EQ(open->at(0).licence_number, "NMG-HW-001");
  EXPECT_EQ(open->at(0).methods, (std::vector<std::string>{"焚烧", "粉碎"}));
  EXPECT_EQ(custody_->PublicUnits("150200")->size(), 0u);
  EXPECT_EQ(custody_->PublicUnits("15").error().code, ErrorCode::kInvalidArgument);
}

TEST_P(CustodyContract, DestructionNeedsAUnitValidOnTheDay) {
  cases::SeizedItem a = AddItem(1200, 3000000);
  cases::SeizedItem b = AddItem(50.5, 250000);
  cases::DestructionUnit expired = AddUnit("NMG-HW-002", "2026-02-10");
  cases::DestructionUnit valid = AddUnit("NMG-HW-001", "2027-12-31");
  Result<cases::DestructionOrder> late = custody_->Destroy(officer_, case_.id, Order({a.id}, expired.id, "2026-02-20"));
  EXPECT_EQ(late.error().field, "unit_id");
  // The same unit was qualified on an earlier day.
  cases::OrderDraft wrong_method = Order({a.id}, valid.id, "2026-02-20");
  wrong_method.method = "填埋";
  EXPECT_EQ(custody_->Destroy(officer_, case_.id, wrong_method).error().field, "method");
  cases::OrderDraft no_photo = Order({a.id}, valid.id, "2026-02-20");
  no_photo.photos.clear();
  EXPECT_EQ(custody_->Destroy(officer_, case_.id, no_photo).error().field, "attachments");
  Result<cases::DestructionOrder> early = custody_->Destroy(officer_, case_.id, Order({b.id}, expired.id, "2026-02-05"));
  ASSERT_TRUE(early.has_value()) << early.error().message;
  Result<cases::DestructionOrder> order = custody_->Destroy(officer_, case_.id, Order({a.id}, valid.id, "2026-03-01"));
  ASSERT_TRUE(order.has_value()) << order.error().message;
  EXPECT_DOUBLE_EQ(order->weight_kg, 1200);
  EXPECT_EQ(order->value_fen, 3000000);
  EXPECT_EQ(custody_->Destroy(officer_, case_.id, Order({a.id}, valid.id, "2026-03-01")).error().code,
            ErrorCode::kConflict);  // already destroyed
  Result<cases::Custody> custody = custody_->Get(officer_, case_.id);
  ASSERT_TRUE(custody.has_value());
  ASSERT_EQ(custody->orders.size(), 2u);
  EXPECT_EQ(custody->orders[1].unit_name, "内蒙古某环保科技有限公司");
  EXPECT_EQ(custody->orders[1].witnesses, (std::vector<std::string>{"王五", "赵六"}));
  ASSERT_EQ(custody->orders[1].photos.size(), 1u);
  EXPECT_EQ(custody->orders[1].item_ids, std::vector<Id>{a.id});
  for (const cases::SeizedItem& item : custody->items) EXPECT_EQ(item.status, "已销毁");
  Result<Attachment> photo =
      custody_->Photo(SignIn("procurator1"), case_.id, order->id, custody->orders[1].photos[0].meta.id);
  ASSERT_TRUE(photo.has_value()) << photo.error().message;
  EXPECT_EQ(photo->data, std::string("\xff\xd8\xff\xe0photo", 9));
  EXPECT_EQ(custody_->Photo(SignIn("officer2"), case_.id, order->id, photo->meta.id).error().code,
            ErrorCode::kNotFound);
}

TEST_P(CustodyContract, SummaryDestroyedLineComesFromOrders) {
  cases::SeizedItem a = AddItem(1200, 3000000);
  cases::SeizedItem b = AddItem(50.5, 250000);
  cases::DestructionUnit unit = AddUnit("NMG-HW-001", "2027-12-31");
  ASSERT_TRUE(custody_->Destroy(officer_, case_.id, Order({a.id}, unit.id, "2026-03-01")).has_value());
  ASSERT_TRUE(custody_->Destroy(officer_, case_.id, Order({b.id}, unit.id, "2026-02-01")).has_value());
  Result<cases::Summary> s = cases_->Summarize(SignIn("office1"), "2026-03-01", "2026-03-31", "");
  ASSERT_TRUE(s.has_value()) << s.error().message;
  EXPECT_DOUBLE_EQ(s->figures.destroyed_kg, 1200);
  EXPECT_EQ(s->figures.destroyed_value_fen, 3000000);
  EXPECT_NE(s->text.find("销毁侵权假冒伪劣商品1.2吨，货值3.00万元"), std::string::npos) << s->text;
  Result<cases::Summary> year = cases_->Summarize(SignIn("office1"), "2026-01-01", "2026-12-31", "");
  EXPECT_NE(year->text.find("销毁侵权假冒伪劣商品1.251吨，货值3.25万元"), std::string::npos) << year->text;
  Result<cases::Summary> elsewhere = cases_->Summarize(SignIn("office1"), "2026-01-01", "2026-12-31", "150200");
  EXPECT_NE(elsewhere->text.find("销毁侵权假冒伪劣商品0吨，货值0.00万元"), std::string::npos);
}

TEST_P(CustodyContract, EveryWriteIsAudited) {
  cases::SeizedItem item = AddItem(10, 100);
  ASSERT_TRUE(custody_->MoveItem(officer_, case_.id, item.id, {"move", "B区", ""}).has_value());
  cases::DestructionUnit unit = AddUnit("NMG-HW-001", "2027-12-31");
  ASSERT_TRUE(custody_->Destroy(officer_, case_.id, Order({item.id}, unit.id, "2026-03-01")).has_value());
  for (const char* action : {"custody.item_add", "custody.item_move", "custody.unit_add", "custody.destroy"}) {
    platform::AuditQuery query;
    query.action = action;
    Result<platform::Page<AuditRecord>> records = storage_->platform().ListAudit(query);
    ASSERT_TRUE(records.has_value()) << records.error().message;
    EXPECT_EQ(records->items.size(), 1u) << action;
  }
}

INSTANTIATE_TEST_SUITE_P(Backends, CustodyContract, testing::ValuesIn(AvailableBackends()), BackendName);

}  // namespace
}  // namespace redshield::testing_support
