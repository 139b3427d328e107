#include "storage/attachments_sql.h"

#include "core/crypto.h"

namespace redshield::storage {

void InsertAttachments(soci::session& sql, const std::vector<Attachment>& files,
                       const std::string& created_at) {
  for (const Attachment& file : files) {
    long long id = file.meta.id;
    long long owner_id = file.owner_id;
    long long org_id = file.org_id;
    long long size = file.meta.size;
    std::string data = Base64Encode(file.data);
    sql << "INSERT INTO attachments (id, owner_kind, owner_id, kind, org_id, region_code, "
           "filename, content_type, size, sha256, data_base64, created_at) VALUES (:id, :k, :o, "
           ":kind, :org, :r, :f, :c, :s, :h, :d, :at)",
        soci::use(id), soci::use(file.owner_kind), soci::use(owner_id), soci::use(file.meta.kind),
        soci::use(org_id),
        soci::use(file.region_code), soci::use(file.meta.filename),
        soci::use(file.meta.content_type), soci::use(size), soci::use(file.meta.sha256),
        soci::use(data), soci::use(created_at);
  }
}

std::vector<AttachmentMeta> LoadAttachmentMetas(soci::session& sql, const std::string& owner_kind,
                                                Id owner_id) {
  std::vector<AttachmentMeta> out;
  long long owner = owner_id;
  long long id = 0, size = 0;
  AttachmentMeta meta;
  soci::statement st =
      (sql.prepare << "SELECT id, kind, filename, content_type, size, sha256, created_at "
                      "FROM attachments WHERE owner_kind = :k AND owner_id = :o ORDER BY id",
       soci::into(id), soci::into(meta.kind), soci::into(meta.filename),
       soci::into(meta.content_type), soci::into(size), soci::into(meta.sha256),
       soci::into(meta.created_at), soci::use(owner_kind), soci::use(owner));
  st.execute();
  while (st.fetch()) {
    meta.id = id;
    meta.size = size;
    out.push_back(meta);
  }
  return out;
}

Result<Attachment> FindAttachmentIn(Database& db, Id id) {
  Attachment file;
  std::string data;
  bool found = false;
  RS_TRY(db.Read([&](soci::session& sql) -> Status {
    long long key = id, owner_id = 0, org_id = 0, size = 0;
    sql << "SELECT owner_kind, owner_id, kind, org_id, region_code, filename, content_type, "
           "size, sha256, created_at, data_base64 FROM attachments WHERE id = :id",
        soci::into(file.owner_kind), soci::into(owner_id), soci::into(file.meta.kind),
        soci::into(org_id),
        soci::into(file.region_code), soci::into(file.meta.filename),
        soci::into(file.meta.content_type), soci::into(size), soci::into(file.meta.sha256),
        soci::into(file.meta.created_at), soci::into(data), soci::use(key);
    found = sql.got_data();
    file.meta.id = id;
    file.owner_id = owner_id;
    file.org_id = org_id;
    file.meta.size = size;
    return Ok();
  }));
  if (!found) return Fail(ErrorCode::kNotFound, "附件不存在");
  Result<std::string> bytes = Base64Decode(data);
  if (!bytes) return Fail(ErrorCode::kInternal, "附件数据已损坏");
  file.data = std::move(*bytes);
  return file;
}

}  // namespace redshield::storage
