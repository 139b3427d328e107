#include "core/audit.h"

#include "core/crypto.h"

namespace redshield {

std::string AuditChainHash(const AuditRecord& r) {
  // Fields are joined with the ASCII unit separator, which no field can contain
  // unnoticed: the summary is user text, but its length is included too.
  std::string text;
  auto add = [&text](std::string_view field) {
    text += std::to_string(field.size());
    text += '\x1f';
    text += field;
    text += '\x1e';
  };
  add(std::to_string(r.seq));
  add(r.time);
  add(std::to_string(r.entry.actor.user_id));
  add(r.entry.actor.username);
  add(std::to_string(r.entry.actor.org_id));
  add(r.entry.actor.client_addr);
  add(r.entry.actor.request_id);
  add(r.entry.action);
  add(r.entry.object_type);
  add(r.entry.object_id);
  add(r.entry.summary);
  add(r.prev_hash);
  return Sha256Hex(text);
}

}  // namespace redshield
