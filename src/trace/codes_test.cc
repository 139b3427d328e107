#include "trace/codes.h"

#include <gtest/gtest.h>

#include "core/csv.h"
#include "core/testing_paths.h"
#include "trace/code_service.h"
#include "trace/gs1_keys.h"

namespace redshield::trace {
namespace {

std::string Shared(std::string_view file) {
  return SharedDirForTesting() + "/data/" + std::string(file);
}

TEST(PesticideUnitCode, SharedVectors) {
  Result<CsvTable> rows = CsvTable::ReadFile(Shared("agri_inputs/pesticide_label_qr_unit_codes.csv"),
                                             {"unit_code", "expected_valid", "decoded"});
  ASSERT_TRUE(rows.has_value()) << rows.error().message;
  ASSERT_EQ(rows->records().size(), 7u);
  for (const CsvRecord& row : rows->records()) {
    const std::string code(*row.Field("unit_code"));
    Result<PesticideUnitCode> parsed = ParsePesticideUnitCode(code);
    ASSERT_EQ(parsed.has_value(), *row.Field("expected_valid") == "1") << code;
    if (!parsed) continue;
    const std::string decoded(*row.Field("decoded"));
    EXPECT_NE(decoded.find("reg_last6=" + parsed->registration_tail), std::string::npos) << code;
    EXPECT_NE(decoded.find("spec=" + parsed->spec), std::string::npos) << code;
    EXPECT_TRUE(decoded.ends_with("random=" + parsed->random)) << code;
    EXPECT_NE(decoded.find(std::string(ProductionTypeName(parsed->production_type))), std::string::npos);
    EXPECT_NE(decoded.find("type=" + std::string(RegistrationClassName(parsed->registration_class))),
              std::string::npos);
  }
}

TEST(PesticideUnitCode, ExplainsPositions) {
  EXPECT_EQ(ParsePesticideUnitCode("40929272000000000000000000000000").error().field, "position 1");
  EXPECT_EQ(ParsePesticideUnitCode("10929274000000000000000000000000").error().field, "position 8");
  EXPECT_EQ(ParsePesticideUnitCode("1092927200000000000000000000000A").error().field, "position 32");
  EXPECT_EQ(ParsePesticideUnitCode("1092927200000000000000000000000").error().message,
            "农药单元识别代码应为 32 位数字，实为 31 位");
}

TEST(PesticideUnitCode, LabelUrlForms) {
  std::string url;
  ASSERT_TRUE(ParsePesticideLabel("https://trace.example.cn/q?code=10929272000000000000000000000000", &url));
  EXPECT_EQ(url, "https://trace.example.cn/q?code=");
  EXPECT_TRUE(ParsePesticideLabel("http://t.example.cn/10800051001483920175560192837465"));
  EXPECT_FALSE(ParsePesticideLabel("10800051001483920175560192837465"));
  EXPECT_FALSE(ParsePesticideLabel("http://t.example.cn/1080005100148392017556019283746"));
  Result<DecodedCode> any = ParseAnyCode("http://t.example.cn/10800051001483920175560192837465");
  ASSERT_TRUE(any.has_value());
  EXPECT_EQ(any->kind, CodeKind::kPesticideLabel);
  EXPECT_EQ(any->key, "cn.pesticide/10800051001483920175560192837465");
}

TEST(PesticideUnitCode, MatchesRegistration) {
  PesticideUnitCode code = *ParsePesticideUnitCode("10929272000000000000000000000000");
  EXPECT_TRUE(CheckPesticideCodeMatchesRegistration(code, *ParsePesticideRegistration("PD20092927")));
  EXPECT_FALSE(CheckPesticideCodeMatchesRegistration(code, *ParsePesticideRegistration("WP20092927")));
  EXPECT_FALSE(CheckPesticideCodeMatchesRegistration(code, *ParsePesticideRegistration("PD20080005")));
}

TEST(PesticideRegistration, SharedVectors) {
  Result<CsvTable> rows = CsvTable::ReadFile(Shared("agri_inputs/pesticide_registration_numbers.csv"),
                                             {"number", "matches_current_format_regex"});
  ASSERT_TRUE(rows.has_value()) << rows.error().message;
  ASSERT_EQ(rows->records().size(), 11u);
  for (const CsvRecord& row : rows->records()) {
    const std::string number(*row.Field("number"));
    EXPECT_EQ(ParsePesticideRegistration(number).has_value(),
              *row.Field("matches_current_format_regex") == "1") << number;
  }
  EXPECT_EQ(ParsePesticideRegistration("pd20080005")->number, "PD20080005");
  EXPECT_EQ(ParsePesticideRegistration("LS20071573")->year, 2007);
}

TEST(VetApproval, SharedVectors) {
  Result<CsvTable> rows = CsvTable::ReadFile(Shared("agri_inputs/vet_drug_approval_numbers.csv"),
                                             {"approval_no", "matches_format_regex"});
  ASSERT_TRUE(rows.has_value()) << rows.error().message;
  ASSERT_EQ(rows->records().size(), 9u);
  for (const CsvRecord& row : rows->records()) {
    const std::string number(*row.Field("approval_no"));
    Result<VetApproval> parsed = ParseVetApproval(number);
    ASSERT_EQ(parsed.has_value(), *row.Field("matches_format_regex") == "1") << number;
    if (parsed) {
      EXPECT_EQ(parsed->number, number);
    }
  }
  EXPECT_EQ(ParseVetApproval("兽药生字(2015)220442658")->category, "兽药生字");
  EXPECT_EQ(ParseVetApproval("兽药生字(2015)220442658")->number, "兽药生字（2015）220442658");
}

TEST(VetTraceCode, SharedQrContents) {
  Result<CsvTable> rows =
      CsvTable::ReadFile(Shared("agri_inputs/vet_drug_qr_contents.csv"), {"qr_text", "note"});
  ASSERT_TRUE(rows.has_value()) << rows.error().message;
  ASSERT_EQ(rows->records().size(), 4u);
  int valid = 0;
  for (const CsvRecord& row : rows->records()) {
    const std::string text(*row.Field("qr_text"));
    Result<DecodedCode> decoded = ParseAnyCode(text);
    const bool mojibake = row.Field("note")->find("ENCODING TEST") != std::string_view::npos;
    ASSERT_EQ(decoded.has_value(), !mojibake) << text << (decoded ? "" : decoded.error().message);
    if (!decoded) continue;
    ++valid;
    EXPECT_EQ(decoded->kind, CodeKind::kVetQr);
    EXPECT_TRUE(decoded->key.starts_with("cn.vet/"));
  }
  EXPECT_EQ(valid, 3);
  VetTraceCode code = *ParseVetTraceCode("201610270012800019960407");
  EXPECT_EQ(code.date, "2016-10-27");
  EXPECT_EQ(code.enterprise, "00128");
  EXPECT_EQ(code.random, "00019960407");
  EXPECT_FALSE(ParseVetTraceCode("201613270012800019960407"));  // month 13
  EXPECT_FALSE(ParseVetTraceCode("20161027001280001996040"));   // 23 digits
}

TEST(SeedCode, UnitAndQr) {
  EXPECT_TRUE(ParseSeedUnitCode("15010210012345678901"));
  EXPECT_TRUE(ParseSeedUnitCode("AB12"));
  EXPECT_FALSE(ParseSeedUnitCode("150102100123456789012"));  // 21
  EXPECT_FALSE(ParseSeedUnitCode("ABCD"));
  EXPECT_FALSE(ParseSeedUnitCode("AB-12"));
  Result<DecodedCode> qr = ParseAnyCode("郑单958\n内蒙古某种业有限公司\n15010210012345678901\nhttps://seed.example.cn/t");
  ASSERT_TRUE(qr.has_value()) << qr.error().message;
  EXPECT_EQ(qr->key, "cn.seed/15010210012345678901");
  EXPECT_FALSE(ParseAnyCode("郑单958\n公司\n15010210012345678901"));
}

TEST(Gs1Keys, UrnAndDigitalLinkAgree) {
  Result<Gs1Key> urn = ParseEpcUrn("urn:epc:id:sgtin:0614141.107346.2017");
  ASSERT_TRUE(urn.has_value()) << urn.error().message;
  EXPECT_EQ(urn->canonical, "01/10614141073464/21/2017");
  Result<Gs1Key> link = ParseDigitalLink("https://id.gs1.org/01/10614141073464/21/2017?17=201231");
  ASSERT_TRUE(link.has_value());
  EXPECT_EQ(link->canonical, urn->canonical);
  EXPECT_EQ(ParseGs1Curie("gs1:01/10614141073464/21/2017")->canonical, urn->canonical);
  EXPECT_EQ(ParseDigitalLink("https://brand.example.cn/p/01/10614141073464/10/L1/21/2017")->canonical,
            "01/10614141073464/10/L1/21/2017");
  EXPECT_EQ(ToDigitalLink(*urn), "https://id.gs1.org/01/10614141073464/21/2017");
}

TEST(Gs1Keys, SsccGlnAndClasses) {
  EXPECT_EQ(ParseEpcUrn("urn:epc:id:sscc:0614141.1234567890")->canonical, "00/106141412345678908");
  EXPECT_EQ(ParseEpcUrn("urn:epc:id:sgln:0614141.00777.0")->canonical, "414/0614141007776");
  EXPECT_EQ(ParseEpcUrn("urn:epc:id:sgln:0614141.00777.5")->canonical, "414/0614141007776/254/5");
  EXPECT_EQ(ParseEpcUrn("urn:epc:class:lgtin:4012345.012345.998877")->canonical,
            "01/04012345123456/10/998877");
  EXPECT_EQ(ParseEpcUrn("urn:epc:id:sgtin:0614141.107346.a%2Fb")->serial, "a/b");
  EXPECT_EQ(ToDigitalLink(*ParseEpcUrn("urn:epc:id:sgtin:0614141.107346.a%2Fb")),
            "https://id.gs1.org/01/10614141073464/21/a%2Fb");
}

TEST(Gs1Keys, Rejects) {
  EXPECT_FALSE(ParseDigitalLink("https://id.gs1.org/01/10614141073465/21/2017"));  // check digit
  EXPECT_FALSE(ParseDigitalLink("https://id.gs1.org/01/10614141073464/21/2017/10/L1"));  // order
  EXPECT_FALSE(ParseEpcUrn("urn:epc:id:sgtin:0614141.10734.2017"));  // 12 digits
  EXPECT_FALSE(ParseEpcUrn("urn:epc:id:sgtin:0614141.107346"));
  EXPECT_FALSE(ParseEpcUrn("urn:epc:id:sgtin:0614141.107346.%zz"));
  EXPECT_FALSE(ParseEpcUrn("urn:epc:idpat:sgtin:0614141.107346.*"));
  EXPECT_FALSE(ParseGs1Key("https://example.com/nothing/here"));
}

TEST(AnyCode, ShapesAndAmbiguity) {
  EXPECT_EQ(ParseAnyCode("10800051001483920175560192837465")->kind, CodeKind::kPesticideUnit);
  EXPECT_EQ(ParseAnyCode("201610270012800019960407")->kind, CodeKind::kVetTrace);
  EXPECT_EQ(ParseAnyCode("urn:epc:id:sscc:0614141.1234567890")->kind, CodeKind::kSscc);
  EXPECT_EQ(ParseAnyCode("PD20092927")->kind, CodeKind::kPesticideRegistration);
  EXPECT_EQ(ParseAnyCode("兽药字（2012）100589107")->kind, CodeKind::kVetApproval);
  EXPECT_FALSE(ParseAnyCode("6901234567892"));  // bare GTIN: ambiguous without a kind
  EXPECT_EQ(ParseCodeAs("15010210012345678901", CodeKind::kSeedUnit)->key, "cn.seed/15010210012345678901");
  CodeKind kind;
  ASSERT_TRUE(CodeKindFromName("sscc", kind));
  EXPECT_EQ(kind, CodeKind::kSscc);
  EXPECT_FALSE(ParseCodeAs("urn:epc:id:sscc:0614141.1234567890", CodeKind::kSgtin));
}

TEST(Places, ParsesGlnsInAnyFormAndNamesTheBadLineAndField) {
  Result<std::vector<Place>> places = ParsePlaces(
      "id,name,region_code,retail\n0614141007776,某农资店,150102,是\nurn:epc:id:sgln:0614141.00001.0,仓库,150200,0\n");
  ASSERT_TRUE(places.has_value()) << places.error().message;
  ASSERT_EQ(places->size(), 2u);
  EXPECT_EQ(places->at(0).key, "414/0614141007776");
  EXPECT_TRUE(places->at(0).retail);
  EXPECT_EQ(places->at(1).region_code, "150200");
  EXPECT_FALSE(places->at(1).retail);
  struct Bad {
    const char* csv;
    const char* message;
    const char* field;
  };
  for (const Bad& bad : {
           Bad{"id,name,region_code,retail\n0614141007777,店,150102,1\n", "第 2 行：GLN 不正确", "id"},
           Bad{"id,name,region_code,retail\n0614141007776,,150102,1\n", "第 2 行：名称应为", "name"},
           Bad{"id,name,region_code,retail\n0614141007776,店,1501,1\n", "第 2 行：行政区划代码不正确", "region_code"},
           Bad{"id,name,region_code,retail\n0614141007776,店,150102,x\n", "第 2 行：零售网点", "retail"},
           Bad{"id,name,region_code,retail\n0614141007776,店,150102,1\n0614141007776,店,150102,1\n", "第 3 行：GLN 重复", "id"},
       }) {
    Result<std::vector<Place>> parsed = ParsePlaces(bad.csv);
    ASSERT_FALSE(parsed.has_value()) << bad.csv;
    EXPECT_TRUE(parsed.error().message.starts_with(bad.message)) << parsed.error().message;
    EXPECT_EQ(parsed.error().field, bad.field);
  }
}

TEST(Places, VisibilityByOrganisationOrRegion) {
  EXPECT_TRUE((Visibility{}).Sees(5, "150100"));
  EXPECT_TRUE((Visibility{5, ""}).Sees(5, "150100"));
  EXPECT_FALSE((Visibility{5, ""}).Sees(6, "150100"));
  EXPECT_TRUE((Visibility{0, "150000"}).Sees(6, "150102"));
  EXPECT_FALSE((Visibility{0, "150100"}).Sees(6, "150200"));
}

}  // namespace
}  // namespace redshield::trace
