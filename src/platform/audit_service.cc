#include "platform/audit_service.h"

#include <algorithm>

namespace redshield::platform {

Result<Page<AuditRecord>> AuditService::List(const Principal& who, AuditQuery query) {
  if (!who.Has(Permission::kAuditRead)) {
    return Fail(ErrorCode::kPermissionDenied, "仅审计管理员可查看审计日志");
  }
  query.page.page = std::max(1, query.page.page);
  query.page.page_size = std::clamp(query.page.page_size, 1, 10000);
  return store_.ListAudit(query);
}

Result<ChainCheck> AuditService::Verify(const Principal* who) {
  if (who != nullptr && !who->Has(Permission::kAuditRead)) {
    return Fail(ErrorCode::kPermissionDenied, "仅审计管理员可校验审计日志");
  }
  ChainCheck check;
  std::string prev = kAuditGenesisHash;
  std::int64_t expected_seq = 1;
  auto broken = [&](std::int64_t seq, std::string why) {
    check.ok = false;
    check.first_broken_seq = seq;
    check.message = "第 " + std::to_string(seq) + " 条记录" + why;
    return false;
  };
  RS_TRY(store_.ScanAudit([&](const AuditRecord& r) {
    if (r.seq != expected_seq) return broken(expected_seq, "缺失（记录被删除）");
    if (r.prev_hash != prev) return broken(r.seq, "的前序哈希不符（前一条记录被删除或篡改）");
    if (AuditChainHash(r) != r.hash) return broken(r.seq, "的内容与哈希不符（记录被篡改）");
    prev = r.hash;
    ++expected_seq;
    ++check.checked;
    return true;
  }));
  Result<std::pair<std::int64_t, std::string>> head = store_.AuditHead();
  RS_TRY(head);
  if (check.ok && (head->first != expected_seq - 1 || head->second != prev)) {
    broken(expected_seq, "缺失（末尾记录被删除）");
  }
  if (check.ok) check.message = "日志链完整，已校验 " + std::to_string(check.checked) + " 条记录";
  return check;
}

}  // namespace redshield::platform
