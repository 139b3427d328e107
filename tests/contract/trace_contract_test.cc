// Traceability over real stores, on every backend (issue 7 §3): every GS1
// example captured, retries idempotent, error declarations, a code's history
// through aggregation (up and down) and transformation, and queries by code,
// batch, place, business step and time.
#include <atomic>
#include <cstdio>
#include <gtest/gtest.h>

#include <filesystem>
#include <map>
#include <set>
#include <fstream>
#include <functional>
#include <sstream>
#include <thread>

#include "contract/fixture.h"
#include "core/testing_paths.h"
#include "ingest/epcis_reader.h"
#include "trace/code_service.h"
#include "trace/codes.h"
#include "trace/trace_service.h"

namespace redshield::testing_support {
namespace {

namespace fs = std::filesystem;
using trace::EpcisEvent;

std::string Doc(const std::string& events) {
  return R"({"@context":["https://ref.gs1.org/standards/epcis/2.0.0/epcis-context.jsonld"],)"
         R"("type":"EPCISDocument","schemaVersion":"2.0","creationDate":"2026-11-29T10:00:00Z",)"
         R"("epcisBody":{"eventList":[)" + events + "]}}";
}

std::string Event(const std::string& type, const std::string& id, const std::string& time,
                  const std::string& rest) {
  return R"({"type":")" + type + R"(","eventID":"urn:uuid:)" + id + R"(","eventTime":")" + time +
         R"(","eventTimeZoneOffset":"+08:00",)" + rest + "}";
}

// A pesticide factory: units commissioned, packed into a case, the case onto
// a pallet, the pallet shipped to a dealer; a second product made from a lot.
std::string SupplyChain() {
  const std::string u1 = "https://t.example.cn/q/10800051001483920175560192837465";
  const std::string u2 = "https://t.example.cn/q/10800051001483920175560192837466";
  const std::string unit_list = "[\"" + u1 + "\",\"" + u2 + "\"]";
  return Doc(
      Event("ObjectEvent", "00000000-0000-0000-0000-000000000001", "2026-11-01T08:00:00+08:00",
            R"("action":"ADD","bizStep":"commissioning","disposition":"active","epcList":)" + unit_list +
                R"(,"readPoint":{"id":"urn:epc:id:sgln:0614141.00777.0"})") + "," +
      Event("AggregationEvent", "00000000-0000-0000-0000-000000000002", "2026-11-01T09:00:00+08:00",
            R"("action":"ADD","bizStep":"packing","parentID":"urn:epc:id:sscc:0614141.1234567890","childEPCs":)" +
                unit_list) + "," +
      Event("AggregationEvent", "00000000-0000-0000-0000-000000000003", "2026-11-01T10:00:00+08:00",
            R"("action":"ADD","bizStep":"packing","parentID":"urn:epc:id:sscc:0614141.1234567891","childEPCs":["urn:epc:id:sscc:0614141.1234567890"])") + "," +
      Event("ObjectEvent", "00000000-0000-0000-0000-000000000004", "2026-11-02T08:00:00+08:00",
            R"("action":"OBSERVE","bizStep":"shipping","disposition":"in_transit","epcList":["urn:epc:id:sscc:0614141.1234567891"],"readPoint":{"id":"urn:epc:id:sgln:0614141.00777.0"},"destinationList":[{"type":"owning_party","destination":"urn:epc:id:pgln:0614141.00002"}])") + "," +
      Event("TransformationEvent", "00000000-0000-0000-0000-000000000005", "2026-11-03T08:00:00+08:00",
            R"("bizStep":"repackaging","inputQuantityList":[{"epcClass":"urn:epc:class:lgtin:4012345.012345.998877","quantity":200,"uom":"KGM"}],"outputEPCList":[")" + u1 + R"("])"));
}

class TraceContract : public PlatformFixture {
 protected:
  void SetUp() override {
    PlatformFixture::SetUp();
    trace_ = std::make_unique<trace::TraceService>(storage_->trace(), clock_, ids_);
  }

  Result<trace::CaptureResult> Capture(const std::string& json, const std::string& name = "test") {
    Result<std::vector<EpcisEvent>> events = ingest::ReadEpcisDocument(json);
    if (!events) return tl::unexpected(events.error());
    return trace_->Capture(std::move(*events), name, ClientActor());
  }

  std::unique_ptr<trace::TraceService> trace_;
};

// SQLite stores bodies packed (storage/event_body.h): every GS1 example's
// events read back as the reader gave them, byte for byte.
TEST_P(TraceContract, EventBodiesReadBackAsCaptured) {
  std::map<std::string, std::string> bodies;
  for (const auto& entry : fs::directory_iterator(SharedDirForTesting() + "/data/epcis/examples")) {
    std::ifstream in(entry.path());
    std::stringstream text;
    text << in.rdbuf();
    Result<std::vector<EpcisEvent>> events = ingest::ReadEpcisDocument(text.str());
    ASSERT_TRUE(events.has_value()) << entry.path().filename();
    for (const EpcisEvent& e : *events) bodies.try_emplace(e.event_id + (e.is_declaration ? "#d" : ""), e.body);
    ASSERT_TRUE(trace_->Capture(std::move(*events), entry.path().filename().string(), ClientActor()).has_value());
  }
  trace::EventQuery all;
  all.limit = 10000;
  Result<std::vector<trace::StoredEvent>> stored = trace_->FindEvents(all);
  ASSERT_TRUE(stored.has_value());
  size_t compared = 0;
  for (const trace::StoredEvent& s : *stored) {
    auto it = bodies.find(s.event.event_id);
    if (it == bodies.end()) continue;
    EXPECT_EQ(s.event.body, it->second) << s.event.event_id;
    ++compared;
  }
  EXPECT_EQ(compared, stored->size());
  EXPECT_GT(compared, 30u);
}

TEST_P(TraceContract, CapturesEveryGs1ExampleAndRetriesAreIdempotent) {
  std::vector<fs::path> files;
  for (const auto& entry : fs::directory_iterator(SharedDirForTesting() + "/data/epcis/examples")) {
    files.push_back(entry.path());
  }
  std::sort(files.begin(), files.end());
  ASSERT_EQ(files.size(), 47u);
  int stored = 0;
  for (const fs::path& file : files) {
    std::ifstream in(file);
    std::stringstream text;
    text << in.rdbuf();
    Result<trace::CaptureResult> result = Capture(text.str(), file.filename().string());
    ASSERT_TRUE(result.has_value()) << file.filename() << ": " << result.error().message;
    stored += result->events;
  }
  EXPECT_GT(stored, 47);
  Result<trace::CaptureResult> again = Capture(SupplyChain());
  ASSERT_TRUE(again.has_value()) << again.error().message;
  EXPECT_EQ(again->events, 5);
  Result<trace::CaptureResult> retry = Capture(SupplyChain());
  ASSERT_TRUE(retry.has_value());
  EXPECT_EQ(retry->events, 0);
  EXPECT_EQ(retry->duplicates, 5);
}

TEST_P(TraceContract, HistoryWalksAggregationUpAndDownAndTransformations) {
  ASSERT_TRUE(Capture(SupplyChain()).has_value());
  Result<trace::History> unit = trace_->HistoryOf("10800051001483920175560192837465");
  ASSERT_TRUE(unit.has_value()) << unit.error().message;
  EXPECT_EQ(unit->key, "cn.pesticide/10800051001483920175560192837465");
  std::vector<std::string> steps;
  for (const trace::StoredEvent& e : unit->events) steps.push_back(e.event.biz_step);
  // Commissioned, packed into the case, the case onto the pallet, the pallet
  // shipped, and the lot it was repackaged from.
  EXPECT_EQ(steps, (std::vector<std::string>{"commissioning", "packing", "packing", "shipping", "repackaging"}));
  bool pallet = false, lot = false, sibling = false;
  for (const trace::CodeLink& link : unit->related) {
    pallet = pallet || (link.key == "00/106141412345678915" && link.relation == "parent");
    lot = lot || (link.key == "01/04012345123456/10/998877" && link.relation == "input");
    sibling = sibling || link.key == "cn.pesticide/10800051001483920175560192837466";
  }
  EXPECT_TRUE(pallet);
  EXPECT_TRUE(lot);
  EXPECT_TRUE(sibling);  // down from the case: the other unit packed with it

  Result<trace::History> pallet_history = trace_->HistoryOf("https://id.gs1.org/00/106141412345678915");
  ASSERT_TRUE(pallet_history.has_value());
  EXPECT_EQ(pallet_history->events.size(), 5u);
}

