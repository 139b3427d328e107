#include "trace/labels.h"

#include <qrencode.h>

#include <memory>

namespace redshield::trace {
namespace {

std::string CsvField(const std::string& value) {
  if (value.find_first_of(",\"\r\n") == std::string::npos) return value;
  std::string out = "\"";
  for (char c : value) {
    if (c == '"') out += '"';
    out += c;
  }
  return out + "\"";
}

}  // namespace

Result<std::string> QrSvg(const std::string& text, int module_px) {
  std::unique_ptr<QRcode, decltype(&QRcode_free)> qr(
      QRcode_encodeString8bit(text.c_str(), 0, QR_ECLEVEL_M), &QRcode_free);
  if (!qr) return Fail(ErrorCode::kInvalidArgument, "内容过长，无法生成二维码");
  const int quiet = 4;
  const int size = (qr->width + 2 * quiet) * module_px;
  std::string svg = "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"" + std::to_string(size) +
                    "\" height=\"" + std::to_string(size) + "\" viewBox=\"0 0 " + std::to_string(size) + " " +
                    std::to_string(size) + "\" shape-rendering=\"crispEdges\"><rect width=\"100%\" height=\"100%\" "
                    "fill=\"#fff\"/><path fill=\"#000\" d=\"";
  for (int y = 0; y < qr->width; ++y) {
    for (int x = 0; x < qr->width; ++x) {
      if ((qr->data[y * qr->width + x] & 1) == 0) continue;
      svg += "M" + std::to_string((x + quiet) * module_px) + " " + std::to_string((y + quiet) * module_px) + "h" +
             std::to_string(module_px) + "v" + std::to_string(module_px) + "h-" + std::to_string(module_px) + "z";
    }
  }
  return svg + "\"/></svg>";
}

std::string LabelsCsv(const Batch& batch, const std::vector<IssuedCode>& codes, const std::string& base_url) {
  std::string out = "seq,code,url,product,registration_no,lot,production_date,level,parent\r\n";
  const BatchRequest& r = batch.request;
  const std::string middle = "," + CsvField(r.product_name) + "," + CsvField(r.registration_no) + "," +
                             CsvField(r.lot) + "," + r.production_date + ",";
  for (size_t idx = 0; idx < codes.size(); ++idx) {
    const IssuedCode& c = codes[idx];
    out += std::to_string(idx + 1) + "," + c.text + "," + CsvField(base_url + "/v/" + c.text) + middle +
           std::to_string(c.level) + "," + c.parent + "\r\n";
  }
  return out;
}

}  // namespace redshield::trace
