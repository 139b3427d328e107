#include "screening/seller_index.h"

#include <array>

#include "screening/normalize.h"

namespace redshield::screening {
namespace {

// Keys shorter than this must match exactly: one edit in a three-character
// name changes a third of it.
constexpr size_t kMinFuzzyChars = 4;

// Generic endings of shop names, longest first (already in normalised form).
constexpr std::array<std::string_view, 22> kGenericEndings = {
    "官方旗舰店", "旗舰店", "专卖店", "专营店", "官方店", "企业店", "直营店", "精品店",
    "折扣店", "工厂店", "小店", "分店", "店铺", "商店", "商行", "商城",
    "工作室", "有限公司", "公司", "官方", "直营", "店"};

bool IsContinuation(char c) { return (static_cast<unsigned char>(c) & 0xC0) == 0x80; }

size_t CountChars(std::string_view utf8) {
  size_t count = 0;
  for (char c : utf8) count += !IsContinuation(c);
  return count;
}

// Strips one generic ending or trailing digits; false if there was none.
bool StripOnce(std::string_view& key) {
  for (std::string_view ending : kGenericEndings) {
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

SellerIndex::SellerIndex(const std::vector<BlacklistedSeller>& blacklist) {
  std::string scratch;
  for (size_t i = 0; i < blacklist.size(); ++i) {
    const auto entry = static_cast<uint32_t>(i);
    if (!blacklist[i].seller_id.empty()) ids_.try_emplace(blacklist[i].seller_id, entry);
    std::string key;
    AppendSellerKey(Normalize(blacklist[i].seller_name), key);
    keys_.push_back(key);
    if (key.empty()) continue;
    const auto chars = static_cast<uint32_t>(CountChars(key));
    keys_by_text_.try_emplace(key, Entry{entry, chars});
    if (chars < kMinFuzzyChars) continue;
    ForEachDeletion(key, scratch, [&](std::string_view deletion) {
      deletions_.try_emplace(std::string(deletion), Entry{entry, chars});
      return false;
    });
  }
}

int SellerIndex::Lookup(const Map<Entry>& map, std::string_view key, size_t min_key_chars) const {
  const auto it = map.find(key);
  if (it == map.end() || it->second.key_chars < min_key_chars) return -1;
  return static_cast<int>(it->second.entry);
}

int SellerIndex::FindByName(std::string_view key, std::string& scratch) const {
  if (const int exact = Lookup(keys_by_text_, key, 0); exact >= 0) return exact;
  if (CountChars(key) < kMinFuzzyChars) return -1;
  // One character more than a blacklisted key: the key is one of its deletions.
  if (const int found = Lookup(deletions_, key, kMinFuzzyChars); found >= 0) return found;
  int found = -1;
  ForEachDeletion(key, scratch, [&](std::string_view deletion) {
    // One character less (a key itself), or one changed (a shared deletion).
    found = Lookup(keys_by_text_, deletion, kMinFuzzyChars);
    if (found < 0) found = Lookup(deletions_, deletion, kMinFuzzyChars);
    return found >= 0;
  });
  return found;
}

SellerIndex::Hit SellerIndex::Find(std::string_view seller_id, std::string_view normalized_name,
                                   Scratch& scratch) const {
  if (!seller_id.empty()) {
    if (const auto it = ids_.find(seller_id); it != ids_.end()) {
      return Hit{static_cast<int>(it->second), false};
    }
  }
  if (keys_by_text_.empty() || normalized_name.empty()) return Hit{};
  scratch.key.clear();
  AppendSellerKey(normalized_name, scratch.key);
  const int entry = FindByName(scratch.key, scratch.deletion);
  return Hit{entry, entry >= 0};
}

}  // namespace redshield::screening
