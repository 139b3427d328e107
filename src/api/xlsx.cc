#include "api/xlsx.h"

#include <xlsxwriter.h>

#include <cstdio>
#include <filesystem>
#include <fstream>
#include <sstream>

#include "core/crypto.h"

namespace redshield::api {

Result<std::string> WriteXlsx(const Sheet& sheet) {
  // libxlsxwriter writes to a file; a private temporary file keeps the API simple.
  std::filesystem::path path =
      std::filesystem::temp_directory_path() / ("redshield-" + RandomToken(12) + ".xlsx");
  lxw_workbook* book = workbook_new(path.c_str());
  if (book == nullptr) return Fail(ErrorCode::kInternal, "无法生成 Excel 文件");
  lxw_worksheet* ws = workbook_add_worksheet(book, sheet.name.c_str());
  lxw_format* bold = workbook_add_format(book);
  format_set_bold(bold);
  for (size_t c = 0; c < sheet.header.size(); ++c) {
    worksheet_write_string(ws, 0, static_cast<lxw_col_t>(c), sheet.header[c].c_str(), bold);
  }
  for (size_t r = 0; r < sheet.rows.size(); ++r) {
    for (size_t c = 0; c < sheet.rows[r].size(); ++c) {
      worksheet_write_string(ws, static_cast<lxw_row_t>(r + 1), static_cast<lxw_col_t>(c),
                             sheet.rows[r][c].c_str(), nullptr);
    }
  }
  for (size_t c = 0; c < sheet.column_widths.size(); ++c) {
    worksheet_set_column(ws, static_cast<lxw_col_t>(c), static_cast<lxw_col_t>(c),
                         sheet.column_widths[c], nullptr);
  }
  worksheet_freeze_panes(ws, 1, 0);
  lxw_error err = workbook_close(book);
  std::string bytes;
  if (err == LXW_NO_ERROR) {
    std::ifstream in(path, std::ios::binary);
    std::ostringstream out;
    out << in.rdbuf();
    bytes = out.str();
  }
  std::error_code ec;
  std::filesystem::remove(path, ec);
  if (err != LXW_NO_ERROR) return Fail(ErrorCode::kInternal, "无法生成 Excel 文件");
  return bytes;
}

}  // namespace redshield::api
