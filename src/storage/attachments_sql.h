// Private to storage/: the attachments table (core/attachment.h; bytes as
// base64 text), shared by the plan, supervision, case and custody stores.
#pragma once

#include <string>
#include <vector>

#include <soci/soci.h>

#include "core/attachment.h"
#include "storage/database.h"

namespace redshield::storage {

// Inserts `files` (their ids, owners and organisations set by the caller), in
// the caller's transaction.
void InsertAttachments(soci::session& sql, const std::vector<Attachment>& files,
                       const std::string& created_at);
// Metadata of the files of one owner, in insertion order.
std::vector<AttachmentMeta> LoadAttachmentMetas(soci::session& sql, const std::string& owner_kind,
                                                Id owner_id);
// With its bytes. kNotFound if no attachment has `id`.
Result<Attachment> FindAttachmentIn(Database& db, Id id);

}  // namespace redshield::storage
