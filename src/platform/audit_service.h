// Reading and verifying the audit log (auditadmin). The log itself is written
// by every store in the transaction of each change.
#pragma once

#include <optional>

#include "core/error.h"
#include "platform/platform_store.h"
#include "platform/types.h"

namespace redshield::platform {

struct ChainCheck {
  bool ok = true;
  std::int64_t checked = 0;
  std::optional<std::int64_t> first_broken_seq;
  std::string message;
};

class AuditService {
 public:
  explicit AuditService(PlatformStore& store) : store_(store) {}

  // kPermissionDenied without audit.read.
  Result<Page<AuditRecord>> List(const Principal& who, AuditQuery query);
  // Walks the whole chain. Without a principal (CLI on the server) no check applies.
  Result<ChainCheck> Verify(const Principal* who);

 private:
  PlatformStore& store_;
};

}  // namespace redshield::platform
