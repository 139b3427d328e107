#include "trace/trace_service.h"

#include <algorithm>
#include <deque>
#include <set>

#include "core/text.h"
#include "trace/codes.h"
#include "trace/gs1_keys.h"

namespace redshield::trace {

std::string_view CodeRoleName(CodeRole role) {
  switch (role) {
    case CodeRole::kEpc: return "epc";
    case CodeRole::kParent: return "parent";
    case CodeRole::kChild: return "child";
    case CodeRole::kInput: return "input";
    case CodeRole::kOutput: return "output";
    case CodeRole::kQuantity: return "quantity";
    case CodeRole::kChildQuantity: return "child_quantity";
    case CodeRole::kInputQuantity: return "input_quantity";
    case CodeRole::kOutputQuantity: return "output_quantity";
  }
  return "epc";
}

TraceService::TraceService(TraceStore& store, const Clock& clock, IdGenerator& ids)
    : store_(store), clock_(clock), ids_(ids) {}

std::string TraceService::KeyOf(const std::string& identifier, std::string* lot) {
  std::string_view trimmed = TrimAscii(identifier);
  if (trimmed.starts_with("urn:epc:id:") || trimmed.starts_with("urn:epc:class:") ||
      trimmed.starts_with("gs1:") || trimmed.starts_with("http")) {
    if (Result<Gs1Key> key = ParseGs1Key(trimmed)) {
      if (lot != nullptr) *lot = key->lot;
      return key->canonical;
    }
  }
  if (trimmed.starts_with("cn.")) return std::string(trimmed);
  if (Result<DecodedCode> code = ParseAnyCode(trimmed); code && code->key.starts_with("cn.")) {
    return code->key;
  }
  return std::string(trimmed);
}

Result<CaptureResult> TraceService::Capture(std::vector<EpcisEvent> events, const std::string& document,
                                            const Actor& actor) {
  if (events.empty()) return Fail(ErrorCode::kInvalidArgument, "文档中没有事件", "epcisBody.eventList");
  const std::string now = FormatUtc(clock_.Now());
  for (EpcisEvent& event : events) {
    event.id = ids_.Next();
    event.record_time = now;
  }
  const Id capture_id = ids_.Next();
  AuditEntry audit{actor, "trace.capture", "trace_capture", std::to_string(capture_id),
                   "导入 EPCIS 文档 " + document + "（" + std::to_string(events.size()) + " 个事件）"};
  return store_.Capture(capture_id, events, audit);
}

Result<std::vector<StoredEvent>> TraceService::FindEvents(const EventQuery& query) {
  return store_.FindEvents(query);
}

Result<History> TraceService::HistoryOf(const std::string& code, size_t max_codes) {
  if (TrimAscii(code).empty()) return Fail(ErrorCode::kInvalidArgument, "请提供追溯码", "code");
  History history;
  history.key = KeyOf(code);
  // Breadth-first over the links: parents (and their parents) give the
  // pallets and cases the unit travelled in, children what it contained,
  // inputs and outputs what it was made from or into.
  std::set<std::string> seen{history.key};
  std::deque<std::string> queue{history.key};
  while (!queue.empty() && seen.size() < max_codes) {
    const std::string current = queue.front();
    queue.pop_front();
    Result<std::vector<CodeLink>> links = store_.Links(current);
    if (!links) return tl::unexpected(links.error());
    for (CodeLink& link : *links) {
      if (seen.size() >= max_codes || !seen.insert(link.key).second) continue;
      queue.push_back(link.key);
      history.related.push_back(std::move(link));
    }
  }
  EventQuery query;
  query.code_keys.assign(seen.begin(), seen.end());
  query.limit = 5000;
  Result<std::vector<StoredEvent>> events = store_.FindEvents(query);
  if (!events) return tl::unexpected(events.error());
  history.events = std::move(*events);
  return history;
}

}  // namespace redshield::trace
