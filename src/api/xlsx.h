// A table of text written as an XLSX workbook (libxlsxwriter), for every
// "export to Excel" of the API.
#pragma once

#include <string>
#include <vector>

#include "core/error.h"

namespace redshield::api {

struct Sheet {
  std::string name;                    // sheet tab
  std::vector<std::string> header;     // first row, bold
  std::vector<std::vector<std::string>> rows;
  std::vector<double> column_widths;   // optional, in characters
};

// The bytes of an .xlsx file. kInternal if the writer fails.
Result<std::string> WriteXlsx(const Sheet& sheet);

}  // namespace redshield::api
