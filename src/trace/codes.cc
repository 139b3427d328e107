#include "trace/codes.h"

#include <array>

#include "core/date.h"
#include "core/text.h"
#include "trace/gs1_keys.h"

namespace redshield::trace {
namespace {

Error Invalid(std::string message, std::string field = {}) {
  return Error{ErrorCode::kInvalidArgument, std::move(message), std::move(field)};
}

// The normalised input (full-width folded, trimmed) as UTF-8.
std::string Normalized(std::string_view text) {
  std::string out;
  for (char32_t cp : NormalizeInput(text)) AppendUtf8(out, cp);
  return out;
}

bool AllDigits(std::string_view text) {
  if (text.empty()) return false;
  for (char c : text) {
    if (c < '0' || c > '9') return false;
  }
  return true;
}

// kInvalidArgument naming the first non-digit, or the length.
Status CheckDigits(std::string_view text, size_t length, std::string_view what) {
  for (size_t idx = 0; idx < text.size(); ++idx) {
    if (text[idx] < '0' || text[idx] > '9') {
      std::u32string decoded = DecodeUtf8(text.substr(idx));
      return tl::unexpected(Invalid(std::string(what) + "第 " + std::to_string(idx + 1) + " 位字符 " +
                                        QuoteChar(decoded.empty() ? U'?' : decoded[0]) +
                                        " 不合法：应为数字",
                                    "position " + std::to_string(idx + 1)));
    }
  }
  if (text.size() != length) {
    return tl::unexpected(Invalid(std::string(what) + "应为 " + std::to_string(length) + " 位数字，实为 " +
                                  std::to_string(text.size()) + " 位"));
  }
  return Ok();
}

std::vector<std::string> SplitOn(std::string_view text, std::string_view sep) {
  std::vector<std::string> parts;
  size_t start = 0;
  while (true) {
    size_t end = text.find(sep, start);
    parts.emplace_back(text.substr(start, end == std::string_view::npos ? end : end - start));
    if (end == std::string_view::npos) return parts;
    start = end + sep.size();
  }
}

DecodedCode FromPesticide(const PesticideUnitCode& code, CodeKind kind) {
  return {kind, "cn.pesticide/" + code.digits,
          {{"unit_code", code.digits},
           {"registration_class", std::string(RegistrationClassName(code.registration_class))},
           {"registration_tail", code.registration_tail},
           {"production_type", std::string(ProductionTypeName(code.production_type))},
           {"spec", code.spec},
           {"random", code.random}}};
}

DecodedCode FromVet(const VetTraceCode& code, CodeKind kind) {
  return {kind, "cn.vet/" + code.digits,
          {{"trace_code", code.digits}, {"date", code.date}, {"enterprise", code.enterprise},
           {"random", code.random}}};
}

Result<DecodedCode> ParseVetQr(std::string_view text) {
  std::string folded = Normalized(text);
  std::vector<std::string> parts = SplitOn(folded, ",");
  if (parts.size() < 3) {
    if (folded.size() >= 24 && AllDigits(folded.substr(0, 24)) && !IsValidUtf8(text.substr(24))) {
      return tl::unexpected(Invalid("兽药二维码内容编码错误（不是 UTF-8，疑似 GBK 误解码）"));
    }
    return tl::unexpected(Invalid("兽药二维码内容应为 追溯码，产品名称，批准文号，企业，电话"));
  }
  Result<VetTraceCode> code = ParseVetTraceCode(parts[0]);
  if (!code) return tl::unexpected(code.error());
  Result<VetApproval> approval = ParseVetApproval(parts[2]);
  if (!approval) return tl::unexpected(approval.error());
  DecodedCode decoded = FromVet(*code, CodeKind::kVetQr);
  decoded.fields.emplace_back("product", parts[1]);
  decoded.fields.emplace_back("approval_no", approval->number);
  if (parts.size() > 3) decoded.fields.emplace_back("company", parts[3]);
  if (parts.size() > 4) decoded.fields.emplace_back("phone", parts[4]);
  return decoded;
}

Result<DecodedCode> ParseSeedQr(std::string_view text) {
  std::string unix_text(text);
  std::vector<std::string> lines;
  for (std::string& line : SplitOn(unix_text, "\n")) {
    std::string trimmed(TrimAscii(line));
    if (!trimmed.empty()) lines.push_back(trimmed);
  }
  if (lines.size() != 4) {
    return tl::unexpected(Invalid("种子标签二维码应有四行：品种名称、生产经营者、单元识别代码、追溯网址"));
  }
  Result<std::string> unit = ParseSeedUnitCode(lines[2]);
  if (!unit) return tl::unexpected(unit.error());
  if (!lines[3].starts_with("http://") && !lines[3].starts_with("https://")) {
    return tl::unexpected(Invalid("种子标签二维码第四行应为追溯网址", "url"));
  }
  return DecodedCode{CodeKind::kSeedQr, "cn.seed/" + *unit,
                     {{"variety", lines[0]}, {"producer", lines[1]}, {"unit_code", *unit},
                      {"url", lines[3]}}};
}

Result<DecodedCode> FromGs1(std::string_view text) {
  Result<Gs1Key> key = ParseGs1Key(text);
  if (!key) return tl::unexpected(key.error());
  CodeKind kind = CodeKind::kGs1Other;
  switch (key->type) {
    case Gs1KeyType::kSgtin: kind = CodeKind::kSgtin; break;
    case Gs1KeyType::kSscc: kind = CodeKind::kSscc; break;
    case Gs1KeyType::kSgln: kind = CodeKind::kSgln; break;
    case Gs1KeyType::kLgtin: kind = CodeKind::kLgtin; break;
    case Gs1KeyType::kGtin: kind = CodeKind::kGtin; break;
    default: break;
  }
  DecodedCode decoded{kind, key->canonical, {{"gs1_type", std::string(Gs1KeyTypeName(key->type))},
                                             {"key", key->primary}}};
  if (!key->lot.empty()) decoded.fields.emplace_back("lot", key->lot);
  if (!key->serial.empty()) decoded.fields.emplace_back("serial", key->serial);
  decoded.fields.emplace_back("digital_link", ToDigitalLink(*key));
  return decoded;
}

constexpr std::array<std::pair<std::string_view, CodeKind>, 18> kKindNames{{
    {"pesticide_unit", CodeKind::kPesticideUnit}, {"pesticide_label", CodeKind::kPesticideLabel},
    {"vet_trace", CodeKind::kVetTrace},           {"vet_qr", CodeKind::kVetQr},
    {"seed_unit", CodeKind::kSeedUnit},           {"seed_qr", CodeKind::kSeedQr},
    {"sgtin", CodeKind::kSgtin},                  {"sscc", CodeKind::kSscc},
    {"sgln", CodeKind::kSgln},                    {"lgtin", CodeKind::kLgtin},
    {"gtin", CodeKind::kGtin},                    {"gs1", CodeKind::kGs1Other},
    {"pesticide_registration", CodeKind::kPesticideRegistration},
    {"vet_approval", CodeKind::kVetApproval},     {"pesticide", CodeKind::kPesticideUnit},
    {"vet", CodeKind::kVetTrace},                 {"seed", CodeKind::kSeedUnit},
    {"gln", CodeKind::kSgln},
}};

}  // namespace

std::string_view RegistrationClassName(int registration_class) {
  switch (registration_class) {
    case 1: return "PD";
    case 2: return "WP";
    case 3: return "临时登记";
    default: return "?";
  }
}

std::string_view ProductionTypeName(int production_type) {
  switch (production_type) {
    case 1: return "持有人生产";
    case 2: return "委托加工";
    case 3: return "委托分装";
    default: return "?";
  }
}

Result<PesticideUnitCode> ParsePesticideUnitCode(std::string_view text) {
  std::string digits = Normalized(text);
  RS_TRY(CheckDigits(digits, 32, "农药单元识别代码"));
  const int reg_class = digits[0] - '0';
  const int production = digits[7] - '0';
  if (reg_class < 1 || reg_class > 3) {
    return tl::unexpected(Invalid("第 1 位（登记类别）应为 1（PD）、2（WP）或 3（临时登记），实为 " +
                                      digits.substr(0, 1), "position 1"));
  }
  if (production < 1 || production > 3) {
    return tl::unexpected(Invalid("第 8 位（生产类型）应为 1（持有人生产）、2（委托加工）或 3（委托分装），实为 " +
                                      digits.substr(7, 1), "position 8"));
  }
  return PesticideUnitCode{digits, reg_class, digits.substr(1, 6), production, digits.substr(8, 3),
                           digits.substr(11)};
}

Result<PesticideUnitCode> ParsePesticideLabel(std::string_view text, std::string* url) {
  std::string folded = Normalized(text);
  if (!folded.starts_with("http://") && !folded.starts_with("https://")) {
    return tl::unexpected(Invalid("农药标签二维码应为 追溯网址 + 单元识别代码", "url"));
  }
  // The last run of digits in the text is the unit code: either the last path
  // segment, a query value (…?code=…) or digits appended after the URL.
  size_t end = folded.size();
  while (end > 0 && (folded[end - 1] < '0' || folded[end - 1] > '9')) --end;
  size_t start = end;
  while (start > 0 && folded[start - 1] >= '0' && folded[start - 1] <= '9') --start;
  if (end - start != 32) {
    return tl::unexpected(Invalid("追溯网址中没有 32 位单元识别代码", "code"));
  }
  if (url != nullptr) *url = folded.substr(0, start);
  return ParsePesticideUnitCode(folded.substr(start, 32));
}

Result<VetTraceCode> ParseVetTraceCode(std::string_view text) {
  std::string digits = Normalized(text);
  RS_TRY(CheckDigits(digits, 24, "兽药追溯码"));
  std::string date = digits.substr(0, 4) + "-" + digits.substr(4, 2) + "-" + digits.substr(6, 2);
  Result<Date> parsed = Date::Parse(date);
  if (!parsed || parsed->year() < 2000) {
    return tl::unexpected(Invalid("前 8 位（赋码申请日期）不是有效日期：" + digits.substr(0, 8),
                                  "position 1"));
  }
  return VetTraceCode{digits, date, digits.substr(8, 5), digits.substr(13)};
}

Result<PesticideRegistration> ParsePesticideRegistration(std::string_view text) {
  std::string number = Normalized(text);
  for (char& c : number) c = static_cast<char>(AsciiUpper(static_cast<unsigned char>(c)));
  const std::string prefix = number.substr(0, 2);
  if (prefix != "PD" && prefix != "WP" && prefix != "LS" && prefix != "WL") {
    return tl::unexpected(Invalid("农药登记证号应以 PD、WP、LS 或 WL 开头"));
  }
  std::string_view rest = std::string_view(number).substr(2);
  if (rest.size() != 8 || !AllDigits(rest)) {
    return tl::unexpected(Invalid(rest.find('-') != std::string_view::npos || rest.size() < 8
                                      ? "旧式登记证号（如 PD1-85、LS96030）不是现行格式：应为前缀 + 4 位年份 + 4 位序号"
                                      : "农药登记证号应为前缀 + 4 位年份 + 4 位序号"));
  }
  const int year = std::stoi(std::string(rest.substr(0, 4)));
  if (year < 1982 || year > 2099) {
    return tl::unexpected(Invalid("农药登记证号中的年份不合理：" + std::to_string(year)));
  }
  return PesticideRegistration{number, prefix, year, std::string(rest.substr(4))};
}

Result<VetApproval> ParseVetApproval(std::string_view text) {
  std::string folded = Normalized(text);  // （ ） are folded to ( )
  std::string category;
  for (std::string_view candidate : {"兽药生字", "兽药添字", "兽药字"}) {
    if (folded.starts_with(candidate)) {
      category = candidate;
      break;
    }
  }
  if (category.empty()) return tl::unexpected(Invalid("兽药批准文号应以 兽药字、兽药生字 或 兽药添字 开头"));
  std::string_view rest = std::string_view(folded).substr(category.size());
  if (rest.size() < 6 || rest[0] != '(' || rest[5] != ')' || !AllDigits(rest.substr(1, 4))) {
    return tl::unexpected(Invalid("兽药批准文号应为 " + category + "（年份）+ 9 位数字"));
  }
  const int year = std::stoi(std::string(rest.substr(1, 4)));
  std::string_view digits = rest.substr(6);
  RS_TRY(CheckDigits(digits, 9, "批准文号序号"));
  if (year < 1980 || year > 2099) return tl::unexpected(Invalid("兽药批准文号中的年份不合理"));
  return VetApproval{category + "（" + std::to_string(year) + "）" + std::string(digits), category, year,
                     std::string(digits)};
}

Result<std::string> ParseSeedUnitCode(std::string_view text) {
  std::string code = Normalized(text);
  if (code.empty() || code.size() > 20) {
    return tl::unexpected(Invalid("种子单元识别代码应为 1 到 20 位数字或数字加字母"));
  }
  bool has_digit = false;
  for (char c : code) {
    const bool digit = c >= '0' && c <= '9';
    const bool letter = (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z');
    if (!digit && !letter) return tl::unexpected(Invalid("种子单元识别代码只能含数字和字母"));
    has_digit = has_digit || digit;
  }
  if (!has_digit) return tl::unexpected(Invalid("种子单元识别代码应含数字"));
  return code;
}

int RegistrationClassOf(const PesticideRegistration& registration) {
  if (registration.prefix == "PD") return 1;
  if (registration.prefix == "WP") return 2;
  return 3;
}

Status CheckPesticideCodeMatchesRegistration(const PesticideUnitCode& code,
                                             const PesticideRegistration& registration) {
  const std::string tail = registration.number.substr(registration.number.size() - 6);
  if (code.registration_class != RegistrationClassOf(registration) || code.registration_tail != tail) {
    return tl::unexpected(Invalid("单元识别代码与登记证号 " + registration.number + " 不符"));
  }
  return Ok();
}

std::string_view CodeKindName(CodeKind kind) {
  for (const auto& [name, value] : kKindNames) {
    if (value == kind) return name;
  }
  return "unknown";
}

bool CodeKindFromName(std::string_view name, CodeKind& kind) {
  for (const auto& [known, value] : kKindNames) {
    if (known == name) {
      kind = value;
      return true;
    }
  }
  return false;
}

Result<DecodedCode> ParseCodeAs(std::string_view text, CodeKind kind) {
  switch (kind) {
    case CodeKind::kPesticideUnit: {
      Result<PesticideUnitCode> code = ParsePesticideUnitCode(text);
      if (!code) return tl::unexpected(code.error());
      return FromPesticide(*code, kind);
    }
    case CodeKind::kPesticideLabel: {
      std::string url;
      Result<PesticideUnitCode> code = ParsePesticideLabel(text, &url);
      if (!code) return tl::unexpected(code.error());
      DecodedCode decoded = FromPesticide(*code, kind);
      decoded.fields.emplace_back("url", url);
      return decoded;
    }
    case CodeKind::kVetTrace: {
      Result<VetTraceCode> code = ParseVetTraceCode(text);
      if (!code) return tl::unexpected(code.error());
      return FromVet(*code, kind);
    }
    case CodeKind::kVetQr: return ParseVetQr(text);
    case CodeKind::kSeedUnit: {
      Result<std::string> code = ParseSeedUnitCode(text);
      if (!code) return tl::unexpected(code.error());
      return DecodedCode{kind, "cn.seed/" + *code, {{"unit_code", *code}}};
    }
    case CodeKind::kSeedQr: return ParseSeedQr(text);
    case CodeKind::kPesticideRegistration: {
      Result<PesticideRegistration> reg = ParsePesticideRegistration(text);
      if (!reg) return tl::unexpected(reg.error());
      return DecodedCode{kind, reg->number, {{"prefix", reg->prefix}, {"year", std::to_string(reg->year)},
                                             {"serial", reg->serial}}};
    }
    case CodeKind::kVetApproval: {
      Result<VetApproval> approval = ParseVetApproval(text);
      if (!approval) return tl::unexpected(approval.error());
      return DecodedCode{kind, approval->number, {{"category", approval->category},
                                                  {"year", std::to_string(approval->year)},
                                                  {"province", approval->digits.substr(0, 2)},
                                                  {"enterprise", approval->digits.substr(2, 3)},
                                                  {"product", approval->digits.substr(5)}}};
    }
    default: {
      Result<DecodedCode> decoded = FromGs1(Normalized(text));
      if (!decoded) return decoded;
      if (kind != CodeKind::kGs1Other && decoded->kind != kind) {
        return tl::unexpected(Invalid("GS1 标识类型不符：实为 " + std::string(CodeKindName(decoded->kind))));
      }
      return decoded;
    }
  }
}

Result<DecodedCode> ParseAnyCode(std::string_view text) {
  if (text.find('\n') != std::string_view::npos) return ParseSeedQr(text);
  std::string folded = Normalized(text);
  if (folded.starts_with("urn:") || folded.starts_with("gs1:")) return FromGs1(folded);
  if (folded.starts_with("http://") || folded.starts_with("https://")) {
    Result<DecodedCode> gs1 = FromGs1(folded);
    if (gs1) return gs1;
    Result<DecodedCode> label = ParseCodeAs(folded, CodeKind::kPesticideLabel);
    if (label) return label;
    return tl::unexpected(Invalid("网址既不是 GS1 Digital Link，也不含农药单元识别代码"));
  }
  if (folded.find(',') != std::string::npos) return ParseVetQr(text);
  if (folded.starts_with("兽药")) return ParseCodeAs(folded, CodeKind::kVetApproval);
  if (folded.size() >= 2 && !AllDigits(folded.substr(0, 2)) &&
      (AsciiUpper(static_cast<unsigned char>(folded[0])) == 'P' ||
       AsciiUpper(static_cast<unsigned char>(folded[0])) == 'W' ||
       AsciiUpper(static_cast<unsigned char>(folded[0])) == 'L')) {
    return ParseCodeAs(folded, CodeKind::kPesticideRegistration);
  }
  if (AllDigits(folded) && folded.size() == 32) return ParseCodeAs(folded, CodeKind::kPesticideUnit);
  if (AllDigits(folded) && folded.size() == 24) return ParseCodeAs(folded, CodeKind::kVetTrace);
  if (!folded.empty() && folded[0] >= '0' && folded[0] <= '9' && folded.size() > 24) {
    return ParseCodeAs(folded, CodeKind::kPesticideUnit);  // reports the first bad position
  }
  return tl::unexpected(Invalid("无法识别码制，请指定类型（--kind）"));
}

}  // namespace redshield::trace
