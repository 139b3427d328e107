#include "ingest/epcis_reader.h"

#include <array>
#include <chrono>
#include <cstdio>
#include <functional>
#include <memory>
#include <set>

#include <boost/json.hpp>
#include <boost/json/basic_parser_impl.hpp>

#include "core/clock.h"
#include "core/crypto.h"
#include "trace/trace_service.h"

namespace redshield::ingest {
namespace {

namespace json = boost::json;
using trace::CodeRole;
using trace::EpcisEvent;

// Events are read one at a time (issue 7 §7 captures a million in one
// document); the limit bounds the length of one capture's transaction.
constexpr size_t kMaxEvents = 1000000;

// Where a check is: the path for Error::field and the event for the message.
struct Where {
  std::string path;
  int event_index = -1;
  std::string event_type;

  Where At(std::string_view member) const {
    Where w = *this;
    w.path += (path.empty() ? "" : ".") + std::string(member);
    return w;
  }
  Where Item(size_t index) const {
    Where w = *this;
    w.path += "[" + std::to_string(index) + "]";
    return w;
  }
  Error Bad(std::string what) const {
    std::string message;
    if (event_index >= 0) {
      message = "事件 " + std::to_string(event_index) +
                (event_type.empty() ? "" : "（" + event_type + "）") + "：";
    }
    message += "字段 " + (path.empty() ? std::string("(文档)") : path) + " " + what;
    return Error{ErrorCode::kInvalidArgument, std::move(message), path};
  }
};

#define RS_EPCIS_FAIL(where, what) return tl::unexpected((where).Bad(what))

constexpr std::array<std::string_view, 41> kBizSteps{
    "accepting", "arriving", "assembling", "collecting", "commissioning", "consigning",
    "creating_class_instance", "cycle_counting", "decommissioning", "departing", "destroying",
    "disassembling", "dispensing", "encoding", "entering_exiting", "holding", "inspecting",
    "installing", "killing", "loading", "other", "packing", "picking", "receiving", "removing",
    "repackaging", "repairing", "replacing", "reserving", "retail_selling", "shipping",
    "staging_outbound", "stock_taking", "stocking", "storing", "transporting", "unloading",
    "unpacking", "void_shipping", "sensor_reporting", "sampling"};
constexpr std::array<std::string_view, 33> kDispositions{
    "active", "container_closed", "damaged", "destroyed", "dispensed", "disposed", "encoded",
    "expired", "in_progress", "in_transit", "inactive", "no_pedigree_match", "non_sellable_other",
    "partially_dispensed", "recalled", "reserved", "retail_sold", "returned", "sellable_accessible",
    "sellable_not_accessible", "stolen", "unknown", "available", "completeness_verified",
    "completeness_inferred", "conformant", "container_open", "mismatch_instance", "mismatch_class",
    "mismatch_quantity", "needs_replacement", "non_conformant", "unavailable"};
constexpr std::array<std::string_view, 13> kBizTransactionTypes{
    "bol", "cert", "desadv", "inv", "pedigree", "po", "poc", "prodorder", "recadv", "rma",
    "testprd", "testres", "upevt"};
constexpr std::array<std::string_view, 3> kSourceDestTypes{"owning_party", "possessing_party",
                                                           "location"};
constexpr std::array<std::string_view, 2> kErrorReasons{"did_not_occur", "incorrect_data"};

template <size_t N>
bool In(const std::array<std::string_view, N>& values, std::string_view value) {
  for (std::string_view v : values) {
    if (v == value) return true;
  }
  return false;
}

// RFC 3986 absolute URI, as draft-07 "format": "uri" checks it: a scheme, then
// no spaces, controls or characters that must be escaped.
bool IsUri(std::string_view text) {
  const size_t colon = text.find(':');
  if (colon == std::string_view::npos || colon == 0) return false;
  auto alpha = [](char c) { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'); };
  if (!alpha(text[0])) return false;
  for (size_t idx = 1; idx < colon; ++idx) {
    const char c = text[idx];
    if (!alpha(c) && !(c >= '0' && c <= '9') && c != '+' && c != '-' && c != '.') return false;
  }
  for (char c : text) {
    const auto u = static_cast<unsigned char>(c);
    if (u <= 0x20 || u == 0x7f || c == '<' || c == '>' || c == '"' || c == '{' || c == '}' ||
        c == '|' || c == '\\' || c == '^' || c == '`') {
      return false;
    }
  }
  return true;
}

bool TwoDigits(std::string_view s, size_t at, int max) {
  if (at + 2 > s.size() || s[at] < '0' || s[at] > '9' || s[at + 1] < '0' || s[at + 1] > '9') return false;
  return (s[at] - '0') * 10 + (s[at + 1] - '0') <= max;
}

// RFC 3339 date-time → UTC milliseconds; false if malformed.
bool ParseDateTime(std::string_view s, std::int64_t& ms) {
  if (s.size() < 20 || s[4] != '-' || s[7] != '-' || (s[10] != 'T' && s[10] != 't') || s[13] != ':' ||
      s[16] != ':') {
    return false;
  }
  for (size_t idx : {0, 1, 2, 3}) {
    if (s[idx] < '0' || s[idx] > '9') return false;
  }
  if (!TwoDigits(s, 5, 12) || !TwoDigits(s, 8, 31) || !TwoDigits(s, 11, 23) || !TwoDigits(s, 14, 59) ||
      !TwoDigits(s, 17, 60)) {
    return false;
  }
  size_t pos = 19;
  int millis = 0;
  if (pos < s.size() && s[pos] == '.') {
    size_t digits = 0;
    ++pos;
    while (pos < s.size() && s[pos] >= '0' && s[pos] <= '9') {
      if (digits < 3) millis = millis * 10 + (s[pos] - '0');
      ++digits;
      ++pos;
    }
    if (digits == 0) return false;
    for (size_t pad = digits; pad < 3; ++pad) millis *= 10;
  }
  int offset_minutes = 0;
  std::string_view zone = s.substr(pos);
  if (zone == "Z" || zone == "z") {
  } else if (zone.size() == 6 && (zone[0] == '+' || zone[0] == '-') && zone[3] == ':' &&
             TwoDigits(zone, 1, 23) && TwoDigits(zone, 4, 59)) {
    offset_minutes = ((zone[1] - '0') * 10 + (zone[2] - '0')) * 60 + (zone[4] - '0') * 10 + (zone[5] - '0');
    if (zone[0] == '-') offset_minutes = -offset_minutes;
  } else {
    return false;
  }
  auto num = [&](size_t at, size_t len) {
    int v = 0;
    for (size_t idx = at; idx < at + len; ++idx) v = v * 10 + (s[idx] - '0');
    return v;
  };
  std::chrono::year_month_day ymd{std::chrono::year{num(0, 4)},
                                  std::chrono::month{static_cast<unsigned>(num(5, 2))},
                                  std::chrono::day{static_cast<unsigned>(num(8, 2))}};
  if (!ymd.ok()) return false;
  const std::int64_t days = std::chrono::sys_days(ymd).time_since_epoch().count();
  ms = ((days * 24 + num(11, 2)) * 60 + num(14, 2) - offset_minutes) * 60000LL + num(17, 2) * 1000LL +
       millis;
  return true;
}

bool IsTimeZoneOffset(std::string_view s) {
  // ^([+]|[-])((0[0-9]|1[0-3]):([0-5][0-9])|14:00)$
  if (s.size() != 6 || (s[0] != '+' && s[0] != '-') || s[3] != ':') return false;
  if (s.substr(1) == "14:00") return true;
  return ((s[1] == '0' && s[2] >= '0' && s[2] <= '9') || (s[1] == '1' && s[2] >= '0' && s[2] <= '3')) &&
         s[4] >= '0' && s[4] <= '5' && s[5] >= '0' && s[5] <= '9';
}

Result<std::string> Str(const json::value* value, const Where& where) {
  if (value == nullptr || !value->is_string()) RS_EPCIS_FAIL(where, "应为字符串");
  return std::string(value->get_string());
}

Result<std::string> Uri(const json::value* value, const Where& where) {
  Result<std::string> text = Str(value, where);
  if (!text) return text;
  if (!IsUri(*text)) RS_EPCIS_FAIL(where, "应为 URI，实为 \"" + text->substr(0, 80) + "\"");
  return text;
}

Result<std::int64_t> Time(const json::value* value, const Where& where) {
  Result<std::string> text = Str(value, where);
  if (!text) return tl::unexpected(text.error());
  std::int64_t ms = 0;
  if (!ParseDateTime(*text, ms)) RS_EPCIS_FAIL(where, "应为 RFC 3339 日期时间，实为 \"" + text->substr(0, 40) + "\"");
  return ms;
}

// A CBV value: the short name, a CBV URI naming a known value (stored as the
// short name), or a URI outside the CBV namespaces.
template <size_t N>
Result<std::string> Vocabulary(const json::value* value, const Where& where,
                               const std::array<std::string_view, N>& names, std::string_view urn_part,
                               std::string_view web_part) {
  Result<std::string> text = Str(value, where);
  if (!text) return text;
  if (In(names, *text)) return text;
  std::string_view short_name;
  const std::string urn = "urn:epcglobal:cbv:" + std::string(urn_part) + ":";
  bool cbv_namespace = text->starts_with("urn:epcglobal:cbv");
  if (text->starts_with(urn)) short_name = std::string_view(*text).substr(urn.size());
  for (std::string_view scheme : {"https://ns.gs1.org/cbv/", "http://ns.gs1.org/cbv/"}) {
    if (!text->starts_with(scheme)) continue;
    cbv_namespace = true;
    const std::string web = std::string(scheme) + std::string(web_part) + "-";
    if (text->starts_with(web)) short_name = std::string_view(*text).substr(web.size());
  }
  if (cbv_namespace) {
    if (!short_name.empty() && In(names, short_name)) return std::string(short_name);
    RS_EPCIS_FAIL(where, "不是 CBV 标准词汇：\"" + text->substr(0, 80) + "\"");
  }
  if (!IsUri(*text)) {
    RS_EPCIS_FAIL(where, "应为 CBV 标准词汇或 URI，实为 \"" + text->substr(0, 80) + "\"");
  }
  return text;
}

const json::value* Member(const json::object& object, std::string_view name) {
  auto it = object.find(name);
  return it == object.end() ? nullptr : &it->value();
}

// Member names outside `allowed` must be URIs (JSON-LD extension terms).
Status CheckNames(const json::object& object, std::initializer_list<std::string_view> allowed,
                  const Where& where) {
  for (const auto& member : object) {
    bool known = false;
    for (std::string_view name : allowed) known = known || member.key() == name;
    if (!known && !IsUri(member.key())) {
      return tl::unexpected(where.At(member.key()).Bad("不是允许的成员（扩展成员须以命名空间前缀书写）"));
    }
  }
  return Ok();
}

Result<const json::array*> ArrayOf(const json::object& object, std::string_view name, const Where& where,
                                   size_t min_items = 0) {
  const json::value* value = Member(object, name);
  if (value == nullptr) return nullptr;
  if (!value->is_array()) RS_EPCIS_FAIL(where.At(name), "应为数组");
  if (value->get_array().size() < min_items) RS_EPCIS_FAIL(where.At(name), "至少应有 " + std::to_string(min_items) + " 项");
  return &value->get_array();
}

Result<const json::object*> ObjectOf(const json::value* value, const Where& where) {
  if (value == nullptr || !value->is_object()) RS_EPCIS_FAIL(where, "应为对象");
  return &value->get_object();
}

void AddCode(EpcisEvent& event, CodeRole role, const std::string& raw, double quantity = 0,
             std::string uom = {}) {
  trace::EventCode code{role, raw, "", "", quantity, std::move(uom)};
  code.key = trace::TraceService::KeyOf(raw, &code.lot);
  event.codes.push_back(std::move(code));
}

Status ReadEpcList(const json::object& object, std::string_view name, CodeRole role, EpcisEvent& event,
                   const Where& where, bool unique) {
  Result<const json::array*> list = ArrayOf(object, name, where);
  if (!list) return tl::unexpected(list.error());
  if (*list == nullptr) return Ok();
  std::set<std::string> seen;
  for (size_t idx = 0; idx < (*list)->size(); ++idx) {
    Result<std::string> epc = Uri(&(**list)[idx], where.At(name).Item(idx));
    if (!epc) return tl::unexpected(epc.error());
    if (unique && !seen.insert(*epc).second) {
      return tl::unexpected(where.At(name).Item(idx).Bad("与前面的项重复"));
    }
    AddCode(event, role, *epc);
  }
  return Ok();
}

Status ReadQuantityList(const json::object& object, std::string_view name, CodeRole role,
                        EpcisEvent& event, const Where& where) {
  Result<const json::array*> list = ArrayOf(object, name, where);
  if (!list) return tl::unexpected(list.error());
  if (*list == nullptr) return Ok();
  for (size_t idx = 0; idx < (*list)->size(); ++idx) {
    const Where at = where.At(name).Item(idx);
    Result<const json::object*> element = ObjectOf(&(**list)[idx], at);
    if (!element) return tl::unexpected(element.error());
    for (const auto& member : **element) {
      if (member.key() != "epcClass" && member.key() != "quantity" && member.key() != "uom") {
        return tl::unexpected(at.At(member.key()).Bad("不是允许的成员"));
      }
    }
    Result<std::string> epc_class = Uri(Member(**element, "epcClass"), at.At("epcClass"));
    if (!epc_class) return tl::unexpected(epc_class.error());
    double quantity = 0;
    if (const json::value* q = Member(**element, "quantity")) {
      if (!q->is_number()) RS_EPCIS_FAIL(at.At("quantity"), "应为数字");
      quantity = q->to_number<double>();
    }
    std::string uom;
    if (const json::value* u = Member(**element, "uom")) {
      Result<std::string> text = Str(u, at.At("uom"));
      if (!text) return tl::unexpected(text.error());
      bool ok = text->size() >= 2 && text->size() <= 3;
      for (char c : *text) ok = ok && ((c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9'));
      if (!ok) RS_EPCIS_FAIL(at.At("uom"), "应为 2 到 3 位大写字母或数字（UN/CEFACT 单位代码）");
      uom = *text;
    }
    AddCode(event, role, *epc_class, quantity, uom);
  }
  return Ok();
}

Status ReadRefs(const json::object& object, EpcisEvent& event, const Where& where) {
  Result<const json::array*> transactions = ArrayOf(object, "bizTransactionList", where);
  if (!transactions) return tl::unexpected(transactions.error());
  for (size_t idx = 0; *transactions != nullptr && idx < (*transactions)->size(); ++idx) {
    const Where at = where.At("bizTransactionList").Item(idx);
    Result<const json::object*> element = ObjectOf(&(**transactions)[idx], at);
    if (!element) return tl::unexpected(element.error());
    RS_TRY(CheckNames(**element, {"type", "bizTransaction"}, at));
    for (const auto& member : **element) {
      if (member.key() != "type" && member.key() != "bizTransaction") {
        return tl::unexpected(at.At(member.key()).Bad("不是允许的成员"));
      }
    }
    Result<std::string> value = Uri(Member(**element, "bizTransaction"), at.At("bizTransaction"));
    if (!value) return tl::unexpected(value.error());
    std::string type;
    if (const json::value* t = Member(**element, "type")) {
      Result<std::string> v = Vocabulary(t, at.At("type"), kBizTransactionTypes, "btt", "BTT");
      if (!v) return tl::unexpected(v.error());
      type = *v;
    }
    event.refs.push_back({"biz_transaction", type, *value, trace::TraceService::KeyOf(*value)});
  }
  for (std::string_view kind : {"source", "destination"}) {
    const std::string list_name = std::string(kind) + "List";
    Result<const json::array*> list = ArrayOf(object, list_name, where);
    if (!list) return tl::unexpected(list.error());
    for (size_t idx = 0; *list != nullptr && idx < (*list)->size(); ++idx) {
      const Where at = where.At(list_name).Item(idx);
      Result<const json::object*> element = ObjectOf(&(**list)[idx], at);
      if (!element) return tl::unexpected(element.error());
      for (const auto& member : **element) {
        if (member.key() != "type" && member.key() != kind) {
          return tl::unexpected(at.At(member.key()).Bad("不是允许的成员"));
        }
      }
      Result<std::string> type = Vocabulary(Member(**element, "type"), at.At("type"), kSourceDestTypes, "sdt", "SDT");
      if (!type) return tl::unexpected(type.error());
      Result<std::string> value = Uri(Member(**element, kind), at.At(kind));
      if (!value) return tl::unexpected(value.error());
      event.refs.push_back({std::string(kind), *type, *value, trace::TraceService::KeyOf(*value)});
    }
  }
  return Ok();
}

Status ReadPlace(const json::object& object, std::string_view name, std::string& key, const Where& where) {
  const json::value* value = Member(object, name);
  if (value == nullptr) return Ok();
  Result<const json::object*> place = ObjectOf(value, where.At(name));
  if (!place) return tl::unexpected(place.error());
  Result<std::string> id = Uri(Member(**place, "id"), where.At(name).At("id"));
  if (!id) return tl::unexpected(id.error());
  key = trace::TraceService::KeyOf(*id);
  return Ok();
}

Status ReadPersistentDisposition(const json::object& object, const Where& where) {
  const json::value* value = Member(object, "persistentDisposition");
  if (value == nullptr) return Ok();
  const Where at = where.At("persistentDisposition");
  Result<const json::object*> pd = ObjectOf(value, at);
  if (!pd) return tl::unexpected(pd.error());
  if ((*pd)->empty()) RS_EPCIS_FAIL(at, "应含 set 或 unset");
  for (const auto& member : **pd) {
    if (member.key() != "set" && member.key() != "unset") {
      return tl::unexpected(at.At(member.key()).Bad("不是允许的成员"));
    }
    Result<const json::array*> list = ArrayOf(**pd, member.key(), at, 1);
    if (!list) return tl::unexpected(list.error());
    std::set<std::string> seen;
    for (size_t idx = 0; idx < (*list)->size(); ++idx) {
      Result<std::string> v = Vocabulary(&(**list)[idx], at.At(member.key()).Item(idx), kDispositions,
                                         "disp", "Disp");
      if (!v) return tl::unexpected(v.error());
      if (!seen.insert(*v).second) RS_EPCIS_FAIL(at.At(member.key()).Item(idx), "与前面的项重复");
    }
  }
  return Ok();
}

Status ReadSensors(const json::object& object, const Where& where, bool& present) {
  Result<const json::array*> list = ArrayOf(object, "sensorElementList", where);
  if (!list) return tl::unexpected(list.error());
  present = *list != nullptr && !(*list)->empty();
  for (size_t idx = 0; *list != nullptr && idx < (*list)->size(); ++idx) {
    const Where at = where.At("sensorElementList").Item(idx);
    Result<const json::object*> element = ObjectOf(&(**list)[idx], at);
    if (!element) return tl::unexpected(element.error());
    RS_TRY(CheckNames(**element, {"sensorMetadata", "sensorReport"}, at));
    if (const json::value* meta = Member(**element, "sensorMetadata")) {
      Result<const json::object*> m = ObjectOf(meta, at.At("sensorMetadata"));
      if (!m) return tl::unexpected(m.error());
      for (std::string_view t : {"time", "startTime", "endTime"}) {
        if (const json::value* v = Member(**m, t)) RS_TRY(Time(v, at.At("sensorMetadata").At(t)));
      }
    }
    Result<const json::array*> reports = ArrayOf(**element, "sensorReport", at);
    if (!reports) return tl::unexpected(reports.error());
    if (*reports == nullptr) RS_EPCIS_FAIL(at.At("sensorReport"), "缺失");
    for (size_t report_idx = 0; report_idx < (*reports)->size(); ++report_idx) {
      Result<const json::object*> r = ObjectOf(&(**reports)[report_idx], at.At("sensorReport").Item(report_idx));
      if (!r) return tl::unexpected(r.error());
    }
  }
  return Ok();
}

Status ReadErrorDeclaration(const json::object& object, EpcisEvent& event, const Where& where) {
  const json::value* value = Member(object, "errorDeclaration");
  if (value == nullptr) return Ok();
  const Where at = where.At("errorDeclaration");
  Result<const json::object*> declaration = ObjectOf(value, at);
  if (!declaration) return tl::unexpected(declaration.error());
  RS_TRY(CheckNames(**declaration, {"declarationTime", "reason", "correctiveEventIDs"}, at));
  Result<std::int64_t> time = Time(Member(**declaration, "declarationTime"), at.At("declarationTime"));
  if (!time) return tl::unexpected(time.error());
  event.is_declaration = true;
  event.declaration_time = FormatUtc(TimePoint(std::chrono::milliseconds(*time)));
  if (const json::value* reason = Member(**declaration, "reason")) {
    Result<std::string> r = Vocabulary(reason, at.At("reason"), kErrorReasons, "er", "ER");
    if (!r) return tl::unexpected(r.error());
    event.error_reason = *r;
  } else {
    event.error_reason = "unspecified";
  }
  Result<const json::array*> ids = ArrayOf(**declaration, "correctiveEventIDs", at);
  if (!ids) return tl::unexpected(ids.error());
  for (size_t idx = 0; *ids != nullptr && idx < (*ids)->size(); ++idx) {
    Result<std::string> id = Uri(&(**ids)[idx], at.At("correctiveEventIDs").Item(idx));
    if (!id) return tl::unexpected(id.error());
    event.corrective_event_ids.push_back(*id);
  }
  return Ok();
}

constexpr std::array<std::string_view, 8> kCommon{
    "@context", "type", "eventTime", "recordTime", "eventTimeZoneOffset", "eventID",
    "certificationInfo", "errorDeclaration"};

std::vector<std::string_view> AllowedFor(std::string_view type) {
  std::vector<std::string_view> names(kCommon.begin(), kCommon.end());
  auto add = [&names](std::initializer_list<std::string_view> more) { names.insert(names.end(), more); };
  add({"bizStep", "disposition", "readPoint", "bizLocation", "bizTransactionList", "sourceList",
       "destinationList", "sensorElementList"});
  if (type == "ObjectEvent") add({"action", "epcList", "quantityList", "persistentDisposition", "ilmd"});
  if (type == "AggregationEvent" || type == "AssociationEvent") add({"parentID", "childEPCs", "childQuantityList", "action"});
  if (type == "TransactionEvent") add({"parentID", "epcList", "quantityList", "action"});
  if (type == "TransformationEvent") {
    add({"inputEPCList", "inputQuantityList", "outputEPCList", "outputQuantityList", "transformationID",
         "persistentDisposition", "ilmd"});
  }
  return names;
}

bool Has(const json::object& object, std::string_view name, size_t min_items) {
  const json::value* v = Member(object, name);
  return v != nullptr && v->is_array() && v->get_array().size() >= min_items;
}

// The common members of every event.
Status ReadCommon(const json::object& object, EpcisEvent& event, const Where& where) {
  Result<std::int64_t> time = Time(Member(object, "eventTime"), where.At("eventTime"));
  if (!time) {
    if (Member(object, "eventTime") == nullptr) RS_EPCIS_FAIL(where.At("eventTime"), "缺失（必填）");
    return tl::unexpected(time.error());
  }
  event.event_time_ms = *time;
  event.event_time = FormatUtc(TimePoint(std::chrono::milliseconds(*time)));
  const json::value* offset = Member(object, "eventTimeZoneOffset");
  if (offset == nullptr) RS_EPCIS_FAIL(where.At("eventTimeZoneOffset"), "缺失（必填）");
  Result<std::string> offset_text = Str(offset, where.At("eventTimeZoneOffset"));
  if (!offset_text) return tl::unexpected(offset_text.error());
  if (!IsTimeZoneOffset(*offset_text)) {
    RS_EPCIS_FAIL(where.At("eventTimeZoneOffset"), "应为 ±HH:MM（-14:00 到 +14:00），实为 \"" + offset_text->substr(0, 20) + "\"");
  }
  event.time_zone_offset = *offset_text;
  if (const json::value* v = Member(object, "recordTime")) RS_TRY(Time(v, where.At("recordTime")));
  if (const json::value* v = Member(object, "eventID")) {
    Result<std::string> id = Uri(v, where.At("eventID"));
    if (!id) return tl::unexpected(id.error());
    event.event_id = *id;
  }
  if (const json::value* v = Member(object, "certificationInfo")) {
    if (v->is_array()) {
      for (size_t idx = 0; idx < v->get_array().size(); ++idx) {
        RS_TRY(Uri(&v->get_array()[idx], where.At("certificationInfo").Item(idx)));
      }
    } else {
      RS_TRY(Uri(v, where.At("certificationInfo")));
    }
  }
  if (const json::value* v = Member(object, "bizStep")) {
    Result<std::string> s = Vocabulary(v, where.At("bizStep"), kBizSteps, "bizstep", "BizStep");
    if (!s) return tl::unexpected(s.error());
    event.biz_step = *s;
  }
  if (const json::value* v = Member(object, "disposition")) {
    Result<std::string> s = Vocabulary(v, where.At("disposition"), kDispositions, "disp", "Disp");
    if (!s) return tl::unexpected(s.error());
    event.disposition = *s;
  }
  RS_TRY(ReadPlace(object, "readPoint", event.read_point, where));
  RS_TRY(ReadPlace(object, "bizLocation", event.biz_location, where));
  RS_TRY(ReadRefs(object, event, where));
  return ReadErrorDeclaration(object, event, where);
}

// One event: members allowed for its type, then the type's own rules. Long
// because it follows the schema's per-type anyOf rules one after another.
Result<EpcisEvent> ReadEvent(const json::value& value, Where where) {
  Result<const json::object*> object_or = ObjectOf(&value, where);
  if (!object_or) return tl::unexpected(object_or.error());
  const json::object& object = **object_or;
  Result<std::string> type = Str(Member(object, "type"), where.At("type"));
  if (!type) {
    if (Member(object, "type") == nullptr) RS_EPCIS_FAIL(where.At("type"), "缺失（必填）");
    return tl::unexpected(type.error());
  }
  where.event_type = *type;
  static constexpr std::array<std::string_view, 5> kTypes{"ObjectEvent", "AggregationEvent", "TransactionEvent",
                                                          "TransformationEvent", "AssociationEvent"};
  const bool standard = In(kTypes, *type);
  if (!standard && !IsUri(*type)) {
    RS_EPCIS_FAIL(where.At("type"), "应为 ObjectEvent、AggregationEvent、TransactionEvent、TransformationEvent、"
                                    "AssociationEvent 或扩展事件类型 URI");
  }
  EpcisEvent event;
  event.type = *type;
  event.body = json::serialize(value);
  if (standard) {
    std::vector<std::string_view> allowed = AllowedFor(*type);
    for (const auto& member : object) {
      bool known = false;
      for (std::string_view name : allowed) known = known || member.key() == name;
      if (!known && !IsUri(member.key())) {
        return tl::unexpected(where.At(member.key()).Bad("不是 " + *type + " 允许的成员"));
      }
    }
  }
  RS_TRY(ReadCommon(object, event, where));
  if (!standard) return event;
  const bool transformation = *type == "TransformationEvent";
  if (!transformation) {
    const json::value* action = Member(object, "action");
    if (action == nullptr) RS_EPCIS_FAIL(where.At("action"), "缺失（必填）");
    Result<std::string> a = Str(action, where.At("action"));
    if (!a) return tl::unexpected(a.error());
    if (*a != "ADD" && *a != "OBSERVE" && *a != "DELETE") {
      RS_EPCIS_FAIL(where.At("action"), "应为 ADD、OBSERVE 或 DELETE，实为 \"" + a->substr(0, 20) + "\"");
    }
    event.action = *a;
  }
  bool sensors = false;
  RS_TRY(ReadSensors(object, where, sensors));
  if (*type == "ObjectEvent" || *type == "TransformationEvent") RS_TRY(ReadPersistentDisposition(object, where));
  if (const json::value* ilmd = Member(object, "ilmd")) {
    Result<const json::object*> m = ObjectOf(ilmd, where.At("ilmd"));
    if (!m) return tl::unexpected(m.error());
    RS_TRY(CheckNames(**m, {}, where.At("ilmd")));
    if (*type == "ObjectEvent" && event.action != "ADD") RS_EPCIS_FAIL(where.At("ilmd"), "只能用于 action 为 ADD 的事件");
  }
  if (const json::value* parent = Member(object, "parentID")) {
    Result<std::string> p = Uri(parent, where.At("parentID"));
    if (!p) return tl::unexpected(p.error());
    AddCode(event, CodeRole::kParent, *p);
  } else if (*type == "AssociationEvent") {
    RS_EPCIS_FAIL(where.At("parentID"), "缺失（必填）");
  }
  if (*type == "ObjectEvent" || *type == "TransactionEvent") {
    RS_TRY(ReadEpcList(object, "epcList", CodeRole::kEpc, event, where, *type == "ObjectEvent"));
    RS_TRY(ReadQuantityList(object, "quantityList", CodeRole::kQuantity, event, where));
    const bool ok = Has(object, "epcList", 0) || Has(object, "quantityList", 1) ||
                    (*type == "ObjectEvent" ? sensors && Member(object, "readPoint") != nullptr
                                            : event.action == "DELETE");
    if (!ok) RS_EPCIS_FAIL(where.At("epcList"), "缺失：应有 epcList 或 quantityList");
    if (*type == "TransactionEvent" && !Has(object, "bizTransactionList", 1)) {
      RS_EPCIS_FAIL(where.At("bizTransactionList"), "缺失（必填，至少 1 项）");
    }
  } else if (*type == "AggregationEvent" || *type == "AssociationEvent") {
    RS_TRY(ReadEpcList(object, "childEPCs", CodeRole::kChild, event, where, false));
    RS_TRY(ReadQuantityList(object, "childQuantityList", CodeRole::kChildQuantity, event, where));
    if (!Has(object, "childEPCs", 1) && !Has(object, "childQuantityList", 1) && event.action != "DELETE") {
      RS_EPCIS_FAIL(where.At("childEPCs"), "缺失：应有 childEPCs 或 childQuantityList（DELETE 除外）");
    }
  } else {
    RS_TRY(ReadEpcList(object, "inputEPCList", CodeRole::kInput, event, where, true));
    RS_TRY(ReadQuantityList(object, "inputQuantityList", CodeRole::kInputQuantity, event, where));
    RS_TRY(ReadEpcList(object, "outputEPCList", CodeRole::kOutput, event, where, true));
    RS_TRY(ReadQuantityList(object, "outputQuantityList", CodeRole::kOutputQuantity, event, where));
    const bool inputs = Has(object, "inputEPCList", 1) || Has(object, "inputQuantityList", 1);
    const bool outputs = Has(object, "outputEPCList", 1) || Has(object, "outputQuantityList", 1);
    if (const json::value* id = Member(object, "transformationID")) {
      Result<std::string> t = Uri(id, where.At("transformationID"));
      if (!t) return tl::unexpected(t.error());
      event.transformation_id = *t;
    }
    if (!(inputs && outputs) && !((inputs || outputs) && !event.transformation_id.empty())) {
      RS_EPCIS_FAIL(where.At("inputEPCList"), "缺失：应同时有输入和输出，或有 transformationID 和其中之一");
    }
  }
  return event;
}

Status CheckDocumentHeader(const json::object& root, bool query_document) {
  const Where where;
  if (query_document) {
    RS_TRY(CheckNames(root, {"@context", "id", "type", "schemaVersion", "creationDate", "epcisBody"}, where));
  } else {
    RS_TRY(CheckNames(root, {"@context", "id", "type", "schemaVersion", "creationDate", "instanceIdentifier",
                             "sender", "receiver", "epcisHeader", "epcisBody"}, where));
  }
  if (Member(root, "@context") == nullptr) RS_EPCIS_FAIL(where.At("@context"), "缺失（必填）");
  const json::value* version = Member(root, "schemaVersion");
  if (version == nullptr && !query_document) RS_EPCIS_FAIL(where.At("schemaVersion"), "缺失（必填）");
  if (version != nullptr) {
    Result<std::string> v = Str(version, where.At("schemaVersion"));
    if (!v) return tl::unexpected(v.error());
    bool ok = !v->empty() && v->front() != '.' && v->back() != '.';
    for (size_t idx = 0; idx < v->size(); ++idx) {
      const char c = (*v)[idx];
      ok = ok && ((c >= '0' && c <= '9') || (c == '.' && (*v)[idx - 1] != '.'));
    }
    if (!ok) RS_EPCIS_FAIL(where.At("schemaVersion"), "应为形如 2.0 的版本号");
  }
  const json::value* created = Member(root, "creationDate");
  if (created == nullptr && !query_document) RS_EPCIS_FAIL(where.At("creationDate"), "缺失（必填）");
  if (created != nullptr) RS_TRY(Time(created, where.At("creationDate")));
  if (const json::value* id = Member(root, "id")) RS_TRY(Uri(id, where.At("id")));
  for (std::string_view name : {"instanceIdentifier", "sender", "receiver"}) {
    if (const json::value* v = Member(root, name)) RS_TRY(Str(v, where.At(name)));
  }
  if (const json::value* header = Member(root, "epcisHeader")) {
    Result<const json::object*> h = ObjectOf(header, where.At("epcisHeader"));
    if (!h) return tl::unexpected(h.error());
    RS_TRY(CheckNames(**h, {"epcisMasterData"}, where.At("epcisHeader")));
  }
  return Ok();
}

// The eventList of either document type, with its path.
Result<std::pair<const json::array*, std::string>> EventList(const json::object& root, bool query_document) {
  const Where where;
  Result<const json::object*> body = ObjectOf(Member(root, "epcisBody"), where.At("epcisBody"));
  if (!body) return tl::unexpected(body.error());
  const json::object* holder = *body;
  std::string path = "epcisBody";
  if (query_document) {
    RS_TRY(CheckNames(*holder, {"queryResults"}, where.At("epcisBody")));
    Result<const json::object*> results = ObjectOf(Member(*holder, "queryResults"), where.At("epcisBody.queryResults"));
    if (!results) return tl::unexpected(results.error());
    RS_TRY(CheckNames(**results, {"queryName", "subscriptionID", "resultsBody"}, where.At("epcisBody.queryResults")));
    RS_TRY(Str(Member(**results, "queryName"), where.At("epcisBody.queryResults.queryName")));
    Result<const json::object*> rb = ObjectOf(Member(**results, "resultsBody"), where.At("epcisBody.queryResults.resultsBody"));
    if (!rb) return tl::unexpected(rb.error());
    RS_TRY(CheckNames(**rb, {"eventList", "vocabularyList"}, where.At("epcisBody.queryResults.resultsBody")));
    holder = *rb;
    path = "epcisBody.queryResults.resultsBody";
  }
  const json::value* list = Member(*holder, "eventList");
  if (list == nullptr) RS_EPCIS_FAIL(where.At(path + ".eventList"), "缺失（必填）");
  if (!list->is_array()) RS_EPCIS_FAIL(where.At(path + ".eventList"), "应为数组");
  return std::make_pair(&list->get_array(), path + ".eventList");
}

// Splits a document into the elements of its event lists and the rest, one
// chunk at a time, so that the document never needs to be in memory whole.
// It relies on the syntax being checked by a real parser over the same
// bytes (CheckSyntax); it only tracks strings, nesting and object keys.
// The event lists are the arrays at epcisBody.eventList (list 0) and
// epcisBody.queryResults.resultsBody.eventList (list 1) of the root object.
class EventSplitter {
 public:
  using ElementFn = std::function<Status(int list, std::string_view element)>;

  // `only_list`: split that list only (-1: both). `collect`: pass each
  // element's text (otherwise an empty view: counting). The rest, with the
  // lists left empty ("[]"), is kept when both lists are split.
  EventSplitter(int only_list, bool collect, ElementFn on_element)
      : only_list_(only_list), collect_(collect), keep_rest_(only_list < 0), on_element_(std::move(on_element)) {}

  Status Feed(std::string_view chunk) {
    for (size_t at = 0; at < chunk.size();) {
      // Most of a document is string contents: copy runs of them at once.
      if (in_string_ && !escape_ && !reading_key_) {
        const size_t stop = chunk.find_first_of("\"\\", at);
        const size_t end = stop == std::string_view::npos ? chunk.size() : stop;
        PutRun(chunk.substr(at, end - at));
        at = end;
        if (at == chunk.size()) break;
      }
      RS_TRY(Step(chunk[at++]));
    }
    return Ok();
  }
  std::string TakeRest() { return std::move(rest_); }

 private:
  struct Frame {
    bool object;
    std::string key;       // the key this container sits under ("" in an array, at the root)
    bool expect_key;       // in an object: the next string is a key
    std::string last_key;  // in an object: the key of the value being read
  };

  bool AtListLevel() const { return list_ >= 0 && stack_.size() == list_depth_; }
  void Put(char c) {
    if (in_element_) {
      if (collect_) element_ += c;
    } else if (keep_rest_) {
      rest_ += c;
    }
  }
  void PutRun(std::string_view run) {
    if (in_element_) {
      if (collect_) element_ += run;
    } else if (keep_rest_) {
      rest_ += run;
    }
  }
  void StartElement() {
    in_element_ = true;
    element_.clear();
  }
  Status EndElement() {
    in_element_ = false;
    return on_element_(list_, element_);
  }
  // Whether the array just opened is an event list to split: its index or -1.
  int ListAt() const {
    static const std::vector<std::string> kPaths[2] = {{"", "epcisBody", "eventList"},
                                                       {"", "epcisBody", "queryResults", "resultsBody", "eventList"}};
    for (int list = 0; list < 2; ++list) {
      if (only_list_ >= 0 && list != only_list_) continue;
      const std::vector<std::string>& path = kPaths[list];
      bool match = stack_.size() == path.size();
      for (size_t idx = 0; match && idx < path.size(); ++idx) {
        match = stack_[idx].key == path[idx] && stack_[idx].object == (idx + 1 < path.size());
      }
      if (match) return list;
    }
    return -1;
  }
  Status InString(char c) {
    Put(c);
    if (escape_) {
      escape_ = false;
    } else if (c == '\\') {
      escape_ = true;
    } else if (c == '"') {
      in_string_ = false;
      if (reading_key_) {
        reading_key_ = false;
        stack_.back().last_key = key_;
      }
    } else if (reading_key_) {
      key_ += c;
    }
    return Ok();
  }
  void Open(char c) {
    Put(c);
    std::string key = !stack_.empty() && stack_.back().object ? stack_.back().last_key : "";
    stack_.push_back(Frame{c == '{', std::move(key), c == '{', ""});
    if (c == '[' && !in_element_ && list_ < 0) {
      list_ = ListAt();
      if (list_ >= 0) list_depth_ = stack_.size();
    }
  }
  Status Close(char c) {
    if (c == ']' && AtListLevel()) {
      if (in_element_) RS_TRY(EndElement());  // a last element that is not a container
      list_ = -1;
      Put(c);
      stack_.pop_back();
      return Ok();
    }
    Put(c);
    if (!stack_.empty()) stack_.pop_back();
    if (in_element_ && stack_.size() == list_depth_ && list_ >= 0) return EndElement();
    return Ok();
  }
  // One character outside strings. Separators between events are dropped.
  Status Step(char c) {
    if (in_string_) return InString(c);
    const bool starts = AtListLevel() && !in_element_;
    switch (c) {
      case '"':
        if (starts) StartElement();
        in_string_ = true;
        reading_key_ = !stack_.empty() && stack_.back().object && stack_.back().expect_key;
        key_.clear();
        Put(c);
        return Ok();
      case '{':
      case '[':
        if (starts) StartElement();
        Open(c);
        return Ok();
      case '}':
      case ']':
        return Close(c);
      case ',':
        if (AtListLevel()) return in_element_ ? EndElement() : Ok();
        Put(c);
        if (!stack_.empty() && stack_.back().object) stack_.back().expect_key = true;
        return Ok();
      case ':':
        Put(c);
        if (!stack_.empty()) stack_.back().expect_key = false;
        return Ok();
      case ' ':
      case '\t':
      case '\n':
      case '\r':
        if (!starts) Put(c);
        return Ok();
      default:
        if (starts) StartElement();
        Put(c);
        return Ok();
    }
  }

  const int only_list_;
  const bool collect_;
  const bool keep_rest_;
  const ElementFn on_element_;
  std::vector<Frame> stack_;
  bool in_string_ = false, escape_ = false, reading_key_ = false, in_element_ = false;
  std::string key_, element_, rest_;
  int list_ = -1;           // the list being split, or -1
  size_t list_depth_ = 0;   // stack size inside that list
};

// Chunks of the document, from memory or from its file, to `fn`; stops at
// the first error `fn` returns.
Status ForEachChunk(const EpcisSource& source, const std::function<Status(std::string_view)>& fn) {
  constexpr size_t kChunk = 1 << 20;
  if (source.path.empty()) {
    for (size_t at = 0; at < source.text.size(); at += kChunk) RS_TRY(fn(source.text.substr(at, kChunk)));
    return Ok();
  }
  std::unique_ptr<std::FILE, int (*)(std::FILE*)> file(std::fopen(source.path.c_str(), "rb"), &std::fclose);
  if (!file) return Fail(ErrorCode::kNotFound, "无法读取文件");
  std::vector<char> buffer(kChunk);
  while (size_t n = std::fread(buffer.data(), 1, buffer.size(), file.get())) {
    RS_TRY(fn(std::string_view(buffer.data(), n)));
  }
  if (std::ferror(file.get())) return Fail(ErrorCode::kUnavailable, "读取文件出错");
  return Ok();
}

// Accepts every JSON value: basic_parser with it checks syntax only, in
// constant memory, with the limits json::parse applies (depth 32).
struct NullHandler {
  using string_view = json::string_view;
  using error_code = boost::system::error_code;
  static constexpr std::size_t max_object_size = std::size_t(-1);
  static constexpr std::size_t max_array_size = std::size_t(-1);
  static constexpr std::size_t max_key_size = std::size_t(-1);
  static constexpr std::size_t max_string_size = std::size_t(-1);
  bool on_document_begin(error_code&) { return true; }
  bool on_document_end(error_code&) { return true; }
  bool on_object_begin(error_code&) { return true; }
  bool on_object_end(std::size_t, error_code&) { return true; }
  bool on_array_begin(error_code&) { return true; }
  bool on_array_end(std::size_t, error_code&) { return true; }
  bool on_key_part(string_view, std::size_t, error_code&) { return true; }
  bool on_key(string_view, std::size_t, error_code&) { return true; }
  bool on_string_part(string_view, std::size_t, error_code&) { return true; }
  bool on_string(string_view, std::size_t, error_code&) { return true; }
  bool on_number_part(string_view, error_code&) { return true; }
  bool on_int64(std::int64_t, string_view, error_code&) { return true; }
  bool on_uint64(std::uint64_t, string_view, error_code&) { return true; }
  bool on_double(double, string_view, error_code&) { return true; }
  bool on_bool(bool, error_code&) { return true; }
  bool on_null(error_code&) { return true; }
  bool on_comment_part(string_view, error_code&) { return true; }
  bool on_comment(string_view, error_code&) { return true; }
};

Error NotJson() { return Error{ErrorCode::kInvalidArgument, "不是有效的 JSON 文档", "body"}; }

// First pass: the JSON syntax of the whole document, and the document
// without its events (kept by `splitter`).
Status CheckSyntax(const EpcisSource& source, EventSplitter& splitter) {
  json::basic_parser<NullHandler> parser(json::parse_options{});
  bool syntax_ok = true;
  RS_TRY(ForEachChunk(source, [&](std::string_view chunk) -> Status {
    boost::system::error_code ec;
    const size_t used = parser.write_some(true, chunk.data(), chunk.size(), ec);
    if (ec || used < chunk.size()) {
      syntax_ok = false;
      return tl::unexpected(NotJson());
    }
    return splitter.Feed(chunk);
  }));
  boost::system::error_code ec;
  parser.write_some(false, nullptr, 0, ec);
  if (!syntax_ok || ec) return tl::unexpected(NotJson());
  return Ok();
}

// The document without its events: type and header as ReadEpcisDocument
// always checked them. Returns (query document?, path of the event list).
Result<std::pair<bool, std::string>> CheckSkeleton(const std::string& rest) {
  boost::system::error_code ec;
  json::value root_value = json::parse(rest, ec);
  if (ec) return tl::unexpected(NotJson());
  if (!root_value.is_object()) return Fail(ErrorCode::kInvalidArgument, "EPCIS 文档应为 JSON 对象", "body");
  const json::object& root = root_value.get_object();
  const json::value* type = Member(root, "type");
  if (type == nullptr || !type->is_string() ||
      (type->get_string() != "EPCISDocument" && type->get_string() != "EPCISQueryDocument")) {
    return Fail(ErrorCode::kInvalidArgument, "字段 type 应为 EPCISDocument 或 EPCISQueryDocument", "type");
  }
  const bool query_document = type->get_string() == "EPCISQueryDocument";
  RS_TRY(CheckDocumentHeader(root, query_document));
  auto list = EventList(root, query_document);
  if (!list) return tl::unexpected(list.error());
  return std::make_pair(query_document, list->second);
}

// One event's JSON text to an event, its eventID derived when absent. The
// DOM lives in a buffer on the stack (most events fit) to spare the heap.
Result<EpcisEvent> MapEvent(std::string_view text, const Where& where) {
  unsigned char buffer[16384];
  json::monotonic_resource resource(buffer, sizeof buffer);
  boost::system::error_code ec;
  json::value value = json::parse(text, ec, &resource);
  if (ec) return tl::unexpected(NotJson());
  Result<EpcisEvent> event = ReadEvent(value, where);
  if (!event) return event;
  if (event->event_id.empty()) {
    // Not the normative EPCIS event-hash algorithm (which canonicalises
    // the event first): a stable name for the event as sent.
    event->event_id = "ni:///sha-256;" + Sha256Hex(event->body) + "?ver=CBV2.0";
  }
  return event;
}

}  // namespace

Result<std::vector<EpcisEvent>> ReadEpcisDocument(std::string_view text) {
  std::vector<EpcisEvent> out;
  Result<size_t> read = ReadEpcisEvents(EpcisSource{text, ""}, [&out](EpcisEvent& event) -> Status {
    out.push_back(std::move(event));
    return Ok();
  });
  if (!read) return tl::unexpected(read.error());
  return out;
}

Result<size_t> ReadEpcisEvents(const EpcisSource& source, const EpcisSink& sink,
                               const std::function<void(size_t events)>& checked) {
  size_t counts[2] = {0, 0};
  std::string rest;
  {
    EventSplitter splitter(-1, false, [&counts](int list, std::string_view) -> Status {
      ++counts[list];
      return Ok();
    });
    RS_TRY(CheckSyntax(source, splitter));
    rest = splitter.TakeRest();
  }
  Result<std::pair<bool, std::string>> document = CheckSkeleton(rest);
  if (!document) return tl::unexpected(document.error());
  rest = std::string();
  // Plain variables, not a structured binding: clang 14 (the fuzz and TSan
  // builds) cannot capture those in a lambda.
  const bool query_document = document->first;
  const std::string list_path = document->second;
  const size_t total = counts[query_document ? 1 : 0];
  if (total > kMaxEvents) {
    return Fail(ErrorCode::kPayloadTooLarge, "一个文档最多 " + std::to_string(kMaxEvents) + " 个事件", list_path);
  }
  if (checked) checked(total);
  size_t index = 0;
  EventSplitter splitter(query_document ? 1 : 0, true, [&](int, std::string_view element) -> Status {
    Result<EpcisEvent> event = MapEvent(element, Where{list_path + "[" + std::to_string(index) + "]",
                                                       static_cast<int>(index), ""});
    ++index;
    if (!event) return tl::unexpected(event.error());
    return sink(*event);
  });
  RS_TRY(ForEachChunk(source, [&splitter](std::string_view chunk) { return splitter.Feed(chunk); }));
  return index;
}

}  // namespace redshield::ingest
