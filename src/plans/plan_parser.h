// Parses the text of a work plan into a Plan (plan.h).
//
// What the parser accepts, because real plans look like this:
//   * bytes in UTF-8 (with or without BOM), UTF-16 with a BOM, or GB18030/GBK;
//   * traditional characters (converted to simplified with OpenCC t2s);
//   * text extracted from a PDF: hard line breaks inside sentences and inside
//     notes, stray spaces between Chinese characters, page markers (— 2 —,
//     -2-, 第 2 页) on lines of their own;
//   * sections 一、 …, items (一) … numbered across or within sections, tasks
//     numbered 1. 2. under items, full-width or ASCII parentheses;
//   * documents that start mid-way: no sections, or not even an item.
// A task is the text up to and including its responsibility note, the
// parenthesised text ending in 负责 (牵头负责, 按职责分工负责, …). A note may
// have two clauses ("X牵头负责,Y按职责分工负责"); units of a 牵头 clause are
// leads. Units are split at 、，, and lose a trailing 等.
//
// Pure functions except for the converter, which reads OpenCC's dictionaries
// once. Everything here is thread-safe; nothing throws.
#pragma once

#include <memory>
#include <string>
#include <string_view>

#include "core/error.h"
#include "plans/plan.h"

namespace opencc {
class SimpleConverter;
}

namespace redshield::plans {

// Traditional -> simplified Chinese (OpenCC). Convert is const and
// thread-safe.
class SimplifiedConverter {
 public:
  // `config` is an OpenCC configuration name looked up in OpenCC's data
  // directory (/usr/share/opencc) or a path. kUnavailable if it cannot be
  // loaded; OpenCC's own message, which names files, is not passed on.
  static Result<std::unique_ptr<SimplifiedConverter>> Create(const std::string& config = "t2s.json");
  ~SimplifiedConverter();

  // `utf8` must be valid UTF-8. kInvalidArgument if OpenCC rejects it.
  Result<std::string> Convert(std::string_view utf8) const;

 private:
  explicit SimplifiedConverter(std::unique_ptr<opencc::SimpleConverter> impl);

  std::unique_ptr<opencc::SimpleConverter> impl_;
};

// Bytes of a document as UTF-8 without BOM, and the encoding they were in.
struct DecodedText {
  std::string utf8;
  std::string encoding;  // "UTF-8", "UTF-16LE", "UTF-16BE" or "GB18030"
};

// Detects the encoding of `bytes` and converts it to UTF-8. Line breaks are
// kept; NUL and other control characters (except tab, form feed and line
// breaks) are not allowed in a text. kInvalidArgument, with a message for the
// user, for an empty file, binary data, or bytes that are neither UTF-8 nor
// GB18030.
Result<DecodedText> DecodePlanText(std::string_view bytes);

// Parses a plan from the bytes of a document. `converter` may be null (no
// traditional -> simplified conversion). kInvalidArgument for what
// DecodePlanText rejects and for a text with neither items nor responsibility
// notes ("未找到工作要点的条目或责任单位"). Units come back with text, role and
// clause only; UnitResolver fills in the rest.
Result<Plan> ParsePlan(std::string_view bytes, const SimplifiedConverter* converter);

}  // namespace redshield::plans
