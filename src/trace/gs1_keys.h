// GS1 identification keys as they appear in EPCIS documents and on labels
// (issue 7 §1): EPC pure-identity URNs (urn:epc:id:sgtin:…, sscc, sgln, grai,
// giai, gdti, pgln and urn:epc:class:lgtin:…), GS1 Digital Link URIs
// (https://<any domain>/[path/]01/<gtin>/10/<lot>/21/<serial>, query ignored) and
// the compact form "gs1:" + Digital Link path (gs1:01/09506000134352/21/12345),
// which is what this project calls the CURIE.
//
// Whatever the form, a key has one canonical text, the Digital Link path with a
// 14-digit GTIN and percent-decoding applied ("01/09506000134352/21/12345",
// "00/106141412345678908", "414/0614141000012/254/5"), so that the URN and the
// Digital Link of one item compare equal. Check digits are verified.
//
// Errors are kInvalidArgument with user-safe Chinese messages. Pure; thread-safe.
#pragma once

#include <string>
#include <string_view>

#include "core/error.h"

namespace redshield::trace {

enum class Gs1KeyType { kSgtin, kLgtin, kGtin, kSscc, kSgln, kPgln, kGrai, kGiai, kGdti };

struct Gs1Key {
  Gs1KeyType type = Gs1KeyType::kGtin;
  std::string primary;    // GTIN-14, SSCC-18, GLN-13, or the AI's value
  std::string lot;        // AI 10 (kLgtin, or kSgtin when given in a Digital Link)
  std::string serial;     // AI 21 / serial component / GLN extension (AI 254)
  std::string canonical;  // see above
};

std::string_view Gs1KeyTypeName(Gs1KeyType type);  // "sgtin", "sscc", ...

Result<Gs1Key> ParseEpcUrn(std::string_view text);
Result<Gs1Key> ParseDigitalLink(std::string_view text);
Result<Gs1Key> ParseGs1Curie(std::string_view text);
// Any of the three forms, picked by prefix.
Result<Gs1Key> ParseGs1Key(std::string_view text);

// The Digital Link URI of `key` on `domain` (no trailing slash), e.g.
// https://id.gs1.org/01/09506000134352/21/12345. Serial and lot percent-encoded.
std::string ToDigitalLink(const Gs1Key& key, std::string_view domain = "https://id.gs1.org");

// "%2F" → "/", …; kInvalidArgument on a malformed escape.
Result<std::string> PercentDecode(std::string_view text);
// Encodes everything outside the RFC 3986 unreserved set.
std::string PercentEncode(std::string_view text);

}  // namespace redshield::trace
