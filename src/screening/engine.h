// The listing screener: compiles a RuleSetSpec (rules.h) into one Vectorscan
// database and scores listings against it.
//
// Signals, each with points from ScoringWeights (score = sum, capped at 100):
//   brand         a brand alias in the title or description, in one of the
//                 brand's categories (苹果 in 生鲜 is not Apple), not right after
//                 an accessory word (适用于苹果), not inside a longer brand
//                 (小米 in 敖汉小米) or a weight-0 lexicon phrase (苹果绿);
//   jargon        lexicon terms (高仿, 1:1, A货 ...), each term once, not
//                 negated (拒绝高仿) and not inside a weight-0 phrase (原单价);
//   price         price far below the brand's reference minimum;
//   unauthorized  the brand lists its authorised sellers and this one is not
//                 one of them;
//   blacklist     seller id blacklisted, or a shop name nearly identical to a
//                 blacklisted one (a seller that returns under a new id);
//   license       a licensed category (药品, 医疗器械, 农药, 兽药) and no licence.
// Second-hand wording (二手, 闲置 ...) suppresses price and unauthorized.
//
// Threading: a RuleSet is immutable after Compile and is shared read-only
// (std::shared_ptr<const RuleSet>) by any number of threads; reloading means
// compiling a new one and swapping the pointer (screening_service.h). A
// Scanner holds one thread's Vectorscan scratch and buffers: one per thread,
// never shared. Screen() never throws and, once its buffers have grown to
// the size of the listings seen, allocates nothing per match (only core's
// UTF-8 decoder allocates one temporary per text field).
#pragma once

#include <array>
#include <cstdint>
#include <memory>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "core/error.h"
#include "screening/normalize.h"
#include "screening/rules.h"

namespace redshield::screening {

// A listing as the engine sees it: views into text the caller owns.
struct Listing {
  std::string_view id;
  std::string_view platform;
  std::string_view title;
  std::string_view description;
  std::string_view seller_id;
  std::string_view seller_name;
  std::string_view category;  // empty: unknown, every brand is taken as in category
  std::string_view license;   // licence number shown on the listing; empty: none
  int64_t price_fen = -1;     // negative: unknown
  // Carried for the caller (clues); the engine does not read them.
  std::string_view url;
  std::string_view region;  // GB/T 2260 code of the listing or seller, if the feed gives one
};

enum class ReasonKind : uint8_t { kBrand, kJargon, kPrice, kBlacklist, kUnauthorized, kLicense };
// "brand", "jargon", "price", "blacklist", "unauthorized", "license".
std::string_view ReasonKindName(ReasonKind kind);

enum class TextField : uint8_t { kNone, kTitle, kDescription };

// One signal. Plain data: reasons are cheap to produce and are turned into
// text only when a listing is reported (Explain).
struct Reason {
  ReasonKind kind = ReasonKind::kBrand;
  TextField field = TextField::kNone;  // where the span is, for brand and jargon
  uint32_t span_begin = 0;             // byte offsets into the original field text
  uint32_t span_end = 0;
  uint32_t rule = 0;  // brand, lexicon term, blacklist row or licensed-category index
  int points = 0;
  bool by_name = false;  // blacklist: matched by shop name rather than by id
};

struct Verdict {
  static constexpr size_t kMaxReasons = 16;

  int score = 0;   // 0–100
  int brand = -1;  // index of the brand the listing is about, -1 if none
  bool second_hand = false;
  std::array<Reason, kMaxReasons> reason_storage{};
  size_t reason_count = 0;

  std::span<const Reason> reasons() const { return {reason_storage.data(), reason_count}; }
};

class Scanner;

class RuleSet {
 public:
  struct Data;  // compiled form; defined in engine.cc

  // Normalises every pattern and compiles all of them into one database.
  // kInvalidArgument if a pattern cannot be compiled (the message names the
  // rule); kInternal if Vectorscan fails for another reason.
  static Result<std::shared_ptr<const RuleSet>> Compile(RuleSetSpec spec);
  ~RuleSet();
  RuleSet(const RuleSet&) = delete;
  RuleSet& operator=(const RuleSet&) = delete;

  const RuleSetSpec& spec() const;
  size_t pattern_count() const;
  // Distinct for every compiled RuleSet in the process.
  uint64_t generation() const;
  // The normalised literal patterns, one per line-able string: what an
  // equivalent `rg -F -f` run would search for (benchmarks).
  std::vector<std::string> PatternLiterals() const;

 private:
  friend class Scanner;
  explicit RuleSet(std::unique_ptr<Data> data);
  std::unique_ptr<const Data> data_;
};

class Scanner {
 public:
  Scanner();
  ~Scanner();
  Scanner(const Scanner&) = delete;
  Scanner& operator=(const Scanner&) = delete;

  // Screens `listing` with `rules`. The verdict stays valid until the next
  // call on this scanner. `rules` may change from call to call (the scratch
  // space is grown for each new rule set).
  const Verdict& Screen(const RuleSet& rules, const Listing& listing);

 private:
  struct State;  // scratch space and buffers; defined in engine.cc
  std::unique_ptr<State> state_;
};

// A reason as a reviewer reads it.
struct ExplainedReason {
  ReasonKind kind = ReasonKind::kBrand;
  std::string term;  // brand, lexicon term, licensed category or blacklisted shop; may be empty
  TextField field = TextField::kNone;  // kNone: no span
  uint32_t span_begin = 0;
  uint32_t span_end = 0;
  int points = 0;
  std::string detail;  // one Chinese sentence
};

// The reasons of `verdict` (from Screen on `listing` with `rules`) in words.
// Allocates; meant for the listings that are reported.
std::vector<ExplainedReason> Explain(const RuleSet& rules, const Listing& listing,
                                     const Verdict& verdict);

// `reasons` as the JSON array that `redshield screen` prints and clues store:
// [{"kind","term"?,"span"?:[begin,end],"field"?:"description","points","detail"}],
// spans in bytes of the field's UTF-8 text (the title unless "field" says so).
std::string ReasonsJson(const std::vector<ExplainedReason>& reasons);

}  // namespace redshield::screening
