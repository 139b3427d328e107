#include "trace/trace_service.h"

#include <algorithm>
#include <condition_variable>
#include <deque>
#include <mutex>
#include <set>
#include <thread>

#include "core/text.h"
#include "core/thread_name.h"
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

namespace {

// Runs `source` on a helper thread and hands its events to `sink` on the
// calling thread (which holds the database session), in batches through a
// bounded queue, each batch passed to `prepare` on the helper thread first:
// reading and validating a document (about a third of a capture, perf on
// 100k events) overlaps with the inserts. The first error in document order
// wins: the sink's stops the source, the source's is returned once the
// events before it are stored.
class EventPipe {
 public:
  using Prepare = std::function<void(std::vector<EpcisEvent>&)>;

  Status Run(const EventSource& source, const Prepare& prepare, const EventSink& sink) {
    std::thread producer([this, &source, &prepare] {
      NameThisThread("rs-capture-read");
      Produce(source, prepare);
    });
    Status consumed = Ok();
    try {
      consumed = Consume(sink);
    } catch (...) {
      Cancel();
      producer.join();
      throw;
    }
    Cancel();
    producer.join();
    if (!consumed) return consumed;
    return produced_;
  }

 private:
  static constexpr size_t kBatch = 256;
  static constexpr size_t kMaxBatches = 8;

  void Produce(const EventSource& source, const Prepare& prepare) {
    std::vector<EpcisEvent> batch;
    Status status = Ok();
    auto hand = [&] {
      prepare(batch);
      return Hand(batch);
    };
    try {
      status = source([&](EpcisEvent& event) -> Status {
        batch.push_back(std::move(event));
        return batch.size() < kBatch ? Ok() : hand();
      });
      if (status && !batch.empty()) status = hand();
    } catch (const std::exception&) {
      // Out of memory in the reader: an exception must not leave this thread.
      status = Fail(ErrorCode::kUnavailable, "导入失败，请稍后重试");
    }
    std::lock_guard lock(mu_);
    produced_ = status;
    done_ = true;
    changed_.notify_all();
  }
  Status Hand(std::vector<EpcisEvent>& batch) {
    std::unique_lock lock(mu_);
    changed_.wait(lock, [this] { return full_.size() < kMaxBatches || cancelled_; });
    if (cancelled_) return Fail(ErrorCode::kUnavailable, "导入已中止");
    full_.push_back(std::move(batch));
    batch = {};
    changed_.notify_all();
    return Ok();
  }
  Status Consume(const EventSink& sink) {
    for (;;) {
      std::vector<EpcisEvent> batch;
      {
        std::unique_lock lock(mu_);
        changed_.wait(lock, [this] { return !full_.empty() || done_; });
        if (full_.empty()) return Ok();
        batch = std::move(full_.front());
        full_.pop_front();
        changed_.notify_all();
      }
      for (EpcisEvent& event : batch) RS_TRY(sink(event));
    }
  }
  void Cancel() {
    std::lock_guard lock(mu_);
    cancelled_ = true;
    changed_.notify_all();
  }

  std::mutex mu_;
  std::condition_variable changed_;
  std::deque<std::vector<EpcisEvent>> full_;  // GUARDED_BY(mu_)
  bool done_ = false;                         // GUARDED_BY(mu_)
  bool cancelled_ = false;                    // GUARDED_BY(mu_)
  Status produced_ = Ok();                    // GUARDED_BY(mu_); read after the join
};

}  // namespace

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

Result<CaptureResult> TraceService::Capture(const EventSource& source, const std::string& document,
                                            const Actor& actor) {
  const std::string now = FormatUtc(clock_.Now());
  // Runs inside the store's transaction: ids are taken as events arrive, and
  // an empty document fails there so that nothing is stored.
  EventSource stamped = [&](const EventSink& sink) -> Status {
    int pushed = 0;
    EventPipe pipe;
    auto prepare = [this](std::vector<EpcisEvent>& events) { store_.PrepareEvents(events); };
    RS_TRY(pipe.Run(source, prepare, [&](EpcisEvent& event) -> Status {
      event.id = ids_.Next();
      event.record_time = now;
      ++pushed;
      return sink(event);
    }));
    if (pushed == 0) return Fail(ErrorCode::kInvalidArgument, "文档中没有事件", "epcisBody.eventList");
    return Ok();
  };
  const Id capture_id = ids_.Next();
  auto audit_for = [&](int events, int notices) {
    std::string summary = "导入 EPCIS 文档 " + document + "（" + std::to_string(events) + " 个事件）";
    if (notices > 0) summary += "；已召回批次的新下游持有者 " + std::to_string(notices) + " 个，已通知";
    return AuditEntry{actor, "trace.capture", "trace_capture", std::to_string(capture_id), summary};
  };
  return store_.Capture(capture_id, now, stamped, complete_notices_, audit_for);
}

Result<CaptureResult> TraceService::Capture(std::vector<EpcisEvent> events, const std::string& document,
                                            const Actor& actor) {
  return Capture(
      [&events](const EventSink& sink) -> Status {
        for (EpcisEvent& event : events) RS_TRY(sink(event));
        return Ok();
      },
      document, actor);
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
