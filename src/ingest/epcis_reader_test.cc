#include "ingest/epcis_reader.h"

#include <filesystem>
#include <fstream>
#include <sstream>

#include <gtest/gtest.h>

#include "core/testing_paths.h"

namespace redshield::ingest {
namespace {

namespace fs = std::filesystem;

std::string ReadAll(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  std::stringstream buffer;
  buffer << in.rdbuf();
  return buffer.str();
}

std::vector<fs::path> Files(const std::string& dir) {
  std::vector<fs::path> out;
  for (const auto& entry : fs::directory_iterator(SharedDirForTesting() + "/data/epcis/" + dir)) {
    if (entry.path().extension() == ".jsonld") out.push_back(entry.path());
  }
  std::sort(out.begin(), out.end());
  return out;
}

TEST(EpcisReader, AcceptsEveryGs1Example) {
  std::vector<fs::path> files = Files("examples");
  ASSERT_EQ(files.size(), 47u);
  size_t events = 0;
  for (const fs::path& file : files) {
    Result<std::vector<trace::EpcisEvent>> read = ReadEpcisDocument(ReadAll(file));
    ASSERT_TRUE(read.has_value()) << file.filename() << ": " << read.error().message;
    EXPECT_FALSE(read->empty()) << file.filename();
    events += read->size();
  }
  EXPECT_GT(events, 47u);
}

TEST(EpcisReader, RejectsEveryNegativeDocumentNamingTheField) {
  const std::vector<std::pair<std::string, std::string>> expected = {
      {"neg01_missing_eventTime.jsonld", "epcisBody.eventList[0].eventTime"},
      {"neg02_bad_action.jsonld", "epcisBody.eventList[0].action"},
      {"neg03_missing_eventTimeZoneOffset.jsonld", "epcisBody.eventList[0].eventTimeZoneOffset"},
      {"neg04_bad_timezone_format.jsonld", "epcisBody.eventList[0].eventTimeZoneOffset"},
      {"neg05_epcList_not_array.jsonld", "epcisBody.eventList[0].epcList"},
      {"neg06_missing_schemaVersion.jsonld", "schemaVersion"},
  };
  std::vector<fs::path> files = Files("negative_derived");
  ASSERT_EQ(files.size(), expected.size());
  for (size_t idx = 0; idx < files.size(); ++idx) {
    EXPECT_EQ(files[idx].filename().string(), expected[idx].first);
    Result<std::vector<trace::EpcisEvent>> read = ReadEpcisDocument(ReadAll(files[idx]));
    ASSERT_FALSE(read.has_value()) << files[idx].filename();
    EXPECT_EQ(read.error().field, expected[idx].second) << read.error().message;
    if (expected[idx].second.starts_with("epcisBody")) {
      EXPECT_TRUE(read.error().message.starts_with("事件 0（ObjectEvent）：")) << read.error().message;
    }
  }
}

std::string Doc(const std::string& event) {
  return R"({"@context":["https://ref.gs1.org/standards/epcis/2.0.0/epcis-context.jsonld"],)"
         R"("type":"EPCISDocument","schemaVersion":"2.0","creationDate":"2026-11-29T10:00:00Z",)"
         R"("epcisBody":{"eventList":[)" + event + "]}}";
}

TEST(EpcisReader, MapsCodesPlacesAndVocabulary) {
  Result<std::vector<trace::EpcisEvent>> read = ReadEpcisDocument(Doc(
      R"({"type":"ObjectEvent","eventTime":"2026-11-29T18:00:00.5+08:00","eventTimeZoneOffset":"+08:00",)"
      R"("action":"OBSERVE","bizStep":"urn:epcglobal:cbv:bizstep:shipping","disposition":"in_transit",)"
      R"("epcList":["urn:epc:id:sgtin:0614141.107346.2017","https://t.example.cn/q/10800051001483920175560192837465"],)"
      R"("readPoint":{"id":"urn:epc:id:sgln:0614141.00777.0"},)"
      R"("destinationList":[{"type":"owning_party","destination":"urn:epc:id:pgln:0614141.00001"}]})"));
  ASSERT_TRUE(read.has_value()) << read.error().message;
  const trace::EpcisEvent& event = read->at(0);
  EXPECT_EQ(event.event_time, "2026-11-29T10:00:00.500Z");
  EXPECT_EQ(event.biz_step, "shipping");
  EXPECT_EQ(event.read_point, "414/0614141007776");
  ASSERT_EQ(event.codes.size(), 2u);
  EXPECT_EQ(event.codes[0].key, "01/10614141073464/21/2017");
  EXPECT_EQ(event.codes[1].key, "cn.pesticide/10800051001483920175560192837465");
  ASSERT_EQ(event.refs.size(), 1u);
  EXPECT_EQ(event.refs[0].kind, "destination");
  EXPECT_TRUE(event.event_id.starts_with("ni:///sha-256;"));
}

TEST(EpcisReader, RejectsSchemaViolations) {
  auto field_of = [](const std::string& event) {
    Result<std::vector<trace::EpcisEvent>> read = ReadEpcisDocument(Doc(event));
    return read ? std::string("accepted") : read.error().field;
  };
  const std::string head = R"("eventTime":"2026-11-29T10:00:00Z","eventTimeZoneOffset":"+08:00",)";
  EXPECT_EQ(field_of(R"({"type":"ObjectEvent",)" + head + R"("action":"OBSERVE","epcList":["a:b"],"bizStep":"urn:epcglobal:cbv:bizstep:dancing"})"),
            "epcisBody.eventList[0].bizStep");
  EXPECT_EQ(field_of(R"({"type":"ObjectEvent",)" + head + R"("action":"OBSERVE","epcList":["a:b","a:b"]})"),
            "epcisBody.eventList[0].epcList[1]");
  EXPECT_EQ(field_of(R"({"type":"ObjectEvent",)" + head + R"("action":"OBSERVE","epcList":["not a uri"]})"),
            "epcisBody.eventList[0].epcList[0]");
  EXPECT_EQ(field_of(R"({"type":"ObjectEvent",)" + head + R"("action":"OBSERVE","epcList":[],"colour":"red"})"),
            "epcisBody.eventList[0].colour");
  EXPECT_EQ(field_of(R"({"type":"ObjectEvent",)" + head + R"("action":"OBSERVE","epcList":[],"ilmd":{}})"),
            "epcisBody.eventList[0].ilmd");
  EXPECT_EQ(field_of(R"({"type":"ObjectEvent",)" + head + R"("action":"ADD","quantityList":[{"epcClass":"a:b","uom":"kg"}]})"),
            "epcisBody.eventList[0].quantityList[0].uom");
  EXPECT_EQ(field_of(R"({"type":"AggregationEvent",)" + head + R"("action":"ADD","parentID":"a:b"})"),
            "epcisBody.eventList[0].childEPCs");
  EXPECT_EQ(field_of(R"({"type":"TransactionEvent",)" + head + R"("action":"ADD","epcList":["a:b"]})"),
            "epcisBody.eventList[0].bizTransactionList");
  EXPECT_EQ(field_of(R"({"type":"TransformationEvent",)" + head + R"("inputEPCList":["a:b"]})"),
            "epcisBody.eventList[0].inputEPCList");
  EXPECT_EQ(field_of(R"({"type":"AssociationEvent",)" + head + R"("action":"ADD","childEPCs":["a:b"]})"),
            "epcisBody.eventList[0].parentID");
  EXPECT_EQ(field_of(R"({"type":"ObjectEvent","eventTime":"2026-02-30T10:00:00Z","eventTimeZoneOffset":"+08:00","action":"ADD","epcList":[]})"),
            "epcisBody.eventList[0].eventTime");
  EXPECT_EQ(field_of(R"({"type":"ObjectEvent",)" + head + R"("action":"ADD","epcList":[],"example:x":1})"), "accepted");
  EXPECT_FALSE(ReadEpcisDocument("{not json").has_value());
}

std::string SimpleEvent(int n, const std::string& extra = "") {
  return R"({"type":"ObjectEvent","eventID":"urn:uuid:e-)" + std::to_string(n) +
         R"(","eventTime":"2026-11-29T10:00:00Z","eventTimeZoneOffset":"+08:00","action":"OBSERVE",)"
         R"("epcList":["urn:epc:id:sgtin:0614141.107346.)" + std::to_string(n) + "\"]" + extra + "}";
}

