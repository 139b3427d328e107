// EPCIS 2.0 JSON / JSON-LD documents (issue 7 §3): validation against the
// GS1 EPCIS 2.0 JSON schema and the CBV vocabularies, and mapping of the
// events to trace::EpcisEvent.
//
// No JSON-schema validator for C++ is packaged in Debian, so this is a
// focused validator written from ../shared/data/epcis/schema/EPCIS-JSON-Schema.json
// (draft-07): it checks what that schema constrains for EPCISDocument and
// EPCISQueryDocument — required members, allowed member names (others must
// be URIs, i.e. JSON-LD extension terms such as "example:myField"), types,
// the eventTimeZoneOffset and uom patterns, date-time and URI formats, enums
// (action, CBV bizStep, disposition, bizTransaction / source-destination
// types, error reasons), uniqueItems of EPC lists, the per-event-type
// anyOf rules (epcList or quantityList, childEPCs or DELETE, input and output
// lists or transformationID, ilmd only with ADD) and the shape of quantity
// elements, persistentDisposition, sensor elements and errorDeclaration.
// Sensor report members other than their shape, and master-data vocabulary
// contents, are not checked. Beyond the schema, and as the CBV standard
// allows, a CBV value written as its URI (urn:epcglobal:cbv:bizstep:shipping,
// https://ns.gs1.org/cbv/BizStep-shipping) is accepted when it names a CBV
// value, and stored as the short name.
//
// Errors are kInvalidArgument; the message names the event by its index and
// the field, and Error::field holds the path ("epcisBody.eventList[2].action").
//
// Large documents (issue 7 §7: a million events) are read in two streaming
// passes rather than as one DOM: the first checks the JSON syntax of the
// whole document and the document without its events; the second maps one
// event at a time. Memory is one event plus the document's other members,
// whatever the number of events. Thread-safe: pure functions.
#pragma once

#include <functional>
#include <string>
#include <string_view>
#include <vector>

#include "core/error.h"
#include "trace/epcis.h"

namespace redshield::ingest {

// The events of a valid document, in document order; nothing on error.
Result<std::vector<trace::EpcisEvent>> ReadEpcisDocument(std::string_view json);

// A document in memory (`text`) or in a file (`path`, when not empty). It is
// read twice, so a file must not change meanwhile.
struct EpcisSource {
  std::string_view text;
  std::string path;
};

// Checks the document (syntax, type, header, eventList, number of events),
// then maps its events one at a time, in document order, and passes each to
// `sink`, which may take it over (move from it). Returns the number of
// events. Stops at the first error: the document's (kInvalidArgument,
// kPayloadTooLarge over the event limit, kUnavailable if the file cannot be
// read) or the one `sink` returns. Errors are reported in the order of
// ReadEpcisDocument: syntax, document, then events; a caller that stores
// events as they come must discard them on error. `checked`, if set, is
// called once the first pass has checked the document, with its number of
// events (for a progress bar).
using EpcisSink = std::function<Status(trace::EpcisEvent& event)>;
Result<size_t> ReadEpcisEvents(const EpcisSource& source, const EpcisSink& sink,
                               const std::function<void(size_t events)>& checked = {});

}  // namespace redshield::ingest
