// libFuzzer target: the CSV reader and the loaders built on it.
//
// Properties checked besides "no crash, no sanitizer report":
//   * rows start on strictly increasing lines;
//   * every parsed row, written back with every field quoted, parses to the
//     same fields (the reader and a trivial writer agree);
//   * a CsvTable's records all have as many fields as its header.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string>
#include <string_view>
#include <vector>

#include "core/calendar.h"
#include "core/csv.h"
#include "core/region_code.h"

namespace {

using redshield::CsvRow;

void Require(bool condition) {
  if (!condition) std::abort();
}

std::string WriteQuoted(const std::vector<CsvRow>& rows) {
  std::string out;
  for (const CsvRow& row : rows) {
    for (size_t i = 0; i < row.fields.size(); ++i) {
      if (i > 0) out.push_back(',');
      out.push_back('"');
      for (char c : row.fields[i]) {
        if (c == '"') out.push_back('"');
        out.push_back(c);
      }
      out.push_back('"');
    }
    out.push_back('\n');
  }
  return out;
}

void CheckRows(std::string_view text) {
  redshield::Result<std::vector<CsvRow>> rows = redshield::ParseCsv(text);
  if (!rows) return;
  for (size_t i = 1; i < rows->size(); ++i) Require((*rows)[i].line > (*rows)[i - 1].line);
  redshield::Result<std::vector<CsvRow>> again = redshield::ParseCsv(WriteQuoted(*rows));
  Require(again.has_value() && again->size() == rows->size());
  for (size_t i = 0; i < rows->size(); ++i) Require((*again)[i].fields == (*rows)[i].fields);
}

void CheckTable(std::string_view text) {
  redshield::Result<redshield::CsvTable> table = redshield::CsvTable::Parse(text, {"a"});
  if (!table) return;
  for (const redshield::CsvRecord& record : table->records()) {
    Require(record.fields().size() == table->header().names().size());
    Require(record.Field("a").has_value());
    (void)record.RequiredField("a");
    (void)record.OptionalField("b");
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  CheckRows(text);
  CheckTable(text);
  (void)redshield::RegionTable::FromCsv(text);
  (void)redshield::WorkCalendar::FromCsv(text);
  return 0;
}
