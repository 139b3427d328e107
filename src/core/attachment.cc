#include "core/attachment.h"

#include "core/crypto.h"

namespace redshield {
namespace {

std::string SafeFilename(std::string_view name) {
  // Keep the last path component; drop control characters and quotes.
  const std::size_t slash = name.find_last_of("/\\");
  if (slash != std::string_view::npos) name.remove_prefix(slash + 1);
  std::string out;
  for (char c : name) {
    if (static_cast<unsigned char>(c) >= 0x20 && c != '"' && c != 0x7f) out += c;
  }
  return out;
}

}  // namespace

Result<std::vector<Attachment>> MakeAttachments(const std::vector<FileDraft>& files,
                                                const FileLimits& limits, const FileOwner& owner,
                                                IdGenerator& ids) {
  std::string what(limits.what);
  if (files.size() < limits.min_files || files.size() > limits.max_files) {
    std::string range = limits.min_files > 0 ? std::to_string(limits.min_files) + " 至 " +
                                                   std::to_string(limits.max_files) + " 个"
                                             : "最多 " + std::to_string(limits.max_files) + " 个";
    return Fail(ErrorCode::kInvalidArgument, what + "须" + range, "attachments");
  }
  std::string max_text = std::to_string(limits.max_bytes >> 20) + " MiB";
  std::vector<Attachment> out;
  for (const FileDraft& file : files) {
    Attachment a;
    a.meta.id = ids.Next();
    a.meta.kind = owner.kind;
    a.meta.filename = SafeFilename(file.filename);
    if (a.meta.filename.empty() || a.meta.filename.size() > 200) {
      return Fail(ErrorCode::kInvalidArgument, what + "须有文件名（不超过 200 字节）", "attachments");
    }
    if (file.data.empty() || file.data.size() > limits.max_bytes) {
      return Fail(ErrorCode::kInvalidArgument,
                  what + "“" + a.meta.filename + "”为空或超过 " + max_text, "attachments");
    }
    a.meta.content_type = file.content_type.empty() || file.content_type.size() > 100
                              ? "application/octet-stream"
                              : file.content_type;
    a.meta.size = static_cast<std::int64_t>(file.data.size());
    a.meta.sha256 = Sha256Hex(file.data);
    a.owner_kind = owner.owner_kind;
    a.owner_id = owner.owner_id;
    a.org_id = owner.org_id;
    a.region_code = owner.region_code;
    a.data = file.data;
    out.push_back(std::move(a));
  }
  return out;
}

}  // namespace redshield
