#include "screening/engine.h"

#include <hs/hs.h>

#include <algorithm>
#include <atomic>
#include <cstdio>
#include <limits>
#include <map>
#include <utility>

#include "core/check.h"
#include "screening/seller_index.h"

namespace redshield::screening {
namespace {

// What a matched pattern stands for. One normalised literal can stand for
// several rules (鄂尔多斯 is a cashmere brand and a regional brand).
enum class Role : uint8_t { kBrand, kJargon, kMask, kSecondHand, kCompat };

struct Target {
  Role role = Role::kBrand;
  uint32_t index = 0;  // brand or lexicon index
};

// What a match needs, 12 bytes per pattern (the literals are kept apart:
// with 20k patterns the per-match lookups stay in cache).
struct Pattern {
  uint32_t first_target = 0;
  uint16_t target_count = 0;
  uint16_t length = 0;  // bytes of the normalised literal
  // Latin words need word boundaries, checked in the original text: "apple"
  // in "pineapple", "lv" across "all very" once separators are dropped.
  bool check_left = false;   // starts with an ASCII letter or digit
  bool check_right = false;  // ends with a short ASCII word (lv, for)
};

struct DatabaseDeleter {
  void operator()(hs_database_t* database) const { hs_free_database(database); }
};
struct ScratchDeleter {
  void operator()(hs_scratch_t* scratch) const { hs_free_scratch(scratch); }
};

// Bounds of the per-listing buffers. Matches beyond kMaxMatches are ignored
// (a listing naming 256 rules is flagged long before that).
constexpr size_t kMaxMatches = 256;
constexpr size_t kMaxMentions = 32;
constexpr size_t kMaxJargonReasons = 8;
// A Latin tail this short must be followed by a non-letter (lv, for, aaa).
constexpr size_t kShortLatinTail = 3;
constexpr uint32_t kNoPosition = std::numeric_limits<uint32_t>::max();
constexpr uint32_t kNoCategory = std::numeric_limits<uint32_t>::max();
// rules.cc rejects longer patterns; programmatic specs are cut here.
constexpr size_t kMaxPatternBytes = 1024;
// Per-thread caches of listing categories and shop names (platform category
// trees are small and a shop has many listings). Direct-mapped, fixed size:
// memory does not grow with the input.
constexpr size_t kCategoryCacheSlots = 4096;
constexpr size_t kSellerCacheSlots = 16384;

std::atomic<uint64_t> next_generation{1};

bool IsAsciiLetter(char c) { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'); }
bool IsAsciiAlnum(char c) { return IsAsciiLetter(c) || (c >= '0' && c <= '9'); }

// A normalised literal as a Vectorscan expression: every byte that is not a
// letter or digit escaped, so the expression is the literal. Case, width,
// look-alikes and separators were folded by the normaliser on both sides.
std::string ToExpression(std::string_view literal) {
  std::string expression;
  expression.reserve(literal.size() * 4);
  for (const char c : literal) {
    if (IsAsciiAlnum(c)) {
      expression.push_back(c);
    } else {
      char escaped[8];
      std::snprintf(escaped, sizeof escaped, "\\x%02X",
                    static_cast<unsigned>(static_cast<unsigned char>(c)));
      expression += escaped;
    }
  }
  return expression;
}

size_t LatinTail(std::string_view literal) {
  size_t tail = 0;
  while (tail < literal.size() && IsAsciiLetter(literal[literal.size() - 1 - tail])) ++tail;
  return tail;
}

uint64_t TextHash(std::string_view text) { return std::hash<std::string_view>{}(text); }

// A second, independent 64-bit hash (FNV-1a). The per-thread shop-name cache
// keeps both hashes of a name instead of the name: 32-byte slots that stay
// in L2, and a wrong hit would need a 128-bit collision.
uint64_t CheckHash(std::string_view text) {
  uint64_t hash = 14695981039346656037ull;
  for (const char c : text) hash = (hash ^ static_cast<unsigned char>(c)) * 1099511628211ull;
  return hash;
}

struct NameHashes {
  uint64_t hash = 0;
  uint64_t check = 0;
  bool operator==(const NameHashes&) const = default;
};
NameHashes HashName(std::string_view text) { return {TextHash(text), CheckHash(text)}; }

std::vector<std::string> NormalizeAll(const std::vector<std::string>& items) {
  std::vector<std::string> out;
  for (const std::string& item : items) {
    std::string normalized = Normalize(item);
    if (!normalized.empty()) out.push_back(std::move(normalized));
  }
  return out;
}

}  // namespace

struct RuleSet::Data {
  explicit Data(RuleSetSpec rules) : spec(std::move(rules)), sellers(spec.blacklist) {}

