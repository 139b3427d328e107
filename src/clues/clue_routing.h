// Which organisation a screening clue goes to (issue 6 §5), from two data
// files shipped in data/screening/:
//   clue_routing.csv    category,org_suffix,note   category keyword -> the
//                       kind of organisation, named by its code suffix
//                       (SYJ 食药监, NMJ 农牧, WHZF 文化执法, SCJGJ 市场监管);
//                       the row "*" is the default kind;
//   seller_regions.csv  hint,region_code           a place name in a shop's
//                       name -> the region of the seller.
// The region of a listing is its own "region" field, else a hint in the
// seller's name, else the uploader's region; it is taken up to its prefecture
// (盟市). The clue goes to the organisation of the listing's kind in that
// prefecture, else to its default kind there (盟市市场监管局, which absorbed
// 食药监 where none is separate), else to the same at the province level.
// Immutable after Create; thread-safe.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "core/error.h"
#include "core/id.h"

namespace redshield::clues {

struct RoutingOrg {
  Id id = 0;
  std::string code;  // e.g. HHHT-SCJGJ: the suffix after the last '-' is its kind
  std::string region_code;
};

struct ClueAssignment {
  Id org_id = 0;
  std::string region_code;  // the organisation's
};

class ClueRouter {
 public:
  // kInvalidArgument naming file, line and field for a malformed file or a
  // routing file without the "*" row.
  static Result<ClueRouter> Create(std::string_view routing_csv, std::string_view regions_csv,
                                   std::vector<RoutingOrg> orgs);

  // The organisation for a listing; nullopt if not even the province has an
  // organisation of the default kind (the reference data is not loaded).
  std::optional<ClueAssignment> Assign(std::string_view category, std::string_view listing_region,
                                       std::string_view seller_name,
                                       std::string_view fallback_region) const;

  // The region Assign starts from (six digits, a prefecture or the province).
  std::string RegionOf(std::string_view listing_region, std::string_view seller_name,
                       std::string_view fallback_region) const;

 private:
  ClueRouter() = default;
  const RoutingOrg* Find(const std::string& region, std::string_view suffix) const;

  std::vector<std::pair<std::string, std::string>> categories_;  // keyword, suffix
  std::string default_suffix_;
  std::vector<std::pair<std::string, std::string>> hints_;  // hint, region
  std::vector<RoutingOrg> orgs_;
};

}  // namespace redshield::clues
