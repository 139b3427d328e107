#include "screening/seller_index.h"

#include <algorithm>
#include <array>

#include "screening/normalize.h"

namespace redshield::screening {
namespace {

// Keys shorter than this must match exactly: one edit in a three-character
// name changes a third of it.
constexpr size_t kMinFuzzyChars = 4;

// Generic endings of shop names, longest first (already in normalised form).
constexpr std::array<std::string_view, 22> kGenericEndings = {
    "官方旗舰店", "旗舰店",   "专卖店", "专营店", "官方店", "企业店", "直营店", "精品店",
    "折扣店",     "工厂店",   "小店",   "分店",   "店铺",   "商店",   "商行",   "商城",
    "工作室",     "有限公司", "公司",   "官方",   "直营",   "店"};

bool IsContinuation(char c) { return (static_cast<unsigned char>(c) & 0xC0) == 0x80; }

size_t CountChars(std::string_view utf8) {
  size_t count = 0;
  for (char c : utf8) count += !IsContinuation(c);
  return count;
}

// Strips one generic ending or trailing digits; false if there was none.
// The last character of `text` packed into an integer (0 if none).
uint32_t LastChar(std::string_view text) {
  if (text.empty()) return 0;
  size_t start = text.size() - 1;
  while (start > 0 && IsContinuation(text[start])) --start;
  uint32_t packed = 0;
  for (size_t i = start; i < text.size() && i < start + 4; ++i) {
    packed = (packed << 8) | static_cast<unsigned char>(text[i]);
  }
  return packed;
}

// The last characters of the endings (店, 行, 室 ...): most shop names are
// ruled out by one integer comparison each instead of 22 string ones.
const std::vector<uint32_t>& EndingLastChars() {
  static const std::vector<uint32_t> chars = [] {
    std::vector<uint32_t> out;
    for (std::string_view ending : kGenericEndings) {
      const uint32_t last = LastChar(ending);
      if (std::find(out.begin(), out.end(), last) == out.end()) out.push_back(last);
    }
    return out;
  }();
  return chars;
}

bool StripOnce(std::string_view& key) {
  const std::vector<uint32_t>& last_chars = EndingLastChars();
  const bool may_end =
      std::find(last_chars.begin(), last_chars.end(), LastChar(key)) != last_chars.end();
  for (std::string_view ending : kGenericEndings) {
    if (!may_end) break;
    if (key.size() > ending.size() && key.ends_with(ending)) {
      key.remove_suffix(ending.size());
      return true;
    }
  }
  size_t end = key.size();
  while (end > 0 && key[end - 1] >= '0' && key[end - 1] <= '9') --end;
  if (end > 0 && end < key.size()) {
    key = key.substr(0, end);
    return true;
  }
  return false;
}

// Calls `visit` with `key` minus each of its characters in turn.
template <typename Visit>
void ForEachDeletion(std::string_view key, std::string& scratch, Visit visit) {
  for (size_t start = 0; start < key.size();) {
    size_t end = start + 1;
    while (end < key.size() && IsContinuation(key[end])) ++end;
    scratch.assign(key.substr(0, start));
    scratch.append(key.substr(end));
    if (visit(std::string_view(scratch))) return;
    start = end;
  }
}

}  // namespace

void AppendSellerKey(std::string_view normalized_name, std::string& out) {
  std::string_view key = normalized_name;
  while (StripOnce(key)) {
  }
  out.append(key);
}

namespace {

constexpr size_t kFilterBits = 1u << 16;

// The filter slot of the UTF-8 character starting at `text[pos]` (its bytes
// hashed, no decoding needed); `length` receives its byte length.
size_t FilterSlot(std::string_view text, size_t pos, size_t& length) {
  length = 1;
  while (pos + length < text.size() && IsContinuation(text[pos + length])) ++length;
  uint32_t packed = 0;
  for (size_t i = 0; i < length && i < 4; ++i) {
    packed = (packed << 8) | static_cast<unsigned char>(text[pos + i]);
  }
  return (packed * 2654435761u) >> 16;  // Knuth's multiplicative hash, top 16 bits
}

}  // namespace

SellerIndex::SellerIndex(const std::vector<BlacklistedSeller>& blacklist)
    : char_filter_(kFilterBits / 64, 0) {
  std::string scratch;
  for (size_t i = 0; i < blacklist.size(); ++i) {
    const auto entry = static_cast<uint32_t>(i);
    if (!blacklist[i].seller_id.empty()) ids_.try_emplace(blacklist[i].seller_id, entry);
    const std::string name = Normalize(blacklist[i].seller_name);
    std::string key;
    AppendSellerKey(name, key);
    keys_.push_back(key);
    if (name.empty()) continue;
    AddForm(name, entry, scratch);
    if (key != name) AddForm(key, entry, scratch);
  }
}

void SellerIndex::AddForm(std::string_view form, uint32_t entry, std::string& scratch) {
  const auto chars = static_cast<uint32_t>(CountChars(form));
  forms_.try_emplace(std::string(form), Entry{entry, chars});
  for (size_t pos = 0, length = 0; pos < form.size(); pos += length) {
    const size_t slot = FilterSlot(form, pos, length);
    char_filter_[slot / 64] |= uint64_t{1} << (slot % 64);
  }
  if (chars < kMinFuzzyChars) return;
  ForEachDeletion(form, scratch, [&](std::string_view deletion) {
    deletions_.try_emplace(std::string(deletion), Entry{entry, chars});
    return false;
  });
}

int SellerIndex::Lookup(const Map<Entry>& map, std::string_view form, size_t min_chars) const {
  const auto it = map.find(form);
  if (it == map.end() || it->second.key_chars < min_chars) return -1;
  return static_cast<int>(it->second.entry);
}

// How many characters of `form` occur in no blacklisted form (by the filter,
// which has no false negatives), counting no further than 2: a name with two
// unknown characters is neither a blacklisted form nor one edit from one,
// and most shop names show two within their first few characters.
size_t SellerIndex::UnknownChars(std::string_view form) const {
  size_t unknown = 0;
  for (size_t pos = 0, length = 0; pos < form.size() && unknown < 2; pos += length) {
    const size_t slot = FilterSlot(form, pos, length);
    unknown += ((char_filter_[slot / 64] >> (slot % 64)) & 1u) == 0;
  }
  return unknown;
}

// Exactly a blacklisted form: every character is known. Within one edit of
// one: all but at most one are.
int SellerIndex::FindForm(std::string_view form, std::string& scratch) const {
  const size_t unknown = UnknownChars(form);
  if (unknown == 0) {
    if (const int exact = Lookup(forms_, form, 0); exact >= 0) return exact;
  }
  if (unknown > 1) return -1;
  return FindFuzzy(form, CountChars(form), scratch);
}

int SellerIndex::FindFuzzy(std::string_view form, size_t chars, std::string& scratch) const {
  if (chars < kMinFuzzyChars) return -1;
  // One character more than a blacklisted form: the name is one of its deletions.
  if (const int found = Lookup(deletions_, form, kMinFuzzyChars); found >= 0) return found;
  int found = -1;
  ForEachDeletion(form, scratch, [&](std::string_view deletion) {
    // One character less (a form itself), or one changed (a shared deletion).
    found = Lookup(forms_, deletion, kMinFuzzyChars);
    if (found < 0) found = Lookup(deletions_, deletion, kMinFuzzyChars);
    return found >= 0;
  });
  return found;
}

int SellerIndex::FindById(std::string_view seller_id) const {
  if (seller_id.empty()) return -1;
  const auto it = ids_.find(seller_id);
  return it == ids_.end() ? -1 : static_cast<int>(it->second);
}

int SellerIndex::FindByName(std::string_view normalized_name, Scratch& scratch) const {
  if (forms_.empty() || normalized_name.empty()) return -1;
  scratch.key.clear();
  AppendSellerKey(normalized_name, scratch.key);
  const int entry = FindForm(scratch.key, scratch.deletion);
  if (entry >= 0 || scratch.key == normalized_name) return entry;
  return FindForm(normalized_name, scratch.deletion);
}

SellerIndex::Hit SellerIndex::Find(std::string_view seller_id, std::string_view normalized_name,
                                   Scratch& scratch) const {
  if (const int entry = FindById(seller_id); entry >= 0) return Hit{entry, false};
  const int entry = FindByName(normalized_name, scratch);
  return Hit{entry, entry >= 0};
}

}  // namespace redshield::screening
