// Label exports of an issued batch (issue 7 §2): QR codes as SVG (through
// libqrencode) and a CSV for label printers. Pure functions; thread-safe
// (libqrencode's encoder is reentrant).
#pragma once

#include <string>
#include <vector>

#include "core/error.h"
#include "trace/batch.h"

namespace redshield::trace {

// An SVG of the QR code (error correction M, 4-module quiet zone) encoding
// `text`; kInvalidArgument if it is too long for a QR code.
Result<std::string> QrSvg(const std::string& text, int module_px = 4);

// "seq,code,url,product,registration_no,lot,production_date,level,parent\r\n"
// and one row per code; the URL the QR carries is <base_url>/v/<code>;
// level 0 unit, 1 箱, 2 件; parent the code of the pack it is in.
std::string LabelsCsv(const Batch& batch, const std::vector<IssuedCode>& codes, const std::string& base_url);

}  // namespace redshield::trace
