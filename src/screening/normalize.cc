#include "screening/normalize.h"

#include <algorithm>
#include <array>
#include <map>
#include <memory>

#include "core/check.h"
#include "core/text.h"

namespace redshield::screening {
namespace {

struct CodeRange {
  char32_t first;
  char32_t last;
};
struct SingleFold {
  char32_t from;
  char32_t to;
};
struct MultiFold {
  char32_t from;
  uint8_t length;
  char32_t to[4];
};

#include "screening/fold_table.inc"

// Table entries. Any other value below 0x110000 is the single code point the
// character folds to.
constexpr uint32_t kIdentity = 0;
constexpr uint32_t kDrop = 0xFFFFFFFFu;
constexpr uint32_t kColon = 0xFFFFFFFEu;
constexpr uint32_t kMultiFlag = 0x80000000u;  // | length << 24 | offset into the pool

constexpr char32_t kMaxCodePoint = 0x10FFFF;
constexpr size_t kBlockBits = 8;
constexpr size_t kBlockSize = size_t{1} << kBlockBits;
constexpr size_t kBlockCount = (kMaxCodePoint + 1) >> kBlockBits;

// Two-stage lookup: stage 1 maps the high bits of a code point to one of a few
// hundred distinct 256-entry blocks (identical blocks are shared), so the
// whole table is about 400 KiB and the CJK blocks a listing touches stay in
// cache.
class FoldTable {
 public:
  static const FoldTable& Get() {
    static const FoldTable table;
    return table;
  }

  uint32_t Lookup(char32_t cp) const {
    return blocks_[(size_t{stage1_[cp >> kBlockBits]} << kBlockBits) | (cp & (kBlockSize - 1))];
  }
  const char32_t* Expansion(uint32_t entry) const { return &pool_[entry & 0xFFFFFFu]; }
  static uint32_t ExpansionLength(uint32_t entry) { return (entry >> 24) & 0x7Fu; }

 private:
  FoldTable() {
    std::vector<uint32_t> full(kMaxCodePoint + 1, kIdentity);
    for (const CodeRange& range : kDropRanges) {
      std::fill(full.begin() + range.first, full.begin() + range.last + 1, kDrop);
    }
    for (const SingleFold& fold : kSingleFolds) full[fold.from] = fold.to;
    for (const MultiFold& fold : kMultiFolds) {
      full[fold.from] = kMultiFlag | (uint32_t{fold.length} << 24) |
                        static_cast<uint32_t>(pool_.size());
      pool_.insert(pool_.end(), fold.to, fold.to + fold.length);
    }
    for (char32_t colon : kColons) full[colon] = kColon;
    Compress(full);
  }

  void Compress(const std::vector<uint32_t>& full) {
    std::map<std::vector<uint32_t>, uint16_t> seen;
    stage1_.resize(kBlockCount);
    for (size_t block = 0; block < kBlockCount; ++block) {
      std::vector<uint32_t> content(full.begin() + static_cast<ptrdiff_t>(block * kBlockSize),
                                    full.begin() + static_cast<ptrdiff_t>((block + 1) * kBlockSize));
      auto [it, inserted] = seen.try_emplace(content, static_cast<uint16_t>(seen.size()));
      if (inserted) blocks_.insert(blocks_.end(), content.begin(), content.end());
      stage1_[block] = it->second;
    }
    RS_CHECK(seen.size() < 0xFFFF) << "fold table has too many distinct blocks";
  }

  std::vector<uint16_t> stage1_;
  std::vector<uint32_t> blocks_;
  std::vector<char32_t> pool_;
};

// How many source bytes the decoded `cp` at `pos` took. core's DecodeUtf8
// yields U+FFFD both for an encoded U+FFFD (3 bytes) and for each invalid
// byte (1 byte); the bytes tell which.
uint32_t SourceLength(std::string_view source, size_t pos, char32_t cp) {
  if (cp < 0x80) return 1;
  if (cp < 0x800) return 2;
  if (cp == kReplacementChar) return source.substr(pos, 3) == "\xEF\xBF\xBD" ? 3 : 1;
  return cp < 0x10000 ? 3 : 4;
}

bool IsAsciiDigitByte(char c) { return c >= '0' && c <= '9'; }

// Where the folded characters go: with or without source offsets.
struct OffsetSink {
  NormalizedText& out;
  std::string& text() { return out.text; }
  void Mark(uint32_t begin, uint32_t end) {
    out.source_begin.resize(out.text.size(), begin);
    out.source_end.resize(out.text.size(), end);
  }
};
struct PlainSink {
  std::string& out;
  std::string& text() { return out; }
  void Mark(uint32_t, uint32_t) {}
};

// The single pass. A ':' is held back until the next kept character shows
// whether it stands between two digits.
template <typename Sink>
void Fold(std::string_view source, Sink sink) {
  const FoldTable& table = FoldTable::Get();
  const std::u32string chars = DecodeUtf8(source);
  std::string& text = sink.text();
  const size_t field_start = text.size();
  bool colon_pending = false;
  uint32_t colon_begin = 0;
  uint32_t colon_end = 0;
  uint32_t pos = 0;
  for (const char32_t cp : chars) {
    const uint32_t length = SourceLength(source, pos, cp);
    const uint32_t entry = table.Lookup(cp);
    if (entry == kDrop) {
      pos += length;
      continue;
    }
    if (entry == kColon) {
      if (text.size() > field_start && IsAsciiDigitByte(text.back())) {
        colon_pending = true;
        colon_begin = pos;
        colon_end = pos + length;
      }
      pos += length;
      continue;
    }
    const char32_t first = entry == kIdentity            ? cp
                           : (entry & kMultiFlag) != 0u ? *table.Expansion(entry)
                                                        : static_cast<char32_t>(entry);
    if (colon_pending && first >= U'0' && first <= U'9') {
      text.push_back(':');
      sink.Mark(colon_begin, colon_end);
    }
    colon_pending = false;
    if (entry == kIdentity) {
      text.append(source.data() + pos, length);
    } else if ((entry & kMultiFlag) != 0u) {
      const char32_t* expansion = table.Expansion(entry);
      for (uint32_t i = 0; i < FoldTable::ExpansionLength(entry); ++i) {
        AppendUtf8(text, expansion[i]);
      }
    } else {
      AppendUtf8(text, static_cast<char32_t>(entry));
    }
    sink.Mark(pos, pos + length);
    pos += length;
  }
}

}  // namespace

void NormalizedText::Clear() {
  text.clear();
  source_begin.clear();
  source_end.clear();
}

void NormalizedText::AppendMarker(char byte) {
  text.push_back(byte);
  source_begin.push_back(0);
  source_end.push_back(0);
}

void NormalizeAppend(std::string_view source, NormalizedText& out) {
  Fold(source, OffsetSink{out});
}

void NormalizeAppend(std::string_view source, std::string& out) { Fold(source, PlainSink{out}); }

std::string Normalize(std::string_view source) {
  std::string out;
  NormalizeAppend(source, out);
  return out;
}

SourceRange ToSource(const NormalizedText& text, size_t from, size_t to) {
  return SourceRange{text.source_begin[from], text.source_end[to - 1]};
}

}  // namespace redshield::screening