TEST_P(TraceContract, QueriesByCodeBatchPlaceStepAndTime) {
  ASSERT_TRUE(Capture(SupplyChain()).has_value());
  trace::EventQuery q;
  q.biz_step = "packing";
  EXPECT_EQ(trace_->FindEvents(q)->size(), 2u);
  q = {};
  q.place = "414/0614141007776";
  EXPECT_EQ(trace_->FindEvents(q)->size(), 2u);
  q = {};
  q.lot = "998877";
  EXPECT_EQ(trace_->FindEvents(q)->size(), 1u);
  q = {};
  q.from = "2026-11-02T00:00:00.000Z";
  q.to = "2026-11-02T23:59:59.999Z";
  Result<std::vector<trace::StoredEvent>> day = trace_->FindEvents(q);
  ASSERT_EQ(day->size(), 1u);
  EXPECT_EQ(day->front().event.refs.size(), 1u);
  EXPECT_EQ(day->front().event.refs.front().key, "417/0614141000029");
  q = {};
  q.code_keys = {"00/106141412345678908"};
  EXPECT_EQ(trace_->FindEvents(q)->size(), 2u);
}

TEST_P(TraceContract, ErrorDeclarationMarksTheEventAndCutsItsLinks) {
  ASSERT_TRUE(Capture(SupplyChain()).has_value());
  const std::string declaration = Doc(Event(
      "AggregationEvent", "00000000-0000-0000-0000-000000000003", "2026-11-01T10:00:00+08:00",
      R"("action":"ADD","bizStep":"packing","parentID":"urn:epc:id:sscc:0614141.1234567891","childEPCs":["urn:epc:id:sscc:0614141.1234567890"],)"
      R"("errorDeclaration":{"declarationTime":"2026-11-05T10:00:00Z","reason":"did_not_occur"})"));
  Result<trace::CaptureResult> result = Capture(declaration);
  ASSERT_TRUE(result.has_value()) << result.error().message;
  EXPECT_EQ(result->declarations, 1);
  Result<trace::History> unit = trace_->HistoryOf("10800051001483920175560192837465");
  ASSERT_TRUE(unit.has_value());
  for (const trace::CodeLink& link : unit->related) EXPECT_NE(link.key, "00/106141412345678915");
  trace::EventQuery q;
  q.code_keys = {"00/106141412345678908"};
  Result<std::vector<trace::StoredEvent>> events = trace_->FindEvents(q);
  ASSERT_EQ(events->size(), 2u);
  EXPECT_EQ(events->back().declared_error, "did_not_occur");
}

TEST_P(TraceContract, RejectedDocumentStoresNothing) {
  std::string bad = SupplyChain();
  bad.replace(bad.find("\"action\":\"OBSERVE\""), 18, "\"action\":\"LOOK\"");
  Result<trace::CaptureResult> result = Capture(bad);
  ASSERT_FALSE(result.has_value());
  EXPECT_EQ(result.error().field, "epcisBody.eventList[3].action");
  EXPECT_TRUE(trace_->FindEvents({})->empty());
}


