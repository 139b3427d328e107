#include "core/uscc.h"

#include <array>

#include "core/text.h"

namespace redshield {
namespace {

constexpr std::string_view kAlphabet = "0123456789ABCDEFGHJKLMNPQRTUWXY";
constexpr std::array<int, 17> kWeights = {1,  3,  9,  27, 19, 26, 16, 17, 20,
                                          29, 25, 13, 8,  24, 10, 30, 28};
constexpr std::array<int, 8> kOrgWeights = {3, 7, 9, 10, 5, 8, 4, 2};

struct Authority {
  char code;
  std::string_view name;
  std::string_view types;                      // the entity-type codes it may use
  std::array<std::string_view, 6> type_names;  // parallel to `types`
};

// GB 32100-2015 Appendix A (as maintained by the national USCC data centre).
constexpr std::array<Authority, 12> kAuthorities = {{
    {'1', "机构编制", "1239", {"机关", "事业单位", "中央编办直接管理机构编制的群众团体", "其他"}},
    {'2', "外交", "19", {"外国常驻新闻机构", "其他"}},
    {'3',
     "司法行政",
     "123459",
     {"律师执业机构", "公证处", "基层法律服务所", "司法鉴定机构", "仲裁委员会", "其他"}},
    {'4', "文化", "19", {"外国在华文化中心", "其他"}},
    {'5', "民政", "1239", {"社会团体", "民办非企业单位", "基金会", "其他"}},
    {'6',
     "旅游",
     "129",
     {"外国旅游部门常驻代表机构", "港澳台地区旅游部门常驻内地（大陆）代表机构", "其他"}},
    {'7', "宗教", "129", {"宗教活动场所", "宗教院校", "其他"}},
    {'8', "工会", "19", {"基层工会", "其他"}},
    {'9', "工商", "123", {"企业", "个体工商户", "农民专业合作社"}},
    {'A', "中央军委改革和编制办公室", "19", {"军队事业单位", "其他"}},
    {'N', "农业", "1239", {"组级集体经济组织", "村级集体经济组织", "乡镇级集体经济组织", "其他"}},
    {'Y', "其他", "1", {"其他"}},
}};

const Authority* FindAuthority(char code) {
  for (const Authority& authority : kAuthorities) {
    if (authority.code == code) return &authority;
  }
  return nullptr;
}

std::string Position(size_t index) { return "position " + std::to_string(index + 1); }

tl::unexpected<Error> FailAt(size_t index, std::string message) {
  return Fail(ErrorCode::kInvalidArgument, std::move(message), Position(index));
}

// "1、2、3" for an error message.
std::string ListTypes(std::string_view types) {
  std::string out;
  for (char type : types) {
    if (!out.empty()) out += "、";
    out.push_back(type);
  }
  return out;
}

// Normalises to 18 upper-case characters of the code set.
Result<std::string> NormalizeUscc(std::string_view text) {
  const std::u32string chars = NormalizeInput(text);
  if (chars.size() != 18) {
    return Fail(ErrorCode::kInvalidArgument,
                "统一社会信用代码应为 18 位，实为 " + std::to_string(chars.size()) + " 位");
  }
  std::string code;
  for (size_t i = 0; i < chars.size(); ++i) {
    const char32_t cp = AsciiUpper(chars[i]);
    if (cp >= 0x80 || kAlphabet.find(static_cast<char>(cp)) == std::string_view::npos) {
      return FailAt(i, "第 " + std::to_string(i + 1) + " 位字符 " + QuoteChar(chars[i]) +
                           " 不合法：只能是数字或除 I、O、S、V、Z 以外的大写字母");
    }
    code.push_back(static_cast<char>(cp));
  }
  return code;
}

Result<const Authority*> CheckAuthorityAndType(std::string_view code) {
  const Authority* authority = FindAuthority(code[0]);
  if (authority == nullptr) {
    return FailAt(0, std::string("第 1 位登记管理部门代码 \"") + code[0] + "\" 不存在");
  }
  if (authority->types.find(code[1]) == std::string_view::npos) {
    return FailAt(1, std::string("第 2 位机构类别代码 \"") + code[1] + "\" 不属于登记管理部门“" +
                         std::string(authority->name) + "”，应为 " + ListTypes(authority->types) +
                         " 之一");
  }
  return authority;
}

Status CheckRegionDigits(std::string_view code) {
  for (size_t i = 2; i < 8; ++i) {
    if (code[i] < '0' || code[i] > '9') {
      return FailAt(i, "第 3–8 位是登记管理机关行政区划码，只能是数字；第 " +
                           std::to_string(i + 1) + " 位是 \"" + code[i] + "\"");
    }
  }
  return Ok();
}

int OrgCharValue(char c) { return c <= '9' ? c - '0' : c - 'A' + 10; }

}  // namespace

Result<char> ComputeUsccCheckChar(std::string_view first17) {
  if (first17.size() != 17) return Fail(ErrorCode::kInvalidArgument, "应为 17 位");
  int sum = 0;
  for (size_t i = 0; i < 17; ++i) {
    const size_t value = kAlphabet.find(first17[i]);
    if (value == std::string_view::npos) {
      return FailAt(i, "第 " + std::to_string(i + 1) + " 位字符不合法");
    }
    sum += static_cast<int>(value) * kWeights[i];
  }
  return kAlphabet[static_cast<size_t>((31 - sum % 31) % 31)];
}

Result<char> ComputeOrgCodeCheckChar(std::string_view first8) {
  if (first8.size() != 8) return Fail(ErrorCode::kInvalidArgument, "应为 8 位");
  int sum = 0;
  for (size_t i = 0; i < 8; ++i) {
    const char c = first8[i];
    if (!((c >= '0' && c <= '9') || (c >= 'A' && c <= 'Z'))) {
      return FailAt(i, "第 " + std::to_string(i + 1) + " 位字符不合法");
    }
    sum += OrgCharValue(c) * kOrgWeights[i];
  }
  const int check = 11 - sum % 11;
  if (check == 10) return 'X';
  if (check == 11) return '0';
  return static_cast<char>('0' + check);
}

Result<UsccInfo> ParseUscc(std::string_view text) {
  Result<std::string> code = NormalizeUscc(text);
  RS_TRY(code);
  Result<const Authority*> authority = CheckAuthorityAndType(*code);
  RS_TRY(authority);
  RS_TRY(CheckRegionDigits(*code));
  const char check = *ComputeUsccCheckChar(std::string_view(*code).substr(0, 17));
  if (check != (*code)[17]) {
    return FailAt(17, std::string("校验码错误：应为 ") + check + "，实为 " + (*code)[17]);
  }
  const char org_check = *ComputeOrgCodeCheckChar(std::string_view(*code).substr(8, 8));
  if (org_check != (*code)[16]) {
    return FailAt(16, std::string("第 9–17 位组织机构代码的校验码错误：第 17 位应为 ") + org_check +
                          "，实为 " + (*code)[16]);
  }
  const size_t type_index = (*authority)->types.find((*code)[1]);
  return UsccInfo{*code,
                  (*code)[0],
                  (*code)[1],
                  std::string((*authority)->name),
                  std::string((*authority)->type_names[type_index]),
                  code->substr(2, 6),
                  code->substr(8, 9)};
}

bool IsValidUscc(std::string_view text) { return ParseUscc(text).has_value(); }

}  // namespace redshield
