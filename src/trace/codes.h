// Trace codes of agricultural inputs (issue 7 §1): parsing and validation.
//
// Chinese formats (see ../shared/reference/domain-facts.md §4 and
// ../shared/data/agri_inputs/FORMATS.md):
//   * pesticide label 单元识别代码, 32 digits: 1 registration class (1 PD, 2 WP,
//     3 临时), 6 registration-number tail, 1 production type (1 持有人生产,
//     2 委托加工, 3 委托分装), 3 specification, 21 random; and the label's QR text
//     "追溯网址 + 单元识别代码" (a http(s) URL ending with, or carrying in its
//     query, the 32 digits);
//   * veterinary drug trace code, 24 digits: 8 application date (YYYYMMDD),
//     5 enterprise, 11 random; and the vet QR text
//     "<code>，<product>，<approval no>，<company>，<phone>" (full-width commas);
//   * crop seed 单元识别代码: 1 to 20 ASCII letters and digits, at least one digit;
//     the seed QR holds four lines 品种名称, 生产经营者, 单元识别代码, 追溯网址;
//   * 农药登记证号 PD|WP|LS|WL + 4-digit year + 4-digit serial (legacy forms such
//     as PD1-85 are reported as legacy and rejected);
//   * 兽药产品批准文号 兽药字|兽药生字|兽药添字（YYYY）+ 9 digits.
// GS1 keys (SGTIN, SSCC, GLN, ...) are in trace/gs1_keys.h.
//
// Every parser returns kInvalidArgument with a user-safe Chinese message on bad
// input. Pure functions; thread-safe.
#pragma once

#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "core/error.h"

namespace redshield::trace {

// Digits of randomness in each issued format and the bits they carry
// (log2(10^digits)); shown in the issuance UI.
inline constexpr int kPesticideRandomDigits = 21;  // 69.7 bits
inline constexpr int kVetRandomDigits = 11;        // 36.5 bits: the format's full width
inline constexpr int kSeedRandomDigits = 20;       // 66.4 bits
inline constexpr int kSerialRandomDigits = 20;     // GS1 serial (AI 21), 66.4 bits

struct PesticideUnitCode {
  std::string digits;     // all 32
  int registration_class; // 1 PD, 2 WP, 3 临时登记
  std::string registration_tail;  // 6 digits
  int production_type;    // 1 持有人生产, 2 委托加工, 3 委托分装
  std::string spec;       // 3 digits
  std::string random;     // 21 digits
};

struct VetTraceCode {
  std::string digits;      // all 24
  std::string date;        // YYYY-MM-DD
  std::string enterprise;  // 5 digits
  std::string random;      // 11 digits
};

struct PesticideRegistration {
  std::string number;  // upper-cased, e.g. PD20080005
  std::string prefix;  // PD, WP, LS, WL
  int year;
  std::string serial;  // 4 digits
};

struct VetApproval {
  std::string number;    // normalised: 兽药字（2012）100589107
  std::string category;  // 兽药字, 兽药生字, 兽药添字
  int year;
  std::string digits;    // 9
};

std::string_view RegistrationClassName(int registration_class);  // "PD", "WP", "临时登记"
std::string_view ProductionTypeName(int production_type);        // "持有人生产", ...

Result<PesticideUnitCode> ParsePesticideUnitCode(std::string_view text);
// The unit code inside a label QR text "URL + code"; field "url" names the URL.
Result<PesticideUnitCode> ParsePesticideLabel(std::string_view text, std::string* url = nullptr);
Result<VetTraceCode> ParseVetTraceCode(std::string_view text);
Result<PesticideRegistration> ParsePesticideRegistration(std::string_view text);
Result<VetApproval> ParseVetApproval(std::string_view text);
// A seed unit code (returned as given, upper-cased letters kept as written).
Result<std::string> ParseSeedUnitCode(std::string_view text);

// Ok if the unit code belongs to the registration (class digit and six-digit tail).
Status CheckPesticideCodeMatchesRegistration(const PesticideUnitCode& code,
                                             const PesticideRegistration& registration);
// The class digit (1, 2 or 3) of a registration prefix.
int RegistrationClassOf(const PesticideRegistration& registration);

// What `ParseAnyCode` recognised.
enum class CodeKind {
  kPesticideUnit, kPesticideLabel, kVetTrace, kVetQr, kSeedUnit, kSeedQr,
  kSgtin, kSscc, kSgln, kLgtin, kGtin, kGs1Other,
  kPesticideRegistration, kVetApproval,
};
std::string_view CodeKindName(CodeKind kind);  // "pesticide_unit", ...
// The kind named by `name` (as CodeKindName, plus "pesticide", "vet", "seed",
// "gs1"); false if unknown.
bool CodeKindFromName(std::string_view name, CodeKind& kind);

struct DecodedCode {
  CodeKind kind;
  // The key under which the code is stored and looked up: "01/<gtin14>/21/<serial>"
  // for GS1 keys (Digital Link path), "cn.pesticide/<32 digits>", "cn.vet/<24>",
  // "cn.seed/<code>"; registration and approval numbers as normalised.
  std::string key;
  std::vector<std::pair<std::string, std::string>> fields;  // decoded parts, in order
};

// Recognises the kind by shape: EPC URN, gs1: CURIE, http(s) URL (Digital Link
// or pesticide label), 32 or 24 digits, vet QR text, seed QR (four lines),
// registration and approval numbers. Bare digits of other lengths are ambiguous
// and need `kind`: kInvalidArgument "无法识别码制，请指定类型".
Result<DecodedCode> ParseAnyCode(std::string_view text);
// As above but only as `kind` (kGs1Other: any GS1 form).
Result<DecodedCode> ParseCodeAs(std::string_view text, CodeKind kind);

}  // namespace redshield::trace
