// Private to screening: finds a seller on the blacklist by id, or by a shop
// name that is the same or nearly the same as a blacklisted one.
//
// A shop name is compared in two forms: the normalised name (normalize.h),
// and its key, the normalised name without generic endings (旗舰店, 专营店, 店,
// 有限公司 ...) and trailing digits, so 阿强鞋業2店 and 阿强鞋业商行 share the
// key 阿强鞋业. Forms of four or more characters also match at one edit (a
// character added, removed or changed: 阿强鞋业 ~ 阿强鞋业城, 名表汇精品店 ~
// 名表汇精品城) through a deletion index (every form with one character
// removed), so a lookup is a few hash probes, not a scan. A 64 Kibit filter
// of the characters in blacklisted names skips the fuzzy probes for names
// that share too few characters with any of them: the common case.
//
// Immutable after construction; Find is thread-safe given a per-thread scratch.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "screening/rules.h"

namespace redshield::screening {

// Appends the key of an already normalised shop name to `out`.
void AppendSellerKey(std::string_view normalized_name, std::string& out);

class SellerIndex {
 public:
  struct Hit {
    int entry = -1;  // index into the blacklist, -1 if none
    bool by_name = false;
  };

  // The caller's reusable buffers (one per thread).
  struct Scratch {
    std::string key;
    std::string deletion;
  };

  explicit SellerIndex(const std::vector<BlacklistedSeller>& blacklist);

  // Looks up a seller by id, then by `normalized_name` (= Normalize(seller_name)).
  Hit Find(std::string_view seller_id, std::string_view normalized_name, Scratch& scratch) const;
  // The two halves of Find: the entry with this id, or -1.
  int FindById(std::string_view seller_id) const;
  // The entry whose shop name is (nearly) `normalized_name`, or -1.
  int FindByName(std::string_view normalized_name, Scratch& scratch) const;

  // The key of a blacklisted entry (for explanations and tests).
  const std::string& KeyOf(size_t entry) const { return keys_[entry]; }

 private:
  struct StringHash {
    using is_transparent = void;
    size_t operator()(std::string_view text) const { return std::hash<std::string_view>{}(text); }
  };
  template <typename V>
  using Map = std::unordered_map<std::string, V, StringHash, std::equal_to<>>;
  struct Entry {
    uint32_t entry = 0;
    uint32_t key_chars = 0;
  };

  void AddForm(std::string_view form, uint32_t entry, std::string& scratch);
  int Lookup(const Map<Entry>& map, std::string_view form, size_t min_chars) const;
  size_t UnknownChars(std::string_view form) const;
  int FindForm(std::string_view form, std::string& scratch) const;
  int FindFuzzy(std::string_view form, size_t chars, std::string& scratch) const;

  Map<uint32_t> ids_;
  Map<Entry> forms_;                   // normalised names and keys → entry
  Map<Entry> deletions_;               // a form with one character removed → entry
  std::vector<uint64_t> char_filter_;  // bit per hashed character of every form
  std::vector<std::string> keys_;
};

}  // namespace redshield::screening
