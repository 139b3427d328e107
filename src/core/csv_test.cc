#include "core/csv.h"

#include <fstream>

#include <gtest/gtest.h>

namespace redshield {
namespace {

using Fields = std::vector<std::string>;

std::vector<CsvRow> ParseOk(std::string_view text) {
  Result<std::vector<CsvRow>> rows = ParseCsv(text);
  EXPECT_TRUE(rows.has_value()) << rows.error().message;
  return rows.value_or(std::vector<CsvRow>{});
}

std::string ParseError(std::string_view text) {
  Result<std::vector<CsvRow>> rows = ParseCsv(text);
  EXPECT_FALSE(rows.has_value());
  return rows ? "" : rows.error().message;
}

TEST(Csv, ReadsSimpleRowsWithLineNumbers) {
  const std::vector<CsvRow> rows = ParseOk("a,b,c\n1,2,3\n");
  ASSERT_EQ(rows.size(), 2u);
  EXPECT_EQ(rows[0].fields, (Fields{"a", "b", "c"}));
  EXPECT_EQ(rows[0].line, 1);
  EXPECT_EQ(rows[1].fields, (Fields{"1", "2", "3"}));
  EXPECT_EQ(rows[1].line, 2);
}

TEST(Csv, AcceptsCrlfLfAndLoneCr) {
  for (std::string_view text : {"a,b\r\nc,d\r\n", "a,b\nc,d", "a,b\rc,d\r"}) {
    const std::vector<CsvRow> rows = ParseOk(text);
    ASSERT_EQ(rows.size(), 2u) << text;
    EXPECT_EQ(rows[1].fields, (Fields{"c", "d"}));
    EXPECT_EQ(rows[1].line, 2);
  }
}

TEST(Csv, HandlesQuotedFields) {
  const std::vector<CsvRow> rows =
      ParseOk("\"a,b\",\"say \"\"hi\"\"\",\"\"\n\"two\nlines\",x\r\nlast,\"\"\"\"\n");
  ASSERT_EQ(rows.size(), 3u);
  EXPECT_EQ(rows[0].fields, (Fields{"a,b", "say \"hi\"", ""}));
  EXPECT_EQ(rows[1].fields, (Fields{"two\nlines", "x"}));
  EXPECT_EQ(rows[1].line, 2);
  EXPECT_EQ(rows[2].fields, (Fields{"last", "\""}));
  EXPECT_EQ(rows[2].line, 4);
}

TEST(Csv, KeepsEmptyFields) {
  const std::vector<CsvRow> rows = ParseOk(",a,,\n");
  ASSERT_EQ(rows.size(), 1u);
  EXPECT_EQ(rows[0].fields, (Fields{"", "a", "", ""}));
  EXPECT_EQ(ParseOk("x,")[0].fields, (Fields{"x", ""}));
}

TEST(Csv, StripsBomAndSkipsEmptyLines) {
  const std::vector<CsvRow> rows = ParseOk(
      "\xEF\xBB\xBF"
      "code\n\n150000\r\n\r\n\n150100\n\n");
  ASSERT_EQ(rows.size(), 3u);
  EXPECT_EQ(rows[0].fields, (Fields{"code"}));
  EXPECT_EQ(rows[1].line, 3);
  EXPECT_EQ(rows[2].line, 6);
  EXPECT_EQ(rows[2].fields, (Fields{"150100"}));
  EXPECT_TRUE(ParseOk("").empty());
  EXPECT_TRUE(ParseOk("\xEF\xBB\xBF").empty());
  EXPECT_TRUE(ParseOk("\n\r\n").empty());
}

TEST(Csv, KeepsSpacesAndAQuotedEmptyLine) {
  const std::vector<CsvRow> rows = ParseOk(" a , b \n\"\"\n");
  ASSERT_EQ(rows.size(), 2u);
  EXPECT_EQ(rows[0].fields, (Fields{" a ", " b "}));
  EXPECT_EQ(rows[1].fields, (Fields{""}));
}

TEST(Csv, CountsLinesInsideQuotesWithCrlf) {
  const std::vector<CsvRow> rows = ParseOk("\"a\r\nb\rc\",1\r\nnext,2\r\n");
  ASSERT_EQ(rows.size(), 2u);
  EXPECT_EQ(rows[0].fields[0], "a\r\nb\rc");
  EXPECT_EQ(rows[1].line, 4);
}

TEST(Csv, RejectsUnclosedQuoteAtItsLine) {
  EXPECT_EQ(ParseError("a\nb,\"open\n\nmore"), "第 2 行：引号没有闭合");
}

TEST(Csv, RejectsTextAfterClosingQuote) {
  EXPECT_EQ(ParseError("a\n\"x\"y,z"), "第 2 行：右引号后不能紧跟其他字符，字段之间应以逗号分隔");
  EXPECT_FALSE(ParseCsv("\"x\" ,z").has_value());
}

TEST(Csv, RejectsQuoteInUnquotedField) {
  const std::string message = ParseError("ok\nab\"c\"\n");
  EXPECT_EQ(message.rfind("第 2 行：未加引号的字段中出现了双引号", 0), 0u) << message;
}

TEST(Csv, RejectsNonUtf8) {
  const std::string message = ParseError("a\n\xC4\xDA\xC3\xC9,1\n");
  EXPECT_EQ(message.rfind("第 2 行：含有不是 UTF-8 编码的字节", 0), 0u) << message;
}

TEST(Csv, StopsAfterAnError) {
  CsvReader reader("\"bad\"x\nfine\n");
  EXPECT_FALSE(reader.Next().has_value());
  Result<std::optional<CsvRow>> next = reader.Next();
  ASSERT_TRUE(next.has_value());
  EXPECT_FALSE(next->has_value());
}

TEST(CsvTable, AccessesFieldsByColumnName) {
  Result<CsvTable> table =
      CsvTable::Parse(" code ,name\n150000,内蒙古自治区\n150100,\"呼和浩特市\"\n");
  ASSERT_TRUE(table.has_value()) << table.error().message;
  EXPECT_EQ(table->header().names(), (Fields{"code", "name"}));
  ASSERT_EQ(table->records().size(), 2u);
  const CsvRecord& record = table->records()[1];
  EXPECT_EQ(record.line(), 3);
  EXPECT_EQ(*record.Field("code"), "150100");
  EXPECT_EQ(*record.Field("name"), "呼和浩特市");
  EXPECT_EQ(record.OptionalField("note"), std::nullopt);
  EXPECT_EQ(record.Field("note").error().message, "第 3 行：缺少列 \"note\"");
}

TEST(CsvTable, FormatsFieldErrors) {
  Result<CsvTable> table = CsvTable::Parse("code,name\n1,\n2,b\n");
  ASSERT_TRUE(table.has_value());
  const CsvRecord& first = table->records()[0];
  Result<std::string_view> name = first.RequiredField("name");
  ASSERT_FALSE(name.has_value());
  EXPECT_EQ(name.error().message, "第 2 行，字段 \"name\"：不能为空");
  EXPECT_EQ(name.error().field, "line 2, name");
  const Error wrapped =
      table->records()[1].FieldError("code", Error{ErrorCode::kNotFound, "不存在", {}});
  EXPECT_EQ(wrapped.message, "第 3 行，字段 \"code\"：不存在");
  EXPECT_EQ(wrapped.code, ErrorCode::kNotFound);
}

TEST(CsvTable, RejectsBadHeaders) {
  EXPECT_EQ(CsvTable::Parse("").error().message, "CSV 内容为空，缺少表头行");
  EXPECT_EQ(CsvTable::Parse("a,,b\n").error().message, "第 1 行：第 2 列的列名为空");
  EXPECT_EQ(CsvTable::Parse("a,b,a\n").error().message, "第 1 行：列名 \"a\" 重复");
  EXPECT_EQ(CsvTable::Parse("a,b\n", {"a", "code"}).error().message,
            "第 1 行：缺少必需的列 \"code\"");
  EXPECT_TRUE(CsvTable::Parse("a,b\n", {"b", "a"}).has_value());
}

TEST(CsvTable, RejectsRowsWithWrongFieldCount) {
  EXPECT_EQ(CsvTable::Parse("a,b\n1,2\n\n1,2,3\n").error().message,
            "第 4 行：应有 2 个字段，实有 3 个");
  EXPECT_EQ(CsvTable::Parse("a,b\n1\n").error().message, "第 2 行：应有 2 个字段，实有 1 个");
}

TEST(CsvTable, RecordsSurviveMovingTheTable) {
  Result<CsvTable> parsed = CsvTable::Parse("k\nv\n");
  ASSERT_TRUE(parsed.has_value());
  CsvTable table = std::move(*parsed);
  std::vector<CsvTable> holder;
  holder.push_back(std::move(table));
  EXPECT_EQ(*holder[0].records()[0].Field("k"), "v");
}

TEST(CsvTable, ReadsFilesAndNamesOnlyTheBaseName) {
  const std::string path = testing::TempDir() + "/rs_csv_test.csv";
  {
    std::ofstream out(path, std::ios::binary);
    out << "a,b\n1\n";
  }
  Result<CsvTable> table = CsvTable::ReadFile(path);
  ASSERT_FALSE(table.has_value());
  EXPECT_EQ(table.error().message, "rs_csv_test.csv 第 2 行：应有 2 个字段，实有 1 个");
  Result<CsvTable> missing = CsvTable::ReadFile("/nonexistent/dir/missing.csv");
  ASSERT_FALSE(missing.has_value());
  EXPECT_EQ(missing.error().code, ErrorCode::kNotFound);
  EXPECT_EQ(missing.error().message, "找不到数据文件 missing.csv");
}

}  // namespace
}  // namespace redshield
