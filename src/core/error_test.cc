#include "core/error.h"

#include <gtest/gtest.h>

namespace redshield {
namespace {

Result<int> Half(int value) {
  if (value % 2 != 0) return Fail(ErrorCode::kInvalidArgument, "odd", "value");
  return value / 2;
}

Result<int> Quarter(int value) {
  Result<int> half = Half(value);
  RS_TRY(half);
  return Half(*half);
}

TEST(Error, TryPropagatesFirstFailure) {
  EXPECT_EQ(*Quarter(8), 2);
  Result<int> odd = Quarter(6);
  ASSERT_FALSE(odd);
  EXPECT_EQ(odd.error().field, "value");
  EXPECT_EQ(ErrorCodeName(odd.error().code), "invalid_argument");
}

}  // namespace
}  // namespace redshield
