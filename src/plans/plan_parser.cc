// The plan parser works in three passes over code points:
//   1. lines -> blocks: a line that starts with a section (一、), item ((一))
//      or task (1.) marker opens a block; any other line continues the block
//      before it, which undoes PDF hard line breaks. Markers must follow in
//      sequence, so that a wrapped line that happens to start with "二、" is
//      not taken for a heading.
//   2. blocks -> sections and items, with the lines before the first marker
//      kept as the preamble (title and year).
//   3. item text -> title and tasks: a task ends with its note.
#include "plans/plan_parser.h"

#include <algorithm>
#include <array>
#include <cctype>
#include <optional>
#include <utility>
#include <vector>

#include "core/text.h"
#include "plans/plan_text.h"

namespace redshield::plans {
namespace {

using U32 = std::u32string;
using U32View = std::u32string_view;

constexpr size_t kMaxInputBytes = size_t{8} << 20;
// A parenthesis longer than this is not a note.
constexpr size_t kMaxNoteLength = 1000;

enum class BlockKind { kPreamble, kSection, kItem, kTask };

struct Block {
  BlockKind kind = BlockKind::kPreamble;
  int ordinal = 0;
  U32 number;      // as written: 十六, 3
  U32 marker;      // the whole marker as written: (十六), 3.
  U32 text;        // after the marker, continuation lines joined
  U32 first_line;  // the text of the marker's own line
};

struct Marker {
  BlockKind kind;
  int ordinal;
  U32 number;
  size_t length;
};

// ---- pass 1: lines -> blocks ----

bool IsNumeralChar(char32_t cp) { return ParseChineseNumeral(U32View(&cp, 1)) > 0 || cp == U'十'; }

size_t NumeralEnd(U32View line, size_t pos) {
  size_t end = pos;
  while (end < line.size() && end - pos < 3 && IsNumeralChar(line[end])) ++end;
  return end;
}

std::optional<Marker> SectionMarker(U32View line) {
  const size_t end = NumeralEnd(line, 0);
  if (end == 0 || end >= line.size() || line[end] != U'、') return std::nullopt;
  const int ordinal = ParseChineseNumeral(line.substr(0, end));
  if (ordinal == 0) return std::nullopt;
  return Marker{BlockKind::kSection, ordinal, U32(line.substr(0, end)), end + 1};
}

std::optional<Marker> ItemMarker(U32View line) {
  if (line.empty() || !IsOpenParen(line[0])) return std::nullopt;
  size_t pos = 1;
  while (pos < line.size() && IsSpace(line[pos])) ++pos;
  const size_t start = pos;
  const size_t end = NumeralEnd(line, start);
  const int ordinal = ParseChineseNumeral(line.substr(start, end - start));
  pos = end;
  while (pos < line.size() && IsSpace(line[pos])) ++pos;
  if (ordinal == 0 || pos >= line.size() || !IsCloseParen(line[pos])) return std::nullopt;
  return Marker{BlockKind::kItem, ordinal, U32(line.substr(start, end - start)), pos + 1};
}

std::optional<Marker> TaskMarker(U32View line) {
  size_t pos = 0;
  int ordinal = 0;
  while (pos < line.size() && pos < 2 && IsAsciiDigit(Fold(line[pos]))) {
    ordinal = ordinal * 10 + static_cast<int>(Fold(line[pos]) - U'0');
    ++pos;
  }
  if (pos == 0 || ordinal == 0 || pos + 1 >= line.size()) return std::nullopt;
  const char32_t separator = Fold(line[pos]);
  if (separator != U'.' && separator != U'、') return std::nullopt;
  if (IsAsciiDigit(Fold(line[pos + 1]))) return std::nullopt;  // 1.5万元
  U32 number;
  for (size_t i = 0; i < pos; ++i) number.push_back(Fold(line[i]));
  return Marker{BlockKind::kTask, ordinal, number, pos + 1};
}

// A section heading is a phrase, not a sentence: a line that starts with
// "二、" and has a 。 or a parenthesis is the continuation of a sentence
// ("分\n二、三季度进行。").
bool IsHeading(U32View line) {
  for (char32_t cp : line) {
    if (cp == U'。' || IsOpenParen(cp) || IsCloseParen(cp)) return false;
  }
  return true;
}

void JoinLine(U32& text, U32View line) {
  if (!text.empty() && !line.empty() && text.back() < 0x80 && std::isalnum(static_cast<int>(text.back())) &&
      line.front() < 0x80 && std::isalnum(static_cast<int>(line.front()))) {
    text.push_back(U' ');
  }
  text.append(line);
}

// Splits lines into blocks, accepting a marker only where it continues the
// numbering seen so far.
class BlockBuilder {
 public:
  void AddLine(U32View raw) {
    const U32View line = TrimSpaces(raw);
    if (line.empty() || IsPageMarker(line)) return;
    if (std::optional<Marker> marker = Accept(line)) {
      Block block{marker->kind, marker->ordinal, marker->number, U32(line.substr(0, marker->length)),
                  U32(TrimSpaces(line.substr(marker->length))), {}};
      block.first_line = block.text;
      blocks_.push_back(std::move(block));
      return;
    }
    if (blocks_.empty() || blocks_.back().kind == BlockKind::kPreamble) {
      blocks_.push_back(Block{BlockKind::kPreamble, 0, {}, {}, U32(line), U32(line)});
      return;
    }
    JoinLine(blocks_.back().text, line);
  }