// Many events, each naming its own unit; `bad_at` (if in range) has an
// invalid action.
std::string ManyEvents(int count, int bad_at = -1) {
  std::string events;
  for (int n = 0; n < count; ++n) {
    char id[40];
    std::snprintf(id, sizeof id, "00000000-0000-0000-0001-%012d", n);
    events += (n > 0 ? "," : "") +
              Event("ObjectEvent", id, "2026-11-01T08:00:00+08:00",
                    std::string(R"("action":")") + (n == bad_at ? "LOOK" : "OBSERVE") +
                        R"(","bizStep":"shipping","epcList":["urn:epc:id:sgtin:0614141.107346.)" + std::to_string(n) +
                        "\"]");
  }
  return Doc(events);
}

// Capture streams: events reach the store while the document is still being
// read (through a bounded queue, in batches), yet a document that fails late
// stores nothing.
TEST_P(TraceContract, StreamedCaptureStoresAllOrNothing) {
  auto capture = [this](const std::string& json) {
    return trace_->Capture(
        [&json](const trace::EventSink& sink) -> Status {
          Result<size_t> read = ingest::ReadEpcisEvents(ingest::EpcisSource{json, ""}, sink);
          if (!read) return tl::unexpected(read.error());
          return Ok();
        },
        "stream", ClientActor());
  };
  Result<trace::CaptureResult> bad = capture(ManyEvents(3000, 2999));
  ASSERT_FALSE(bad.has_value());
  EXPECT_EQ(bad.error().field, "epcisBody.eventList[2999].action");
  trace::EventQuery all;
  all.limit = 5000;
  EXPECT_TRUE(trace_->FindEvents(all)->empty());
  Result<trace::CaptureResult> good = capture(ManyEvents(3000));
  ASSERT_TRUE(good.has_value()) << good.error().message;
  EXPECT_EQ(good->events, 3000);
  EXPECT_EQ(trace_->FindEvents(all)->size(), 3000u);
  Result<trace::CaptureResult> again = capture(ManyEvents(3000));
  ASSERT_TRUE(again.has_value());
  EXPECT_EQ(again->duplicates, 3000);
  Result<trace::CaptureResult> empty = capture(Doc(""));
  ASSERT_FALSE(empty.has_value());
  EXPECT_EQ(empty.error().field, "epcisBody.eventList");
}

Result<std::vector<std::string>> Texts(const Result<std::vector<trace::IssuedCode>>& codes) {
  if (!codes) return tl::unexpected(codes.error());
  std::vector<std::string> out;
  for (const trace::IssuedCode& c : *codes) out.push_back(c.text);
  return out;
}

class CodeContract : public TraceContract {
 protected:
  void SetUp() override {
    TraceContract::SetUp();
    trace::CodeServiceOptions options;
    options.rules.scans_per_unit = 3;
    options.rules.cluster_threshold = 3;
    options.label_base_url = "https://v.example.cn";
    codes_ = std::make_unique<trace::CodeService>(storage_->trace(), clock_, ids_, options,
                                                  [](const std::string& region) { return region == "150200" ? 7 : 1; });
    trace_->RouteNotices(codes_->NoticeRouting());
  }

  trace::BatchRequest Pesticide(int quantity = 3) {
    trace::BatchRequest r;
    r.kind = "pesticide";
    r.enterprise_uscc = "911522010783762860";
    r.enterprise_name = "内蒙古某农药有限公司";
    r.registration_no = "PD20092927";
    r.product_name = "5%阿维菌素乳油";
    r.spec = "002";
    r.production_type = 2;
    r.lot = "20261101A";
    r.production_date = "2026-11-01";
    r.quantity = quantity;
    r.region_code = "150102";
    return r;
  }

  std::unique_ptr<trace::CodeService> codes_;
};

TEST_P(CodeContract, IssuesCodesOfTheFormatWithEnoughRandomness) {
  Result<trace::Batch> batch = codes_->Issue(Pesticide(50), 1, ClientActor());
  ASSERT_TRUE(batch.has_value()) << batch.error().message;
  EXPECT_EQ(batch->random_bits, 69.7);
  Result<std::vector<std::string>> labels = Texts(codes_->Labels(batch->id));
  ASSERT_EQ(labels->size(), 50u);
  std::set<std::string> distinct(labels->begin(), labels->end());
  EXPECT_EQ(distinct.size(), 50u);
  for (const std::string& text : *labels) {
    Result<trace::PesticideUnitCode> code = trace::ParsePesticideUnitCode(text);
    ASSERT_TRUE(code.has_value()) << text;
    EXPECT_EQ(text.substr(0, 11), "10929272002");
  }
  trace::BatchRequest vet = Pesticide(2);
  vet.kind = "vet";
  vet.registration_no = "兽药字（2012）100589107";
  vet.enterprise_code = "00128";
  Result<trace::Batch> vet_batch = codes_->Issue(vet, 1, ClientActor());
  ASSERT_TRUE(vet_batch.has_value()) << vet_batch.error().message;
  EXPECT_EQ(vet_batch->random_bits, 36.5);
  EXPECT_TRUE(trace::ParseVetTraceCode(codes_->Labels(vet_batch->id)->front().text).has_value());
  trace::BatchRequest bad = Pesticide();
  bad.enterprise_uscc = "911522010783762861";
  EXPECT_EQ(codes_->Issue(bad, 1, ClientActor()).error().field, "enterprise_uscc");
  bad = Pesticide();
  bad.registration_no = "PD1-85";
  EXPECT_EQ(codes_->Issue(bad, 1, ClientActor()).error().field, "registration_no");
}

TEST_P(CodeContract, VerifiesCountsScansAndHidesUnknownFromMalformed) {
  Result<trace::Batch> batch = codes_->Issue(Pesticide(2), 1, ClientActor());
  ASSERT_TRUE(batch.has_value());
  const std::string code = codes_->Labels(batch->id)->front().text;
  trace::VerifyResult first = codes_->Verify(code, "150102");
  ASSERT_TRUE(first.found);
  EXPECT_EQ(first.status, "正常");
  EXPECT_EQ(first.code->scan_count, 1);
  EXPECT_EQ(first.code->first_scan_region, "150100");
  EXPECT_EQ(first.code->batch->request.product_name, "5%阿维菌素乳油");
  trace::VerifyResult second = codes_->Verify(code, "");
  EXPECT_EQ(second.code->scan_count, 2);
  ASSERT_TRUE(codes_->Flush().has_value());
  clock_.Advance(std::chrono::minutes(1));
  trace::VerifyResult third = codes_->Verify(code, "");
  EXPECT_EQ(third.code->scan_count, 3);
  EXPECT_EQ(third.code->first_scan_region, "150100");
  trace::VerifyResult unknown = codes_->Verify("10929272002000000000000000000001", "150102");
  trace::VerifyResult malformed = codes_->Verify("<script>", "150102");
  EXPECT_FALSE(unknown.found);
  EXPECT_FALSE(malformed.found);
  EXPECT_EQ(unknown.status, malformed.status);
  EXPECT_EQ(unknown.status, "未发放");
}

// A flush writes one counter update per code (the first scan of the flush
// sets first_scan_*), whatever the order the scans of several codes came in.
TEST_P(CodeContract, FlushCountsInterleavedScansPerCode) {
  Result<trace::Batch> batch = codes_->Issue(Pesticide(2), 1, ClientActor());
  ASSERT_TRUE(batch.has_value());
  const std::vector<std::string> labels = *Texts(codes_->Labels(batch->id));
  const std::string a = labels.front(), b = labels.back();
  codes_->Verify(a, "150203");
  codes_->Verify(b, "");
  clock_.Advance(std::chrono::seconds(1));
  codes_->Verify(a, "150102");
  codes_->Verify(b, "150502");
  codes_->Verify("10929272002000000000000000000001", "150102");
  codes_->Verify(a, "");
  ASSERT_TRUE(codes_->Flush().has_value());
  Result<std::optional<trace::CodeInfo>> stored_a =
      storage_->trace().LookupCode("cn.pesticide/" + a);
  Result<std::optional<trace::CodeInfo>> stored_b =
      storage_->trace().LookupCode("cn.pesticide/" + b);
  ASSERT_TRUE(stored_a.has_value() && stored_a->has_value());
  ASSERT_TRUE(stored_b.has_value() && stored_b->has_value());
  EXPECT_EQ((*stored_a)->scan_count, 3);
  EXPECT_EQ((*stored_a)->first_scan_region, "150200");
  EXPECT_EQ((*stored_a)->text, a);
  EXPECT_EQ((*stored_a)->batch_id, batch->id);
  EXPECT_EQ((*stored_a)->batch, nullptr);
  EXPECT_EQ((*stored_b)->scan_count, 2);
  EXPECT_EQ((*stored_b)->first_scan_region, "");
  EXPECT_LT((*stored_b)->first_scan_at, FormatUtc(clock_.Now()));
  EXPECT_EQ(codes_->GetBatch(batch->id)->scans, 5);
  Result<std::optional<trace::CodeInfo>> missing = storage_->trace().LookupCode("cn.pesticide/0");
  ASSERT_TRUE(missing.has_value());
  EXPECT_FALSE(missing->has_value());
}

// Written scans wait in the backlog until a fold adds them to their codes'
// rows; the service answers with them meanwhile. A fold is due at
// max_unfolded codes, and Start() folds what a process left behind.
TEST_P(CodeContract, ScansWaitInTheBacklogUntilAFold) {
  trace::CodeServiceOptions options;
  options.flush_interval = std::chrono::milliseconds(5);
  options.fold_interval = std::chrono::hours(1);
  options.max_unfolded = 3;
  trace::CodeService writer(storage_->trace(), clock_, ids_, options, nullptr);
  writer.Start();
  Result<trace::Batch> batch = writer.Issue(Pesticide(4), 1, ClientActor());
  ASSERT_TRUE(batch.has_value());
  const std::vector<std::string> labels = *Texts(writer.Labels(batch->id));
  auto stored = [&](const std::string& text) {
    Result<std::optional<trace::CodeInfo>> info =
        storage_->trace().LookupCode("cn.pesticide/" + text);
    return info && *info ? (*info)->scan_count : -1;
  };
  auto logged = [&] {
    Result<trace::ScanStats> stats = writer.Stats(0, "2000-01-01T00:00:00.000Z");
    std::int64_t n = 0;
    for (const auto& [region, count] : stats->by_day) n += count;
    return n;
  };
  auto wait_for = [](const std::function<bool()>& done) {
    for (int i = 0; i < 1000 && !done(); ++i) std::this_thread::sleep_for(std::chrono::milliseconds(5));
    return done();
  };
  writer.Verify(labels[0], "150102");
  writer.Verify(labels[0], "150102");
  writer.Verify(labels[1], "");
  ASSERT_TRUE(wait_for([&] { return logged() == 3; }));
  EXPECT_EQ(stored(labels[0]), 0);
  EXPECT_EQ(writer.GetBatch(batch->id)->scans, 3);
  trace::VerifyResult again = writer.Verify(labels[0], "");
  EXPECT_EQ(again.code->scan_count, 3);
  EXPECT_EQ(again.code->first_scan_region, "150100");
  writer.Verify(labels[2], "");  // the third code: a fold is due
  ASSERT_TRUE(wait_for([&] { return stored(labels[0]) == 3; }));
  EXPECT_EQ(stored(labels[1]), 1);
  EXPECT_EQ(writer.Verify(labels[0], "").code->scan_count, 4);
  EXPECT_EQ(writer.GetBatch(batch->id)->scans, 6);
  writer.Stop();
  EXPECT_EQ(stored(labels[0]), 4);
  EXPECT_EQ(stored(labels[2]), 1);

  // A process that ended without Stop() left scans in the backlog: a
  // fold takes them once they are older than two fold intervals.
  trace::Scan left{"cn.pesticide/" + labels[3], "", FormatUtc(clock_.Now()), "150300", true};
  left.batch_id = batch->id;
  ASSERT_TRUE(storage_->trace().RecordScans({left, left}, ids_.Next()).has_value());
  EXPECT_EQ(stored(labels[3]), 0);
  trace::CodeService next(storage_->trace(), clock_, ids_, options, nullptr);
  ASSERT_TRUE(next.Flush().has_value());
  EXPECT_EQ(stored(labels[3]), 0);  // maybe a live process's, counted from its memory
  clock_.Advance(2 * options.fold_interval + std::chrono::seconds(1));
  next.Start();
  EXPECT_EQ(stored(labels[3]), 2);
  Result<std::optional<trace::CodeInfo>> folded =
      storage_->trace().LookupCode("cn.pesticide/" + labels[3]);
  EXPECT_EQ((*folded)->first_scan_region, "150300");
  EXPECT_EQ((*folded)->last_region, "150300");
  EXPECT_EQ(next.Verify(labels[3], "").code->scan_count, 3);
  next.Stop();
  EXPECT_EQ(stored(labels[3]), 3);
  EXPECT_EQ(next.GetBatch(batch->id)->scans, 9);  // the scans left behind count in their batch
}

// Scans are written many rows to a statement: every one of a batch of 130
// (two full statements and a short one) reaches the log and the counters.
TEST_P(CodeContract, EveryScanOfALargeFlushIsWrittenAndFolded) {
  trace::CodeService codes(storage_->trace(), clock_, ids_, {}, nullptr);
  Result<trace::Batch> batch = codes.Issue(Pesticide(2), 1, ClientActor());
  ASSERT_TRUE(batch.has_value());
  const std::vector<std::string> labels = *Texts(codes.Labels(batch->id));
  std::vector<trace::Scan> scans;
  for (int i = 0; i < 130; ++i) {
    trace::Scan scan{"cn.pesticide/" + labels[i % 2], "",
                     FormatUtc(clock_.Now() + std::chrono::seconds(i)),
                     i < 100 ? "150100" : "150200", true};
    scan.batch_id = batch->id;
    scans.push_back(scan);
  }
  const Id writer = ids_.Next();
  ASSERT_TRUE(storage_->trace().RecordScans(scans, writer).has_value());
  ASSERT_TRUE(storage_->trace().FoldScans(
      std::vector<trace::Scan>(scans.begin(), scans.begin() + 70), ids_.Next(), writer, ""));
  Result<trace::ScanStats> stats = codes.Stats(0, "2000-01-01T00:00:00.000Z");
  ASSERT_TRUE(stats.has_value());
  std::map<std::string, std::int64_t> by_region(stats->by_region.begin(), stats->by_region.end());
  EXPECT_EQ(by_region["150100"], 100 + 70);
  EXPECT_EQ(by_region["150200"], 30);
  EXPECT_EQ(codes.GetBatch(batch->id)->scans, 200);
  Result<std::optional<trace::CodeInfo>> first =
      storage_->trace().LookupCode("cn.pesticide/" + labels[0]);
  EXPECT_EQ((*first)->scan_count, 100);
  EXPECT_EQ((*first)->last_region, "150200");
}

// Reads racing a fold never count its scans twice (once in the rows, once
// in the service's tallies) nor miss them, however they fall against the
// fold's commit: the rows say which fold they had seen.
TEST_P(CodeContract, ReadsDuringAFoldCountEachScanOnce) {
  trace::CodeServiceOptions options;
  options.fold_interval = std::chrono::hours(1);
  trace::CodeService codes(storage_->trace(), clock_, ids_, options, nullptr);
  Result<trace::Batch> batch = codes.Issue(Pesticide(3), 1, ClientActor());
  ASSERT_TRUE(batch.has_value());
  const std::vector<std::string> labels = *Texts(codes.Labels(batch->id));
  Result<trace::Batch> other = codes.Issue(Pesticide(1), 2, ClientActor());
  ASSERT_TRUE(other.has_value());
  const std::string scanned = Texts(codes.Labels(other->id))->front();
  std::int64_t expected = 0, scans = 0;
  std::map<std::string, std::string> wrong;  // what a read said, when wrong
  auto check = [&](const char* read, std::int64_t said, std::int64_t right) {
    if (said != right) wrong[read] = std::to_string(said) + " instead of " + std::to_string(right);
  };
  for (int round = 0; round < 100; ++round) {
    for (const std::string& label : labels) codes.Verify(label, "150102");
    expected += static_cast<std::int64_t>(labels.size());
    std::atomic<bool> done{false};
    std::thread reader([&] {
      while (!done.load()) {
        Result<trace::Batch> read = codes.GetBatch(batch->id);
        if (read) check("GetBatch", read->scans, expected);
        Result<std::vector<trace::Batch>> listed = codes.ListBatches(1);
        if (listed && !listed->empty()) check("ListBatches", listed->front().scans, expected);
        const std::int64_t count = codes.Verify(scanned, "").code->scan_count;
        check("Verify", count, ++scans);
        scans = count;
      }
    });
    const bool folded = codes.Flush().has_value();
    done = true;
    reader.join();
    ASSERT_TRUE(folded);
  }
  for (const auto& [read, said] : wrong) ADD_FAILURE() << read << " said " << said;
  EXPECT_EQ(codes.Verify(labels[0], "").code->scan_count, 101);
  ASSERT_TRUE(codes.Flush().has_value());
  EXPECT_EQ(codes.GetBatch(other->id)->scans, scans);
}

// A recall or destruction made elsewhere (another process; here another
// service) shows once the verifier reads the closed batches again
// (status_refresh, here at every scan), though it has the batch cached.
TEST_P(CodeContract, ARecallMadeElsewhereShowsOnceClosedBatchesAreReadAgain) {
  trace::CodeServiceOptions options;
  options.status_refresh = std::chrono::milliseconds(0);
  trace::CodeService verifier(storage_->trace(), clock_, ids_, options, nullptr);
  Result<trace::Batch> batch = codes_->Issue(Pesticide(1), 1, ClientActor());
  ASSERT_TRUE(batch.has_value());
  const std::string code = codes_->Labels(batch->id)->front().text;
  EXPECT_EQ(verifier.Verify(code, "").status, "正常");
  ASSERT_TRUE(codes_->Recall(batch->id, "有效成分含量不合格", ClientActor()).has_value());
  trace::VerifyResult after = verifier.Verify(code, "");
  EXPECT_EQ(after.status, "已召回");
  EXPECT_EQ(after.code->scan_count, 2);
  ASSERT_TRUE(codes_->Destroy(batch->id, "无害化处理", ClientActor()).has_value());
  EXPECT_EQ(verifier.Verify(code, "").status, "已销毁");
  ASSERT_TRUE(verifier.Flush().has_value());
}

// A server that starts after a recall shows it from its first scans, from
// every thread: none answers before the list of closed batches is read.
TEST_P(CodeContract, AServerStartedAfterARecallShowsItFromTheFirstScan) {
  Result<trace::Batch> batch = codes_->Issue(Pesticide(8), 1, ClientActor());
  ASSERT_TRUE(batch.has_value());
  const std::vector<std::string> labels = *Texts(codes_->Labels(batch->id));
  ASSERT_TRUE(codes_->Recall(batch->id, "标签与登记不符", ClientActor()).has_value());
  trace::CodeService verifier(storage_->trace(), clock_, ids_, {}, nullptr);
  std::vector<std::string> said(labels.size());
  std::vector<std::thread> threads;
  for (size_t i = 0; i < labels.size(); ++i) {
    threads.emplace_back([&, i] { said[i] = verifier.Verify(labels[i], "").status; });
  }
  for (std::thread& t : threads) t.join();
  for (const std::string& status : said) EXPECT_EQ(status, "已召回");
  ASSERT_TRUE(verifier.Flush().has_value());
}

// Two processes on one database: a fold by one leaves the scans another
// has written and still counts from memory, which it would count twice.
TEST_P(CodeContract, AFoldLeavesAnotherLiveProcesssScans) {
  trace::CodeServiceOptions options;
  options.flush_interval = std::chrono::milliseconds(5);
  options.fold_interval = std::chrono::hours(1);
  trace::CodeService server(storage_->trace(), clock_, ids_, options, nullptr);
  server.Start();
  Result<trace::Batch> batch = codes_->Issue(Pesticide(1), 1, ClientActor());
  ASSERT_TRUE(batch.has_value());
  const std::string code = codes_->Labels(batch->id)->front().text;
  EXPECT_EQ(server.Verify(code, "").code->scan_count, 1);
  auto logged = [&] {  // the scan log is written with the backlog, in one transaction
    Result<trace::ScanStats> stats = codes_->Stats(0, "2000-01-01T00:00:00.000Z");
    std::int64_t n = 0;
    if (stats) {
      for (const auto& [region, count] : stats->by_region) n += count;
    }
    return n;
  };
  for (int i = 0; i < 400 && logged() == 0; ++i)
    std::this_thread::sleep_for(std::chrono::milliseconds(5));
  ASSERT_EQ(logged(), 1);                    // written to the backlog, not folded
  ASSERT_TRUE(codes_->Flush().has_value());  // another process folds
  EXPECT_EQ(server.Verify(code, "").code->scan_count, 2);
  server.Stop();
  EXPECT_EQ(codes_->Verify(code, "").code->scan_count, 3);
  ASSERT_TRUE(codes_->Flush().has_value());
}

TEST_P(CodeContract, ScansInTwoRegionsRaiseASuspicionForTheRegion) {
  Result<trace::Batch> batch = codes_->Issue(Pesticide(1), 1, ClientActor());
  const std::string code = codes_->Labels(batch->id)->front().text;
  codes_->Verify(code, "150102");
  ASSERT_TRUE(codes_->Flush().has_value());
  clock_.Advance(std::chrono::hours(2));
  codes_->Verify(code, "150203");
  ASSERT_TRUE(codes_->Flush().has_value());
  Result<std::vector<trace::Suspicion>> found = codes_->Suspicions("", {});
  ASSERT_EQ(found->size(), 1u);
  EXPECT_EQ(found->front().rule, "distant_regions");
  EXPECT_EQ(found->front().region_code, "150200");
  EXPECT_EQ(found->front().org_id, 7);
  EXPECT_EQ(codes_->Verify(code, "150203").status, "可疑");
  Result<trace::ScanStats> stats = codes_->Stats(0, "2000-01-01T00:00:00.000Z");
  ASSERT_TRUE(stats.has_value());
  EXPECT_EQ(stats->by_region.size(), 2u);
}

// A new process knows a code's earlier scans only from the database: its
// latest located scan, kept with the code.
TEST_P(CodeContract, ScansInTwoRegionsAcrossARestartRaiseASuspicion) {
  Result<trace::Batch> batch = codes_->Issue(Pesticide(1), 1, ClientActor());
  const std::string code = codes_->Labels(batch->id)->front().text;
  codes_->Verify(code, "150102");
  codes_->Verify(code, "");  // a scan with no region does not hide the one before
  ASSERT_TRUE(codes_->Flush().has_value());
  Result<std::optional<trace::CodeInfo>> stored =
      storage_->trace().LookupCode("cn.pesticide/" + code);
  ASSERT_TRUE(stored.has_value() && stored->has_value());
  EXPECT_EQ((*stored)->last_region, "150100");

  clock_.Advance(std::chrono::hours(3));
  trace::CodeServiceOptions options;
  trace::CodeService restarted(storage_->trace(), clock_, ids_, options, nullptr);
  restarted.Verify(code, "150203");
  ASSERT_TRUE(restarted.Flush().has_value());
  Result<std::vector<trace::Suspicion>> found = restarted.Suspicions("", {});
  ASSERT_EQ(found->size(), 1u);
  EXPECT_EQ(found->front().rule, "distant_regions");
  EXPECT_NE(found->front().detail.find("150100、150200"), std::string::npos) << found->front().detail;
}

TEST_P(CodeContract, TooManyScansAndUnissuedClustersAndSalesElsewhere) {
  Result<trace::Batch> batch = codes_->Issue(Pesticide(2), 1, ClientActor());
  const std::string code = codes_->Labels(batch->id)->front().text;
  for (int scan = 0; scan < 4; ++scan) codes_->Verify(code, "");
  for (int n = 0; n < 3; ++n) codes_->Verify("1092927200200000000000000000000" + std::to_string(n), "150300");
  ASSERT_TRUE(codes_->Flush().has_value());
  std::set<std::string> rules;
  Result<std::vector<trace::Suspicion>> open = codes_->Suspicions("待核查", {});
  ASSERT_TRUE(open.has_value());
  for (const trace::Suspicion& s : *open) rules.insert(s.rule);
  EXPECT_EQ(rules, (std::set<std::string>{"scans_exceed_units", "unissued_cluster"}));

  const std::string other = codes_->Labels(batch->id)->back().text;
  ASSERT_TRUE(codes_->SavePlace({"", "urn:epc:id:sgln:0614141.00777.0", "某农资店", "150100", true}, ClientActor())
                  .has_value());
  ASSERT_TRUE(Capture(Doc(Event("ObjectEvent", "00000000-0000-0000-0000-0000000000aa", "2026-03-01T08:00:00+08:00",
                                R"("action":"OBSERVE","bizStep":"retail_selling","epcList":["https://v.example.cn/v/)" +
                                    other + R"("],"bizLocation":{"id":"urn:epc:id:sgln:0614141.00777.0"})")))
                  .has_value());
  codes_->Verify(other, "150500");
  ASSERT_TRUE(codes_->Flush().has_value());
  bool after_sale = false;
  Result<std::vector<trace::Suspicion>> all = codes_->Suspicions("", {});
  ASSERT_TRUE(all.has_value());
  for (const trace::Suspicion& s : *all) after_sale = after_sale || s.rule == "after_retail_sale";
  EXPECT_TRUE(after_sale);
}

TEST_P(CodeContract, RecallListsHoldersAndDestructionClosesIt) {
  Result<trace::Batch> batch = codes_->Issue(Pesticide(2), 1, ClientActor());
  std::vector<std::string> labels = *Texts(codes_->Labels(batch->id));
  const std::string unit = "https://v.example.cn/v/" + labels.front();
  ASSERT_TRUE(Capture(Doc(
      Event("AggregationEvent", "00000000-0000-0000-0000-0000000000b1", "2026-03-01T08:00:00+08:00",
            R"("action":"ADD","bizStep":"packing","parentID":"urn:epc:id:sscc:0614141.1234567890","childEPCs":[")" + unit + R"("])") + "," +
      Event("ObjectEvent", "00000000-0000-0000-0000-0000000000b2", "2026-03-01T09:00:00+08:00",
            R"("action":"OBSERVE","bizStep":"shipping","epcList":["urn:epc:id:sscc:0614141.1234567890"],"destinationList":[{"type":"owning_party","destination":"urn:epc:id:pgln:0614141.00002"}])") + "," +
      Event("ObjectEvent", "00000000-0000-0000-0000-0000000000b3", "2026-03-02T09:00:00+08:00",
            R"("action":"OBSERVE","bizStep":"receiving","epcList":["urn:epc:id:sscc:0614141.1234567890"],"bizLocation":{"id":"urn:epc:id:sgln:0614141.00777.0"})"))).has_value());
  // The shop is on the platform (its own organisation hears of the recall);
  // the owning party is not (the agriculture department of its region does).
  const Id shop_org = OrgId("HHHT-GSJ");
  trace::Place shop{"", "0614141007776", "呼和浩特某农资店", "150102", true, shop_org};
  ASSERT_TRUE(codes_->SavePlace(shop, ClientActor()).has_value());
  Result<std::vector<trace::Holder>> holders = codes_->Recall(batch->id, "有效成分含量不合格", ClientActor());
  ASSERT_TRUE(holders.has_value()) << holders.error().message;
  ASSERT_EQ(holders->size(), 2u);
  EXPECT_EQ(holders->at(0).key, "414/0614141007776");
  EXPECT_EQ(holders->at(0).name, "呼和浩特某农资店");
  ASSERT_TRUE(holders->at(0).notice.has_value());
  EXPECT_EQ(holders->at(0).notice->routed, "holder");
  EXPECT_EQ(holders->at(0).notice->org_id, shop_org);
  EXPECT_EQ(holders->at(0).notice->org_name, "呼和浩特市工商行政管理局");
  EXPECT_EQ(holders->at(1).key, "417/0614141000029");
  ASSERT_TRUE(holders->at(1).notice.has_value());
  EXPECT_EQ(holders->at(1).notice->routed, "agriculture");
  EXPECT_EQ(holders->at(1).notice->org_id, 1);

  // The shop's organisation sees its notice, another does not; it says what it did.
  trace::NoticeQuery mine;
  mine.visibility.org_id = shop_org;
  Result<trace::Listing<trace::RecallNotice>> notices = codes_->Notices(mine);
  ASSERT_TRUE(notices.has_value()) << notices.error().message;
  ASSERT_EQ(notices->total, 1);
  const trace::RecallNotice notice = notices->items.front();
  EXPECT_EQ(notice.status, "待确认");
  EXPECT_EQ(notice.product_name, "5%阿维菌素乳油");
  EXPECT_EQ(notice.recall_reason, "有效成分含量不合格");
  EXPECT_EQ(notice.region_name, "新城区");
  EXPECT_EQ(codes_->Acknowledge(notice.id, {OrgId("BT-GSJ"), ""}, "已下架", ClientActor()).error().code,
            ErrorCode::kNotFound);
  EXPECT_EQ(codes_->Acknowledge(notice.id, mine.visibility, "", ClientActor()).error().field, "note");
  Result<trace::RecallNotice> acked = codes_->Acknowledge(notice.id, mine.visibility, "已下架封存 20 瓶", ClientActor());
  ASSERT_TRUE(acked.has_value()) << acked.error().message;
  EXPECT_EQ(acked->status, "已确认");
  EXPECT_EQ(acked->ack_note, "已下架封存 20 瓶");
  EXPECT_EQ(codes_->Acknowledge(notice.id, mine.visibility, "again", ClientActor()).error().code, ErrorCode::kConflict);
  EXPECT_EQ(codes_->Holders(batch->id)->at(0).notice->status, "已确认");
  trace::NoticeQuery region;
  region.visibility.region_prefix = "150000";
  EXPECT_GE(codes_->Notices(region)->total, 1);
  EXPECT_EQ(codes_->Verify(labels.front(), "").status, "已召回");
  EXPECT_EQ(codes_->Recall(batch->id, "again", ClientActor()).error().code, ErrorCode::kConflict);
  ASSERT_TRUE(codes_->Destroy(batch->id, "无害化处理", ClientActor()).has_value());
  EXPECT_EQ(codes_->Verify(labels.back(), "").status, "已销毁");
}

// The holder list is kept as documents arrive, in whatever order: a pallet
// shipped before the packing that filled it, a receiving declared erroneous
// later, a lot shipped as a GS1 class before its batch was issued here.
TEST_P(CodeContract, HoldersFollowLatePackingDeclarationsAndLots) {
  Result<trace::Batch> batch = codes_->Issue(Pesticide(2), 1, ClientActor());
  ASSERT_TRUE(batch.has_value()) << batch.error().message;
  const std::string unit = "https://v.example.cn/v/" + Texts(codes_->Labels(batch->id))->front();
  auto holders = [&](Id id) {
    std::vector<std::string> out;
    Result<std::vector<trace::Holder>> listed = codes_->Holders(id);
    if (!listed) return std::vector<std::string>{listed.error().message};
    for (const trace::Holder& h : *listed) out.push_back(h.key + " " + h.role + " " + h.last_event_time);
    return out;
  };
  const std::string shipped = R"("action":"OBSERVE","bizStep":"shipping",)";
  const std::string to_dealer = R"("destinationList":[{"type":"owning_party","destination":"urn:epc:id:pgln:0614141.00002"}])";
  const std::string received = R"("action":"OBSERVE","bizStep":"receiving","epcList":[")" + unit +
                               R"("],"bizLocation":{"id":"urn:epc:id:sgln:0614141.00777.0"})";
  ASSERT_TRUE(Capture(Doc(
      Event("ObjectEvent", "00000000-0000-0000-0000-0000000000c1", "2026-03-01T09:00:00+08:00",
            shipped + R"("epcList":["urn:epc:id:sscc:0614141.1234567890"],)" + to_dealer) + "," +
      Event("ObjectEvent", "00000000-0000-0000-0000-0000000000c2", "2026-03-02T09:00:00+08:00", received))).has_value());
  EXPECT_EQ(holders(batch->id), (std::vector<std::string>{"414/0614141007776 receiving 2026-03-02T01:00:00.000Z"}));

  ASSERT_TRUE(Capture(Doc(Event(
      "AggregationEvent", "00000000-0000-0000-0000-0000000000c3", "2026-03-01T08:00:00+08:00",
      R"("action":"ADD","bizStep":"packing","parentID":"urn:epc:id:sscc:0614141.1234567890","childEPCs":[")" + unit +
          R"("])"))).has_value());
  const std::string dealer = "417/0614141000029 destination:owning_party 2026-03-01T01:00:00.000Z";
  EXPECT_EQ(holders(batch->id),
            (std::vector<std::string>{"414/0614141007776 receiving 2026-03-02T01:00:00.000Z", dealer}));

  ASSERT_TRUE(Capture(Doc(Event("ObjectEvent", "00000000-0000-0000-0000-0000000000c2", "2026-03-02T09:00:00+08:00",
                                received + R"(,"errorDeclaration":{"declarationTime":"2026-03-05T10:00:00Z","reason":"did_not_occur"})")))
                  .has_value());
  EXPECT_EQ(holders(batch->id), (std::vector<std::string>{dealer}));

  ASSERT_TRUE(Capture(Doc(Event("ObjectEvent", "00000000-0000-0000-0000-0000000000c4", "2026-03-04T09:00:00+08:00",
                                shipped + R"("quantityList":[{"epcClass":"urn:epc:class:lgtin:4012345.012345.998877",)"
                                          R"("quantity":200,"uom":"KGM"}],)" + to_dealer))).has_value());
  trace::BatchRequest gs1 = Pesticide(2);
  gs1.kind = "sgtin";
  gs1.registration_no = "04012345123456";
  gs1.lot = "998877";
  Result<trace::Batch> lot = codes_->Issue(gs1, 1, ClientActor());
  ASSERT_TRUE(lot.has_value()) << lot.error().message;
  EXPECT_EQ(holders(lot->id),
            (std::vector<std::string>{"417/0614141000029 destination:owning_party 2026-03-04T01:00:00.000Z"}));
  EXPECT_EQ(holders(batch->id), (std::vector<std::string>{dealer}));

  // After the recall, a shipment to a second dealer is reported: it is
  // notified with the capture, once.
  ASSERT_TRUE(codes_->Recall(batch->id, "有效成分含量不合格", ClientActor()).has_value());
  trace::NoticeQuery of_batch;
  of_batch.batch_id = batch->id;
  ASSERT_EQ(codes_->Notices(of_batch)->total, 1);
  const std::string late = Event("ObjectEvent", "00000000-0000-0000-0000-0000000000c5", "2026-03-03T09:00:00+08:00",
                                 shipped + R"("epcList":[")" + unit + R"("],"destinationList":[{"type":"owning_party",)"
                                           R"("destination":"urn:epc:id:pgln:0614141.00003"}])");
  Result<trace::CaptureResult> captured = Capture(Doc(late));
  ASSERT_TRUE(captured.has_value()) << captured.error().message;
  EXPECT_EQ(captured->notified, 1);
  Result<trace::Listing<trace::RecallNotice>> notices = codes_->Notices(of_batch);
  ASSERT_EQ(notices->total, 2);
  std::set<std::string> keys;
  for (const trace::RecallNotice& n : notices->items) keys.insert(n.holder_key + " " + n.routed);
  EXPECT_EQ(keys, (std::set<std::string>{"417/0614141000029 agriculture", "417/0614141000036 agriculture"}));
  EXPECT_EQ(Capture(Doc(late))->notified, 0);
}

