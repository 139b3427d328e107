// GB/T 2260 administrative region codes (行政区划代码): six digits, the first
// two naming one of the 34 province-level units.
//
// Two layers:
//   * format checks that need no data (six digits, known province prefix);
//     the province table is the standard's, so it is code;
//   * RegionTable, built from data/regions/inner_mongolia_divisions.csv (or any
//     CSV with the same columns), for lookups, children, ancestors and
//     containment. Rows with in_mca_gbt2260=0 are statistics-only zones
//     (统计用区划, e.g. development zones): they are kept so that old data can be
//     read and placed in the tree, but Validate() rejects them, because they
//     are not GB/T 2260 codes.
//
// RegionTable is immutable after construction and safe to share between
// threads. Pointers it returns live as long as the table.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "core/error.h"

namespace redshield {

// The province-level unit for a two-digit prefix ("15" → "内蒙古自治区"), or an
// empty view if GB/T 2260 has none. Includes 71 台湾省, 81 香港, 82 澳门.
std::string_view ProvinceName(std::string_view prefix);

// kInvalidArgument unless `code` is six ASCII digits starting with a known
// province prefix. Says nothing about whether the code exists.
Status CheckRegionCodeFormat(std::string_view code);

// True if region `code` is `ancestor` or lies below it (GB/T 2260 structure:
// 150000 covers 15xxxx, 150100 covers 1501xx).
bool RegionCovers(std::string_view ancestor, std::string_view code);

enum class RegionLevel { kProvince, kPrefecture, kCounty };

struct Region {
  std::string code;  // six digits
  std::string name;  // e.g. "呼和浩特市"
  RegionLevel level = RegionLevel::kCounty;
  std::string parent_code;  // empty for a province
  std::string subtype;      // e.g. "旗", "盟", "市辖区"; may be empty
  bool in_gbt2260 = true;   // false: statistics-only zone
};

enum class RegionFilter { kGbt2260Only, kIncludeStatistical };

class RegionTable {
 public:
  // Parses CSV text with columns code,name,level,parent_code,in_mca_gbt2260
  // (subtype optional; other columns ignored). level is province, prefecture
  // or county. kInvalidArgument, with the line, for a bad or duplicated code,
  // an unknown level, a parent that is missing or not one level up.
  static Result<RegionTable> FromCsv(std::string_view csv_text);

  // The row for `code`, statistics-only zones included; nullptr if none.
  const Region* Find(std::string_view code) const;

  // The region for a code that is acceptable as a GB/T 2260 code in stored
  // data. kInvalidArgument if the format is wrong, the code is not in the
  // table, or it is a statistics-only zone
  // ("150172（…）是统计用区划代码，不是 GB/T 2260 行政区划代码").
  Result<const Region*> Validate(std::string_view code) const;

  // Direct children of `code`, ordered by code; empty if none or unknown.
  std::vector<const Region*> Children(std::string_view code,
                                      RegionFilter filter = RegionFilter::kGbt2260Only) const;

  // Parent, grandparent, … up to the province; empty if unknown or a province.
  std::vector<const Region*> Ancestors(std::string_view code) const;

  // True if `code` is `ancestor` itself or lies below it in the table. False
  // if either is unknown. Follows the tree, so statistics-only zones are within
  // their parent.
  bool IsWithin(std::string_view code, std::string_view ancestor) const;

  // All rows, ordered by code.
  const std::vector<Region>& regions() const { return regions_; }

 private:
  explicit RegionTable(std::vector<Region> regions) : regions_(std::move(regions)) {}

  std::vector<Region> regions_;  // sorted by code
};

}  // namespace redshield