  RuleSetSpec spec;
  SellerIndex sellers;
  std::vector<Pattern> patterns;
  std::vector<std::string> literals;  // normalised, per pattern
  std::vector<Target> targets;
  // What scoring reads per brand, kept dense (10k brands: spec.brands is
  // large and scattered).
  struct BrandInfo {
    int64_t min_price_fen = 0;
    bool any_category = false;
    uint32_t first_authorized = 0;  // into authorized
    uint32_t authorized_count = 0;
  };
  std::vector<BrandInfo> brands;
  // Each brand's authorised sellers: the hash of the entry as written (a
  // seller id; confirmed against the spec) and the hashes of its normalised
  // form (a shop name).
  struct Authorized {
    uint64_t id_hash = 0;
    NameHashes name;
    bool name_empty = true;
  };
  std::vector<Authorized> authorized;
  // Every category name of the brands and the licensed categories, once,
  // normalised; a listing's category is turned into the set of these names
  // it contains (a bitset of category_words words, cached per thread).
  std::vector<std::string> category_names;
  size_t category_words = 0;
  std::vector<uint64_t> brand_category_bits;  // brands.size() × category_words
  std::vector<uint32_t> licensed_ids;         // per spec.licensed_categories; kNoCategory if empty
  std::vector<std::string> negations;         // normalised
  std::array<bool, 256> negation_ends{};      // last bytes of the negations: a quick "no"
  std::unique_ptr<hs_database_t, DatabaseDeleter> database;
  uint64_t generation = 0;
};

namespace {

class PatternBuilder {
 public:
  void Add(std::string_view text, Role role, size_t index) {
    std::string literal = Normalize(text);
    if (literal.empty() || literal.size() > kMaxPatternBytes) return;
    auto [it, inserted] = by_literal_.try_emplace(std::move(literal), targets_.size());
    if (inserted) targets_.emplace_back();
    std::vector<Target>& targets = targets_[it->second];
    const Target target{role, static_cast<uint32_t>(index)};
    const bool seen = std::any_of(targets.begin(), targets.end(), [&](const Target& t) {
      return t.role == target.role && t.index == target.index;
    });
    if (!seen && targets.size() < 0xFFFF) targets.push_back(target);
  }

  void Build(RuleSet::Data& data) {
    data.patterns.resize(by_literal_.size());
    data.literals.resize(by_literal_.size());
    for (auto& [literal, slot] : by_literal_) {
      Pattern& pattern = data.patterns[slot];
      data.literals[slot] = literal;
      pattern.length = static_cast<uint16_t>(std::min<size_t>(literal.size(), 0xFFFF));
      pattern.first_target = static_cast<uint32_t>(data.targets.size());
      pattern.target_count = static_cast<uint16_t>(targets_[slot].size());
      data.targets.insert(data.targets.end(), targets_[slot].begin(), targets_[slot].end());
      pattern.check_left = IsAsciiAlnum(literal.front());
      const size_t tail = LatinTail(literal);
      pattern.check_right = tail > 0 && tail <= kShortLatinTail;
    }
  }

