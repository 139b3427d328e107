// RS_CHECK: invariants that only a bug can break. Logs and aborts.
// Never use on user input: that is what Result is for.
#pragma once

#include <sstream>

namespace redshield::internal {

class CheckFailure {
 public:
  CheckFailure(const char* file, int line, const char* condition);
  [[noreturn]] ~CheckFailure();
  template <typename T>
  CheckFailure& operator<<(const T& value) {
    stream_ << value;
    return *this;
  }

 private:
  std::ostringstream stream_;
};

}  // namespace redshield::internal

#define RS_CHECK(cond) \
  if (cond) {          \
  } else               \
    ::redshield::internal::CheckFailure(__FILE__, __LINE__, #cond)
