// CSV reading for every data file the product loads (regions, holidays,
// threshold rules, imports). RFC 4180 with these choices:
//   * fields are separated by ',' and may be quoted with '"'; inside quotes a
//     doubled "" is one quote and line breaks are part of the field;
//   * rows end at CRLF, LF or a lone CR; a last row without a line break counts;
//   * a leading UTF-8 BOM is removed; completely empty lines are skipped;
//   * a quote inside an unquoted field, text after a closing quote, an
//     unclosed quote and bytes that are not UTF-8 (typically a GBK file saved
//     by Excel) are errors naming the line;
//   * fields are returned as written: no trimming, no type conversion.
// Each row carries the 1-based line number on which it starts, so that errors
// can point at the line a person sees in an editor.
//
// Messages are Chinese and user-safe: `第 12 行，字段 "code"：...`.
// The reader never throws and never reads outside its input (fuzzed by
// fuzz/fuzz_csv.cc). Classes are not thread-safe; use one per thread.
#pragma once

#include <cstdint>
#include <initializer_list>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/error.h"

namespace redshield {

struct CsvRow {
  int64_t line = 0;  // 1-based line on which the row starts
  std::vector<std::string> fields;
};

// Reads rows one at a time from text the caller keeps alive.
class CsvReader {
 public:
  explicit CsvReader(std::string_view text);

  // The next row, or std::nullopt after the last one. kInvalidArgument for
  // malformed quoting or non-UTF-8 bytes; after an error the reader is at end.
  Result<std::optional<CsvRow>> Next();

 private:
  Status ReadField(std::string& field);
  Status ReadQuotedField(std::string& field);
  void SkipLineBreak();
  bool AtLineBreak() const;

  std::string_view text_;
  size_t pos_ = 0;
  int64_t line_ = 1;
};

// All rows of `text`. Errors as CsvReader::Next.
Result<std::vector<CsvRow>> ParseCsv(std::string_view text);

// An error about a whole line: message "第 <line> 行：<problem>", field "line <line>".
Error CsvLineError(int64_t line, std::string_view problem);

// The column names of a CSV file with a header row.
class CsvHeader {
 public:
  // From the first row: names are trimmed of surrounding spaces. kInvalidArgument
  // if a name is empty or repeated, or a column in `required` is missing.
  static Result<CsvHeader> FromRow(const CsvRow& row,
                                   std::initializer_list<std::string_view> required = {});

  const std::vector<std::string>& names() const { return names_; }
  // Index of the column called `name`, or std::nullopt.
  std::optional<size_t> IndexOf(std::string_view name) const;

 private:
  std::vector<std::string> names_;
};

// One data row of a file with a header. Borrows the header, which must
// outlive it (CsvTable keeps both).
class CsvRecord {
 public:
  // kInvalidArgument if `row` has a different number of fields than `header`.
  static Result<CsvRecord> Make(const CsvHeader& header, CsvRow row);

  int64_t line() const { return row_.line; }
  const std::vector<std::string>& fields() const { return row_.fields; }

  // The value in `column`. kInvalidArgument if the file has no such column.
  Result<std::string_view> Field(std::string_view column) const;
  // As Field, and also kInvalidArgument if the value is empty.
  Result<std::string_view> RequiredField(std::string_view column) const;
  // The value, or std::nullopt if the file has no such column (optional columns).
  std::optional<std::string_view> OptionalField(std::string_view column) const;

  // kInvalidArgument error `第 <line> 行，字段 "<column>"：<problem>`.
  Error FieldError(std::string_view column, std::string_view problem) const;
  // `cause` (e.g. from a validator) located at this row and column; keeps its code.
  Error FieldError(std::string_view column, const Error& cause) const;

 private:
  CsvRecord(const CsvHeader& header, CsvRow row) : header_(&header), row_(std::move(row)) {}

  const CsvHeader* header_;
  CsvRow row_;
};

// A whole CSV file with a header row, held in memory. Move-only; records stay
// valid while the table lives (the header is heap-allocated and never moves).
class CsvTable {
 public:
  // kInvalidArgument for malformed CSV, an empty text (no header), a bad
  // header (see CsvHeader::FromRow) or a row with the wrong number of fields.
  static Result<CsvTable> Parse(std::string_view text,
                                std::initializer_list<std::string_view> required = {});
  // Reads the file at `path` and parses it. kNotFound if it cannot be opened;
  // messages name the file by its base name only, never the full path.
  static Result<CsvTable> ReadFile(const std::string& path,
                                   std::initializer_list<std::string_view> required = {});

  const CsvHeader& header() const { return *header_; }
  const std::vector<CsvRecord>& records() const { return records_; }

 private:
  CsvTable(std::unique_ptr<CsvHeader> header, std::vector<CsvRecord> records)
      : header_(std::move(header)), records_(std::move(records)) {}

  std::unique_ptr<CsvHeader> header_;
  std::vector<CsvRecord> records_;
};

// The whole content of the file at `path`. kNotFound if it cannot be opened,
// kUnavailable if reading fails. Messages carry only the base name.
Result<std::string> ReadTextFile(const std::string& path);

}  // namespace redshield
