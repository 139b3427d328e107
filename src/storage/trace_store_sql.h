// Private to storage/: the SQL implementation of trace::TraceStore (issue 7).
#pragma once

#include <memory>

#include "storage/database.h"
#include "trace/trace_store.h"

namespace redshield::storage {

std::unique_ptr<trace::TraceStore> MakeTraceStore(Database& db);

}  // namespace redshield::storage