std::vector<std::string> EventIds(const Result<std::vector<trace::EpcisEvent>>& read) {
  std::vector<std::string> ids;
  if (read) {
    for (const trace::EpcisEvent& e : *read) ids.push_back(e.event_id);
  }
  return ids;
}

// The streaming reader splits the event list by tracking strings and nesting:
// brackets, braces, commas and escaped quotes inside strings must not fool it.
TEST(EpcisReader, SplitsEventsWhoseStringsHoldJsonPunctuation) {
  const std::string tricky = R"(,"example:note":"a \"quoted\" ], {x}: [y], \\")";
  Result<std::vector<trace::EpcisEvent>> read =
      ReadEpcisDocument(Doc(SimpleEvent(1, tricky) + " ,\n " + SimpleEvent(2, R"(,"example:n":[{"a":[1,2]}])")));
  ASSERT_TRUE(read.has_value()) << read.error().message;
  EXPECT_EQ(EventIds(read), (std::vector<std::string>{"urn:uuid:e-1", "urn:uuid:e-2"}));
  EXPECT_NE(read->at(0).body.find(R"(a \"quoted\" ], {x}: [y], \\)"), std::string::npos);
}

TEST(EpcisReader, ReadsHeaderWrittenAfterTheEvents) {
  const std::string doc = R"({"epcisBody":{"eventList":[)" + SimpleEvent(1) +
                          R"(]},"type":"EPCISDocument","schemaVersion":"2.0","creationDate":"2026-11-29T10:00:00Z",)"
                          R"("@context":["https://ref.gs1.org/standards/epcis/2.0.0/epcis-context.jsonld"]})";
  EXPECT_EQ(EventIds(ReadEpcisDocument(doc)), std::vector<std::string>{"urn:uuid:e-1"});
  std::string no_version = doc;
  no_version.erase(no_version.find(R"("schemaVersion":"2.0",)"), 22);
  Result<std::vector<trace::EpcisEvent>> read = ReadEpcisDocument(no_version);
  ASSERT_FALSE(read.has_value());
  EXPECT_EQ(read.error().field, "schemaVersion");
}