// Events may name a code before it is issued here (a forged label, or by
// chance): issuance gives their rows the batch, so that the code's history,
// links and the batch's holders include them.
TEST_P(CodeContract, EventsNamingACodeBeforeItsIssuanceJoinTheBatch) {
  const std::string text = "10929272002000000000000000004321";
  const std::string url = "https://v.example.cn/v/" + text, key = "cn.pesticide/" + text;
  ASSERT_TRUE(Capture(Doc(
      Event("AggregationEvent", "00000000-0000-0000-0000-0000000000d1", "2026-03-01T08:00:00+08:00",
            R"("action":"ADD","bizStep":"packing","parentID":"urn:epc:id:sscc:0614141.1234567891","childEPCs":[")" +
                url + R"("])") + "," +
      Event("ObjectEvent", "00000000-0000-0000-0000-0000000000d2", "2026-03-01T09:00:00+08:00",
            R"("action":"OBSERVE","bizStep":"shipping","epcList":["urn:epc:id:sscc:0614141.1234567891"],)"
            R"("destinationList":[{"type":"owning_party","destination":"urn:epc:id:pgln:0614141.00002"}])"))).has_value());
  trace::Batch batch = {};
  batch.id = ids_.Next();
  batch.request = Pesticide(1);
  batch.created_at = "2026-11-29T10:00:00Z";
  auto draw = [&](int) { return std::pair{key, text}; };
  ASSERT_TRUE(storage_->trace().IssueBatch(batch, {1}, draw, AuditEntry{ClientActor(), "trace.issue", "trace_batch",
                                                                        std::to_string(batch.id), "test"}).has_value());
  Result<std::vector<trace::Holder>> holders = codes_->Holders(batch.id);
  ASSERT_TRUE(holders.has_value()) << holders.error().message;
  ASSERT_EQ(holders->size(), 1u);
  EXPECT_EQ(holders->front().key, "417/0614141000029");
  trace::EventQuery of_code;
  of_code.code_keys = {key};
  EXPECT_EQ(trace_->FindEvents(of_code)->size(), 1u);
  Result<std::vector<trace::CodeLink>> links = storage_->trace().Links(key);
  ASSERT_EQ(links->size(), 1u);
  EXPECT_EQ(links->front().relation, "parent");
}

