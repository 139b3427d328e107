// libFuzzer target: trace codes and GS1 keys (trace/codes.h, trace/gs1_keys.h)
// and EPCIS documents (ingest/epcis_reader.h), all read from outside input
// (labels scanned by farmers, documents posted by enterprises).
//
// Properties checked besides "no crash, no sanitizer report":
//   * a decoded code's key parses again, as the same kind, to the same key
//     (GS1 keys through their Digital Link, Chinese codes through the digits);
//   * PercentDecode(PercentEncode(x)) == x;
//   * every event of an accepted EPCIS document has an eventID and an
//     eventTime in the stored UTC form.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string>
#include <string_view>

#include "ingest/epcis_reader.h"
#include "trace/codes.h"
#include "trace/gs1_keys.h"

namespace {

using namespace redshield;  // NOLINT(google-build-using-namespace): a test driver

void Require(bool condition) {
  if (!condition) std::abort();
}

void CheckCode(std::string_view text) {
  Result<trace::DecodedCode> decoded = trace::ParseAnyCode(text);
  if (!decoded) return;
  if (decoded->key.starts_with("cn.pesticide/") || decoded->key.starts_with("cn.vet/")) {
    Result<trace::DecodedCode> again = trace::ParseAnyCode(decoded->key.substr(decoded->key.find('/') + 1));
    Require(again.has_value() && again->key == decoded->key);
  }
  if (Result<trace::Gs1Key> key = trace::ParseGs1Key(text)) {
    Result<trace::Gs1Key> again = trace::ParseDigitalLink(trace::ToDigitalLink(*key));
    Require(again.has_value() && again->canonical == key->canonical);
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  CheckCode(text);
  Result<std::string> decoded = trace::PercentDecode(trace::PercentEncode(text));
  Require(decoded.has_value() && *decoded == text);
  if (size > 0 && data[0] == '{') {
    Result<std::vector<trace::EpcisEvent>> events = ingest::ReadEpcisDocument(text);
    if (events) {
      for (const trace::EpcisEvent& e : *events) {
        Require(!e.event_id.empty() && e.event_time.size() == 24 && e.event_time.back() == 'Z');
      }
    }
  }
  return 0;
}