 private:
  std::map<std::string, size_t> by_literal_;  // literal → slot
  std::vector<std::vector<Target>> targets_;
};

void BuildPatterns(RuleSet::Data& data) {
  PatternBuilder builder;
  const RuleSetSpec& spec = data.spec;
  for (size_t i = 0; i < spec.brands.size(); ++i) {
    builder.Add(spec.brands[i].name, Role::kBrand, i);
    for (const std::string& alias : spec.brands[i].aliases) builder.Add(alias, Role::kBrand, i);
  }
  for (size_t i = 0; i < spec.lexicon.size(); ++i) {
    const Role role = spec.lexicon[i].weight == 0 ? Role::kMask : Role::kJargon;
    builder.Add(spec.lexicon[i].term, role, i);
    for (const std::string& variant : spec.lexicon[i].variants) builder.Add(variant, role, i);
  }
  for (const std::string& term : spec.second_hand_terms) builder.Add(term, Role::kSecondHand, 0);
  for (const std::string& term : spec.compatibility_terms) builder.Add(term, Role::kCompat, 0);
  builder.Build(data);
  std::map<std::string, uint32_t> category_ids;
  auto category_id = [&](const std::string& name) {
    auto [it, inserted] =
        category_ids.try_emplace(Normalize(name), static_cast<uint32_t>(category_ids.size()));
    if (inserted) data.category_names.push_back(it->first);
    return it->second;
  };
  std::vector<std::vector<uint32_t>> brand_categories;
  for (const Brand& brand : spec.brands) {
    std::vector<uint32_t> ids;
    for (const std::string& name : brand.categories) {
      if (!Normalize(name).empty()) ids.push_back(category_id(name));
    }
    RuleSet::Data::BrandInfo info;
    info.min_price_fen = brand.min_price_fen;
    info.any_category = ids.empty();
    info.first_authorized = static_cast<uint32_t>(data.authorized.size());
    for (const std::string& seller : brand.authorized_sellers) {
      const std::string name = Normalize(seller);
      data.authorized.push_back({TextHash(seller), HashName(name), name.empty()});
    }
    info.authorized_count = static_cast<uint32_t>(data.authorized.size()) - info.first_authorized;
    data.brands.push_back(info);
    brand_categories.push_back(std::move(ids));
  }
  for (const std::string& name : spec.licensed_categories) {
    data.licensed_ids.push_back(Normalize(name).empty() ? kNoCategory : category_id(name));
  }
  data.category_words = (data.category_names.size() + 63) / 64;
  data.brand_category_bits.assign(data.brands.size() * data.category_words, 0);
  for (size_t brand = 0; brand < brand_categories.size(); ++brand) {
    for (const uint32_t id : brand_categories[brand]) {
      data.brand_category_bits[brand * data.category_words + id / 64] |= uint64_t{1} << (id % 64);
    }
  }
  data.negations = NormalizeAll(spec.negation_prefixes);
  for (const std::string& negation : data.negations) {
    data.negation_ends[static_cast<unsigned char>(negation.back())] = true;
  }
}

// The rule a pattern came from, for compile errors.
std::string DescribePattern(const RuleSet::Data& data, size_t pattern) {
  const Target& target = data.targets[data.patterns[pattern].first_target];
  if (target.role == Role::kBrand) {
    const Brand& brand = data.spec.brands[target.index];
    return "品牌「" + brand.name + "」（第 " + std::to_string(brand.line) + " 行）";
  }
  if (target.role == Role::kJargon || target.role == Role::kMask) {
    const JargonTerm& term = data.spec.lexicon[target.index];
    return "词条「" + term.term + "」（第 " + std::to_string(term.line) + " 行）";
  }
  return "内置词「" + data.literals[pattern] + "」";
}

Status BuildDatabase(RuleSet::Data& data) {
  if (data.patterns.empty()) return Ok();
  std::vector<std::string> expressions;
  std::vector<const char*> pointers;
  std::vector<unsigned> flags;
  std::vector<unsigned> ids;
  for (size_t i = 0; i < data.patterns.size(); ++i) {
    const Pattern& pattern = data.patterns[i];
    expressions.push_back(ToExpression(data.literals[i]));
    // Patterns that need a boundary check report every occurrence (the first
    // may fail the check); the others only their first.
    flags.push_back(pattern.check_left || pattern.check_right ? 0u : HS_FLAG_SINGLEMATCH);
    ids.push_back(static_cast<unsigned>(i));
  }
  for (const std::string& expression : expressions) pointers.push_back(expression.c_str());
  hs_database_t* database = nullptr;
  hs_compile_error_t* error = nullptr;
  const hs_error_t status =
      hs_compile_multi(pointers.data(), flags.data(), ids.data(), static_cast<unsigned>(ids.size()),
                       HS_MODE_BLOCK, nullptr, &database, &error);
  if (status != HS_SUCCESS) {
    const int expression = error != nullptr ? error->expression : -1;
    const std::string message = error != nullptr ? error->message : "unknown error";
    hs_free_compile_error(error);
    if (expression >= 0) {
      return Fail(ErrorCode::kInvalidArgument,
                  DescribePattern(data, static_cast<size_t>(expression)) + " 无法编译：" + message);
    }
    return Fail(ErrorCode::kInternal, "规则库编译失败：" + message);
  }
  data.database.reset(database);
  return Ok();
}

}  // namespace

std::string_view ReasonKindName(ReasonKind kind) {
  switch (kind) {
    case ReasonKind::kBrand:
      return "brand";
    case ReasonKind::kJargon:
      return "jargon";
    case ReasonKind::kPrice:
      return "price";
    case ReasonKind::kBlacklist:
      return "blacklist";
    case ReasonKind::kUnauthorized:
      return "unauthorized";
    case ReasonKind::kLicense:
      return "license";
  }
  return "unknown";
}

Result<std::shared_ptr<const RuleSet>> RuleSet::Compile(RuleSetSpec spec) {
  auto data = std::make_unique<Data>(std::move(spec));
  BuildPatterns(*data);
  RS_TRY(BuildDatabase(*data));
  data->generation = next_generation.fetch_add(1);
  return std::shared_ptr<const RuleSet>(new RuleSet(std::move(data)));
}

RuleSet::RuleSet(std::unique_ptr<Data> data) : data_(std::move(data)) {}
RuleSet::~RuleSet() = default;

const RuleSetSpec& RuleSet::spec() const { return data_->spec; }
size_t RuleSet::pattern_count() const { return data_->patterns.size(); }
uint64_t RuleSet::generation() const { return data_->generation; }

std::vector<std::string> RuleSet::PatternLiterals() const {
  std::vector<std::string> literals;
  literals = data_->literals;
  return literals;
}

// One thread's working memory. Everything is sized once and reused; the
// arrays are bounded so that a hostile listing cannot grow them.
struct Scanner::State {
  struct Match {
    uint32_t pattern;
    uint32_t to;
  };
  struct Mention {
    uint32_t index;  // brand or lexicon index
    uint32_t from;   // normalised offsets
    uint32_t to;
  };
  template <typename T>
  struct Bounded {
    std::array<T, kMaxMentions> items;
    size_t count = 0;
    void Push(const T& item) {
      if (count < items.size()) items[count++] = item;
    }
    const T* begin() const { return items.data(); }
    const T* end() const { return items.data() + count; }
  };