TEST_P(CodeContract, PackLevelsAreIssuedLinkedAndVerified) {
  trace::BatchRequest r = Pesticide(45);
  r.kind = "vet";
  r.registration_no = "兽药字（2012）100589107";
  r.enterprise_code = "10058";
  r.pack_sizes = {20, 2};
  Result<trace::Batch> batch = codes_->Issue(r, 1, ClientActor());
  ASSERT_TRUE(batch.has_value()) << batch.error().message;
  std::vector<trace::IssuedCode> codes = *codes_->Labels(batch->id);
  ASSERT_EQ(codes.size(), 45u + 3 + 2);  // 45 units, 3 箱 of 20, 2 件 of 2 箱
  EXPECT_EQ(codes[0].level, 0);
  EXPECT_EQ(codes[45].level, 1);
  EXPECT_EQ(codes[48].level, 2);
  EXPECT_EQ(codes[0].parent, codes[45].text);
  EXPECT_EQ(codes[19].parent, codes[45].text);
  EXPECT_EQ(codes[20].parent, codes[46].text);
  EXPECT_EQ(codes[44].parent, codes[47].text);
  EXPECT_EQ(codes[45].parent, codes[48].text);
  EXPECT_EQ(codes[47].parent, codes[49].text);
  EXPECT_EQ(codes[49].parent, "");
  EXPECT_EQ(codes_->GetBatch(batch->id)->request.pack_sizes, (std::vector<int>{20, 2}));

  trace::VerifyResult box = codes_->Verify(codes[46].text, "");
  ASSERT_TRUE(box.found);
  EXPECT_EQ(box.code->level, 1);
  EXPECT_EQ(box.code->contains, 20);
  EXPECT_EQ(box.code->parent_text, codes[48].text);
  EXPECT_EQ(codes_->Verify(codes[0].text, "").code->parent_text, codes[45].text);

  // The history walks from a unit up to its 件 and down again.
  Result<trace::History> history = trace_->HistoryOf(codes[0].text);
  ASSERT_TRUE(history.has_value()) << history.error().message;
  std::set<std::string> related;
  for (const trace::CodeLink& link : history->related) related.insert(link.key);
  EXPECT_GE(related.size(), 2u + 19);

  r.pack_sizes = {1};
  EXPECT_EQ(codes_->Issue(r, 1, ClientActor()).error().field, "pack_sizes");
}