  std::vector<Block> Take() { return std::move(blocks_); }

 private:
  std::optional<Marker> Accept(U32View line) {
    if (std::optional<Marker> m = SectionMarker(line); m && IsHeading(line) && AfterSentence()) {
      if (last_section_ != 0 && m->ordinal != last_section_ + 1) return std::nullopt;
      last_section_ = m->ordinal;
      section_since_item_ = true;
      last_task_ = 0;
      return m;
    }
    if (std::optional<Marker> m = ItemMarker(line)) {
      const bool next = m->ordinal == last_item_ + 1 || (m->ordinal == 1 && section_since_item_);
      if (any_item_ && !next) return std::nullopt;
      last_item_ = m->ordinal;
      any_item_ = true;
      section_since_item_ = false;
      last_task_ = 0;
      return m;
    }
    if (std::optional<Marker> m = TaskMarker(line)) {
      const bool first_of_document = last_section_ == 0 && !any_item_ && last_task_ == 0;
      if (m->ordinal != last_task_ + 1 && !first_of_document) return std::nullopt;
      last_task_ = m->ordinal;
      return m;
    }
    return std::nullopt;
  }

  // False when the text before stops mid-sentence: "行动分\n二、三季度进行"
  // is one sentence, not a heading. Item and task markers need no such
  // check: an item title without 。 is followed by its task 1.
  bool AfterSentence() const {
    if (blocks_.empty() || blocks_.back().kind == BlockKind::kPreamble ||
        blocks_.back().kind == BlockKind::kSection) {
      return true;
    }
    const U32View text = TrimSpaces(blocks_.back().text);
    return text.empty() || IsSentenceEnd(text.back()) || IsCloseParen(text.back());
  }

