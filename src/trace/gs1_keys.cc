#include "trace/gs1_keys.h"

#include <array>
#include <vector>

#include "core/gtin.h"

namespace redshield::trace {
namespace {

bool AllDigits(std::string_view text) {
  if (text.empty()) return false;
  for (char c : text) {
    if (c < '0' || c > '9') return false;
  }
  return true;
}

std::vector<std::string_view> Split(std::string_view text, char sep) {
  std::vector<std::string_view> parts;
  size_t start = 0;
  while (true) {
    size_t end = text.find(sep, start);
    parts.push_back(text.substr(start, end == std::string_view::npos ? end : end - start));
    if (end == std::string_view::npos) return parts;
    start = end + 1;
  }
}

// GS1 AI 21/10/254 values: 1 to 20 characters of the GS1 "AI encodable
// character set 82" (printable ASCII without space, quotes and a few others).
Status CheckAiText(std::string_view value, std::string_view what, size_t max_len) {
  if (value.empty() || value.size() > max_len) {
    return Fail(ErrorCode::kInvalidArgument,
                std::string(what) + "长度应为 1 到 " + std::to_string(max_len) + " 个字符");
  }
  static constexpr std::string_view kAllowed =
      "!\"%&'()*+,-./0123456789:;<=>?ABCDEFGHIJKLMNOPQRSTUVWXYZ_abcdefghijklmnopqrstuvwxyz";
  for (char c : value) {
    if (kAllowed.find(c) == std::string_view::npos) {
      return Fail(ErrorCode::kInvalidArgument, std::string(what) + "含有 GS1 不允许的字符");
    }
  }
  return Ok();
}

Result<std::string> WithCheck(std::string_view body) {
  Result<int> check = ComputeGs1CheckDigit(body);
  if (!check) return tl::unexpected(check.error());
  return std::string(body) + static_cast<char>('0' + *check);
}

Status CheckKeyDigits(std::string_view digits, size_t length, std::string_view what) {
  if (digits.size() != length || !AllDigits(digits)) {
    return Fail(ErrorCode::kInvalidArgument,
                std::string(what) + "应为 " + std::to_string(length) + " 位数字");
  }
  Status verified = VerifyGs1CheckDigit(digits);
  if (!verified) {
    return Fail(ErrorCode::kInvalidArgument, std::string(what) + verified.error().message);
  }
  return Ok();
}

void Canonicalise(Gs1Key& key) {
  switch (key.type) {
    case Gs1KeyType::kSgtin:
      key.canonical = "01/" + key.primary + (key.lot.empty() ? "" : "/10/" + key.lot) + "/21/" + key.serial;
      break;
    case Gs1KeyType::kLgtin: key.canonical = "01/" + key.primary + "/10/" + key.lot; break;
    case Gs1KeyType::kGtin: key.canonical = "01/" + key.primary; break;
    case Gs1KeyType::kSscc: key.canonical = "00/" + key.primary; break;
    case Gs1KeyType::kSgln:
      key.canonical = "414/" + key.primary + (key.serial.empty() ? "" : "/254/" + key.serial);
      break;
    case Gs1KeyType::kPgln: key.canonical = "417/" + key.primary; break;
    case Gs1KeyType::kGrai: key.canonical = "8003/" + key.primary + key.serial; break;
    case Gs1KeyType::kGiai: key.canonical = "8004/" + key.primary; break;
    case Gs1KeyType::kGdti: key.canonical = "253/" + key.primary + key.serial; break;
  }
}

Result<Gs1Key> Finish(Gs1Key key) {
  Canonicalise(key);
  return key;
}

// The parts "CompanyPrefix.Ref[.Serial]" of a URN, with the digit lengths of
// prefix + reference checked against `total`.
Status CheckUrnDigits(const std::vector<std::string_view>& parts, size_t count, size_t total) {
  if (parts.size() != count) {
    return Fail(ErrorCode::kInvalidArgument, "EPC URN 的组成部分数量不对");
  }
  if (!AllDigits(parts[0]) || parts[0].size() < 6 || parts[0].size() > 12) {
    return Fail(ErrorCode::kInvalidArgument, "厂商识别代码应为 6 到 12 位数字");
  }
  if ((!parts[1].empty() && !AllDigits(parts[1])) || parts[0].size() + parts[1].size() != total) {
    return Fail(ErrorCode::kInvalidArgument,
                "厂商识别代码与参考代码合计应为 " + std::to_string(total) + " 位数字");
  }
  return Ok();
}

Result<Gs1Key> UrnIndicatorKey(Gs1KeyType type, const std::vector<std::string_view>& parts,
                               size_t total) {
  RS_TRY(CheckUrnDigits(parts, type == Gs1KeyType::kSscc ? 2 : 3, total));
  if (parts[1].empty()) return Fail(ErrorCode::kInvalidArgument, "缺少指示符");
  std::string body = std::string(1, parts[1][0]) + std::string(parts[0]) + std::string(parts[1].substr(1));
  Result<std::string> full = WithCheck(body);
  if (!full) return tl::unexpected(full.error());
  Gs1Key key{type, *full, "", "", ""};
  if (type == Gs1KeyType::kSgtin || type == Gs1KeyType::kLgtin) {
    Result<std::string> tail = PercentDecode(parts[2]);
    if (!tail) return tl::unexpected(tail.error());
    RS_TRY(CheckAiText(*tail, type == Gs1KeyType::kSgtin ? "序列号" : "批号", 20));
    (type == Gs1KeyType::kSgtin ? key.serial : key.lot) = *tail;
  }
  return Finish(std::move(key));
}

Result<Gs1Key> UrnPlainKey(Gs1KeyType type, const std::vector<std::string_view>& parts) {
  Gs1Key key{type, "", "", "", ""};
  if (type == Gs1KeyType::kSgln || type == Gs1KeyType::kPgln) {
    RS_TRY(CheckUrnDigits(parts, type == Gs1KeyType::kSgln ? 3 : 2, 12));
    Result<std::string> gln = WithCheck(std::string(parts[0]) + std::string(parts[1]));
    if (!gln) return tl::unexpected(gln.error());
    key.primary = *gln;
    if (type == Gs1KeyType::kSgln && parts[2] != "0") {
      Result<std::string> ext = PercentDecode(parts[2]);
      if (!ext) return tl::unexpected(ext.error());
      RS_TRY(CheckAiText(*ext, "位置扩展码", 20));
      key.serial = *ext;
    }
    return Finish(std::move(key));
  }
  if (type == Gs1KeyType::kGiai) {
    if (parts.size() != 2 || !AllDigits(parts[0])) {
      return Fail(ErrorCode::kInvalidArgument, "GIAI URN 应为 厂商识别代码.资产参考号");
    }
    Result<std::string> ref = PercentDecode(parts[1]);
    if (!ref) return tl::unexpected(ref.error());
    key.primary = std::string(parts[0]) + *ref;
    RS_TRY(CheckAiText(key.primary, "GIAI", 30));
    return Finish(std::move(key));
  }
  // GRAI and GDTI: prefix + type (12 digits with check) + serial.
  RS_TRY(CheckUrnDigits(parts, 3, 12));
  Result<std::string> body = WithCheck(std::string(parts[0]) + std::string(parts[1]));
  if (!body) return tl::unexpected(body.error());
  key.primary = type == Gs1KeyType::kGrai ? "0" + *body : *body;
  Result<std::string> serial = PercentDecode(parts[2]);
  if (!serial) return tl::unexpected(serial.error());
  key.serial = *serial;
  return Finish(std::move(key));
}

struct UrnScheme {
  std::string_view prefix;
  Gs1KeyType type;
};
constexpr std::array<UrnScheme, 8> kUrnSchemes{{
    {"urn:epc:id:sgtin:", Gs1KeyType::kSgtin}, {"urn:epc:class:lgtin:", Gs1KeyType::kLgtin},
    {"urn:epc:id:sscc:", Gs1KeyType::kSscc},   {"urn:epc:id:sgln:", Gs1KeyType::kSgln},
    {"urn:epc:id:pgln:", Gs1KeyType::kPgln},   {"urn:epc:id:grai:", Gs1KeyType::kGrai},
    {"urn:epc:id:giai:", Gs1KeyType::kGiai},   {"urn:epc:id:gdti:", Gs1KeyType::kGdti},
}};

// The Digital Link path after the domain (and any path prefix): primary key,
// then qualifiers. `segments` are still percent-encoded.
Result<Gs1Key> FromPath(const std::vector<std::string_view>& segments) {
  static constexpr std::array<std::string_view, 7> kPrimary{"01", "00", "414", "417", "8003",
                                                            "8004", "253"};
  // The primary key is the LAST recognised AI with a value such that the rest
  // are qualifiers; scan from the start for the first AI whose value parses.
  for (size_t idx = 0; idx + 1 < segments.size(); ++idx) {
    std::string_view ai = segments[idx];
    bool primary = false;
    for (std::string_view p : kPrimary) primary = primary || ai == p;
    if (!primary) continue;
    Result<std::string> value = PercentDecode(segments[idx + 1]);
    if (!value) return tl::unexpected(value.error());
    Gs1Key key;
    size_t next = idx + 2;
    if (ai == "01") {
      std::string gtin = *value;
      if (gtin.size() < 14 && AllDigits(gtin)) gtin = std::string(14 - gtin.size(), '0') + gtin;
      RS_TRY(CheckKeyDigits(gtin, 14, "GTIN "));
      key = {Gs1KeyType::kGtin, gtin, "", "", ""};
      std::string_view order[] = {"22", "10", "21"};
      size_t order_idx = 0;
      while (next + 1 < segments.size()) {
        std::string_view q = segments[next];
        while (order_idx < 3 && order[order_idx] != q) ++order_idx;
        if (order_idx == 3) return Fail(ErrorCode::kInvalidArgument, "Digital Link 限定符不合法或顺序错误");
        Result<std::string> qv = PercentDecode(segments[next + 1]);
        if (!qv) return tl::unexpected(qv.error());
        RS_TRY(CheckAiText(*qv, q == "21" ? "序列号" : q == "10" ? "批号" : "CPV", 20));
        if (q == "21") key.serial = *qv;
        if (q == "10") key.lot = *qv;
        ++order_idx;
        next += 2;
      }
      if (!key.serial.empty()) key.type = Gs1KeyType::kSgtin;
      else if (!key.lot.empty()) key.type = Gs1KeyType::kLgtin;
    } else if (ai == "00") {
      RS_TRY(CheckKeyDigits(*value, 18, "SSCC "));
      key = {Gs1KeyType::kSscc, *value, "", "", ""};
    } else if (ai == "414" || ai == "417") {
      RS_TRY(CheckKeyDigits(*value, 13, "GLN "));
      key = {ai == "414" ? Gs1KeyType::kSgln : Gs1KeyType::kPgln, *value, "", "", ""};
      if (ai == "414" && next + 1 < segments.size() && segments[next] == "254") {
        Result<std::string> ext = PercentDecode(segments[next + 1]);
        if (!ext) return tl::unexpected(ext.error());
        RS_TRY(CheckAiText(*ext, "位置扩展码", 20));
        key.serial = *ext;
        next += 2;
      }
    } else {
      RS_TRY(CheckAiText(*value, "标识", 30));
      Gs1KeyType type = ai == "8003" ? Gs1KeyType::kGrai : ai == "8004" ? Gs1KeyType::kGiai : Gs1KeyType::kGdti;
      if (type != Gs1KeyType::kGiai) {
        size_t head = type == Gs1KeyType::kGrai ? 14 : 13;
        if (value->size() < head) return Fail(ErrorCode::kInvalidArgument, "标识过短");
        RS_TRY(CheckKeyDigits(value->substr(type == Gs1KeyType::kGrai ? 1 : 0, 13), 13, "标识"));
        key = {type, value->substr(0, head), "", value->substr(head), ""};
      } else {
        key = {type, *value, "", "", ""};
      }
    }
    if (next < segments.size() && !(next + 1 == segments.size() && segments[next].empty())) {
      return Fail(ErrorCode::kInvalidArgument, "Digital Link 路径中有多余的部分");
    }
    return Finish(std::move(key));
  }
  return Fail(ErrorCode::kInvalidArgument, "Digital Link 中没有 GS1 主标识（01、00、414 等）");
}

}  // namespace

std::string_view Gs1KeyTypeName(Gs1KeyType type) {
  switch (type) {
    case Gs1KeyType::kSgtin: return "sgtin";
    case Gs1KeyType::kLgtin: return "lgtin";
    case Gs1KeyType::kGtin: return "gtin";
    case Gs1KeyType::kSscc: return "sscc";
    case Gs1KeyType::kSgln: return "sgln";
    case Gs1KeyType::kPgln: return "pgln";
    case Gs1KeyType::kGrai: return "grai";
    case Gs1KeyType::kGiai: return "giai";
    case Gs1KeyType::kGdti: return "gdti";
  }
  return "gtin";
}

Result<std::string> PercentDecode(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  for (size_t idx = 0; idx < text.size(); ++idx) {
    if (text[idx] != '%') {
      out += text[idx];
      continue;
    }
    auto hex = [](char c) -> int {
      if (c >= '0' && c <= '9') return c - '0';
      if (c >= 'a' && c <= 'f') return c - 'a' + 10;
      if (c >= 'A' && c <= 'F') return c - 'A' + 10;
      return -1;
    };
    if (idx + 2 >= text.size()) {
      return Fail(ErrorCode::kInvalidArgument, "百分号转义不完整");
    }
    int high = hex(text[idx + 1]);
    int low = hex(text[idx + 2]);
    if (high < 0 || low < 0) return Fail(ErrorCode::kInvalidArgument, "百分号转义不合法");
    out += static_cast<char>(high * 16 + low);
    idx += 2;
  }
  return out;
}

std::string PercentEncode(std::string_view text) {
  static constexpr char kHex[] = "0123456789ABCDEF";
  std::string out;
  for (char c : text) {
    const auto u = static_cast<unsigned char>(c);
    if ((c >= '0' && c <= '9') || (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || c == '-' ||
        c == '.' || c == '_' || c == '~') {
      out += c;
    } else {
      out += '%';
      out += kHex[u >> 4];
      out += kHex[u & 15];
    }
  }
  return out;
}

Result<Gs1Key> ParseEpcUrn(std::string_view text) {
  for (const UrnScheme& scheme : kUrnSchemes) {
    if (!text.starts_with(scheme.prefix)) continue;
    std::vector<std::string_view> parts = Split(text.substr(scheme.prefix.size()), '.');
    switch (scheme.type) {
      case Gs1KeyType::kSgtin:
      case Gs1KeyType::kLgtin: return UrnIndicatorKey(scheme.type, parts, 13);
      case Gs1KeyType::kSscc: return UrnIndicatorKey(scheme.type, parts, 17);
      default: return UrnPlainKey(scheme.type, parts);
    }
  }
  return Fail(ErrorCode::kInvalidArgument, "不是可识别的 EPC URN（sgtin、sscc、sgln 等）");
}

Result<Gs1Key> ParseDigitalLink(std::string_view text) {
  size_t scheme_end = text.find("://");
  if (scheme_end == std::string_view::npos ||
      (text.substr(0, scheme_end) != "https" && text.substr(0, scheme_end) != "http")) {
    return Fail(ErrorCode::kInvalidArgument, "Digital Link 应以 http:// 或 https:// 开头");
  }
  std::string_view rest = text.substr(scheme_end + 3);
  rest = rest.substr(0, rest.find_first_of("?#"));
  size_t slash = rest.find('/');
  if (slash == std::string_view::npos || slash == 0) {
    return Fail(ErrorCode::kInvalidArgument, "Digital Link 缺少路径");
  }
  return FromPath(Split(rest.substr(slash + 1), '/'));
}

Result<Gs1Key> ParseGs1Curie(std::string_view text) {
  if (!text.starts_with("gs1:")) return Fail(ErrorCode::kInvalidArgument, "CURIE 应以 gs1: 开头");
  return FromPath(Split(text.substr(4), '/'));
}

Result<Gs1Key> ParseGs1Key(std::string_view text) {
  if (text.starts_with("urn:")) return ParseEpcUrn(text);
  if (text.starts_with("gs1:")) return ParseGs1Curie(text);
  return ParseDigitalLink(text);
}

std::string ToDigitalLink(const Gs1Key& key, std::string_view domain) {
  std::string out(domain);
  auto add = [&out](std::string_view ai, std::string_view value) {
    if (value.empty()) return;
    out += '/';
    out += ai;
    out += '/';
    out += PercentEncode(value);
  };
  switch (key.type) {
    case Gs1KeyType::kSgtin:
    case Gs1KeyType::kLgtin:
    case Gs1KeyType::kGtin:
      add("01", key.primary);
      add("10", key.lot);
      add("21", key.serial);
      break;
    case Gs1KeyType::kSscc: add("00", key.primary); break;
    case Gs1KeyType::kSgln:
      add("414", key.primary);
      add("254", key.serial);
      break;
    case Gs1KeyType::kPgln: add("417", key.primary); break;
    case Gs1KeyType::kGrai: add("8003", key.primary + key.serial); break;
    case Gs1KeyType::kGiai: add("8004", key.primary); break;
    case Gs1KeyType::kGdti: add("253", key.primary + key.serial); break;
  }
  return out;
}

}  // namespace redshield::trace