TEST_P(CodeContract, ReviewConfirmsOrDismissesASuspicion) {
  Result<trace::Batch> batch = codes_->Issue(Pesticide(2), 1, ClientActor());
  std::vector<std::string> labels = *Texts(codes_->Labels(batch->id));
  for (const std::string& code : labels) {
    for (int scan = 0; scan < 4; ++scan) codes_->Verify(code, "150102");
  }
  ASSERT_TRUE(codes_->Flush().has_value());
  Result<std::vector<trace::Suspicion>> open = codes_->Suspicions("待核查", {});
  ASSERT_EQ(open->size(), 2u);
  const trace::Visibility theirs{1, ""};
  EXPECT_EQ(codes_->Review(open->at(0).id, {99, ""}, "confirm", "", ClientActor()).error().code, ErrorCode::kNotFound);
  EXPECT_EQ(codes_->Review(open->at(0).id, theirs, "maybe", "", ClientActor()).error().field, "decision");
  EXPECT_EQ(codes_->Review(open->at(0).id, theirs, "dismiss", "", ClientActor()).error().field, "comment");

  Result<trace::Suspicion> dismissed =
      codes_->Review(open->at(0).id, theirs, "dismiss", "经销商扫码盘点，非克隆", ClientActor());
  ASSERT_TRUE(dismissed.has_value()) << dismissed.error().message;
  EXPECT_EQ(dismissed->status, "已排除");
  EXPECT_EQ(dismissed->review_comment, "经销商扫码盘点，非克隆");
  EXPECT_FALSE(dismissed->reviewed_at.empty());
  Result<trace::Suspicion> confirmed = codes_->Review(open->at(1).id, theirs, "confirm", "", ClientActor());
  ASSERT_TRUE(confirmed.has_value());
  EXPECT_EQ(codes_->Review(open->at(1).id, theirs, "dismiss", "x", ClientActor()).error().code, ErrorCode::kConflict);

  auto status_of = [&](const trace::Suspicion& s) {
    const std::string text = s.code_key.substr(s.code_key.find('/') + 1);
    return codes_->Verify(text, "150102").status;
  };
  EXPECT_EQ(status_of(*dismissed), "正常");
  EXPECT_EQ(status_of(*confirmed), "可疑");
  EXPECT_EQ(codes_->Suspicions("已排除", {})->size(), 1u);
}

