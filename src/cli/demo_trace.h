// Demonstration traceability data for `redshield init --demo` (issue 7): the
// demo enterprise's warehouse and shops in three 盟市, three batches (one with
// two pack levels), their EPCIS events from the warehouse to the shops, a
// sale to a farmer, scans with two clone suspicions, and a recalled batch
// whose holders were notified. Made through the services (and the EPCIS
// reader), so validated and audited like any other data.
#pragma once

#include "core/audit.h"
#include "core/error.h"
#include "core/id.h"
#include "trace/code_service.h"
#include "trace/trace_service.h"

namespace redshield::cli {

// Adds the demo data unless the enterprise `enterprise_org` has batches
// already; returns the number of batches added (0 when kept).
Result<int> SeedTraceDemo(trace::CodeService& codes, trace::TraceService& events, Id enterprise_org,
                          const Actor& actor);

}  // namespace redshield::cli
