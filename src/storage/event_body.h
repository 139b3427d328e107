// EPCIS event bodies as SQLite stores them (issue 7 §7). The event's JSON
// text is most of a captured event's bytes (383 of ~1,050 per event with its
// codes, references and indexes), and every byte is written twice (WAL, then
// checkpoint); compressed against a fixed dictionary of EPCIS 2.0 fragments,
// a typical event takes about a third.
//
// Stored format: the byte 0x01, then a zstd frame made with dictionary 1
// (event_body.cc). Anything else is a plain body: rows of PostgreSQL, whose
// text columns cannot hold the frame, and rows stored before. The dictionary
// is part of the stored format and never changes; another one would take
// another leading byte.
#pragma once

#include <string>
#include <string_view>

#include "core/error.h"

namespace redshield::storage {

// The stored form of `json`. Never fails: `json` itself if it is packed
// already, cannot be compressed or would not get smaller. Thread-safe.
std::string PackEventBody(std::string_view json);

// True for a packed body (the leading byte).
bool IsPackedEventBody(std::string_view stored);

// The JSON text of a stored body, packed or plain; kInternal if a packed
// body does not decompress (a damaged row). Thread-safe.
Result<std::string> UnpackEventBody(std::string_view stored);

}  // namespace redshield::storage