  std::vector<Block> blocks_;
  int last_section_ = 0;
  int last_item_ = 0;
  int last_task_ = 0;
  bool any_item_ = false;
  bool section_since_item_ = false;
};

std::vector<U32> SplitLines(U32View text) {
  std::vector<U32> lines(1);
  for (size_t pos = 0; pos < text.size(); ++pos) {
    const char32_t cp = text[pos];
    if (cp == U'\r' && pos + 1 < text.size() && text[pos + 1] == U'\n') continue;
    if (cp == U'\n' || cp == U'\r' || cp == U'\f' || cp == U'\v' || cp == 0x2028 || cp == 0x2029) {
      lines.emplace_back();
    } else if (cp == U'\t') {
      lines.back().push_back(U' ');
    } else if (cp != 0xFEFF) {
      lines.back().push_back(cp);
    }
  }
  return lines;
}

// ---- notes ----

struct NoteSpan {
  size_t open;
  size_t close;
};

bool StripSuffix(U32& text, U32View suffix) {
  if (!U32View(text).ends_with(suffix)) return false;
  text.resize(text.size() - suffix.size());
  return true;
}

void StripTrailingPunctuation(U32& text) {
  while (!text.empty() && IsPunctuation(text.back())) text.pop_back();
}

// Removes the clause ending (…负责, …牵头, …配合) from `clause`. False if it
// has none. `lead` is set for 牵头.
bool StripClauseEnding(U32& clause, bool& lead) {
  lead = false;
  if (StripSuffix(clause, U"牵头")) {
    lead = true;
  } else if (!StripSuffix(clause, U"负责") && !StripSuffix(clause, U"配合") &&
             !StripSuffix(clause, U"参与") && !StripSuffix(clause, U"协助")) {
    return false;
  }
  static constexpr std::array<U32View, 9> kQualifiers = {
      U"牵头", U"配合", U"分别", U"共同", U"各自", U"按职责分工", U"按照职责分工", U"根据职责分工",
      U"按职责"};
  bool changed = true;
  while (changed) {
    changed = false;
    for (U32View qualifier : kQualifiers) {
      if (StripSuffix(clause, qualifier)) {
        if (qualifier == U"牵头") lead = true;
        changed = true;
      }
    }
  }
  return true;
}

// Ends in 负责 (spaces and trailing punctuation aside) with a unit before it.
// Looks only at the tail, so that checking every parenthesis stays linear.
bool IsNoteContent(U32View content) {
  size_t pos = content.size();
  auto previous = [&content, &pos]() -> char32_t {
    while (pos > 0 && IsSpace(content[pos - 1])) --pos;
    return pos > 0 ? content[--pos] : 0;
  };
  char32_t last = previous();
  while (last != 0 && IsPunctuation(last)) last = previous();
  if (last != U'责' || previous() != U'负') return false;
  return previous() != 0;
}

// Every note of `text`, ordered by its opening parenthesis. One pass with a
// stack of open parentheses, so that unbalanced input stays linear.
std::vector<NoteSpan> FindNotes(U32View text) {
  std::vector<NoteSpan> notes;
  std::vector<size_t> opens;
  for (size_t pos = 0; pos < text.size(); ++pos) {
    if (IsOpenParen(text[pos])) {
      opens.push_back(pos);
      continue;
    }
    if (!IsCloseParen(text[pos]) || opens.empty()) continue;
    const size_t open = opens.back();
    opens.pop_back();
    if (pos - open <= kMaxNoteLength && IsNoteContent(text.substr(open + 1, pos - open - 1))) {
      notes.push_back(NoteSpan{open, pos});
    }
  }
  std::sort(notes.begin(), notes.end(),
            [](const NoteSpan& a, const NoteSpan& b) { return a.open < b.open; });
  return notes;
}

std::optional<NoteSpan> FindNote(U32View text) {
  std::vector<NoteSpan> notes = FindNotes(text);
  if (notes.empty()) return std::nullopt;
  return notes.front();
}

void AddUnits(U32View segment, UnitRole role, int clause, std::vector<Unit>& units) {
  size_t start = 0;
  while (start <= segment.size()) {
    size_t end = segment.find(U'、', start);
    if (end == U32View::npos) end = segment.size();
    U32 text(segment.substr(start, end - start));
    while (StripSuffix(text, U"等")) {
    }
    StripTrailingPunctuation(text);
    if (!text.empty()) units.push_back(Unit{ToUtf8(text), role, clause, {}, {}, {}, {}});
    start = end + 1;
  }
}

// Units of a note's content: clauses end with 负责/牵头…; a clause may span
// several comma-separated segments (…网信办,呼和浩特海关、…按职责分工分别负责).
std::vector<Unit> ParseNote(U32View content) {
  U32 compact = RemoveSpaces(content);
  StripTrailingPunctuation(compact);
  std::vector<Unit> units;
  std::vector<U32> pending;
  int clause = 0;
  size_t start = 0;
  while (start <= compact.size()) {
    size_t end = start;
    while (end < compact.size() && Fold(compact[end]) != U',' && Fold(compact[end]) != U';') ++end;
    U32 segment = compact.substr(start, end - start);
    bool lead = false;
    const bool ends_clause = StripClauseEnding(segment, lead);
    pending.push_back(std::move(segment));
    if (ends_clause) {
      for (const U32& part : pending) {
        AddUnits(part, lead ? UnitRole::kLead : UnitRole::kResponsible, clause, units);
      }
      pending.clear();
      ++clause;
    }
    start = end + 1;
  }
  return units;
}

// ---- pass 3: item text -> title and tasks ----

struct TaskSplit {
  std::vector<Task> tasks;
  U32 leftover;  // text after the last note
};

TaskSplit SplitTasks(U32View text) {
  TaskSplit split;
  size_t start = 0;
  for (const NoteSpan& note : FindNotes(text)) {
    if (note.open < start) continue;  // inside the note before
    size_t end = note.close + 1;
    while (end < text.size() && (IsSentenceEnd(text[end]) || IsSpace(text[end]))) ++end;
    Task task;
    task.text = ToUtf8(TrimSpaces(text.substr(start, end - start)));
    U32 inside = RemoveSpaces(text.substr(note.open + 1, note.close - note.open - 1));
    StripTrailingPunctuation(inside);  // (…负责。)
    task.note = ToUtf8(inside);
    task.units = ParseNote(inside);
    split.tasks.push_back(std::move(task));
    start = end;
  }
  U32 rest(TrimSpaces(text.substr(std::min(start, text.size()))));
  bool only_punctuation = true;
  for (char32_t cp : rest) only_punctuation = only_punctuation && IsPunctuation(cp);
  if (!only_punctuation) split.leftover = std::move(rest);
  return split;
}

// The item's title is its first sentence; what follows is task text. When the
// note comes before any sentence end, or right after the title, the title
// sentence is part of the first task.
void SplitTitle(U32View head, U32& title, U32& rest) {
  size_t end = 0;
  while (end < head.size() && !IsSentenceEnd(head[end])) ++end;
  const std::optional<NoteSpan> note = FindNote(head);
  if (end < head.size() && (!note || end < note->open)) {
    title = head.substr(0, end);
    U32View after = head.substr(end + 1);
    const std::optional<NoteSpan> next = FindNote(after);
    const bool note_first = next && TrimSpaces(after.substr(0, next->open)).empty();
    rest = note_first ? U32(head) : U32(after);
  } else if (note) {
    title = head.substr(0, note->open);
    rest = head;
  } else {
    title = head;
  }
  title = U32(TrimSpaces(title));
  StripTrailingPunctuation(title);
}

struct ItemDraft {
  bool implicit = false;
  U32 number;
  int ordinal = 0;
  U32 head;
  std::vector<Block> tasks;  // numbered task blocks (1. 2. …)
};

struct SectionDraft {
  bool implicit = false;
  U32 number;
  int ordinal = 0;
  U32 text;
  U32 first_line;
  std::vector<ItemDraft> items;
};

std::string ItemLabel(const ItemDraft& draft) {
  return draft.implicit ? "开头部分" : "（" + ToUtf8(draft.number) + "）";
}

void AddLeftover(Item& item, const ItemDraft& draft, U32 leftover, std::string number,
                 std::vector<std::string>& warnings) {
  if (leftover.empty()) return;
  warnings.push_back(ItemLabel(draft) + "有一段文字没有责任单位：" +
                     ToUtf8(U32View(leftover).substr(0, 30)));
  item.tasks.push_back(Task{std::move(number), ToUtf8(leftover), {}, {}});
}

// Tasks of numbered blocks. A block without a note of its own runs on into
// the next block (the note after 2. then covers 1. and 2.).
void AddNumberedTasks(Item& item, const ItemDraft& draft, U32 carry,
                      std::vector<std::string>& warnings) {
  std::string carry_number;
  for (const Block& block : draft.tasks) {
    U32 text = TidySpaces(block.text);
    std::string number = ToUtf8(block.number);
    if (!carry.empty()) {
      text = carry + block.marker + text;
      number = carry_number;
    }
    TaskSplit split = SplitTasks(text);
    if (!split.tasks.empty()) split.tasks.front().number = number;
    for (Task& task : split.tasks) item.tasks.push_back(std::move(task));
    carry = std::move(split.leftover);
    carry_number = split.tasks.empty() ? number : std::string();
  }
  AddLeftover(item, draft, std::move(carry), carry_number, warnings);
}

Item BuildItem(const ItemDraft& draft, std::vector<std::string>& warnings) {
  Item item;
  item.number = ToUtf8(draft.number);
  item.ordinal = draft.ordinal;
  const U32 head = TidySpaces(draft.head);
  U32 title;
  U32 rest;
  if (draft.implicit) {
    rest = head;
  } else {
    SplitTitle(head, title, rest);
  }
  item.title = ToUtf8(title);
  U32 carry;
  if (draft.tasks.empty() || FindNote(rest)) {
    TaskSplit split = SplitTasks(rest);
    item.tasks = std::move(split.tasks);
    carry = std::move(split.leftover);
  } else {
    item.intro = ToUtf8(rest);
  }
  if (draft.tasks.empty()) {
    AddLeftover(item, draft, std::move(carry), {}, warnings);
  } else {
    AddNumberedTasks(item, draft, std::move(carry), warnings);
  }
  if (item.tasks.empty()) warnings.push_back(ItemLabel(draft) + "没有责任单位");
  return item;
}

// ---- pass 2 and the preamble ----

bool HasClausePunctuation(U32View line) {
  for (char32_t cp : line) {
    const char32_t folded = Fold(cp);
    if (folded == U'。' || folded == U',' || folded == U':' || folded == U';') return true;
  }
  return false;
}

bool EndsWithPlanWord(U32View line) {
  for (U32View word : {U32View(U"要点"), U32View(U"方案"), U32View(U"计划"), U32View(U"安排"),
                       U32View(U"分工"), U32View(U"意见")}) {
    if (line.ends_with(word)) return true;
  }
  return false;
}

// A line broken off the start of a title ("2017年全区打击侵犯知识产权和制售").
bool CanPrecedeTitle(U32View line) {
  return !line.empty() && line.size() <= 40 && !HasClausePunctuation(line) &&
         !EndsWithPlanWord(line) && line.find(U'〔') == U32View::npos && !line.ends_with(U"号") &&
         !line.ends_with(U"文件") && !line.ends_with(U"日");
}

U32 DetectTitle(const std::vector<U32>& lines) {
  for (size_t i = 0; i < lines.size(); ++i) {
    if (HasClausePunctuation(lines[i]) || !EndsWithPlanWord(lines[i])) continue;
    U32 title = lines[i];
    for (size_t back = i; back > 0 && i - back < 2 && CanPrecedeTitle(lines[back - 1]); --back) {
      title = lines[back - 1] + title;
    }
    return title;
  }
  // A plan sent with a notice: 现将《…工作要点》印发给你们.
  for (const U32& line : lines) {
    const size_t open = line.find(U'《');
    const size_t close = line.find(U'》', open);
    if (open == U32::npos || close == U32::npos) continue;
    U32View quoted = U32View(line).substr(open + 1, close - open - 1);
    if (EndsWithPlanWord(quoted)) return U32(quoted);
  }
  return {};
}

int DetectYear(U32View text) {
  for (size_t pos = 0; pos + 4 < text.size(); ++pos) {
    int year = 0;
    size_t digits = 0;
    while (digits < 4 && IsAsciiDigit(Fold(text[pos + digits]))) {
      year = year * 10 + static_cast<int>(Fold(text[pos + digits]) - U'0');
      ++digits;
    }
    const bool boundary = pos == 0 || !IsAsciiDigit(Fold(text[pos - 1]));
    if (digits == 4 && boundary && text[pos + 4] == U'年' && year >= 1990 && year <= 2099) {
      return year;
    }
  }
  return 0;
}

struct Draft {
  std::vector<U32> preamble;
  std::vector<SectionDraft> sections;
};

SectionDraft& CurrentSection(Draft& draft) {
  if (draft.sections.empty()) draft.sections.push_back(SectionDraft{.implicit = true});
  return draft.sections.back();
}

ItemDraft& CurrentItem(SectionDraft& section) {
  if (section.items.empty()) section.items.push_back(ItemDraft{.implicit = true});
  return section.items.back();
}

Draft Assemble(std::vector<Block> blocks) {
  Draft draft;
  for (Block& block : blocks) {
    switch (block.kind) {
      case BlockKind::kPreamble:
        draft.preamble.push_back(TidySpaces(block.text));
        break;
      case BlockKind::kSection:
        draft.sections.push_back(SectionDraft{false, block.number, block.ordinal,
                                              std::move(block.text), std::move(block.first_line), {}});
        break;
      case BlockKind::kItem:
        CurrentSection(draft).items.push_back(
            ItemDraft{false, block.number, block.ordinal, std::move(block.text), {}});
        break;
      case BlockKind::kTask:
        CurrentItem(CurrentSection(draft)).tasks.push_back(std::move(block));
        break;
    }
  }
  return draft;
}

// Text before the first item that carries notes: the document starts in the
// middle of an item, or a section has tasks before its first item.
void AddImplicitItem(U32 text, std::vector<ItemDraft>& items) {
  if (!FindNote(text)) return;
  items.insert(items.begin(), ItemDraft{.implicit = true, .head = std::move(text)});
}

Section BuildSection(SectionDraft& draft, std::vector<std::string>& warnings) {
  Section section;
  section.number = ToUtf8(draft.number);
  section.ordinal = draft.ordinal;
  if (!draft.implicit) {
    // A wrapped heading has no sentence punctuation; an introduction under
    // the heading does, and is not part of the title.
    const U32 joined = TidySpaces(draft.text);
    const bool has_intro = HasClausePunctuation(joined) && !HasClausePunctuation(draft.first_line);
    section.title = ToUtf8(has_intro ? TidySpaces(draft.first_line) : joined);
    if (has_intro) {
      AddImplicitItem(TidySpaces(U32View(draft.text).substr(draft.first_line.size())), draft.items);
    }
  }
  for (const ItemDraft& item : draft.items) section.items.push_back(BuildItem(item, warnings));
  return section;
}

int NumberedItemCount(const Plan& plan) {
  int count = 0;
  for (const Section& section : plan.sections) {
    for (const Item& item : section.items) count += item.ordinal > 0 ? 1 : 0;
  }
  return count;
}

Result<Plan> BuildPlan(U32View text, std::string encoding) {
  BlockBuilder builder;
  for (const U32& line : SplitLines(text)) builder.AddLine(line);
  Draft draft = Assemble(builder.Take());

  Plan plan;
  plan.encoding = std::move(encoding);
  const U32 title = DetectTitle(draft.preamble);
  plan.title = ToUtf8(title);
  U32 preamble_text;
  for (const U32& line : draft.preamble) JoinLine(preamble_text, line);
  plan.year = DetectYear(title);
  if (plan.year == 0) plan.year = DetectYear(preamble_text);
  if (FindNote(preamble_text)) {
    if (draft.sections.empty() || !draft.sections.front().implicit) {
      draft.sections.insert(draft.sections.begin(), SectionDraft{.implicit = true});
    }
    AddImplicitItem(std::move(preamble_text), draft.sections.front().items);
  }
  for (SectionDraft& section : draft.sections) {
    plan.sections.push_back(BuildSection(section, plan.warnings));
  }
  if (plan.UnitCount() == 0 && NumberedItemCount(plan) < 2) {
    return Fail(ErrorCode::kInvalidArgument,
                "未找到工作要点的条目或责任单位：文件应含“(一)”这样的条目和“(……负责)”这样的责任分工");
  }
  return plan;
}

}  // namespace

Result<Plan> ParsePlan(std::string_view bytes, const SimplifiedConverter* converter) {
  if (bytes.size() > kMaxInputBytes) {
    return Fail(ErrorCode::kPayloadTooLarge, "文件过大：工作要点文本不应超过 8 MiB");
  }
  Result<DecodedText> decoded = DecodePlanText(bytes);
  RS_TRY(decoded);
  std::string utf8 = std::move(decoded->utf8);
  if (converter != nullptr) {
    Result<std::string> simplified = converter->Convert(utf8);
    RS_TRY(simplified);
    utf8 = std::move(*simplified);
  }
  return BuildPlan(DecodeUtf8(utf8), std::move(decoded->encoding));
}

}  // namespace redshield::plans