TEST(EpcisReader, ReadsQueryDocumentEvents) {
  const std::string doc =
      R"({"@context":["https://ref.gs1.org/standards/epcis/2.0.0/epcis-context.jsonld"],"type":"EPCISQueryDocument",)"
      R"("schemaVersion":"2.0","creationDate":"2026-11-29T10:00:00Z","epcisBody":{"queryResults":{"queryName":"SimpleEventQuery",)"
      R"("resultsBody":{"eventList":[)" + SimpleEvent(7) + "," + SimpleEvent(8) + "]}}}}";
  EXPECT_EQ(EventIds(ReadEpcisDocument(doc)), (std::vector<std::string>{"urn:uuid:e-7", "urn:uuid:e-8"}));
}

TEST(EpcisReader, ReportsEventsThatAreNotObjectsAtTheirIndex) {
  Result<std::vector<trace::EpcisEvent>> read = ReadEpcisDocument(Doc(SimpleEvent(1) + ", 42 "));
  ASSERT_FALSE(read.has_value());
  EXPECT_EQ(read.error().field, "epcisBody.eventList[1]");
  EXPECT_FALSE(ReadEpcisDocument(Doc(R"("text")")).has_value());
}

// Syntax is checked over the whole document before any event reaches the
// sink, as when the document was parsed whole: nothing is passed on.
TEST(EpcisReader, PassesNothingOnWhenTheDocumentIsBrokenAfterItsEvents) {
  std::string events;
  for (int n = 0; n < 6000; ++n) events += (n > 0 ? "," : "") + SimpleEvent(n);  // > 1 MiB: several chunks
  const std::string doc = Doc(events);
  ASSERT_GT(doc.size(), 1u << 20);
  int seen = 0;
  auto count = [&seen](trace::EpcisEvent&) -> Status {
    ++seen;
    return Ok();
  };
  // The number of events is known before the first event (for a progress bar).
  size_t checked = 0;
  Result<size_t> read = ReadEpcisEvents(EpcisSource{doc, ""}, [&](trace::EpcisEvent& e) {
    EXPECT_EQ(checked, 6000u);
    return count(e);
  }, [&checked](size_t n) { checked = n; });
  ASSERT_TRUE(read.has_value()) << read.error().message;
  EXPECT_EQ(*read, 6000u);
  EXPECT_EQ(seen, 6000);
  seen = 0;
  Result<size_t> broken = ReadEpcisEvents(EpcisSource{doc.substr(0, doc.size() - 1), ""}, count);
  ASSERT_FALSE(broken.has_value());
  EXPECT_EQ(broken.error().message, "不是有效的 JSON 文档");
  EXPECT_EQ(seen, 0);
  Result<size_t> trailing = ReadEpcisEvents(EpcisSource{doc + " {}", ""}, count);
  EXPECT_FALSE(trailing.has_value());
  EXPECT_EQ(seen, 0);
}

TEST(EpcisReader, StopsAtTheFirstErrorOfTheSink) {
  int seen = 0;
  Result<size_t> read = ReadEpcisEvents(EpcisSource{Doc(SimpleEvent(1) + "," + SimpleEvent(2)), ""},
                                        [&seen](trace::EpcisEvent&) -> Status {
                                          ++seen;
                                          return Fail(ErrorCode::kConflict, "stop");
                                        });
  ASSERT_FALSE(read.has_value());
  EXPECT_EQ(read.error().code, ErrorCode::kConflict);
  EXPECT_EQ(seen, 1);
}

}  // namespace
}  // namespace redshield::ingest
