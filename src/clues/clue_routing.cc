#include "clues/clue_routing.h"

#include <algorithm>

#include "core/csv.h"

namespace redshield::clues {
namespace {

constexpr std::string_view kProvince = "150000";

bool IsRegionCode(std::string_view code) {
  return code.size() == 6 && std::all_of(code.begin(), code.end(),
                                         [](char c) { return c >= '0' && c <= '9'; });
}

// 150102 -> 150100; a prefecture or the province stays as it is.
std::string Prefecture(std::string_view code) { return std::string(code.substr(0, 4)) + "00"; }

std::string_view SuffixOf(std::string_view code) {
  const size_t dash = code.rfind('-');
  return dash == std::string_view::npos ? std::string_view{} : code.substr(dash + 1);
}

Error Prefixed(std::string_view file, const Error& e) {
  return {e.code, std::string(file) + " " + e.message, e.field};
}

}  // namespace

Result<ClueRouter> ClueRouter::Create(std::string_view routing_csv, std::string_view regions_csv,
                                      std::vector<RoutingOrg> orgs) {
  ClueRouter router;
  Result<CsvTable> routing = CsvTable::Parse(routing_csv, {"category", "org_suffix"});
  if (!routing) return tl::unexpected(Prefixed("clue_routing.csv", routing.error()));
  for (const CsvRecord& record : routing->records()) {
    Result<std::string_view> category = record.RequiredField("category");
    Result<std::string_view> suffix = record.RequiredField("org_suffix");
    if (!category) return tl::unexpected(Prefixed("clue_routing.csv", category.error()));
    if (!suffix) return tl::unexpected(Prefixed("clue_routing.csv", suffix.error()));
    if (*category == "*") {
      router.default_suffix_ = std::string(*suffix);
    } else {
      router.categories_.emplace_back(*category, *suffix);
    }
  }
  if (router.default_suffix_.empty()) {
    return Fail(ErrorCode::kInvalidArgument, "clue_routing.csv 缺少默认行（category 为 *）",
                "category");
  }
  Result<CsvTable> regions = CsvTable::Parse(regions_csv, {"hint", "region_code"});
  if (!regions) return tl::unexpected(Prefixed("seller_regions.csv", regions.error()));
  for (const CsvRecord& record : regions->records()) {
    Result<std::string_view> hint = record.RequiredField("hint");
    Result<std::string_view> code = record.RequiredField("region_code");
    if (!hint) return tl::unexpected(Prefixed("seller_regions.csv", hint.error()));
    if (!code) return tl::unexpected(Prefixed("seller_regions.csv", code.error()));
    if (!IsRegionCode(*code)) {
      return tl::unexpected(Prefixed(
          "seller_regions.csv", record.FieldError("region_code", "应为六位行政区划代码")));
    }
    router.hints_.emplace_back(*hint, *code);
  }
  // Longer hints first: 锡林郭勒 before 锡林.
  std::stable_sort(router.hints_.begin(), router.hints_.end(),
                   [](const auto& a, const auto& b) { return a.first.size() > b.first.size(); });
  router.orgs_ = std::move(orgs);
  return router;
}

const RoutingOrg* ClueRouter::Find(const std::string& region, std::string_view suffix) const {
  for (const RoutingOrg& org : orgs_) {
    if (org.region_code == region && SuffixOf(org.code) == suffix) return &org;
  }
  return nullptr;
}

std::string ClueRouter::RegionOf(std::string_view listing_region, std::string_view seller_name,
                                 std::string_view fallback_region) const {
  if (IsRegionCode(listing_region) && listing_region.starts_with("15")) {
    return Prefecture(listing_region);
  }
  for (const auto& [hint, code] : hints_) {
    if (seller_name.find(hint) != std::string_view::npos) return Prefecture(code);
  }
  if (IsRegionCode(fallback_region)) return Prefecture(fallback_region);
  return std::string(kProvince);
}

std::optional<ClueAssignment> ClueRouter::Assign(std::string_view category,
                                                 std::string_view listing_region,
                                                 std::string_view seller_name,
                                                 std::string_view fallback_region) const {
  std::string_view suffix = default_suffix_;
  for (const auto& [keyword, kind] : categories_) {
    if (category.find(keyword) != std::string_view::npos) {
      suffix = kind;
      break;
    }
  }
  const std::string region = RegionOf(listing_region, seller_name, fallback_region);
  for (const std::string& where : {region, std::string(kProvince)}) {
    for (std::string_view kind : {suffix, std::string_view(default_suffix_)}) {
      if (const RoutingOrg* org = Find(where, kind)) return ClueAssignment{org->id, org->region_code};
    }
  }
  return std::nullopt;
}

}  // namespace redshield::clues