TEST_P(CodeContract, TooManyScansRaiseWhenTheExcessDoublesAndADismissalHoldsUntilThen) {
  Result<trace::Batch> batch = codes_->Issue(Pesticide(1), 1, ClientActor());
  const std::string code = codes_->Labels(batch->id)->front().text;
  auto scan_to = [&](int count) {  // the limit is 3: raised at 4, 5, 7, 11, ...
    for (std::int64_t n = codes_->Verify(code, "").code->scan_count; n < count; ++n) codes_->Verify(code, "");
    return codes_->Flush().has_value();
  };
  ASSERT_TRUE(scan_to(4) && scan_to(5) && scan_to(6));
  Result<std::vector<trace::Suspicion>> open = codes_->Suspicions("待核查", {});
  ASSERT_EQ(open->size(), 1u);
  EXPECT_EQ(open->front().hits, 2);  // at 4 and 5, not at 6
  EXPECT_NE(open->front().detail.find("5 次"), std::string::npos) << open->front().detail;
  ASSERT_TRUE(scan_to(7));
  open = codes_->Suspicions("待核查", {});
  ASSERT_EQ(open->size(), 1u);
  EXPECT_EQ(open->front().hits, 3);
  ASSERT_TRUE(codes_->Review(open->front().id, {1, ""}, "dismiss", "门店盘点", ClientActor()).has_value());
  ASSERT_TRUE(scan_to(10));
  EXPECT_TRUE(codes_->Suspicions("待核查", {})->empty());
  ASSERT_TRUE(scan_to(12));  // one flush over 11 and 12: the raise at 11
  open = codes_->Suspicions("待核查", {});
  ASSERT_EQ(open->size(), 1u);
  EXPECT_NE(open->front().detail.find("11 次"), std::string::npos) << open->front().detail;
}

