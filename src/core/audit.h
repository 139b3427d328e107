// Audit records and their hash chain. Every state change in every module
// writes one AuditEntry in the same transaction as the change (storage does
// that); the chain makes later edits or deletions detectable.
#pragma once

#include <cstdint>
#include <string>

#include "core/id.h"

namespace redshield {

// Who is acting, from where. Built by the API from the session, or by the
// CLI for commands run on the server ("cli" as client address).
struct Actor {
  Id user_id = 0;  // 0: the system itself (init, migrations, anonymous public)
  std::string username;
  Id org_id = 0;
  std::string client_addr;
  std::string request_id;
};

// What a change records about itself, and who made it.
struct AuditEntry {
  Actor actor;
  std::string action;       // "user.create", "auth.login_failed", ...
  std::string object_type;  // "user", "organization", ...
  std::string object_id;
  std::string summary;  // human-readable, Chinese; never secrets or unmasked personal data
};

struct AuditRecord {
  std::int64_t seq = 0;  // 1, 2, 3 ... without gaps
  std::string time;      // UTC ISO 8601
  AuditEntry entry;
  std::string prev_hash;  // hash of record seq-1; 64 zeros for seq 1
  std::string hash;
};

inline const std::string kAuditGenesisHash(64, '0');

// SHA-256 over every field of the record and prev_hash (not over `hash`).
std::string AuditChainHash(const AuditRecord& record);

}  // namespace redshield