  static int OnMatch(unsigned id, unsigned long long /*from*/, unsigned long long to,
                     unsigned /*flags*/, void* context) {
    auto& matches = static_cast<State*>(context)->matches;
    if (matches.size() < kMaxMatches) {
      matches.push_back(Match{static_cast<uint32_t>(id), static_cast<uint32_t>(to)});
    }
    return 0;
  }

  void Prepare(const RuleSet::Data& data, const Listing& listing);
  void Scan(const RuleSet::Data& data);
  void Collect(const RuleSet::Data& data, const Listing& listing);
  void AddReason(const Reason& reason);
  void ScoreSeller(const RuleSet::Data& data, const Listing& listing);
  void ScoreLicense(const RuleSet::Data& data, const Listing& listing);
  void ScoreBrand(const RuleSet::Data& data, const Listing& listing);
  void ScoreJargon(const RuleSet::Data& data, const Listing& listing);
  void ScorePrice(const RuleSet::Data& data, const Listing& listing);
  void ScoreAuthorization(const RuleSet::Data& data, const Listing& listing);

  TextField FieldOf(uint32_t from) const {
    return from < title_end ? TextField::kTitle : TextField::kDescription;
  }
  uint32_t FieldStart(TextField field) const {
    return field == TextField::kTitle ? 0 : static_cast<uint32_t>(title_end + 1);
  }
  bool PassesBoundaries(const Pattern& pattern, const Listing& listing, uint32_t from,
                        uint32_t to) const;
  bool InCategory(const RuleSet::Data& data, uint32_t brand) const;
  bool IsNegated(const RuleSet::Data& data, const Mention& mention) const;
  bool InsideMask(const Mention& mention) const {
    return std::any_of(masks.begin(), masks.end(), [&](const Mention& mask) {
      return mask.from <= mention.from && mention.to <= mask.to;
    });
  }
  bool StraddlesBlocked(const Mention& mention,
                        const std::array<bool, kMaxMentions>& blocked) const;
  Reason SpanReason(ReasonKind kind, const Mention& mention, const Listing& listing) const;

