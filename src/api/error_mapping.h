// The one table from ErrorCode to HTTP status.
#pragma once

#include "core/error.h"

namespace redshield::api {

int HttpStatusFor(ErrorCode code);

}  // namespace redshield::api
