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

// Table entries: identity, drop, colon, or a mapping whose UTF-8 bytes
// (encoded once, when the table is built) sit in the table's byte pool.
constexpr uint32_t kIdentity = 0;
constexpr uint32_t kDrop = 0xFFFFFFFFu;
constexpr uint32_t kColon = 0xFFFFFFFEu;
constexpr uint32_t kMappedFlag = 0x80000000u;  // | bytes << 24 | offset into the pool

constexpr char32_t kMaxCodePoint = 0x10FFFF;
constexpr size_t kBlockBits = 8;
constexpr size_t kBlockSize = size_t{1} << kBlockBits;
constexpr size_t kBlockCount = (kMaxCodePoint + 1) >> kBlockBits;
// tools/gen_fold_table.py checks that no character's folded bytes are more
// than 4 times its own.
constexpr size_t kMaxGrowth = 4;

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
  std::string_view Mapped(uint32_t entry) const {
    return std::string_view(pool_.data() + (entry & 0xFFFFFFu), (entry >> 24) & 0x7Fu);
  }

 private:
  FoldTable() {
    std::vector<uint32_t> full(kMaxCodePoint + 1, kIdentity);
    for (const CodeRange& range : kDropRanges) {
      std::fill(full.begin() + range.first, full.begin() + range.last + 1, kDrop);
    }
    for (const SingleFold& fold : kSingleFolds) full[fold.from] = Map(&fold.to, 1);
    for (const MultiFold& fold : kMultiFolds) full[fold.from] = Map(fold.to, fold.length);
    for (char32_t colon : kColons) full[colon] = kColon;
    Compress(full);
  }

  uint32_t Map(const char32_t* to, size_t length) {
    const auto offset = static_cast<uint32_t>(pool_.size());
    for (size_t i = 0; i < length; ++i) AppendUtf8(pool_, to[i]);
    const auto bytes = static_cast<uint32_t>(pool_.size()) - offset;
    RS_CHECK(bytes < 0x80 && offset < 0x1000000) << "fold table entry too large";
    return kMappedFlag | (bytes << 24) | offset;
  }

  void Compress(const std::vector<uint32_t>& full) {
    std::map<std::vector<uint32_t>, uint16_t> seen;
    stage1_.resize(kBlockCount);
    for (size_t block = 0; block < kBlockCount; ++block) {
      std::vector<uint32_t> content(
          full.begin() + static_cast<ptrdiff_t>(block * kBlockSize),
          full.begin() + static_cast<ptrdiff_t>((block + 1) * kBlockSize));
      auto [it, inserted] = seen.try_emplace(content, static_cast<uint16_t>(seen.size()));
      if (inserted) blocks_.insert(blocks_.end(), content.begin(), content.end());
      stage1_[block] = it->second;
    }
    RS_CHECK(seen.size() < 0xFFFF) << "fold table has too many distinct blocks";
  }

  std::vector<uint16_t> stage1_;
  std::vector<uint32_t> blocks_;
  std::string pool_;  // UTF-8 of every mapping
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
bool IsContinuation(char c) { return (static_cast<unsigned char>(c) & 0xC0) == 0x80; }

uint32_t Utf8Length(char lead) {
  const auto byte = static_cast<unsigned char>(lead);
  return byte < 0x80 ? 1 : byte < 0xE0 ? 2 : byte < 0xF0 ? 3 : 4;
}

// Where the folded characters go: with or without source offsets.
struct OffsetSink {
  NormalizedText& out;
  std::string& text() { return out.text; }
  void Reserve(size_t size) {
    if (out.source_begin.size() < size) out.source_begin.resize(size * 2);
  }
  // The character written at `start` comes from the source at `begin`.
  void Mark(size_t start, uint32_t begin) { out.source_begin[start] = begin; }
};
struct PlainSink {
  std::string& out;
  std::string& text() { return out; }
  void Reserve(size_t) {}
  void Mark(size_t, uint32_t) {}
};

bool IsLowerAsciiLetter(char c) { return c >= 'a' && c <= 'z'; }

// A neighbour of a run of look-alike digits: the output byte (0 at the
// field's edge) and whether it touches the run in the source, with nothing
// dropped in between.
struct Neighbour {
  char byte = '\0';
  bool direct = true;
};

// A run of 0s and 1s (N1KE, Ph11ips, D10r, SK11) becomes o and i when it is
// part of a Latin word: a letter touches it in the source (0mega, SK11), or
// letters stand on both sides once separators are gone (N.1.K.E). Never when a digit or ':' touches
// it (双11, 2011, 1:1), and not from across a separator alone (iPhone 11, Moutai 1比1 keep their
// digits).
void FoldLookAlikeRun(char* out, size_t from, size_t to, Neighbour left, Neighbour right) {
  auto blocks = [](Neighbour n) { return n.direct && (IsAsciiDigitByte(n.byte) || n.byte == ':'); };
  auto letter = [](Neighbour n) { return IsLowerAsciiLetter(n.byte); };
  if (blocks(left) || blocks(right)) return;
  const bool touching = (letter(left) && left.direct) || (letter(right) && right.direct);
  const bool between = letter(left) && letter(right);
  if (!touching && !between) return;
  for (size_t at = from; at < to; ++at) out[at] = out[at] == '0' ? 'o' : 'i';
}