  struct CategorySlot {
    bool valid = false;
    std::string raw;             // the listing's category as written
    bool unknown = true;         // normalises to nothing
    std::vector<uint64_t> bits;  // category_names it contains
  };
  struct SellerSlot {
    bool valid = false;
    bool name_empty = true;    // the name normalises to nothing
    int32_t blacklisted = -1;  // SellerIndex::FindByName
    NameHashes raw;            // of the shop name as written: the cache key
    NameHashes name;           // of the normalised name
  };
  const CategorySlot& CategoryOf(const RuleSet::Data& data, std::string_view raw);
  const SellerSlot& SellerOf(const RuleSet::Data& data, std::string_view raw);

  std::unique_ptr<hs_scratch_t, ScratchDeleter> scratch;
  uint64_t scratch_generation = 0;
  uint64_t cache_generation = 0;
  NormalizedText text;
  size_t title_end = 0;     // text = title '\n' description
  std::string joined;       // NormalizeBatch's scratch
  std::string seller_name;  // SellerOf's scratch
  std::array<CategorySlot, kCategoryCacheSlots> category_cache;
  std::array<SellerSlot, kSellerCacheSlots> seller_cache;
  const CategorySlot* category = nullptr;  // this listing's
  const SellerSlot* seller = nullptr;      // this listing's
  SellerIndex::Scratch seller_scratch;
  std::vector<Match> matches;
  Bounded<Mention> brands;
  Bounded<Mention> jargon;
  Bounded<Mention> masks;
  Bounded<Mention> valid_brands;          // in category, not cleared
  std::array<uint32_t, 2> compat_from{};  // earliest accessory word per field
  Verdict verdict;
};

void Scanner::State::Prepare(const RuleSet::Data& data, const Listing& listing) {
  verdict = Verdict{};
  text.Clear();
  // The marker between title and description is the only line break in the
  // normalised text (the normaliser drops controls), and no pattern contains
  // one: no match spans both fields.
  const std::array<NormalizeJob, 2> jobs = {
      NormalizeJob{listing.title, &text}, NormalizeJob{listing.description, &text, nullptr, '\n'}};
  NormalizeBatch(jobs, joined);
  title_end = text.text.find('\n');
  if (cache_generation != data.generation) {
    for (CategorySlot& slot : category_cache) slot.valid = false;
    for (SellerSlot& slot : seller_cache) slot.valid = false;
    cache_generation = data.generation;
  }
  category = &CategoryOf(data, listing.category);
  seller = &SellerOf(data, listing.seller_name);
  matches.clear();
  brands.count = jargon.count = masks.count = valid_brands.count = 0;
  compat_from = {kNoPosition, kNoPosition};
}

const Scanner::State::CategorySlot& Scanner::State::CategoryOf(const RuleSet::Data& data,
                                                               std::string_view raw) {
  CategorySlot& slot = category_cache[std::hash<std::string_view>{}(raw) % kCategoryCacheSlots];
  if (slot.valid && slot.raw == raw) return slot;
  slot.valid = true;
  slot.raw.assign(raw);
  const std::string normalized = Normalize(raw);
  slot.unknown = normalized.empty();
  slot.bits.assign(data.category_words, 0);
  for (size_t id = 0; id < data.category_names.size(); ++id) {
    if (normalized.find(data.category_names[id]) != std::string::npos) {
      slot.bits[id / 64] |= uint64_t{1} << (id % 64);
    }
  }
  return slot;
}

const Scanner::State::SellerSlot& Scanner::State::SellerOf(const RuleSet::Data& data,
                                                           std::string_view raw) {
  const NameHashes key = HashName(raw);
  SellerSlot& slot = seller_cache[key.hash % kSellerCacheSlots];
  if (slot.valid && slot.raw == key) return slot;
  slot.valid = true;
  slot.raw = key;
  seller_name.clear();
  NormalizeAppend(raw, seller_name);
  slot.name_empty = seller_name.empty();
  slot.name = HashName(seller_name);
  slot.blacklisted = data.sellers.FindByName(seller_name, seller_scratch);
  return slot;
}

void Scanner::State::Scan(const RuleSet::Data& data) {
  if (data.database == nullptr) return;
  if (scratch_generation != data.generation) {
    hs_scratch_t* raw = scratch.release();
    RS_CHECK(hs_alloc_scratch(data.database.get(), &raw) == HS_SUCCESS) << "hs_alloc_scratch";
    scratch.reset(raw);
    scratch_generation = data.generation;
  }
  const hs_error_t status =
      hs_scan(data.database.get(), text.text.data(), static_cast<unsigned>(text.text.size()), 0,
              scratch.get(), &State::OnMatch, this);
  RS_CHECK(status == HS_SUCCESS) << "hs_scan failed: " << status;
}

bool Scanner::State::PassesBoundaries(const Pattern& pattern, const Listing& listing, uint32_t from,
                                      uint32_t to) const {
  if (!pattern.check_left && !pattern.check_right) return true;
  const std::string_view source =
      FieldOf(from) == TextField::kTitle ? listing.title : listing.description;
  const SourceRange range = ToSource(text, source, from, to);
  if (pattern.check_left && range.begin > 0 && IsAsciiAlnum(source[range.begin - 1])) return false;
  return !(pattern.check_right && range.end < source.size() && IsAsciiLetter(source[range.end]));
}

void Scanner::State::Collect(const RuleSet::Data& data, const Listing& listing) {
  for (const Match& match : matches) {
    const Pattern& pattern = data.patterns[match.pattern];
    const auto from = static_cast<uint32_t>(match.to - pattern.length);
    if (!PassesBoundaries(pattern, listing, from, match.to)) continue;
    for (uint32_t t = 0; t < pattern.target_count; ++t) {
      const Target& target = data.targets[pattern.first_target + t];
      const Mention mention{target.index, from, match.to};
      switch (target.role) {
        case Role::kBrand:
          brands.Push(mention);
          break;
        case Role::kJargon:
          jargon.Push(mention);
          break;
        case Role::kMask:
          masks.Push(mention);
          break;
        case Role::kSecondHand:
          verdict.second_hand = true;
          break;
        case Role::kCompat: {
          uint32_t& earliest = compat_from[FieldOf(from) == TextField::kTitle ? 0 : 1];
          earliest = std::min(earliest, from);
          break;
        }
      }
    }
  }
}

void Scanner::State::AddReason(const Reason& reason) {
  if (verdict.reason_count < Verdict::kMaxReasons) {
    verdict.reason_storage[verdict.reason_count++] = reason;
  }
  verdict.score += reason.points;
}

Reason Scanner::State::SpanReason(ReasonKind kind, const Mention& mention,
                                  const Listing& listing) const {
  Reason reason;
  reason.kind = kind;
  reason.field = FieldOf(mention.from);
  const SourceRange range =
      ToSource(text, reason.field == TextField::kTitle ? listing.title : listing.description,
               mention.from, mention.to);
  reason.span_begin = range.begin;
  reason.span_end = range.end;
  reason.rule = mention.index;
  return reason;
}

void Scanner::State::ScoreSeller(const RuleSet::Data& data, const Listing& listing) {
  const int by_id = data.sellers.FindById(listing.seller_id);
  const int entry = by_id >= 0 ? by_id : seller->blacklisted;
  if (entry < 0) return;
  Reason reason;
  reason.kind = ReasonKind::kBlacklist;
  reason.rule = static_cast<uint32_t>(entry);
  reason.by_name = by_id < 0;
  reason.points =
      reason.by_name ? data.spec.weights.blacklist_name : data.spec.weights.blacklist_id;
  AddReason(reason);
}

void Scanner::State::ScoreLicense(const RuleSet::Data& data, const Listing& listing) {
  if (!listing.license.empty() || category->unknown) return;
  for (size_t i = 0; i < data.licensed_ids.size(); ++i) {
    const uint32_t id = data.licensed_ids[i];
    if (id == kNoCategory || ((category->bits[id / 64] >> (id % 64)) & 1u) == 0) continue;
    Reason reason;
    reason.kind = ReasonKind::kLicense;
    reason.rule = static_cast<uint32_t>(i);
    reason.points = data.spec.weights.license;
    AddReason(reason);
    return;
  }
}

bool Scanner::State::InCategory(const RuleSet::Data& data, uint32_t brand) const {
  if (category->unknown || data.brands[brand].any_category) return true;
  const uint64_t* bits = &data.brand_category_bits[brand * data.category_words];
  for (size_t word = 0; word < data.category_words; ++word) {
    if ((bits[word] & category->bits[word]) != 0) return true;
  }
  return false;
}

// The brand the listing is about: the first mention (title before
// description) that is in the brand's categories, not after an accessory
// word, not inside a longer brand mention nor a weight-0 phrase (苹果绿 is a
// colour, not Apple). Every such mention is kept for
// the price check.
void Scanner::State::ScoreBrand(const RuleSet::Data& data, const Listing& listing) {
  const Mention* best = nullptr;
  for (const Mention& mention : brands) {
    const bool inside_longer = std::any_of(brands.begin(), brands.end(), [&](const Mention& other) {
      return other.from <= mention.from && mention.to <= other.to &&
             other.to - other.from > mention.to - mention.from;
    });
    if (inside_longer || InsideMask(mention)) continue;
    const TextField field = FieldOf(mention.from);
    if (compat_from[field == TextField::kTitle ? 0 : 1] < mention.from) continue;
    if (!InCategory(data, mention.index)) continue;
    valid_brands.Push(mention);
    const bool earlier = best == nullptr || FieldOf(best->from) > field ||
                         (FieldOf(best->from) == field && mention.from < best->from);
    if (earlier) best = &mention;
  }
  if (best == nullptr) return;
  verdict.brand = static_cast<int>(best->index);
  Reason reason = SpanReason(ReasonKind::kBrand, *best, listing);
  reason.points = data.spec.weights.brand;
  AddReason(reason);
}

bool Scanner::State::IsNegated(const RuleSet::Data& data, const Mention& mention) const {
  const uint32_t start = FieldStart(FieldOf(mention.from));
  if (mention.from == start ||
      !data.negation_ends[static_cast<unsigned char>(text.text[mention.from - 1])]) {
    return false;
  }
  const std::string_view before = std::string_view(text.text).substr(start, mention.from - start);
  return std::any_of(data.negations.begin(), data.negations.end(),
                     [&](const std::string& negation) { return before.ends_with(negation); });
}

// Distinct terms add their weights up to the cap; weak terms (代购, 假一赔十,
// 尾货 ...) are common in honest listings too, so together they add only as
// much as the heaviest of them. Separators are gone after normalising, so
// terms can straddle words: in 拒绝高仿品牌 the 仿品 straddling 高仿 and 品牌
// does not count. A mention that partly overlaps a negated or a counted
// mention is skipped (one inside another, 高仿 in 高仿原单, still counts).
void Scanner::State::ScoreJargon(const RuleSet::Data& data, const Listing& listing) {
  const ScoringWeights& weights = data.spec.weights;
  std::array<bool, kMaxMentions> blocked{};  // negated, or counted
  for (size_t i = 0; i < jargon.count; ++i) blocked[i] = IsNegated(data, jargon.items[i]);
  std::array<uint32_t, kMaxJargonReasons> counted{};
  size_t counted_count = 0;
  int total = 0;
  int heaviest_weak = 0;
  for (size_t i = 0; i < jargon.count && counted_count < counted.size(); ++i) {
    const Mention& mention = jargon.items[i];
    if (InsideMask(mention) || blocked[i] || StraddlesBlocked(mention, blocked)) continue;
    const auto counted_end = counted.begin() + static_cast<ptrdiff_t>(counted_count);
    if (std::find(counted.begin(), counted_end, mention.index) != counted_end) continue;
    counted[counted_count++] = mention.index;
    blocked[i] = true;
    int points = data.spec.lexicon[mention.index].weight;
    if (points < weights.weak_jargon) {
      const int extra = std::max(0, points - heaviest_weak);
      heaviest_weak = std::max(heaviest_weak, points);
      points = extra;
    }
    Reason reason = SpanReason(ReasonKind::kJargon, mention, listing);
    reason.points = std::max(0, std::min(points, weights.jargon_cap - total));
    total += reason.points;
    AddReason(reason);
  }
}

bool Scanner::State::StraddlesBlocked(const Mention& mention,
                                      const std::array<bool, kMaxMentions>& blocked) const {
  for (size_t j = 0; j < jargon.count; ++j) {
    const Mention& other = jargon.items[j];
    if (!blocked[j]) continue;
    const bool overlaps = other.from < mention.to && mention.from < other.to;
    const bool nested = (other.from <= mention.from && mention.to <= other.to) ||
                        (mention.from <= other.from && other.to <= mention.to);
    if (overlaps && !nested) return true;
  }
  return false;
}

// A listing may name several brands of one owner (苹果 and iPhone, with
// different reference prices); the strongest price signal among them counts.
void Scanner::State::ScorePrice(const RuleSet::Data& data, const Listing& listing) {
  if (verdict.second_hand || listing.price_fen < 0) return;
  const ScoringWeights& weights = data.spec.weights;
  const auto price = static_cast<double>(listing.price_fen);
  Reason reason;
  reason.kind = ReasonKind::kPrice;
  for (const Mention& mention : valid_brands) {
    const int64_t min_price_fen = data.brands[mention.index].min_price_fen;
    if (min_price_fen <= 0) continue;
    const auto minimum = static_cast<double>(min_price_fen);
    int points = 0;
    if (price < weights.far_below_ratio * minimum) {
      points = weights.price_far_below;
    } else if (price < weights.below_ratio * minimum) {
      points = weights.price_below;
    }
    if (points > reason.points) {
      reason.points = points;
      reason.rule = mention.index;
    }
  }
  if (reason.points > 0) AddReason(reason);
}

void Scanner::State::ScoreAuthorization(const RuleSet::Data& data, const Listing& listing) {
  if (verdict.brand < 0 || verdict.second_hand) return;
  const auto brand = static_cast<size_t>(verdict.brand);
  const RuleSet::Data::BrandInfo& info = data.brands[brand];
  if (info.authorized_count == 0) return;
  const uint64_t id_hash = TextHash(listing.seller_id);
  for (uint32_t i = 0; i < info.authorized_count; ++i) {
    const RuleSet::Data::Authorized& entry = data.authorized[info.first_authorized + i];
    if (!seller->name_empty && !entry.name_empty && entry.name == seller->name) return;
    if (!listing.seller_id.empty() && entry.id_hash == id_hash &&
        data.spec.brands[brand].authorized_sellers[i] == listing.seller_id) {
      return;
    }
  }
  Reason reason;
  reason.kind = ReasonKind::kUnauthorized;
  reason.rule = static_cast<uint32_t>(brand);
  reason.points = data.spec.weights.unauthorized;
  AddReason(reason);
}

Scanner::Scanner() : state_(std::make_unique<State>()) { state_->matches.reserve(kMaxMatches); }
Scanner::~Scanner() = default;

const Verdict& Scanner::Screen(const RuleSet& rules, const Listing& listing) {
  State& state = *state_;
  const RuleSet::Data& data = *rules.data_;
  state.Prepare(data, listing);
  state.Scan(data);
  state.Collect(data, listing);
  state.ScoreSeller(data, listing);
  state.ScoreLicense(data, listing);
  state.ScoreBrand(data, listing);
  state.ScoreJargon(data, listing);
  state.ScorePrice(data, listing);
  state.ScoreAuthorization(data, listing);
  state.verdict.score = std::clamp(state.verdict.score, 0, 100);
  return state.verdict;
}

}  // namespace redshield::screening
