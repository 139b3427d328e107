// Boundary tests for the shipped threshold table (data/cases/thresholds.csv):
// just below, at and above every threshold of every rule version, on the first
// and last offence date of the version, plus the dates where versions change.
// The expected figures are written here independently of the CSV, from
// domain-facts §1.3, so that a wrong figure in the data fails a test.
#include "cases/thresholds.h"

#include <gtest/gtest.h>

#include <optional>
#include <string>
#include <vector>

#include "core/csv.h"
#include "core/testing_paths.h"

namespace redshield::cases {
namespace {

const ThresholdTable& Table() {
  static const ThresholdTable table = [] {
    Result<std::string> text = ReadTextFile(SourceDirForTesting() + "/data/cases/thresholds.csv");
    EXPECT_TRUE(text.has_value());
    Result<ThresholdTable> parsed = ThresholdTable::FromCsv(text ? *text : "");
    EXPECT_TRUE(parsed.has_value()) << (parsed ? "" : parsed.error().message);
    return std::move(*parsed);
  }();
  return table;
}

constexpr int64_t kYuan = 100;  // fen

enum class Field {
  kBusiness, kGains, kSales, kUnsold, kSoldPlusUnsold, kSoldX3PlusUnsold, kLoss, kRightsLoss,
  kLabels, kUnsoldLabels, kLabelsPlusUnsold, kCopies
};

struct Spec {
  const char* name;  // test name part (ASCII)
  const char* offence;
  const char* from;
  const char* to;  // nullptr: open
  Supply supply;
  int64_t marks;
  bool prior;
  Field field;
  int64_t threshold;  // yuan or count
  const char* rule;
};

constexpr Supply G = Supply::kGoods;
constexpr Supply S = Supply::kServices;
constexpr const char* k213 = "假冒注册商标罪";
constexpr const char* k214 = "销售假冒注册商标的商品罪";
constexpr const char* k215 = "非法制造、销售非法制造的注册商标标识罪";
constexpr const char* k216 = "假冒专利罪";
constexpr const char* k217 = "侵犯著作权罪";
constexpr const char* k218 = "销售侵权复制品罪";
constexpr const char* k140 = "生产、销售伪劣产品罪";
constexpr const char* k147 = "生产、销售伪劣农药、兽药、化肥、种子罪";

const Spec kSpecs[] = {
    {"t213_2004_business", k213, "2004-12-22", "2025-04-25", G, 1, false, Field::kBusiness, 50000, "213-2004-business"},
    {"t213_2004_gains", k213, "2004-12-22", "2025-04-25", G, 1, false, Field::kGains, 30000, "213-2004-gains"},
    {"t213_2004_multi_business", k213, "2004-12-22", "2025-04-25", G, 2, false, Field::kBusiness, 30000, "213-2004-multi-business"},
    {"t213_2004_multi_gains", k213, "2004-12-22", "2025-04-25", G, 3, false, Field::kGains, 20000, "213-2004-multi-gains"},
    {"t213_2021_services_business", k213, "2021-03-01", "2025-04-25", S, 1, false, Field::kBusiness, 50000, "213-2021-services-business"},
    {"t213_2021_services_gains", k213, "2021-03-01", "2025-04-25", S, 1, false, Field::kGains, 30000, "213-2021-services-gains"},
    {"t213_2021_services_multi_business", k213, "2021-03-01", "2025-04-25", S, 2, false, Field::kBusiness, 30000, "213-2021-services-multi-business"},
    {"t213_2021_services_multi_gains", k213, "2021-03-01", "2025-04-25", S, 2, false, Field::kGains, 20000, "213-2021-services-multi-gains"},
    {"t213_2025_gains", k213, "2025-04-26", nullptr, G, 1, false, Field::kGains, 30000, "213-2025-gains"},
    {"t213_2025_business", k213, "2025-04-26", nullptr, G, 1, false, Field::kBusiness, 50000, "213-2025-business"},
    {"t213_2025_multi_gains", k213, "2025-04-26", nullptr, G, 2, false, Field::kGains, 20000, "213-2025-multi-gains"},
    {"t213_2025_multi_business", k213, "2025-04-26", nullptr, G, 2, false, Field::kBusiness, 30000, "213-2025-multi-business"},
    {"t213_2025_prior_gains", k213, "2025-04-26", nullptr, G, 1, true, Field::kGains, 20000, "213-2025-multi-gains"},
    {"t213_2025_prior_business", k213, "2025-04-26", nullptr, G, 1, true, Field::kBusiness, 30000, "213-2025-multi-business"},
    {"t213_2025_services_gains", k213, "2025-04-26", nullptr, S, 1, false, Field::kGains, 50000, "213-2025-services-gains"},
    {"t213_2025_services_multi_gains", k213, "2025-04-26", nullptr, S, 2, false, Field::kGains, 30000, "213-2025-services-multi-gains"},
    {"t213_2025_services_prior_gains", k213, "2025-04-26", nullptr, S, 1, true, Field::kGains, 30000, "213-2025-services-multi-gains"},
    {"t214_2004_sales", k214, "2004-12-22", "2010-05-06", G, 1, false, Field::kSales, 50000, "214-2004-sales"},
    {"t214_2010_sales", k214, "2010-05-07", "2025-04-25", G, 1, false, Field::kSales, 50000, "214-2010-sales"},
    {"t214_2010_unsold", k214, "2010-05-07", "2025-04-25", G, 1, false, Field::kUnsold, 150000, "214-2010-unsold"},
    {"t214_2010_sold_plus_unsold", k214, "2010-05-07", "2025-04-25", G, 1, false, Field::kSoldPlusUnsold, 150000, "214-2010-sold-plus-unsold"},
    {"t214_2025_gains", k214, "2025-04-26", nullptr, G, 1, false, Field::kGains, 30000, "214-2025-gains"},
    {"t214_2025_sales", k214, "2025-04-26", nullptr, G, 1, false, Field::kSales, 50000, "214-2025-sales"},
    {"t214_2025_unsold", k214, "2025-04-26", nullptr, G, 1, false, Field::kUnsold, 150000, "214-2025-unsold"},
    {"t214_2025_sold_plus_unsold", k214, "2025-04-26", nullptr, G, 1, false, Field::kSoldPlusUnsold, 150000, "214-2025-sold-plus-unsold"},
    {"t215_2004_labels", k215, "2004-12-22", "2025-04-25", G, 1, false, Field::kLabels, 20000, "215-2004-labels"},
    {"t215_2004_business", k215, "2004-12-22", "2025-04-25", G, 1, false, Field::kBusiness, 50000, "215-2004-business"},
    {"t215_2004_gains", k215, "2004-12-22", "2025-04-25", G, 1, false, Field::kGains, 30000, "215-2004-gains"},
    {"t215_2004_multi_labels", k215, "2004-12-22", "2025-04-25", G, 2, false, Field::kLabels, 10000, "215-2004-multi-labels"},
    {"t215_2004_multi_business", k215, "2004-12-22", "2025-04-25", G, 2, false, Field::kBusiness, 30000, "215-2004-multi-business"},
    {"t215_2004_multi_gains", k215, "2004-12-22", "2025-04-25", G, 2, false, Field::kGains, 20000, "215-2004-multi-gains"},
    {"t215_2025_labels", k215, "2025-04-26", nullptr, G, 1, false, Field::kLabels, 20000, "215-2025-labels"},
    {"t215_2025_business", k215, "2025-04-26", nullptr, G, 1, false, Field::kBusiness, 50000, "215-2025-business"},
    {"t215_2025_gains", k215, "2025-04-26", nullptr, G, 1, false, Field::kGains, 30000, "215-2025-gains"},
    {"t215_2025_multi_labels", k215, "2025-04-26", nullptr, G, 2, false, Field::kLabels, 10000, "215-2025-multi-labels"},
    {"t216_2004_business", k216, "2004-12-22", "2025-04-25", G, 1, false, Field::kBusiness, 200000, "216-2004-business"},
    {"t216_2004_gains", k216, "2004-12-22", "2025-04-25", G, 1, false, Field::kGains, 100000, "216-2004-gains"},
    {"t216_2004_multi_business", k216, "2004-12-22", "2025-04-25", G, 2, false, Field::kBusiness, 100000, "216-2004-multi-business"},
    {"t216_2004_multi_gains", k216, "2004-12-22", "2025-04-25", S, 2, false, Field::kGains, 50000, "216-2004-multi-gains"},
    {"t216_2025_business", k216, "2025-04-26", nullptr, G, 1, false, Field::kBusiness, 200000, "216-2025-business"},
    {"t216_2025_gains", k216, "2025-04-26", nullptr, G, 1, false, Field::kGains, 100000, "216-2025-gains"},
    {"t216_2004_loss", k216, "2004-12-22", "2025-04-25", G, 1, false, Field::kRightsLoss, 500000, "216-2004-loss"},
    {"t216_2025_loss", k216, "2025-04-26", nullptr, S, 1, false, Field::kRightsLoss, 500000, "216-2025-loss"},
    {"t215_2011_attempt_unsold", k215, "2011-01-10", "2025-04-25", G, 1, false, Field::kUnsoldLabels, 60000, "215-2011-attempt-unsold"},
    {"t215_2011_attempt_total", k215, "2011-01-10", "2025-04-25", G, 1, false, Field::kLabelsPlusUnsold, 60000, "215-2011-attempt-total"},
    {"t215_2011_attempt_multi_unsold", k215, "2011-01-10", "2025-04-25", G, 2, false, Field::kUnsoldLabels, 30000, "215-2011-attempt-multi-unsold"},
    {"t215_2011_attempt_multi_total", k215, "2011-01-10", "2025-04-25", G, 2, false, Field::kLabelsPlusUnsold, 30000, "215-2011-attempt-multi-total"},
    {"t215_2025_attempt_unsold", k215, "2025-04-26", nullptr, G, 1, false, Field::kUnsoldLabels, 60000, "215-2025-attempt-unsold"},
    {"t215_2025_attempt_total", k215, "2025-04-26", nullptr, G, 1, false, Field::kLabelsPlusUnsold, 60000, "215-2025-attempt-total"},
    {"t215_2025_attempt_multi_unsold", k215, "2025-04-26", nullptr, G, 2, false, Field::kUnsoldLabels, 30000, "215-2025-attempt-multi-unsold"},
    {"t215_2025_attempt_multi_total", k215, "2025-04-26", nullptr, G, 2, false, Field::kLabelsPlusUnsold, 30000, "215-2025-attempt-multi-total"},
    {"t217_2004_gains", k217, "2004-12-22", "2007-04-04", G, 1, false, Field::kGains, 30000, "217-2004-gains"},
    {"t217_2004_business", k217, "2004-12-22", "2007-04-04", G, 1, false, Field::kBusiness, 50000, "217-2004-business"},
    {"t217_2004_copies", k217, "2004-12-22", "2007-04-04", G, 1, false, Field::kCopies, 1000, "217-2004-copies"},
    {"t217_2007_gains", k217, "2007-04-05", "2025-04-25", G, 1, false, Field::kGains, 30000, "217-2007-gains"},
    {"t217_2007_business", k217, "2007-04-05", "2025-04-25", S, 1, false, Field::kBusiness, 50000, "217-2007-business"},
    {"t217_2007_copies", k217, "2007-04-05", "2025-04-25", G, 1, false, Field::kCopies, 500, "217-2007-copies"},
    {"t217_2025_gains", k217, "2025-04-26", nullptr, G, 1, false, Field::kGains, 30000, "217-2025-gains"},
    {"t217_2025_business", k217, "2025-04-26", nullptr, G, 1, false, Field::kBusiness, 50000, "217-2025-business"},
    {"t217_2025_copies", k217, "2025-04-26", nullptr, G, 1, false, Field::kCopies, 500, "217-2025-copies"},
    {"t218_2004_gains", k218, "2004-12-22", "2025-04-25", G, 1, false, Field::kGains, 100000, "218-2004-gains"},
    {"t218_2025_gains", k218, "2025-04-26", nullptr, G, 1, false, Field::kGains, 50000, "218-2025-gains"},
    {"t140_1997_sales", k140, "1997-10-01", "2008-06-24", G, 1, false, Field::kSales, 50000, "140-1997-sales"},
    {"t140_2008_sales", k140, "2008-06-25", nullptr, G, 1, false, Field::kSales, 50000, "140-2008-sales"},
    {"t140_2008_unsold", k140, "2008-06-25", nullptr, G, 1, false, Field::kUnsold, 150000, "140-2008-unsold"},
    {"t140_2008_sold_x3_plus_unsold", k140, "2008-06-25", nullptr, G, 1, false, Field::kSoldX3PlusUnsold, 150000, "140-2008-sold-x3-plus-unsold"},
    {"t147_2008_loss", k147, "2008-06-25", nullptr, G, 1, false, Field::kLoss, 20000, "147-2008-loss"},
    {"t147_2008_sales", k147, "2008-06-25", nullptr, G, 1, false, Field::kSales, 50000, "147-2008-sales-as-140"},
};

bool IsAmount(Field field) {
  return field != Field::kLabels && field != Field::kUnsoldLabels &&
         field != Field::kLabelsPlusUnsold && field != Field::kCopies;
}

// Facts whose compared quantity equals `value` (fen or a count). Combined
// metrics hold a fixed part below the single-metric thresholds.
CaseFacts FactsFor(const Spec& spec, Date date, int64_t value) {
  CaseFacts facts;
  facts.offence = spec.offence;
  facts.offence_date = date;
  facts.goods_or_services = spec.supply;
  facts.marks_count = spec.marks;
  facts.prior_penalty_within_2y = spec.prior;
  switch (spec.field) {
    case Field::kBusiness: facts.illegal_business_fen = value; break;
    case Field::kGains: facts.illegal_gains_fen = value; break;
    case Field::kSales: facts.sales_fen = value; break;
    case Field::kUnsold: facts.unsold_value_fen = value; break;
    case Field::kSoldPlusUnsold:
      facts.sales_fen = 40000 * kYuan;
      facts.unsold_value_fen = value - facts.sales_fen;
      break;
    case Field::kSoldX3PlusUnsold:
      facts.sales_fen = 40000 * kYuan;
      facts.unsold_value_fen = value - 3 * facts.sales_fen;
      break;
    case Field::kLoss: facts.production_loss_fen = value; break;
    case Field::kRightsLoss: facts.rights_holder_loss_fen = value; break;
    case Field::kLabels: facts.label_count = value; break;
    case Field::kUnsoldLabels: facts.unsold_label_count = value; break;
    case Field::kLabelsPlusUnsold:  // sold labels below every 215 filing threshold
      facts.label_count = 8000;
      facts.unsold_label_count = value - facts.label_count;
      break;
    case Field::kCopies: facts.copies = value; break;
  }
  return facts;
}

struct Boundary {
  const Spec* spec;
  std::string date;
  int offset;  // -1 below, 0 at, +1 above (one fen or one item)
};

std::vector<Boundary> AllBoundaries() {
  std::vector<Boundary> all;
  for (const Spec& spec : kSpecs) {
    std::vector<std::string> dates = {spec.from};
    if (spec.to != nullptr) dates.emplace_back(spec.to);
    for (const std::string& date : dates) {
      for (int offset : {-1, 0, 1}) all.push_back({&spec, date, offset});
    }
  }
  return all;
}

class ThresholdBoundary : public testing::TestWithParam<Boundary> {};

TEST_P(ThresholdBoundary, TransfersExactlyFromTheThreshold) {
  const Boundary& b = GetParam();
  int64_t unit = IsAmount(b.spec->field) ? kYuan : 1;
  CaseFacts facts = FactsFor(*b.spec, Date::ParseOrDie(b.date), b.spec->threshold * unit + b.offset);
  Result<Evaluation> eval = Table().Evaluate(facts);
  ASSERT_TRUE(eval.has_value()) << eval.error().message;
  EXPECT_EQ(eval->should_transfer, b.offset >= 0);
  if (b.offset >= 0) {
    EXPECT_EQ(eval->rule, b.spec->rule);
    EXPECT_NE(eval->basis.find("≥"), std::string::npos) << eval->basis;
  } else {
    EXPECT_EQ(eval->rule, "");
    EXPECT_FALSE(eval->reasons.empty());
  }
}

std::string BoundaryName(const testing::TestParamInfo<Boundary>& info) {
  std::string date = info.param.date;
  for (char& c : date) c = c == '-' ? '_' : c;
  const char* where = info.param.offset < 0 ? "below" : info.param.offset == 0 ? "at" : "above";
  return std::string(info.param.spec->name) + "_" + date + "_" + where;
}

INSTANTIATE_TEST_SUITE_P(Rules, ThresholdBoundary, testing::ValuesIn(AllBoundaries()), BoundaryName);

// Version changes: the same facts on the day before and the day a version starts.
struct VersionChange {
  const char* name;
  const char* offence;
  Supply supply;
  Field field;
  int64_t value;  // yuan or count
  bool prior;
  const char* day_before;
  bool before;
  const char* day_of;
  bool after;
};

const VersionChange kChanges[] = {
    {"t213_starts_2004", k213, G, Field::kBusiness, 60000, false, "2004-12-21", false, "2004-12-22", true},
    {"t213_services_criminal_from_2021", k213, S, Field::kGains, 40000, false, "2021-02-28", false, "2021-03-01", true},
    {"t213_services_raised_2025", k213, S, Field::kGains, 40000, false, "2025-04-25", true, "2025-04-26", false},
    {"t213_prior_penalty_lowered_2025", k213, G, Field::kGains, 25000, true, "2025-04-25", false, "2025-04-26", true},
    {"t213_goods_unchanged_2025", k213, G, Field::kGains, 30000, false, "2025-04-25", true, "2025-04-26", true},
    {"t214_unsold_route_2010", k214, G, Field::kUnsold, 150000, false, "2010-05-06", false, "2010-05-07", true},
    {"t214_gains_route_2025", k214, G, Field::kGains, 30000, false, "2025-04-25", false, "2025-04-26", true},
    {"t214_sales_unchanged_2025", k214, G, Field::kSales, 50000, false, "2025-04-25", true, "2025-04-26", true},
    {"t217_copies_lowered_2007", k217, G, Field::kCopies, 700, false, "2007-04-04", false, "2007-04-05", true},
    {"t217_copies_1000_both", k217, G, Field::kCopies, 1000, false, "2007-04-04", true, "2007-04-05", true},
    {"t218_lowered_2025", k218, G, Field::kGains, 60000, false, "2025-04-25", false, "2025-04-26", true},
    {"t218_100k_both", k218, G, Field::kGains, 100000, false, "2025-04-25", true, "2025-04-26", true},
    {"t140_unsold_route_2008", k140, G, Field::kUnsold, 150000, false, "2008-06-24", false, "2008-06-25", true},
    {"t140_starts_1997", k140, G, Field::kSales, 50000, false, "1997-09-30", false, "1997-10-01", true},
    {"t147_loss_route_2008", k147, G, Field::kLoss, 20000, false, "2008-06-24", false, "2008-06-25", true},
    {"t215_attempt_route_2011", k215, G, Field::kUnsoldLabels, 60000, false, "2011-01-09", false, "2011-01-10", true},
    {"t215_attempt_kept_2025", k215, G, Field::kLabelsPlusUnsold, 60000, false, "2025-04-25", true, "2025-04-26", true},
    {"t216_loss_kept_2025", k216, G, Field::kRightsLoss, 500000, false, "2025-04-25", true, "2025-04-26", true},
};

class ThresholdVersionChange : public testing::TestWithParam<VersionChange> {};

CaseFacts ChangeFacts(const VersionChange& change, const char* date) {
  Spec spec{change.name, change.offence, date, nullptr, change.supply, 1, change.prior, change.field, 0, ""};
  int64_t unit = IsAmount(change.field) ? kYuan : 1;
  return FactsFor(spec, Date::ParseOrDie(date), change.value * unit);
}

TEST_P(ThresholdVersionChange, AppliesTheVersionInForceOnTheOffenceDate) {
  const VersionChange& change = GetParam();
  Result<Evaluation> before = Table().Evaluate(ChangeFacts(change, change.day_before));
  Result<Evaluation> after = Table().Evaluate(ChangeFacts(change, change.day_of));
  ASSERT_TRUE(before.has_value() && after.has_value());
  EXPECT_EQ(before->should_transfer, change.before) << change.day_before;
  EXPECT_EQ(after->should_transfer, change.after) << change.day_of;
}

INSTANTIATE_TEST_SUITE_P(Dates, ThresholdVersionChange, testing::ValuesIn(kChanges),
                         [](const auto& info) { return std::string(info.param.name); });

CaseFacts Facts(const char* offence, const char* date) {
  CaseFacts facts;
  facts.offence = offence;
  facts.offence_date = Date::ParseOrDie(date);
  return facts;
}

TEST(ThresholdTable, CounterfeitMedicineIsAConductCrimeSince2011) {
  Result<Evaluation> before = Table().Evaluate(Facts("生产、销售、提供假药罪", "2011-04-30"));
  Result<Evaluation> after = Table().Evaluate(Facts("生产、销售、提供假药罪", "2011-05-01"));
  ASSERT_TRUE(before && after);
  EXPECT_FALSE(before->should_transfer);
  EXPECT_TRUE(after->should_transfer);
  EXPECT_EQ(after->rule, "141-2011-conduct");
}

TEST(ThresholdTable, InferiorMedicineNeedsAPerson) {
  Result<Evaluation> eval = Table().Evaluate(Facts("生产、销售、提供劣药罪", "2020-01-01"));
  ASSERT_TRUE(eval);
  EXPECT_FALSE(eval->should_transfer);
  ASSERT_FALSE(eval->reasons.empty());
  EXPECT_NE(eval->reasons[0].find("人工判断"), std::string::npos);
}

TEST(ThresholdTable, ReasonableSuspicionTransfersIpCasesFrom730) {
  CaseFacts facts = Facts(k214, "2020-08-06");
  facts.reasonable_suspicion = true;
  EXPECT_FALSE(Table().Evaluate(facts)->should_transfer);
  facts.offence_date = Date::ParseOrDie("2020-08-07");
  Result<Evaluation> eval = Table().Evaluate(facts);
  EXPECT_TRUE(eval->should_transfer);
  EXPECT_EQ(eval->rule, "214-2020-suspicion");
  EXPECT_NE(eval->basis.find("国务院令第730号"), std::string::npos);
}

TEST(ThresholdTable, ReasonableSuspicionDoesNotApplyToProductQuality) {
  CaseFacts facts = Facts(k140, "2024-01-01");
  facts.reasonable_suspicion = true;
  EXPECT_FALSE(Table().Evaluate(facts)->should_transfer);
}

TEST(ThresholdTable, ThresholdBeatsSuspicionAsTheRule) {
  CaseFacts facts = Facts(k214, "2024-01-01");
  facts.reasonable_suspicion = true;
  facts.sales_fen = 60000 * kYuan;
  EXPECT_EQ(Table().Evaluate(facts)->rule, "214-2010-sales");
}

// 刑法第十二条: the law of the offence date applies unless the law in force
// when the case is judged is lighter; a stricter later law never reaches back.
TEST(ThresholdTable, TheLighterLaterLawApplies) {
  CaseFacts facts = Facts(k213, "2024-06-01");
  facts.goods_or_services = S;
  facts.illegal_gains_fen = 40000 * kYuan;  // ≥ 3万 in 2021–2025, < 5万 since 2025-04-26
  EXPECT_TRUE(Table().Evaluate(facts)->should_transfer);
  facts.judged_on = Date::ParseOrDie("2025-04-25");  // the same version still in force
  EXPECT_TRUE(Table().Evaluate(facts)->should_transfer);
  facts.judged_on = Date::ParseOrDie("2026-01-01");
  Result<Evaluation> lighter = Table().Evaluate(facts);
  ASSERT_TRUE(lighter.has_value());
  EXPECT_FALSE(lighter->should_transfer);
  EXPECT_EQ(lighter->rule, "");
  EXPECT_EQ(lighter->basis, "刑法第十二条");
  ASSERT_FALSE(lighter->reasons.empty());
  EXPECT_NE(lighter->reasons[0].find("从旧兼从轻"), std::string::npos) << lighter->reasons[0];
  facts.illegal_gains_fen = 50000 * kYuan;  // met under both
  EXPECT_TRUE(Table().Evaluate(facts)->should_transfer);
}

TEST(ThresholdTable, AStricterLaterLawDoesNotReachBack) {
  CaseFacts facts = Facts(k218, "2024-06-01");
  facts.illegal_gains_fen = 60000 * kYuan;  // < 10万 then, ≥ 5万 since 2025-04-26
  facts.judged_on = Date::ParseOrDie("2026-01-01");
  Result<Evaluation> eval = Table().Evaluate(facts);
  ASSERT_TRUE(eval.has_value());
  EXPECT_FALSE(eval->should_transfer);
  ASSERT_FALSE(eval->reasons.empty());
  EXPECT_NE(eval->reasons.back().find("不溯及既往"), std::string::npos) << eval->reasons.back();
}

TEST(ThresholdTable, SuspicionStillTransfersUnderTheLighterLaw) {
  CaseFacts facts = Facts(k213, "2024-06-01");
  facts.goods_or_services = S;
  facts.illegal_gains_fen = 40000 * kYuan;
  facts.reasonable_suspicion = true;
  facts.judged_on = Date::ParseOrDie("2026-01-01");
  EXPECT_TRUE(Table().Evaluate(facts)->should_transfer);
}

TEST(ThresholdTable, UnknownOffenceNamesTheField) {
  Result<Evaluation> eval = Table().Evaluate(Facts("盗窃罪", "2024-01-01"));
  ASSERT_FALSE(eval.has_value());
  EXPECT_EQ(eval.error().field, "offence");
  EXPECT_EQ(eval.error().code, ErrorCode::kInvalidArgument);
}

TEST(ThresholdTable, BeforeAnyVersionSaysSo) {
  Result<Evaluation> eval = Table().Evaluate(Facts(k213, "2004-12-21"));
  ASSERT_TRUE(eval);
  EXPECT_FALSE(eval->should_transfer);
  EXPECT_NE(eval->reasons.at(0).find("没有适用的追诉标准"), std::string::npos);
}

TEST(ThresholdTable, AggravatedAmountsAddAReason) {
  CaseFacts facts = Facts(k213, "2015-06-01");
  facts.illegal_business_fen = 300000 * kYuan;
  Result<Evaluation> eval = Table().Evaluate(facts);
  ASSERT_TRUE(eval);
  EXPECT_EQ(eval->rule, "213-2004-business");
  bool severe = false;
  for (const std::string& reason : eval->reasons) severe |= reason.find("情节特别严重") != std::string::npos;
  EXPECT_TRUE(severe);
}

TEST(ThresholdTable, Uncertain2025FiguresAreFlagged) {
  CaseFacts facts = Facts(k214, "2025-05-01");
  facts.sales_fen = 50000 * kYuan;
  EXPECT_TRUE(Table().Evaluate(facts)->uncertain);
  facts.offence_date = Date::ParseOrDie("2024-05-01");
  EXPECT_FALSE(Table().Evaluate(facts)->uncertain);
}

TEST(ThresholdTable, BasisNamesSourceAndNumbers) {
  CaseFacts facts = Facts(k214, "2017-06-01");
  facts.sales_fen = 52000 * kYuan;
  Result<Evaluation> eval = Table().Evaluate(facts);
  EXPECT_EQ(eval->basis, "公通字〔2010〕23号第七十条：销售金额 52,000.00 元 ≥ 50,000.00 元");
  EXPECT_EQ(eval->version, "2010");
}

TEST(ThresholdTable, EveryOffenceHasARuleInForceToday) {
  for (const std::string& offence : Table().Offences()) {
    bool in_force = false;
    for (const ThresholdRule& rule : Table().rules()) {
      in_force |= rule.offence == offence && !rule.valid_to.has_value();
    }
    EXPECT_TRUE(in_force) << offence;
  }
}

TEST(ThresholdTableCsv, RejectsUnknownMetricNamingTheLine) {
  std::string csv =
      "rule_id,offence,valid_from,valid_to,goods_or_services,applies_when,level,metric,threshold,"
      "legal_source,uncertain,version\n"
      "r1,x罪,2020-01-01,,goods,always,filing,weight,5,src,0,v\n";
  Result<ThresholdTable> table = ThresholdTable::FromCsv(csv);
  ASSERT_FALSE(table.has_value());
  EXPECT_NE(table.error().message.find("第 2 行"), std::string::npos) << table.error().message;
  EXPECT_NE(table.error().message.find("metric"), std::string::npos);
}

TEST(ThresholdTableCsv, RejectsDuplicateIdsAndBadDates) {
  std::string header =
      "rule_id,offence,valid_from,valid_to,goods_or_services,applies_when,level,metric,threshold,"
      "legal_source,uncertain,version\n";
  std::string row = "r1,x罪,2020-01-01,,goods,always,filing,sales_amount,5,src,0,v\n";
  EXPECT_FALSE(ThresholdTable::FromCsv(header + row + row).has_value());
  EXPECT_FALSE(ThresholdTable::FromCsv(
                   header + "r1,x罪,2020-01-01,2019-01-01,goods,always,filing,sales_amount,5,src,0,v\n")
                   .has_value());
  EXPECT_FALSE(ThresholdTable::FromCsv(
                   header + "r1,x罪,2020-02-30,,goods,always,filing,sales_amount,5,src,0,v\n")
                   .has_value());
  EXPECT_FALSE(ThresholdTable::FromCsv(
                   header + "r1,x罪,2020-01-01,,goods,always,filing,conduct,5,src,0,v\n")
                   .has_value());
  EXPECT_TRUE(ThresholdTable::FromCsv(header + row).has_value());
}

}  // namespace
}  // namespace redshield::cases