// A batch is issued whole or not at all: units, packs and their links in one
// transaction (here the second batch's units are all taken: its 箱 go too).
TEST_P(CodeContract, IssuanceIsAllOrNothing) {
  trace::BatchRequest r = Pesticide(4);
  r.pack_sizes = {2};
  Result<trace::Batch> first = codes_->Issue(r, 1, ClientActor());
  ASSERT_TRUE(first.has_value()) << first.error().message;
  const std::vector<trace::IssuedCode> issued = *codes_->Labels(first->id);
  ASSERT_EQ(issued.size(), 6u);
  EXPECT_EQ(issued.front().level, 0);
  EXPECT_EQ(issued.back().level, 1);
  EXPECT_FALSE(issued.front().parent.empty());

  trace::Batch second = *first;
  second.id = ids_.Next();
  std::vector<std::string> packs;
  auto draw = [&](int level) {
    // New 箱 (drawn first), then units that the first batch holds already.
    if (level == 0) return std::pair{"cn.pesticide/" + issued.front().text, issued.front().text};
    packs.push_back("1092927200200000000000000000" + std::to_string(1000 + packs.size()));
    return std::pair{"cn.pesticide/" + packs.back(), packs.back()};
  };
  Status failed = storage_->trace().IssueBatch(second, {4, 2}, draw, AuditEntry{ClientActor(), "trace.issue", "trace_batch",
                                                                             std::to_string(second.id), "test"});
  ASSERT_FALSE(failed.has_value());
  EXPECT_EQ(failed.error().code, ErrorCode::kUnavailable);
  EXPECT_EQ(storage_->trace().FindBatch(second.id).error().code, ErrorCode::kNotFound);
  ASSERT_EQ(packs.size(), 2u);
  for (const std::string& pack : packs) {
    EXPECT_FALSE(storage_->trace().LookupCode("cn.pesticide/" + pack)->has_value()) << pack;
  }
}

// The office changes the thresholds: in force at once, kept across a
// restart, with the history newest first.
TEST_P(CodeContract, RuleThresholdsAreVersionedAndTakeEffectAtOnce) {
  EXPECT_EQ(codes_->Rules().scans_per_unit, 3);
  EXPECT_TRUE(codes_->RuleHistory()->empty());
  trace::CloneRules rules = codes_->Rules();
  rules.scans_per_unit = 0;
  EXPECT_EQ(codes_->SetRules(rules, "x", ClientActor()).error().field, "scans_per_unit");
  rules.scans_per_unit = 1;
  EXPECT_EQ(codes_->SetRules(rules, "", ClientActor()).error().field, "note");
  Result<trace::RuleVersion> saved = codes_->SetRules(rules, "春耕期间加强监测", ClientActor());
  ASSERT_TRUE(saved.has_value()) << saved.error().message;
  EXPECT_EQ(codes_->Rules().scans_per_unit, 1);

  Result<trace::Batch> batch = codes_->Issue(Pesticide(1), 1, ClientActor());
  const std::string code = codes_->Labels(batch->id)->front().text;
  codes_->Verify(code, "");
  codes_->Verify(code, "");  // the second scan is over a limit of 1
  ASSERT_TRUE(codes_->Flush().has_value());
  EXPECT_EQ(codes_->Suspicions("待核查", {})->size(), 1u);

  clock_.Advance(std::chrono::minutes(1));
  rules.scans_per_unit = 7;
  ASSERT_TRUE(codes_->SetRules(rules, "恢复", ClientActor()).has_value());
  trace::CodeService restarted(storage_->trace(), clock_, ids_, trace::CodeServiceOptions{}, nullptr);
  EXPECT_EQ(restarted.Rules().scans_per_unit, 7);
  EXPECT_EQ(restarted.DefaultRules().scans_per_unit, 5);
  Result<std::vector<trace::RuleVersion>> history = restarted.RuleHistory();
  ASSERT_EQ(history->size(), 2u);
  EXPECT_EQ(history->front().note, "恢复");
  EXPECT_EQ(history->back().rules.scans_per_unit, 1);
}

TEST_P(CodeContract, PlacesAreRegisteredImportedAllOrNothingAndQueriedByRegion) {
  Result<int> imported = codes_->ImportPlaces(
      "id,name,region_code,retail\n0614141007776,新城区某农资店,150102,是\n"
      "urn:epc:id:sgln:0614141.00888.0,包头仓库,150200,否\n", 0, ClientActor());
  ASSERT_TRUE(imported.has_value()) << imported.error().message;
  EXPECT_EQ(*imported, 2);
  Result<int> bad = codes_->ImportPlaces(
      "id,name,region_code,retail\n0614141000012,新店,150102,1\n0614141007777,坏,150102,1\n", 0, ClientActor());
  ASSERT_FALSE(bad.has_value());
  EXPECT_EQ(bad.error().field, "id");
  trace::PlaceQuery all;
  EXPECT_EQ(codes_->Places(all)->total, 2);  // the good line of the bad file is not stored
  trace::PlaceQuery huhhot;
  huhhot.region = "150100";
  Result<trace::Listing<trace::Place>> found = codes_->Places(huhhot);
  ASSERT_EQ(found->total, 1);
  EXPECT_EQ(found->items.front().region_name, "新城区");
  EXPECT_TRUE(found->items.front().retail);
  trace::PlaceQuery others;
  others.retail = false;
  EXPECT_EQ(codes_->Places(others)->items.at(0).name, "包头仓库");

  ASSERT_TRUE(Capture(Doc(Event("ObjectEvent", "00000000-0000-0000-0000-0000000000c1", "2026-03-01T08:00:00+08:00",
                                R"("action":"OBSERVE","bizStep":"receiving","epcList":["urn:epc:id:sscc:0614141.1234567890"],"bizLocation":{"id":"urn:epc:id:sgln:0614141.00888.0"})")))
                  .has_value());
  trace::EventQuery in_baotou;
  in_baotou.region = "150200";
  EXPECT_EQ(trace_->FindEvents(in_baotou)->size(), 1u);
  in_baotou.region = "150100";
  EXPECT_TRUE(trace_->FindEvents(in_baotou)->empty());
}

INSTANTIATE_TEST_SUITE_P(Backends, CodeContract, testing::ValuesIn(BackendsWithSqliteFile()),
                         BackendName);

INSTANTIATE_TEST_SUITE_P(Backends, TraceContract, testing::ValuesIn(BackendsWithSqliteFile()),
                         BackendName);

}  // namespace
}  // namespace redshield::testing_support
