#include "plans/plan_parser.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "core/text.h"
#include "plans/plan_test_util.h"

namespace redshield::plans {
namespace {

struct UnitView {
  std::string text;
  UnitRole role;
  int clause;
  bool operator==(const UnitView&) const = default;
};

std::ostream& operator<<(std::ostream& out, const UnitView& unit) {
  return out << unit.text << "/" << UnitRoleName(unit.role) << "/" << unit.clause;
}

std::vector<UnitView> Units(const Task& task) {
  std::vector<UnitView> views;
  for (const Unit& unit : task.units) views.push_back({unit.text, unit.role, unit.clause});
  return views;
}

constexpr UnitRole kLead = UnitRole::kLead;
constexpr UnitRole kResp = UnitRole::kResponsible;

std::string ParseError(std::string_view bytes) {
  Result<Plan> plan = ParsePlan(bytes, &ConverterForTesting());
  EXPECT_FALSE(plan.has_value());
  if (plan) return "";
  EXPECT_EQ(plan.error().code, ErrorCode::kInvalidArgument);
  return plan.error().message;
}

// Text extracted from a PDF: a title and a heading broken over two lines, hard
// line breaks inside sentences and notes, stray spaces, page markers.
TEST(PlanParser, UndoesPdfLayout) {
  const Plan plan = ParseOrFail(TestDataForTesting("pdf_layout.txt"));
  EXPECT_EQ(plan.title, "2018年全区打击侵犯知识产权和制售假冒伪劣商品工作要点");
  EXPECT_EQ(plan.year, 2018);
  EXPECT_EQ(plan.encoding, "UTF-8");
  ASSERT_EQ(plan.sections.size(), 2u);
  EXPECT_EQ(plan.sections[0].number, "一");
  EXPECT_EQ(plan.sections[0].title, "深入推进重点领域治理");
  EXPECT_EQ(plan.sections[1].title, "加强商品质量日常监管");
  ASSERT_EQ(plan.sections[0].items.size(), 2u);

  const Item& first = plan.sections[0].items[0];
  EXPECT_EQ(first.number, "一");
  EXPECT_EQ(first.ordinal, 1);
  EXPECT_EQ(first.title, "加大互联网领域侵权假冒治理力度");
  ASSERT_EQ(first.tasks.size(), 2u);
  EXPECT_EQ(first.tasks[0].text,
            "开展网络市场监管专项行动，打击侵权假冒违法行为。（自治区工商局、质监局、网信办，"
            "呼和浩特海关按职责分工分别负责）");
  EXPECT_EQ(Units(first.tasks[0]), (std::vector<UnitView>{{"自治区工商局", kResp, 0},
                                                          {"质监局", kResp, 0},
                                                          {"网信办", kResp, 0},
                                                          {"呼和浩特海关", kResp, 0}}));
  EXPECT_EQ(first.tasks[1].text,
            "加强网络侵权盗版治理。深入开展“剑网2018”专项行动，查处Windows XP盗版。"
            "（自治区新闻出版广电局牵头负责）");
  EXPECT_EQ(first.tasks[1].note, "自治区新闻出版广电局牵头负责");
  EXPECT_EQ(Units(first.tasks[1]), (std::vector<UnitView>{{"自治区新闻出版广电局", kLead, 0}}));

  const Item& second = plan.sections[0].items[1];
  ASSERT_EQ(second.tasks.size(), 1u);
  EXPECT_EQ(second.tasks[0].text,
            "推动落实收寄验视、实名收寄、过机安检三项制度。（内蒙古邮政管理局负责）");

  const Item& third = plan.sections[1].items[0];
  EXPECT_EQ(third.number, "三");
  ASSERT_EQ(third.tasks.size(), 1u);
  // The note runs over a page break.
  EXPECT_EQ(third.tasks[0].text,
            "严肃查处质量违法行为。（自治区质监局、内蒙古出入境检验检疫局等按职责分工分别负责）");
  EXPECT_EQ(Units(third.tasks[0]), (std::vector<UnitView>{{"自治区质监局", kResp, 0},
                                                          {"内蒙古出入境检验检疫局", kResp, 0}}));
  EXPECT_TRUE(plan.warnings.empty());
}

// Tasks numbered 1. 2. under items, full-width parentheses and digits, an
// introduction before task 1, a numbered paragraph without a note of its
// own, items numbered again from (一) in each section.
TEST(PlanParser, ReadsNumberedTasks) {
  const Plan plan = ParseOrFail(TestDataForTesting("numbered_tasks.txt"));
  EXPECT_EQ(plan.year, 2019);
  ASSERT_EQ(plan.sections.size(), 2u);
  ASSERT_EQ(plan.sections[0].items.size(), 2u);
  ASSERT_EQ(plan.sections[1].items.size(), 1u);
  EXPECT_EQ(plan.sections[1].items[0].number, "一");

  const Item& first = plan.sections[0].items[0];
  EXPECT_EQ(first.title, "加大互联网领域侵权假冒治理力度");
  EXPECT_EQ(first.intro, "围绕电子商务平台，重点做好以下工作：");
  ASSERT_EQ(first.tasks.size(), 2u);
  EXPECT_EQ(first.tasks[0].number, "1");
  EXPECT_EQ(first.tasks[0].text,
            "强化网上交易管理。开展网络市场监管专项行动。（自治区工商局、公安厅按职责分工分别负责）");
  // 2. has no note: the note after 3. covers both.
  EXPECT_EQ(first.tasks[1].number, "2");
  EXPECT_EQ(first.tasks[1].text,
            "加强网络侵权盗版治理。3.强化交易平台监管。（自治区新闻出版广电局、文化厅按职责分工负责）");

  const Item& second = plan.sections[0].items[1];
  EXPECT_EQ(second.title, "强化无害化销毁");
  ASSERT_EQ(second.tasks.size(), 2u);
  EXPECT_EQ(second.tasks[0].number, "1");
  // "1.5万元" at the start of a line is not task 1.
  EXPECT_EQ(second.tasks[0].text,
            "加大侵权假冒商品无害化销毁工作力度，案值1.5万元以上的逐件登记。（自治区环保厅牵头负责）");
  EXPECT_EQ(Units(second.tasks[0]), (std::vector<UnitView>{{"自治区环保厅", kLead, 0}}));
  EXPECT_EQ(second.tasks[1].number, "2");
  EXPECT_EQ(Units(second.tasks[1]),
            (std::vector<UnitView>{{"自治区农牧业厅", kResp, 0}, {"环保厅", kResp, 0}}));
}

TEST(PlanParser, DetectsGb18030) {
  const Plan utf8 = ParseOrFail(TestDataForTesting("numbered_tasks.txt"));
  const std::string bytes = TestDataForTesting("numbered_tasks.gb18030.txt");
  Result<DecodedText> decoded = DecodePlanText(bytes);
  ASSERT_TRUE(decoded.has_value()) << decoded.error().message;
  EXPECT_EQ(decoded->encoding, "GB18030");
  const Plan gb = ParseOrFail(bytes);
  EXPECT_EQ(gb.encoding, "GB18030");
  EXPECT_EQ(gb.title, utf8.title);
  ASSERT_EQ(gb.TaskCount(), utf8.TaskCount());
  EXPECT_EQ(gb.sections[0].items[1].tasks[1].text, utf8.sections[0].items[1].tasks[1].text);
  EXPECT_EQ(Units(gb.sections[0].items[0].tasks[1]), Units(utf8.sections[0].items[0].tasks[1]));
}

TEST(PlanParser, AcceptsBomCrlfAndUtf16) {
  std::string text = TestDataForTesting("pdf_layout.txt");
  const Plan plain = ParseOrFail(text);
  std::string crlf = "\xEF\xBB\xBF";
  for (char c : text) {
    if (c == '\n') crlf += '\r';
    crlf += c;
  }
  const Plan with_bom = ParseOrFail(crlf);
  EXPECT_EQ(with_bom.title, plain.title);
  EXPECT_EQ(with_bom.sections[0].items[0].tasks[0].text, plain.sections[0].items[0].tasks[0].text);

  std::string utf16 = "\xFF\xFE";
  for (char32_t cp : DecodeUtf8(text)) {
    ASSERT_LT(cp, 0x10000u);
    utf16 += static_cast<char>(cp & 0xFF);
    utf16 += static_cast<char>(cp >> 8);
  }
  const Plan wide = ParseOrFail(utf16);
  EXPECT_EQ(wide.encoding, "UTF-16LE");
  EXPECT_EQ(wide.sections[1].items[0].tasks[0].text, plain.sections[1].items[0].tasks[0].text);
}

TEST(PlanParser, ConvertsTraditionalCharacters) {
  const std::string bytes = TestDataForTesting("traditional.txt");
  const Plan plan = ParseOrFail(bytes);
  EXPECT_EQ(plan.title, "2017年全区打击侵犯知识产权和制售假冒伪劣商品工作要点");
  ASSERT_EQ(plan.sections.size(), 1u);
  EXPECT_EQ(plan.sections[0].title, "加强商品质量日常监管");
  ASSERT_EQ(plan.sections[0].items.size(), 1u);
  const Item& item = plan.sections[0].items[0];
  EXPECT_EQ(item.number, "四");
  EXPECT_EQ(item.title, "加强重点产品管理");
  ASSERT_EQ(item.tasks.size(), 2u);
  EXPECT_EQ(item.tasks[0].text,
            "严肃查处质量违法行为。（自治区质监局、内蒙古出入境检验检疫局按职责分工分别负责）");
  EXPECT_EQ(Units(item.tasks[0]), (std::vector<UnitView>{{"自治区质监局", kResp, 0},
                                                         {"内蒙古出入境检验检疫局", kResp, 0}}));
  EXPECT_EQ(Units(item.tasks[1]), (std::vector<UnitView>{{"自治区工商局", kResp, 0}}));

  // Without the converter 負責 is not 负责: no note is found.
  Result<Plan> raw = ParsePlan(bytes, nullptr);
  ASSERT_FALSE(raw.has_value());
  EXPECT_NE(raw.error().message.find("未找到工作要点"), std::string::npos);
}

// ASCII parentheses, no sections, items starting at (十六), notes with two
// clauses (牵头负责, then 按职责分工负责, separated by an ASCII or a full-width
// comma), 按职责分工牵头负责, group phrases, a parenthesis that is not a note.
TEST(PlanParser, ReadsNotesWithClausesAndGroups) {
  const Plan plan = ParseOrFail(TestDataForTesting("notes_and_groups.txt"));
  EXPECT_EQ(plan.title, "");
  EXPECT_EQ(plan.year, 0);
  ASSERT_EQ(plan.sections.size(), 1u);
  EXPECT_EQ(plan.sections[0].number, "");
  const std::vector<Item>& items = plan.sections[0].items;
  ASSERT_EQ(items.size(), 5u);
  EXPECT_EQ(items[0].number, "十六");
  EXPECT_EQ(items[0].ordinal, 16);
  EXPECT_EQ(items[4].number, "二十");

  ASSERT_EQ(items[0].tasks.size(), 1u);
  EXPECT_EQ(Units(items[0].tasks[0]),
            (std::vector<UnitView>{{"自治区打击侵权假冒工作领导小组办公室", kLead, 0},
                                   {"自治区人民检察院", kLead, 0},
                                   {"自治区公安厅", kResp, 1},
                                   {"工商局", kResp, 1},
                                   {"呼和浩特海关", kResp, 1}}));

  ASSERT_EQ(items[1].tasks.size(), 2u);
  EXPECT_EQ(items[1].tasks[0].text,
            "建立“黑名单”。(自治区打击侵权假冒工作领导小组有关成员单位按职责分工分别负责)");
  EXPECT_EQ(Units(items[1].tasks[0]),
            (std::vector<UnitView>{{"自治区打击侵权假冒工作领导小组有关成员单位", kResp, 0}}));
  EXPECT_EQ(Units(items[1].tasks[1]),
            (std::vector<UnitView>{{"自治区综治办", kLead, 0},
                                   {"自治区打击侵权假冒工作领导小组办公室", kLead, 0}}));

  EXPECT_EQ(Units(items[2].tasks[0]),
            (std::vector<UnitView>{{"各地区打击侵权假冒工作领导小组", kResp, 0}}));

  ASSERT_EQ(items[3].tasks.size(), 1u);
  EXPECT_EQ(items[3].tasks[0].text,
            "及时曝光典型案例(含“3·15”案例)。(自治区党委宣传部牵头负责，自治区司法厅、网信办、"
            "贸促会等按职责分工负责)");
  EXPECT_EQ(Units(items[3].tasks[0]), (std::vector<UnitView>{{"自治区党委宣传部", kLead, 0},
                                                             {"自治区司法厅", kResp, 1},
                                                             {"网信办", kResp, 1},
                                                             {"贸促会", kResp, 1}}));

  // The note follows the title directly: the title sentence is the task.
  ASSERT_EQ(items[4].tasks.size(), 1u);
  EXPECT_EQ(items[4].title, "加强国际合作");
  EXPECT_EQ(items[4].tasks[0].text, "加强国际合作。(自治区火星管理局、商务厅按职责分工分别负责)");
}

TEST(PlanParser, ReadsADocumentThatStartsMidItem) {
  const Plan plan = ParseOrFail(TestDataForTesting("midway.txt"));
  ASSERT_EQ(plan.sections.size(), 1u);
  const std::vector<Item>& items = plan.sections[0].items;
  ASSERT_EQ(items.size(), 3u);
  EXPECT_EQ(items[0].number, "");
  EXPECT_EQ(items[0].title, "");
  ASSERT_EQ(items[0].tasks.size(), 1u);
  EXPECT_EQ(items[0].tasks[0].text,
            "质量问题集中整治深入开展。(自治区质监局、内蒙古出入境检验检疫局按职责分工分别负责)");
  EXPECT_EQ(items[1].number, "六");
  EXPECT_EQ(items[2].number, "七");
  EXPECT_EQ(items[2].tasks[0].units[0].role, kLead);
}

TEST(PlanParser, TakesOutOfSequenceMarkersForText) {
  const std::string text =
      "(一)开展百日行动。行动分\n"
      "二、三季度进行,重点检查\n"
      "(三)类产品。(自治区工商局负责)\n"
      "(二)加强寄递监管。推动落实\n"
      "1.5万件以上的抽检。(内蒙古邮政管理局负责)\n";
  const Plan plan = ParseOrFail(text);
  ASSERT_EQ(plan.sections.size(), 1u);
  ASSERT_EQ(plan.ItemCount(), 2);
  EXPECT_EQ(plan.sections[0].items[0].tasks[0].text,
            "行动分二、三季度进行,重点检查(三)类产品。(自治区工商局负责)");
  EXPECT_EQ(plan.sections[0].items[1].tasks[0].text,
            "推动落实1.5万件以上的抽检。(内蒙古邮政管理局负责)");
}

TEST(PlanParser, KeepsTextWithoutANoteAsTaskWithoutUnits) {
  const Plan plan = ParseOrFail(
      "(一)加强重点产品管理。严肃查处质量违法行为。(自治区质监局负责)继续开展专项检查。\n"
      "(二)加强寄递环节监管。\n");
  ASSERT_EQ(plan.ItemCount(), 2);
  const Item& first = plan.sections[0].items[0];
  ASSERT_EQ(first.tasks.size(), 2u);
  EXPECT_EQ(first.tasks[1].text, "继续开展专项检查。");
  EXPECT_TRUE(first.tasks[1].units.empty());
  EXPECT_TRUE(plan.sections[0].items[1].tasks.empty());
  ASSERT_EQ(plan.warnings.size(), 2u);
  EXPECT_EQ(plan.warnings[0], "（一）有一段文字没有责任单位：继续开展专项检查。");
  EXPECT_EQ(plan.warnings[1], "（二）没有责任单位");
}

TEST(PlanParser, ReadsEveryNoteEnding) {
  const Plan plan = ParsePlan(
                        "(一)甲。乙。(自治区工商局负责)丙。(自治区工商局牵头负责)丁。(自治区工商局按职责分工负责)"
                        "戊。(自治区工商局、质监局按职责分工分别负责)己。(自治区工商局按职责分工牵头负责)"
                        "庚。(自治区工商局牵头,自治区质监局等配合负责)\n",
                        nullptr)
                        .value_or(Plan{});
  ASSERT_EQ(plan.TaskCount(), 6);
  const std::vector<Task>& tasks = plan.sections[0].items[0].tasks;
  EXPECT_EQ(Units(tasks[0]), (std::vector<UnitView>{{"自治区工商局", kResp, 0}}));
  EXPECT_EQ(Units(tasks[1]), (std::vector<UnitView>{{"自治区工商局", kLead, 0}}));
  EXPECT_EQ(Units(tasks[2]), (std::vector<UnitView>{{"自治区工商局", kResp, 0}}));
  EXPECT_EQ(Units(tasks[3]),
            (std::vector<UnitView>{{"自治区工商局", kResp, 0}, {"质监局", kResp, 0}}));
  EXPECT_EQ(Units(tasks[4]), (std::vector<UnitView>{{"自治区工商局", kLead, 0}}));
  EXPECT_EQ(Units(tasks[5]),
            (std::vector<UnitView>{{"自治区工商局", kLead, 0}, {"自治区质监局", kResp, 1}}));
}

// Found by fuzz_plan_parser: punctuation inside the parentheses after 负责
// stayed in Task::note.
TEST(PlanParser, NoteDropsPunctuationInsideItsParentheses) {
  const Plan plan = ParseOrFail(
      "(一)加强管理。严肃查处。(自治区工商局负责。::)\n"
      "(二)加强监管。推动落实。(自治区质监局负责)\n");
  ASSERT_EQ(plan.TaskCount(), 2);
  const Task& task = plan.sections[0].items[0].tasks[0];
  EXPECT_EQ(task.note, "自治区工商局负责");
  EXPECT_EQ(task.text, "严肃查处。(自治区工商局负责。::)");
  EXPECT_EQ(Units(task), (std::vector<UnitView>{{"自治区工商局", kResp, 0}}));
}

TEST(PlanParser, RejectsWhatIsNotAPlanWithAClearMessage) {
  EXPECT_EQ(ParseError(TestDataForTesting("empty.txt")), "文件为空");
  EXPECT_EQ(ParseError(" \n\r\n\t "), "文件为空");
  EXPECT_NE(ParseError(TestDataForTesting("binary.bin")).find("不是文本"), std::string::npos);
  EXPECT_NE(ParseError(std::string("abc\0def", 7)).find("不是文本"), std::string::npos);
  EXPECT_NE(ParseError("\xFF\xFF\xFF\xFF").find("无法识别文件编码"), std::string::npos);
  EXPECT_NE(ParseError("\xEF\xBB\xBF\xFF").find("UTF-8"), std::string::npos);
  EXPECT_NE(ParseError("\xFF\xFE\x41").find("UTF-16LE"), std::string::npos);
  EXPECT_NE(ParseError(TestDataForTesting("not_a_plan.txt")).find("未找到工作要点"),
            std::string::npos);
  EXPECT_NE(ParseError("1.随便写的一行\n2.又一行\n").find("未找到工作要点"), std::string::npos);

  Result<Plan> huge = ParsePlan(std::string((size_t{8} << 20) + 1, 'a'), nullptr);
  ASSERT_FALSE(huge.has_value());
  EXPECT_EQ(huge.error().code, ErrorCode::kPayloadTooLarge);
}

TEST(SimplifiedConverter, ReportsAMissingConfiguration) {
  Result<std::unique_ptr<SimplifiedConverter>> made = SimplifiedConverter::Create("no-such.json");
  ASSERT_FALSE(made.has_value());
  EXPECT_EQ(made.error().code, ErrorCode::kUnavailable);
}

}  // namespace
}  // namespace redshield::plans
