#include "screening/seller_index.h"

#include <gtest/gtest.h>

#include "screening/normalize.h"

namespace redshield::screening {
namespace {

class SellerIndexTest : public testing::Test {
 protected:
  SellerIndex::Hit Find(std::string_view id, std::string_view name) {
    return index_.Find(id, Normalize(name), scratch_);
  }

  std::vector<BlacklistedSeller> blacklist_ = {
      {"s-100", "阿强鞋业旗舰店", "售假", 2},
      {"", "鑫源名品商行", "", 3},
      {"s-300", "", "", 4},
      {"s-400", "小王店", "", 5},
      {"s-500", "名表汇精品店", "", 6},
  };
  SellerIndex index_{blacklist_};
  SellerIndex::Scratch scratch_;
};

TEST_F(SellerIndexTest, FindsById) {
  SellerIndex::Hit hit = Find("s-300", "随便什么店");
  EXPECT_EQ(hit.entry, 2);
  EXPECT_FALSE(hit.by_name);
}

TEST_F(SellerIndexTest, KeysDropGenericEndingsAndDigits) {
  std::string key;
  AppendSellerKey(Normalize("阿强鞋业2店"), key);
  EXPECT_EQ(key, "阿强鞋业");
  key.clear();
  AppendSellerKey(Normalize("阿强鞋业官方旗舰店"), key);
  EXPECT_EQ(key, "阿强鞋业");
  key.clear();
  AppendSellerKey(Normalize("店"), key);
  EXPECT_EQ(key, "店");  // never stripped to nothing
}

TEST_F(SellerIndexTest, FindsSameShopUnderNewId) {
  for (const char* name : {"阿强鞋业旗舰店", "阿强鞋业2店", "阿強鞋業", "阿强 鞋业 专营店"}) {
    SellerIndex::Hit hit = Find("s-999", name);
    EXPECT_EQ(hit.entry, 0) << name;
    EXPECT_TRUE(hit.by_name) << name;
  }
}

TEST_F(SellerIndexTest, FindsNameOneEditAway) {
  EXPECT_EQ(Find("x", "阿强鞋业城").entry, 0);  // one added
  EXPECT_EQ(Find("x", "阿强鞋").entry, -1);     // too short to be fuzzy
  EXPECT_EQ(Find("x", "阿强靴业").entry, 0);    // one changed
  EXPECT_EQ(Find("x", "鑫源名品").entry, 1);    // one removed
  EXPECT_EQ(Find("x", "鑫源名品行").entry, 1);
}

TEST_F(SellerIndexTest, ComparesTheWholeNameToo) {
  // The key 名表汇 is too short to be fuzzy, but the whole name is not.
  EXPECT_EQ(Find("x", "名表汇精品城").entry, 4);
  EXPECT_EQ(Find("x", "名表汇精品店城").entry, 4);
  EXPECT_EQ(Find("x", "名表汇旗舰店").entry, 4);  // same key
  EXPECT_EQ(Find("x", "名表城精品屋").entry, -1);
}

TEST_F(SellerIndexTest, ShortNamesMatchOnlyExactly) {
  EXPECT_EQ(Find("x", "小王").entry, 3);
  EXPECT_EQ(Find("x", "小李").entry, -1);
}

TEST_F(SellerIndexTest, IgnoresDifferentShops) {
  EXPECT_EQ(Find("x", "阿迪运动专营店").entry, -1);
  EXPECT_EQ(Find("x", "强生鞋城").entry, -1);
  EXPECT_EQ(Find("", "").entry, -1);
}

}  // namespace
}  // namespace redshield::screening
