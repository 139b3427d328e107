#include "storage/event_body.h"

#include <gtest/gtest.h>

#include <string>

namespace redshield::storage {
namespace {

const std::string kShipping =
    R"({"type":"ObjectEvent","eventID":"urn:uuid:6d3c1a2e-0b1f-4d7e-9a55-0c2f3e4d5a6b","eventTime":)"
    R"("2026-11-20T09:00:00+08:00","eventTimeZoneOffset":"+08:00","action":"OBSERVE","bizStep":"shipping",)"
    R"("epcList":["https://trace.example.cn/v/10800051001483920175560192837465"],"bizLocation":{"id":)"
    R"("urn:epc:id:sgln:0614141.00777.0"},"destinationList":[{"type":"owning_party","destination":)"
    R"("urn:epc:id:pgln:0614141.00002"}],"note":"内蒙古 农资"})";

TEST(EventBody, PackedBodiesAreSmallerAndReadBackExactly) {
  std::string packed = PackEventBody(kShipping);
  EXPECT_EQ(packed.front(), '\x01');
  EXPECT_LT(packed.size() * 2, kShipping.size());
  Result<std::string> back = UnpackEventBody(packed);
  ASSERT_TRUE(back.has_value());
  EXPECT_EQ(*back, kShipping);
}

TEST(EventBody, LargeBodiesRoundTrip) {
  std::string large = R"({"type":"ObjectEvent","epcList":[)";
  for (int i = 0; i < 5000; ++i) {
    large += (i == 0 ? "" : ",") + std::string("\"urn:epc:id:sgtin:0614141.107346.") + std::to_string(i) + "\"";
  }
  large += "]}";
  Result<std::string> back = UnpackEventBody(PackEventBody(large));
  ASSERT_TRUE(back.has_value());
  EXPECT_EQ(*back, large);
}

TEST(EventBody, PlainBodiesPassThrough) {
  // Rows of PostgreSQL and rows stored before packing.
  EXPECT_EQ(*UnpackEventBody(kShipping), kShipping);
  EXPECT_EQ(*UnpackEventBody(""), "");
  // Too short to gain: stored as given.
  EXPECT_EQ(PackEventBody("{}"), "{}");
  // Packed once only (a capture retried with the same events).
  std::string packed = PackEventBody(kShipping);
  EXPECT_EQ(PackEventBody(packed), packed);
}

TEST(EventBody, DamagedBodiesAreErrors) {
  std::string packed = PackEventBody(kShipping);
  for (size_t cut : {size_t{1}, size_t{3}, packed.size() / 2, packed.size() - 1}) {
    Result<std::string> back = UnpackEventBody(packed.substr(0, cut));
    ASSERT_FALSE(back.has_value()) << cut;
    EXPECT_EQ(back.error().code, ErrorCode::kInternal);
  }
  std::string flipped = packed;
  for (size_t i = 8; i < flipped.size(); i += 7) flipped[i] = static_cast<char>(flipped[i] ^ 0x5a);
  Result<std::string> back = UnpackEventBody(flipped);
  EXPECT_TRUE(!back.has_value() || *back != kShipping);
}

}  // namespace
}  // namespace redshield::storage
