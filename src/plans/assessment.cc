#include "plans/assessment.h"

#include <algorithm>
#include <charconv>
#include <cmath>
#include <set>

#include "core/csv.h"

namespace redshield::plans {
namespace {

constexpr int kMaxItems = 50;
constexpr int kMaxTitleBytes = 600;  // 200 CJK characters
constexpr int kMaxItemPointsTenths = 1000;

std::string ItemField(size_t index, std::string_view name) {
  return "items[" + std::to_string(index) + "]." + std::string(name);
}

// Each column of the rubric header on a later row: empty, or as on the first row.
Status CheckRepeated(const CsvRecord& rec, const CsvRecord& first) {
  for (std::string_view column : {"year", "target", "title", "source", "note"}) {
    std::string_view value = *rec.Field(column);
    if (!value.empty() && value != *first.Field(column)) {
      return tl::unexpected(rec.FieldError(column, "与第一行不一致（考核表信息只写在第一行）"));
    }
  }
  return Ok();
}

Result<int> ParseCsvInt(const CsvRecord& rec, std::string_view column) {
  Result<std::string_view> text = rec.RequiredField(column);
  RS_TRY(text);
  int value = 0;
  auto [end, ec] = std::from_chars(text->data(), text->data() + text->size(), value);
  if (ec != std::errc() || end != text->data() + text->size()) {
    return tl::unexpected(rec.FieldError(column, "须为整数"));
  }
  return value;
}

Status ParseRubricHeader(const CsvRecord& rec, Rubric& rubric) {
  Result<int> year = ParseCsvInt(rec, "year");
  RS_TRY(year);
  rubric.year = *year;
  std::optional<TargetKind> target = ParseTargetKind(*rec.Field("target"));
  if (!target) return tl::unexpected(rec.FieldError("target", "须为 region 或 unit"));
  rubric.target = *target;
  rubric.title = *rec.Field("title");
  rubric.source = *rec.Field("source");
  rubric.note = *rec.Field("note");
  return Ok();
}

Result<RubricItem> ParseItemRow(const CsvRecord& rec) {
  RubricItem item;
  Result<int> ordinal = ParseCsvInt(rec, "ordinal");
  RS_TRY(ordinal);
  item.ordinal = *ordinal;
  item.name = *rec.Field("name");
  std::string points(*rec.Field("max_points"));
  char* end = nullptr;
  double value = std::strtod(points.c_str(), &end);
  if (points.empty() || end != points.c_str() + points.size()) {
    return tl::unexpected(rec.FieldError("max_points", "须为数字"));
  }
  Result<int> tenths = PointsToTenths(value, "max_points");
  if (!tenths) return tl::unexpected(rec.FieldError("max_points", tenths.error()));
  item.max_tenths = *tenths;
  std::string_view basis = *rec.Field("max_points_basis");
  if (basis != "published" && basis != "assumed") {
    return tl::unexpected(rec.FieldError("max_points_basis", "须为 published 或 assumed"));
  }
  item.guidance = *rec.Field("guidance");
  item.computed = *rec.Field("computed");
  return item;
}

}  // namespace

std::string_view TargetKindName(TargetKind kind) {
  return kind == TargetKind::kRegion ? "region" : "unit";
}

std::optional<TargetKind> ParseTargetKind(std::string_view name) {
  if (name == "region") return TargetKind::kRegion;
  if (name == "unit") return TargetKind::kUnit;
  return std::nullopt;
}

int Rubric::MaxTotalTenths() const {
  int total = 0;
  for (const RubricItem& item : items) total += item.max_tenths;
  return total;
}

const RubricItem* Rubric::FindItem(Id item_id) const {
  for (const RubricItem& item : items) {
    if (item.id == item_id) return &item;
  }
  return nullptr;
}

bool ResultRow::HasPoints() const {
  return std::any_of(scores.begin(), scores.end(),
                     [](const ItemScore& s) { return s.points_tenths.has_value(); });
}

Result<int> PointsToTenths(double value, std::string_view field) {
  if (!std::isfinite(value) || value < 0 || value > kMaxItemPointsTenths / 10.0) {
    return Fail(ErrorCode::kInvalidArgument, "分值须在 0 至 100 之间", std::string(field));
  }
  const double scaled = value * 10;
  const double rounded = std::round(scaled);
  if (std::fabs(scaled - rounded) > 1e-6) {
    return Fail(ErrorCode::kInvalidArgument, "分值最多保留一位小数", std::string(field));
  }
  return static_cast<int>(rounded);
}

std::string FormatTenths(int tenths) {
  std::string out = std::to_string(tenths / 10);
  if (tenths < 0 && tenths > -10) out = "-" + out;
  if (tenths % 10 != 0) out += "." + std::to_string(std::abs(tenths % 10));
  return out;
}

std::optional<int> PlanCompletionTenths(int done, int total, int max_tenths) {
  if (total <= 0) return std::nullopt;
  done = std::clamp(done, 0, total);
  // halves = round(done / total * max / 5), halves up, in integers:
  // floor((2 * done * max + 5 * total) / (10 * total)).
  const long long numerator = 2LL * done * max_tenths + 5LL * total;
  const long long halves = numerator / (10LL * total);
  return std::min(static_cast<int>(halves * 5), max_tenths);
}

void RankRows(std::vector<ResultRow>& rows) {
  std::stable_sort(rows.begin(), rows.end(), [](const ResultRow& a, const ResultRow& b) {
    if (a.veto.has_value() != b.veto.has_value()) return !a.veto.has_value();
    if (a.total_tenths != b.total_tenths) return a.total_tenths > b.total_tenths;
    return a.target.code < b.target.code;
  });
  for (size_t row_idx = 0; row_idx < rows.size(); ++row_idx) {
    ResultRow& row = rows[row_idx];
    if (row.veto) {
      row.rank.reset();
    } else if (row_idx > 0 && !rows[row_idx - 1].veto &&
               rows[row_idx - 1].total_tenths == row.total_tenths) {
      row.rank = rows[row_idx - 1].rank;
    } else {
      row.rank = static_cast<int>(row_idx) + 1;
    }
  }
}

Status ValidateRubric(const Rubric& rubric) {
  if (rubric.year < 2000 || rubric.year > 2100) {
    return Fail(ErrorCode::kInvalidArgument, "年度须在 2000 至 2100 之间", "year");
  }
  if (rubric.title.empty() || rubric.title.size() > kMaxTitleBytes) {
    return Fail(ErrorCode::kInvalidArgument, "请填写考核表名称（不超过 200 字）", "title");
  }
  if (rubric.items.empty() || rubric.items.size() > kMaxItems) {
    return Fail(ErrorCode::kInvalidArgument, "考核表须有 1 至 50 个考核项", "items");
  }
  std::set<std::string> names;
  for (size_t item_idx = 0; item_idx < rubric.items.size(); ++item_idx) {
    const RubricItem& item = rubric.items[item_idx];
    if (item.name.empty() || item.name.size() > kMaxTitleBytes) {
      return Fail(ErrorCode::kInvalidArgument, "请填写考核项名称（不超过 200 字）",
                  ItemField(item_idx, "name"));
    }
    if (!names.insert(item.name).second) {
      return Fail(ErrorCode::kInvalidArgument, "考核项名称重复：" + item.name,
                  ItemField(item_idx, "name"));
    }
    if (item.max_tenths <= 0 || item.max_tenths > kMaxItemPointsTenths ||
        item.max_tenths % 5 != 0) {
      return Fail(ErrorCode::kInvalidArgument, "满分须大于 0、不超过 100，且为 0.5 的整数倍",
                  ItemField(item_idx, "max_points"));
    }
    if (!item.computed.empty() && item.computed != kPlanCompletion) {
      return Fail(ErrorCode::kInvalidArgument, "自动计算规则只能是 plan_completion 或空",
                  ItemField(item_idx, "computed"));
    }
  }
  return Ok();
}

Result<Rubric> ParseRubricCsv(std::string_view csv) {
  Result<CsvTable> table =
      CsvTable::Parse(csv, {"year", "target", "title", "source", "note", "ordinal", "name",
                            "max_points", "max_points_basis", "guidance", "computed"});
  RS_TRY(table);
  if (table->records().empty()) {
    return Fail(ErrorCode::kInvalidArgument, "考核表文件没有考核项", "line 2");
  }
  Rubric rubric;
  const CsvRecord& first = table->records().front();
  RS_TRY(ParseRubricHeader(first, rubric));
  for (const CsvRecord& rec : table->records()) {
    RS_TRY(CheckRepeated(rec, first));
    Result<RubricItem> item = ParseItemRow(rec);
    RS_TRY(item);
    if (item->ordinal != static_cast<int>(rubric.items.size()) + 1) {
      return tl::unexpected(rec.FieldError("ordinal", "序号须从 1 起连续"));
    }
    rubric.items.push_back(std::move(*item));
  }
  Status valid = ValidateRubric(rubric);
  if (!valid) {
    Error e = valid.error();
    e.message = "考核表文件有误：" + e.message;
    return tl::unexpected(e);
  }
  return rubric;
}

}  // namespace redshield::plans
