#include "core/region_code.h"

#include <algorithm>
#include <array>
#include <optional>

#include "core/csv.h"

namespace redshield {
namespace {

struct Province {
  std::string_view prefix;
  std::string_view name;
};

constexpr std::array<Province, 34> kProvinces = {{
    {"11", "北京市"},           {"12", "天津市"},         {"13", "河北省"},
    {"14", "山西省"},           {"15", "内蒙古自治区"},   {"21", "辽宁省"},
    {"22", "吉林省"},           {"23", "黑龙江省"},       {"31", "上海市"},
    {"32", "江苏省"},           {"33", "浙江省"},         {"34", "安徽省"},
    {"35", "福建省"},           {"36", "江西省"},         {"37", "山东省"},
    {"41", "河南省"},           {"42", "湖北省"},         {"43", "湖南省"},
    {"44", "广东省"},           {"45", "广西壮族自治区"}, {"46", "海南省"},
    {"50", "重庆市"},           {"51", "四川省"},         {"52", "贵州省"},
    {"53", "云南省"},           {"54", "西藏自治区"},     {"61", "陕西省"},
    {"62", "甘肃省"},           {"63", "青海省"},         {"64", "宁夏回族自治区"},
    {"65", "新疆维吾尔自治区"}, {"71", "台湾省"},         {"81", "香港特别行政区"},
    {"82", "澳门特别行政区"},
}};

struct PendingRegion {
  Region region;
  int64_t line;
};

std::optional<RegionLevel> ParseLevel(std::string_view text) {
  if (text == "province") return RegionLevel::kProvince;
  if (text == "prefecture") return RegionLevel::kPrefecture;
  if (text == "county") return RegionLevel::kCounty;
  return std::nullopt;
}

Result<PendingRegion> ParseRegionRecord(const CsvRecord& record) {
  PendingRegion pending{Region{}, record.line()};
  Region& region = pending.region;
  region.code = std::string(*record.Field("code"));
  if (Status format = CheckRegionCodeFormat(region.code); !format) {
    return tl::unexpected(record.FieldError("code", format.error()));
  }
  region.name = std::string(*record.Field("name"));
  if (region.name.empty()) return tl::unexpected(record.FieldError("name", "不能为空"));
  const std::optional<RegionLevel> level = ParseLevel(*record.Field("level"));
  if (!level) {
    return tl::unexpected(record.FieldError("level", "应为 province、prefecture 或 county"));
  }
  region.level = *level;
  region.parent_code = std::string(*record.Field("parent_code"));
  region.subtype = std::string(record.OptionalField("subtype").value_or(""));
  const std::string_view in_gbt2260 = *record.Field("in_mca_gbt2260");
  if (in_gbt2260 != "0" && in_gbt2260 != "1") {
    return tl::unexpected(record.FieldError("in_mca_gbt2260", "应为 0 或 1"));
  }
  region.in_gbt2260 = in_gbt2260 == "1";
  return pending;
}

const Region* FindIn(const std::vector<Region>& regions, std::string_view code) {
  const auto found = std::lower_bound(
      regions.begin(), regions.end(), code,
      [](const Region& region, std::string_view key) { return region.code < key; });
  if (found == regions.end() || found->code != code) return nullptr;
  return &*found;
}

// Every parent exists and is one level up; provinces have none.
Status CheckParents(const std::vector<PendingRegion>& pending, const std::vector<Region>& regions) {
  for (const PendingRegion& entry : pending) {
    const Region& region = entry.region;
    const bool is_province = region.level == RegionLevel::kProvince;
    if (is_province != region.parent_code.empty()) {
      return tl::unexpected(CsvLineError(
          entry.line, is_province ? "省级区划不应有 parent_code" : "parent_code 不能为空"));
    }
    if (is_province) continue;
    const Region* parent = FindIn(regions, region.parent_code);
    if (parent == nullptr) {
      return tl::unexpected(
          CsvLineError(entry.line, "上级区划 " + region.parent_code + " 不在表中"));
    }
    if (static_cast<int>(parent->level) + 1 != static_cast<int>(region.level)) {
      return tl::unexpected(
          CsvLineError(entry.line, "上级区划 " + region.parent_code + " 的级别不是上一级"));
    }
  }
  return Ok();
}

}  // namespace

std::string_view ProvinceName(std::string_view prefix) {
  for (const Province& province : kProvinces) {
    if (province.prefix == prefix) return province.name;
  }
  return {};
}

Status CheckRegionCodeFormat(std::string_view code) {
  const bool six_digits = code.size() == 6 && std::all_of(code.begin(), code.end(), [](char c) {
                            return c >= '0' && c <= '9';
                          });
  if (!six_digits) return Fail(ErrorCode::kInvalidArgument, "行政区划代码应为 6 位数字");
  if (ProvinceName(code.substr(0, 2)).empty()) {
    return Fail(ErrorCode::kInvalidArgument,
                "行政区划代码的前两位 " + std::string(code.substr(0, 2)) + " 不是省级行政区划代码");
  }
  return Ok();
}

Result<RegionTable> RegionTable::FromCsv(std::string_view csv_text) {
  Result<CsvTable> table =
      CsvTable::Parse(csv_text, {"code", "name", "level", "parent_code", "in_mca_gbt2260"});
  RS_TRY(table);
  std::vector<PendingRegion> pending;
  for (const CsvRecord& record : table->records()) {
    Result<PendingRegion> region = ParseRegionRecord(record);
    RS_TRY(region);
    pending.push_back(std::move(*region));
  }
  std::vector<Region> regions;
  for (const PendingRegion& entry : pending) regions.push_back(entry.region);
  std::sort(regions.begin(), regions.end(),
            [](const Region& a, const Region& b) { return a.code < b.code; });
  const auto duplicate =
      std::adjacent_find(regions.begin(), regions.end(),
                         [](const Region& a, const Region& b) { return a.code == b.code; });
  if (duplicate != regions.end()) {
    // Report the later of the two rows: the first one is the original.
    const auto second = std::find_if(pending.rbegin(), pending.rend(), [&](const PendingRegion& p) {
      return p.region.code == duplicate->code;
    });
    return tl::unexpected(CsvLineError(second->line, "区划代码 " + duplicate->code + " 重复"));
  }
  RS_TRY(CheckParents(pending, regions));
  return RegionTable(std::move(regions));
}

const Region* RegionTable::Find(std::string_view code) const { return FindIn(regions_, code); }

Result<const Region*> RegionTable::Validate(std::string_view code) const {
  RS_TRY(CheckRegionCodeFormat(code));
  const Region* region = Find(code);
  if (region == nullptr) {
    return Fail(ErrorCode::kInvalidArgument, "行政区划代码 " + std::string(code) + " 不在区划表中");
  }
  if (!region->in_gbt2260) {
    return Fail(ErrorCode::kInvalidArgument, region->code + "（" + region->name +
                                                 "）是统计用区划代码，不是 GB/T 2260 行政区划代码");
  }
  return region;
}

std::vector<const Region*> RegionTable::Children(std::string_view code, RegionFilter filter) const {
  std::vector<const Region*> children;
  for (const Region& region : regions_) {
    if (region.parent_code != code) continue;
    if (!region.in_gbt2260 && filter == RegionFilter::kGbt2260Only) continue;
    children.push_back(&region);
  }
  return children;
}

std::vector<const Region*> RegionTable::Ancestors(std::string_view code) const {
  std::vector<const Region*> ancestors;
  const Region* current = Find(code);
  // FromCsv guarantees each parent is one level up, so this ends after at most two steps.
  while (current != nullptr && !current->parent_code.empty()) {
    current = Find(current->parent_code);
    if (current != nullptr) ancestors.push_back(current);
  }
  return ancestors;
}

bool RegionTable::IsWithin(std::string_view code, std::string_view ancestor) const {
  const Region* region = Find(code);
  if (region == nullptr || Find(ancestor) == nullptr) return false;
  if (region->code == ancestor) return true;
  for (const Region* above : Ancestors(code)) {
    if (above->code == ancestor) return true;
  }
  return false;
}

bool RegionCovers(std::string_view ancestor, std::string_view code) {
  std::string_view prefix = ancestor;
  while (prefix.size() >= 2 && prefix.ends_with("00")) prefix.remove_suffix(2);
  return !prefix.empty() && code.starts_with(prefix);
}

}  // namespace redshield