// The single pass over the decoded characters of `source`, starting at
// `*next`; advances `*next` past them. The output is written into space
// reserved for the worst case and trimmed at the end, so a character costs
// a table lookup and a few byte stores. Two things wait for the next kept
// character: a ':' (kept only between digits) and a run of 0s and 1s
// (folded only inside Latin words; written at once and patched).
template <typename Sink>
void Fold(std::string_view source, const char32_t*& next, Sink sink) {
  constexpr size_t kNone = static_cast<size_t>(-1);
  const FoldTable& table = FoldTable::Get();
  std::string& text = sink.text();
  const size_t field_start = text.size();
  text.resize(field_start + kMaxGrowth * source.size() + 1);
  sink.Reserve(text.size());
  char* const out = text.data();
  size_t written = field_start;
  bool colon_pending = false;
  uint32_t colon_begin = 0;
  bool dropped = false;      // something was dropped since the last kept character
  size_t run_start = kNone;  // a run of 0s and 1s waiting for its right neighbour
  Neighbour run_left;
  for (uint32_t pos = 0; pos < source.size(); ++next) {
    const char32_t cp = *next;
    const uint32_t length = SourceLength(source, pos, cp);
    const uint32_t entry = table.Lookup(cp);
    pos += length;
    if (entry == kDrop || entry == kColon) {
      if (entry == kColon && written > field_start && IsAsciiDigitByte(out[written - 1])) {
        colon_pending = true;
        colon_begin = pos - length;
      }
      dropped = true;
      continue;
    }
    const uint32_t begin = pos - length;
    const std::string_view bytes =
        entry == kIdentity ? std::string_view(source.data() + begin, length) : table.Mapped(entry);
    const bool colon = colon_pending && IsAsciiDigitByte(bytes.front());
    colon_pending = false;
    const bool look_alike = !colon && bytes.size() == 1 && (bytes[0] == '0' || bytes[0] == '1');
    if (run_start != kNone && !look_alike) {
      // A ':' kept between digits keeps the digits before it (1:1).
      FoldLookAlikeRun(out, run_start, written, run_left,
                       colon ? Neighbour{':', true} : Neighbour{bytes.front(), !dropped});
      run_start = kNone;
    }
    if (look_alike && run_start == kNone) {
      run_start = written;
      run_left = Neighbour{written > field_start ? out[written - 1] : '\0', !dropped};
    }
    if (colon) {
      sink.Mark(written, colon_begin);
      out[written++] = ':';
    }
    for (const char byte : bytes) {
      if (!IsContinuation(byte)) sink.Mark(written, begin);
      out[written++] = byte;
    }
    dropped = false;
  }
  if (run_start != kNone) FoldLookAlikeRun(out, run_start, written, run_left, Neighbour{});
  text.resize(written);
}

template <typename Sink>
void FoldOne(std::string_view source, Sink sink) {
  const std::u32string chars = DecodeUtf8(source);
  const char32_t* next = chars.data();
  Fold(source, next, sink);
}

}  // namespace

void NormalizedText::AppendMarker(char byte) {
  text.push_back(byte);
  if (source_begin.size() < text.size()) source_begin.resize(text.size() * 2);
  source_begin[text.size() - 1] = 0;
}

void NormalizeAppend(std::string_view source, NormalizedText& out) {
  FoldOne(source, OffsetSink{out});
}

void NormalizeAppend(std::string_view source, std::string& out) { FoldOne(source, PlainSink{out}); }

// The texts are joined with a NUL between them and decoded once: one
// allocation per batch instead of one per text. An ASCII byte never belongs
// to a multi-byte sequence, so the decoded characters of each text cover
// exactly its bytes, even when a text ends in a broken sequence.
void NormalizeBatch(std::span<const NormalizeJob> jobs, std::string& joined) {
  joined.clear();
  for (const NormalizeJob& job : jobs) {
    joined.append(job.source);
    joined.push_back('\0');
  }
  const std::u32string chars = DecodeUtf8(joined);
  const char32_t* next = chars.data();
  for (const NormalizeJob& job : jobs) {
    if (job.with_offsets != nullptr) {
      if (job.marker != 0) job.with_offsets->AppendMarker(job.marker);
      Fold(job.source, next, OffsetSink{*job.with_offsets});
    } else {
      Fold(job.source, next, PlainSink{*job.plain});
    }
    ++next;  // the NUL
  }
}

std::string Normalize(std::string_view source) {
  std::string out;
  NormalizeAppend(source, out);
  return out;
}

SourceRange ToSource(const NormalizedText& text, std::string_view source, size_t from, size_t to) {
  size_t last = to - 1;  // the first byte of the last character
  while (last > from && IsContinuation(text.text[last])) --last;
  const uint32_t last_begin = text.source_begin[last];
  const uint32_t end =
      last_begin < source.size() ? last_begin + Utf8Length(source[last_begin]) : last_begin;
  return SourceRange{text.source_begin[from],
                     std::min<uint32_t>(end, static_cast<uint32_t>(source.size()))};
}

}  // namespace redshield::screening
