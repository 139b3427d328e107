#include "core/masking.h"

#include <gtest/gtest.h>

namespace redshield {
namespace {

TEST(MaskResidentId, KeepsFirstAndLastCharacter) {
  EXPECT_EQ(MaskResidentId("15010219900101123X"), "1****************X");
  EXPECT_EQ(MaskResidentId("15010219900101123x"), "1****************X");
  EXPECT_EQ(MaskResidentId("150102900101123"), "1*************3");
  EXPECT_EQ(MaskResidentId(" 150102199001011234 "), "1****************4");
}

TEST(MaskResidentId, MasksAnythingElseCompletely) {
  EXPECT_EQ(MaskResidentId("1501021990010112"), "****************");
  EXPECT_EQ(MaskResidentId("张三"), "**");
  EXPECT_EQ(MaskResidentId("15010219900101123Y"), "******************");
  EXPECT_EQ(MaskResidentId(""), "");
}

TEST(MaskResidentId, IsIdempotent) {
  for (std::string_view id : {"15010219900101123X", "150102900101123", "abc"}) {
    const std::string once = MaskResidentId(id);
    EXPECT_EQ(MaskResidentId(once), once) << id;
  }
}

TEST(MaskPhone, MasksMobileNumbers) {
  EXPECT_EQ(MaskPhone("13812345678"), "138****5678");
  EXPECT_EQ(MaskPhone("138 1234 5678"), "138****5678");
  EXPECT_EQ(MaskPhone("138-1234-5678"), "138****5678");
  EXPECT_EQ(MaskPhone("+86 138 1234 5678"), "138****5678");
  EXPECT_EQ(MaskPhone("008613812345678"), "138****5678");
  EXPECT_EQ(MaskPhone("１３８１２３４５６７８"), "138****5678");
}

TEST(MaskPhone, KeepsOnlyLastFourOfOtherNumbers) {
  EXPECT_EQ(MaskPhone("0471-6281234"), "*******1234");
  EXPECT_EQ(MaskPhone("(0471) 628 1234"), "*******1234");
  EXPECT_EQ(MaskPhone("12315"), "*****");
  EXPECT_EQ(MaskPhone("6281234"), "***1234");
}

TEST(MaskPhone, MasksNonPhonesCompletely) {
  EXPECT_EQ(MaskPhone("call 13812345678"), "****************");
  EXPECT_EQ(MaskPhone("微信"), "**");
  EXPECT_EQ(MaskPhone(""), "");
}

TEST(MaskPhone, IsIdempotent) {
  for (std::string_view phone : {"13812345678", "0471-6281234", "12315", "+86 138 1234 5678"}) {
    const std::string once = MaskPhone(phone);
    EXPECT_EQ(MaskPhone(once), once) << phone;
  }
}

TEST(MaskName, KeepsTheSurname) {
  EXPECT_EQ(MaskName("张三"), "张*");
  EXPECT_EQ(MaskName("张三丰"), "张**");
  EXPECT_EQ(MaskName("欧阳娜娜"), "欧阳**");
  EXPECT_EQ(MaskName("欧阳修"), "欧阳*");
  EXPECT_EQ(MaskName("司马"), "司*");  // two characters: 司 is a surname, 马 a given name
  EXPECT_EQ(MaskName("巴特尔"), "巴**");
  EXPECT_EQ(MaskName("阿不都·热合曼"), "阿******");
  EXPECT_EQ(MaskName("John Smith"), "J*********");
  EXPECT_EQ(MaskName(" 王五 "), "王*");
  EXPECT_EQ(MaskName("王"), "王");
  EXPECT_EQ(MaskName(""), "");
}

TEST(MaskName, IsIdempotent) {
  for (std::string_view name : {"张三", "欧阳娜娜", "巴特尔", "\xFF\xFE"}) {
    const std::string once = MaskName(name);
    EXPECT_EQ(MaskName(once), once) << name;
  }
}

}  // namespace
}  // namespace redshield
