// Private to storage/: files attached to progress reports and supervision
// events, in the plan_attachments table (bytes as base64 text), shared by the
// plan and supervision stores.
#pragma once

#include <string>
#include <vector>

#include <soci/soci.h>

#include "plans/plan_store.h"
#include "storage/database.h"

namespace redshield::storage {

// Inserts `files` (their ids, owners and organisations set by the caller), in
// the caller's transaction.
void InsertAttachments(soci::session& sql, const std::vector<plans::Attachment>& files,
                       const std::string& created_at);
// Metadata of the files of one owner, in insertion order.
std::vector<plans::AttachmentMeta> LoadAttachmentMetas(soci::session& sql,
                                                       const std::string& owner_kind, Id owner_id);
// With its bytes. kNotFound if no attachment has `id`.
Result<plans::Attachment> FindAttachmentIn(Database& db, Id id);

}  // namespace redshield::storage
