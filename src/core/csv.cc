#include "core/csv.h"

#include <fstream>
#include <sstream>

#include "core/text.h"

namespace redshield {
namespace {

constexpr std::string_view kBom = "\xEF\xBB\xBF";

// Counts line breaks in `chunk`: LF, and CR not followed by LF.
int64_t CountLineBreaks(std::string_view chunk) {
  int64_t count = 0;
  for (size_t i = 0; i < chunk.size(); ++i) {
    if (chunk[i] == '\n') ++count;
    if (chunk[i] == '\r' && (i + 1 == chunk.size() || chunk[i + 1] != '\n')) ++count;
  }
  return count;
}

std::string Quoted(std::string_view name) {
  std::string out = "\"";
  out.append(name);
  out.push_back('"');
  return out;
}

std::string BaseName(const std::string& path) {
  const size_t slash = path.find_last_of('/');
  return slash == std::string::npos ? path : path.substr(slash + 1);
}

}  // namespace

Error CsvLineError(int64_t line, std::string_view problem) {
  std::string message = "第 " + std::to_string(line) + " 行：";
  message.append(problem);
  return Error{ErrorCode::kInvalidArgument, std::move(message), "line " + std::to_string(line)};
}

CsvReader::CsvReader(std::string_view text) : text_(text) {
  if (text_.substr(0, kBom.size()) == kBom) text_.remove_prefix(kBom.size());
}

bool CsvReader::AtLineBreak() const {
  return pos_ < text_.size() && (text_[pos_] == '\n' || text_[pos_] == '\r');
}

void CsvReader::SkipLineBreak() {
  if (pos_ >= text_.size()) return;
  if (text_[pos_] == '\r') {
    ++pos_;
    if (pos_ < text_.size() && text_[pos_] == '\n') ++pos_;
  } else if (text_[pos_] == '\n') {
    ++pos_;
  }
  ++line_;
}

Status CsvReader::ReadQuotedField(std::string& field) {
  const int64_t start_line = line_;
  ++pos_;  // the opening quote
  while (true) {
    const size_t quote = text_.find('"', pos_);
    if (quote == std::string_view::npos) {
      return tl::unexpected(CsvLineError(start_line, "引号没有闭合"));
    }
    const std::string_view chunk = text_.substr(pos_, quote - pos_);
    field.append(chunk);
    line_ += CountLineBreaks(chunk);
    pos_ = quote + 1;
    if (pos_ < text_.size() && text_[pos_] == '"') {
      field.push_back('"');
      ++pos_;
      continue;
    }
    if (pos_ == text_.size() || text_[pos_] == ',' || AtLineBreak()) return Ok();
    return tl::unexpected(CsvLineError(line_, "右引号后不能紧跟其他字符，字段之间应以逗号分隔"));
  }
}

Status CsvReader::ReadField(std::string& field) {
  if (pos_ < text_.size() && text_[pos_] == '"') return ReadQuotedField(field);
  const size_t end = text_.find_first_of(",\r\n\"", pos_);
  const size_t stop = end == std::string_view::npos ? text_.size() : end;
  field.assign(text_.substr(pos_, stop - pos_));
  pos_ = stop;
  if (pos_ < text_.size() && text_[pos_] == '"') {
    return tl::unexpected(CsvLineError(
        line_, "未加引号的字段中出现了双引号；含双引号的字段应整体加引号，并把 \" 写成 \"\""));
  }
  return Ok();
}

Result<std::optional<CsvRow>> CsvReader::Next() {
  while (AtLineBreak()) SkipLineBreak();  // empty lines
  if (pos_ >= text_.size()) return std::nullopt;
  CsvRow row;
  row.line = line_;
  while (true) {
    std::string field;
    Status read = ReadField(field);
    if (!read) {
      pos_ = text_.size();
      return tl::unexpected(read.error());
    }
    row.fields.push_back(std::move(field));
    if (pos_ < text_.size() && text_[pos_] == ',') {
      ++pos_;
      continue;
    }
    if (AtLineBreak()) SkipLineBreak();
    break;
  }
  for (const std::string& field : row.fields) {
    if (!IsValidUtf8(field)) {
      pos_ = text_.size();
      return tl::unexpected(CsvLineError(
          row.line, "含有不是 UTF-8 编码的字节（如果文件是 GBK 编码，请另存为 UTF-8）"));
    }
  }
  return row;
}

Result<std::vector<CsvRow>> ParseCsv(std::string_view text) {
  CsvReader reader(text);
  std::vector<CsvRow> rows;
  while (true) {
    Result<std::optional<CsvRow>> row = reader.Next();
    if (!row) return tl::unexpected(row.error());
    if (!row->has_value()) return rows;
    rows.push_back(std::move(**row));
  }
}

Result<CsvHeader> CsvHeader::FromRow(const CsvRow& row,
                                     std::initializer_list<std::string_view> required) {
  CsvHeader header;
  for (size_t i = 0; i < row.fields.size(); ++i) {
    const std::string_view name = TrimAscii(row.fields[i]);
    if (name.empty()) {
      return tl::unexpected(
          CsvLineError(row.line, "第 " + std::to_string(i + 1) + " 列的列名为空"));
    }
    if (header.IndexOf(name)) {
      return tl::unexpected(CsvLineError(row.line, "列名 " + Quoted(name) + " 重复"));
    }
    header.names_.emplace_back(name);
  }
  for (std::string_view name : required) {
    if (!header.IndexOf(name)) {
      return tl::unexpected(CsvLineError(row.line, "缺少必需的列 " + Quoted(name)));
    }
  }
  return header;
}

std::optional<size_t> CsvHeader::IndexOf(std::string_view name) const {
  for (size_t i = 0; i < names_.size(); ++i) {
    if (names_[i] == name) return i;
  }
  return std::nullopt;
}

Result<CsvRecord> CsvRecord::Make(const CsvHeader& header, CsvRow row) {
  if (row.fields.size() != header.names().size()) {
    return tl::unexpected(CsvLineError(row.line, "应有 " + std::to_string(header.names().size()) +
                                                     " 个字段，实有 " +
                                                     std::to_string(row.fields.size()) + " 个"));
  }
  return CsvRecord(header, std::move(row));
}

Result<std::string_view> CsvRecord::Field(std::string_view column) const {
  const std::optional<size_t> index = header_->IndexOf(column);
  if (!index) return tl::unexpected(CsvLineError(row_.line, "缺少列 " + Quoted(column)));
  return std::string_view(row_.fields[*index]);
}

Result<std::string_view> CsvRecord::RequiredField(std::string_view column) const {
  Result<std::string_view> value = Field(column);
  if (value && value->empty()) return tl::unexpected(FieldError(column, "不能为空"));
  return value;
}

std::optional<std::string_view> CsvRecord::OptionalField(std::string_view column) const {
  const std::optional<size_t> index = header_->IndexOf(column);
  if (!index) return std::nullopt;
  return std::string_view(row_.fields[*index]);
}

Error CsvRecord::FieldError(std::string_view column, std::string_view problem) const {
  return FieldError(column, Error{ErrorCode::kInvalidArgument, std::string(problem), {}});
}

Error CsvRecord::FieldError(std::string_view column, const Error& cause) const {
  const std::string line = std::to_string(row_.line);
  std::string message = "第 " + line + " 行，字段 " + Quoted(column) + "：" + cause.message;
  std::string field = "line " + line + ", " + std::string(column);
  return Error{cause.code, std::move(message), std::move(field)};
}

Result<CsvTable> CsvTable::Parse(std::string_view text,
                                 std::initializer_list<std::string_view> required) {
  CsvReader reader(text);
  Result<std::optional<CsvRow>> first = reader.Next();
  if (!first) return tl::unexpected(first.error());
  if (!first->has_value()) {
    return Fail(ErrorCode::kInvalidArgument, "CSV 内容为空，缺少表头行", "line 1");
  }
  Result<CsvHeader> parsed_header = CsvHeader::FromRow(**first, required);
  if (!parsed_header) return tl::unexpected(parsed_header.error());
  auto header = std::make_unique<CsvHeader>(std::move(*parsed_header));
  std::vector<CsvRecord> records;
  while (true) {
    Result<std::optional<CsvRow>> row = reader.Next();
    if (!row) return tl::unexpected(row.error());
    if (!row->has_value()) break;
    Result<CsvRecord> record = CsvRecord::Make(*header, std::move(**row));
    if (!record) return tl::unexpected(record.error());
    records.push_back(std::move(*record));
  }
  return CsvTable(std::move(header), std::move(records));
}

Result<CsvTable> CsvTable::ReadFile(const std::string& path,
                                    std::initializer_list<std::string_view> required) {
  Result<std::string> text = ReadTextFile(path);
  if (!text) return tl::unexpected(text.error());
  Result<CsvTable> table = Parse(*text, required);
  if (!table) {
    Error error = table.error();
    error.message = BaseName(path) + " " + error.message;
    return tl::unexpected(std::move(error));
  }
  return table;
}

Result<std::string> ReadTextFile(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return Fail(ErrorCode::kNotFound, "找不到数据文件 " + BaseName(path));
  std::ostringstream content;
  content << in.rdbuf();
  if (in.bad()) return Fail(ErrorCode::kUnavailable, "读取数据文件 " + BaseName(path) + " 失败");
  return std::move(content).str();
}

}  // namespace redshield
