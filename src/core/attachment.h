// Files attached to records (progress reports, supervision events, case
// documents, destruction photos): the upload as received, its stored form
// and the checks every upload passes. One table stores them all
// (storage/attachments_sql.h); `owner_kind` + `owner_id` say what a file
// belongs to, `org_id` + `region_code` whose it is (who may download it).
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "core/error.h"
#include "core/id.h"

namespace redshield {

// A file as uploaded, before it is stored.
struct FileDraft {
  std::string filename;
  std::string content_type;
  std::string data;  // the bytes
};

struct AttachmentMeta {
  Id id = 0;
  std::string kind;  // what the file is, where the owner classifies them (case documents); else empty
  std::string filename;
  std::string content_type;
  std::int64_t size = 0;
  std::string sha256;
  std::string created_at;  // UTC text
};

struct Attachment {
  AttachmentMeta meta;
  std::string owner_kind;  // report | supervision_event | case | destruction_order
  Id owner_id = 0;
  Id org_id = 0;
  std::string region_code;
  std::string data;  // the bytes; empty in lists
};

struct FileLimits {
  std::size_t min_files = 0;
  std::size_t max_files = 5;
  std::size_t max_bytes = 2 << 20;
  std::string_view what = "附件";  // the noun in messages: 附件, 照片, 材料
};

// The owner every file of one upload gets.
struct FileOwner {
  std::string owner_kind;
  Id owner_id = 0;
  Id org_id = 0;
  std::string region_code;
  std::string kind;
};

// Checks `files` against `limits` (count, non-empty, size, a file name of at
// most 200 bytes after dropping any path and control characters) and turns
// them into attachments of `owner` with new ids and their SHA-256.
// kInvalidArgument with field "attachments".
Result<std::vector<Attachment>> MakeAttachments(const std::vector<FileDraft>& files,
                                                const FileLimits& limits, const FileOwner& owner,
                                                IdGenerator& ids);

}  // namespace redshield
