// A source of listings read in order, one entry per non-blank input line:
// either a listing or the reason its line is malformed. The screening jobs
// of the clues module read feeds through this interface; ingest/ implements
// it for JSON Lines files (the only place that knows the format).
//
// Not thread-safe: one reader at a time.
#pragma once

#include <cstdint>

#include "core/error.h"
#include "screening/engine.h"

namespace redshield::screening {

struct FeedEntry {
  uint64_t line = 0;  // 1-based line number in the input
  Status parsed;      // an error: the line is malformed, `listing` is meaningless
  Listing listing;    // views valid until the next call to Next
};

class ListingFeed {
 public:
  virtual ~ListingFeed() = default;

  // Fills `entry` with the next listing or malformed line; false at the end
  // of the input. kUnavailable if reading fails (the feed is then finished).
  virtual Result<bool> Next(FeedEntry& entry) = 0;
  // Bytes of the input consumed so far, and its size (0 if unknown).
  virtual uint64_t bytes_read() const = 0;
  virtual uint64_t bytes_total() const = 0;
};

}  // namespace redshield::screening
