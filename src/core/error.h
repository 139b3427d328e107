// Result<T> and Error: how every module reports expected failures.
//
// An Error carries a code (mapped to HTTP status in api/error_mapping.cc and to
// exit codes in cli/exit_codes.cc), a message that is safe to show to users,
// and optionally the field or position it is about. Thread-safe: values only.
#pragma once

#include <string>
#include <string_view>
#include <utility>

#include <tl/expected.hpp>

namespace redshield {

enum class ErrorCode {
  kInvalidArgument,     // the input is wrong; `field` says where
  kUnauthenticated,     // no, expired or revoked credentials
  kPermissionDenied,    // authenticated, but not allowed
  kNotFound,
  kConflict,            // duplicate key, stale state
  kFailedPrecondition,  // e.g. must change password first
  kAccountLocked,       // too many failed logins
  kPayloadTooLarge,
  kRateLimited,
  kUnavailable,         // backend down, retry later
  kInternal,
};

// Stable lower_snake name of a code, used in JSON and logs ("invalid_argument").
std::string_view ErrorCodeName(ErrorCode code);

struct Error {
  ErrorCode code = ErrorCode::kInternal;
  std::string message;  // user-safe; never SQL, paths or driver text
  std::string field;    // optional: the input field, "line 3", "$.roles[1]"
};

template <typename T>
using Result = tl::expected<T, Error>;

// Result<void> for operations with nothing to return.
using Status = tl::expected<void, Error>;

inline tl::unexpected<Error> Fail(ErrorCode code, std::string message, std::string field = {}) {
  return tl::unexpected<Error>(Error{code, std::move(message), std::move(field)});
}

inline Status Ok() { return {}; }

}  // namespace redshield

// Propagates an error from an expression yielding Result<T>/Status.
#define RS_TRY(expr)                                                  \
  do {                                                                \
    auto&& rs_try_result_ = (expr);                                   \
    if (!rs_try_result_) return tl::unexpected(rs_try_result_.error()); \
  } while (0)
