#include "cli/demo_trace.h"

#include <iterator>
#include <string>
#include <vector>

#include "ingest/epcis_reader.h"

namespace redshield::cli {
namespace {

struct DemoPlace {
  const char* id;
  const char* name;
  const char* region;
  bool retail;
};

// The warehouse first, then the four shops the packs go to in turn.
constexpr DemoPlace kPlaces[] = {
    {"urn:epc:id:sgln:6901234.00001.0", "内蒙古演示农资有限公司 赛罕区仓库", "150105", false},
    {"urn:epc:id:sgln:6901234.00011.0", "新城区丰收农资店", "150102", true},
    {"urn:epc:id:sgln:6901234.00012.0", "土默特左旗金穗农资站", "150121", true},
    {"urn:epc:id:sgln:6901234.00021.0", "包头市东河区绿源农资店", "150202", true},
    {"urn:epc:id:sgln:6901234.00031.0", "鄂尔多斯市东胜区惠农农资店", "150602", true},
};

trace::BatchRequest Request(const char* kind, const char* product, const char* registration, const char* lot,
                            const char* date, int quantity, std::vector<int> packs) {
  trace::BatchRequest r;
  r.kind = kind;
  r.enterprise_uscc = "911522010783762860";
  r.enterprise_name = "内蒙古演示农资有限公司";
  r.registration_no = registration;
  r.product_name = product;
  r.lot = lot;
  r.production_date = date;
  r.quantity = quantity;
  r.region_code = "150105";
  r.pack_sizes = std::move(packs);
  if (r.kind == "vet") r.enterprise_code = "10058";
  return r;
}

std::string Url(const std::string& text) { return "\"https://trace.example.cn/v/" + text + "\""; }

// One EPCIS 2.0 ObjectEvent as JSON.
std::string Event(const std::string& id, const std::string& time, const std::string& action, const char* step,
                  const std::string& epcs, const std::string& rest) {
  return "{\"type\":\"ObjectEvent\",\"eventID\":\"urn:uuid:" + id + "\",\"eventTime\":\"" + time +
         "T09:00:00+08:00\",\"eventTimeZoneOffset\":\"+08:00\",\"action\":\"" + action + "\",\"bizStep\":\"" + step +
         "\",\"epcList\":[" + epcs + "]" + rest + "}";
}

std::string Place(const char* key, int index) {
  return ",\"" + std::string(key) + "\":{\"id\":\"" + kPlaces[index].id + "\"}";
}

// Commissioning at the warehouse, then each top-level pack shipped to a shop
// in turn and received there the next day.
std::vector<std::string> BatchEvents(const trace::Batch& batch, const std::vector<trace::IssuedCode>& codes) {
  const std::string tag = "redshield-demo-" + std::to_string(batch.id) + "-";
  const std::string day = batch.request.production_date;
  std::string all;
  for (const trace::IssuedCode& c : codes) all += (all.empty() ? "" : ",") + Url(c.text);
  std::vector<std::string> out{Event(tag + "0", day, "ADD", "commissioning", all,
                                     Place("readPoint", 0) + Place("bizLocation", 0))};
  const int top = static_cast<int>(batch.request.pack_sizes.size());
  int shop = 0;
  for (const trace::IssuedCode& c : codes) {
    if (c.level != top) continue;
    const int to = 1 + shop++ % 4;
    const std::string n = std::to_string(shop);
    out.push_back(Event(tag + "s" + n, day, "OBSERVE", "shipping", Url(c.text),
                        Place("readPoint", 0) + ",\"destinationList\":[{\"type\":\"location\",\"destination\":\"" +
                            kPlaces[to].id + "\"}]"));
    out.push_back(Event(tag + "r" + n, day, "OBSERVE", "receiving", Url(c.text), Place("bizLocation", to)));
  }
  return out;
}

Status Capture(trace::TraceService& events, const std::vector<std::string>& list, const Actor& actor) {
  std::string body;
  for (const std::string& e : list) body += (body.empty() ? "" : ",") + e;
  const std::string doc =
      "{\"@context\":[\"https://ref.gs1.org/standards/epcis/2.0.0/epcis-context.jsonld\"],\"type\":\"EPCISDocument\","
      "\"schemaVersion\":\"2.0\",\"creationDate\":\"2017-06-01T08:00:00Z\",\"epcisBody\":{\"eventList\":[" +
      body + "]}}";
  Result<std::vector<trace::EpcisEvent>> parsed = ingest::ReadEpcisDocument(doc);
  if (!parsed) return tl::unexpected(parsed.error());
  Result<trace::CaptureResult> captured = events.Capture(std::move(*parsed), "demo-2017.jsonld", actor);
  if (!captured) return tl::unexpected(captured.error());
  return Ok();
}

}  // namespace

Result<int> SeedTraceDemo(trace::CodeService& codes, trace::TraceService& events, Id enterprise_org,
                          const Actor& actor) {
  Result<std::vector<trace::Batch>> existing = codes.ListBatches(enterprise_org);
  if (!existing) return tl::unexpected(existing.error());
  if (!existing->empty()) return 0;
  for (size_t i = 0; i < std::size(kPlaces); ++i) {
    trace::Place p{"", kPlaces[i].id, kPlaces[i].name, kPlaces[i].region, kPlaces[i].retail, i == 0 ? enterprise_org : 0};
    RS_TRY(codes.SavePlace(p, actor));
  }
  const std::vector<trace::BatchRequest> requests = {
      Request("pesticide", "5%阿维菌素乳油", "PD20092927", "20170315A", "2017-03-15", 200, {20}),
      Request("vet", "10%盐酸多西环素可溶性粉", "兽药字（2012）100589107", "20170420", "2017-04-20", 100, {10, 5}),
      Request("pesticide", "41%草甘膦异丙胺盐水剂", "PD20080005", "20170501B", "2017-05-01", 120, {20}),
  };
  std::vector<trace::Batch> batches;
  std::vector<std::vector<trace::IssuedCode>> labels;
  std::vector<std::string> list;
  for (const trace::BatchRequest& r : requests) {
    Result<trace::Batch> batch = codes.Issue(r, enterprise_org, actor);
    if (!batch) return tl::unexpected(batch.error());
    Result<std::vector<trace::IssuedCode>> issued = codes.Labels(batch->id);
    if (!issued) return tl::unexpected(issued.error());
    for (std::string& e : BatchEvents(*batch, *issued)) list.push_back(std::move(e));
    batches.push_back(*batch);
    labels.push_back(std::move(*issued));
  }
  // A farmer buys unit 41 (in the pack that went to 包头) at the shop.
  const std::vector<trace::IssuedCode>& first = labels[0];
  list.push_back(Event("redshield-demo-" + std::to_string(batches[0].id) + "-sale", "2017-06-02", "OBSERVE",
                       "retail_selling", Url(first[41].text), Place("bizLocation", 3)));
  RS_TRY(Capture(events, list, actor));

  // Farmers' scans where the packs went; then two copies of labels: unit 41,
  // sold in 包头, scanned again in 呼和浩特 (after_retail_sale and
  // distant_regions, to 呼和浩特市农牧业局), and unit 25 scanned in
  // 土默特左旗 and 东胜区 (distant_regions, to 鄂尔多斯市农牧业局).
  const char* regions[] = {"150102", "150121", "150202", "150602"};
  for (int u = 0; u < 80; u += 3) codes.Verify(first[static_cast<size_t>(u)].text, regions[u / 20]);
  codes.Verify(first[41].text, "150202");
  codes.Verify(first[25].text, "150121");
  RS_TRY(codes.Flush());
  codes.Verify(first[41].text, "150102");
  codes.Verify(first[25].text, "150602");
  codes.Verify(labels[1][3].text, "150105");
  RS_TRY(codes.Flush());

  Result<std::vector<trace::Holder>> recalled =
      codes.Recall(batches[2].id, "自治区农药检定所 2017 年第 3 批监督抽检：有效成分含量不合格", actor);
  if (!recalled) return tl::unexpected(recalled.error());
  return static_cast<int>(batches.size());
}

}  // namespace redshield::cli
