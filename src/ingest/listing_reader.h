// Listing feeds as they arrive from outside: reads JSON Lines (plain or gzip)
// in large blocks of whole lines, and turns one line into the engine's plain
// Listing. Shared by `redshield screen` and the server's screening jobs.
// JSON stays here, outside src/screening (STYLE.md §2); simdjson on-demand
// parses in place, so a line costs no allocation once the parser has grown.
//
// No class here is thread-safe; use one of each per thread.
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>

#include "core/error.h"
#include "screening/engine.h"
#include "screening/listing_feed.h"

namespace redshield::ingest {

// Reads lines from a file or stdin ("-"), plain or gzip (zlib tells them
// apart by the magic bytes). A line longer than kMaxLineBytes is replaced by
// a marker line that ListingParser reports as too long, so memory stays
// bounded whatever the input.
class LineReader {
 public:
  static constexpr size_t kMaxLineBytes = 16u << 20;

  // kNotFound if the file cannot be opened (message: base name only).
  static Result<std::unique_ptr<LineReader>> Open(const std::string& path);
  ~LineReader();
  LineReader(const LineReader&) = delete;
  LineReader& operator=(const LineReader&) = delete;

  // Replaces `block` with whole lines (each ending in '\n', the last one
  // possibly added) totalling about `target_bytes`, followed by `padding`
  // spare bytes that are not part of the text. Returns the text's length, 0
  // at the end of input. kUnavailable if reading or decompressing fails.
  Result<size_t> NextBlock(std::string& block, size_t target_bytes, size_t padding);

  // Bytes consumed from the file so far and the file's size (0 if unknown,
  // e.g. stdin): the progress bar's numerator and denominator.
  uint64_t consumed_bytes() const;
  uint64_t total_bytes() const { return total_bytes_; }

 private:
  struct GzFile;
  LineReader(std::unique_ptr<GzFile> file, uint64_t total_bytes);
  Result<size_t> Fill(std::string& buffer, size_t want);

  std::unique_ptr<GzFile> file_;
  uint64_t total_bytes_ = 0;
  std::string carry_;  // the unfinished line after the last block
  bool at_end_ = false;
  bool skipping_long_line_ = false;
};

// Spare bytes NextBlock must leave after the text for the parser to read
// ahead (simdjson::SIMDJSON_PADDING; checked in listing_reader.cc).
inline constexpr size_t kJsonPadding = 64;

// The marker that stands for a line that was too long.
inline constexpr std::string_view kOverlongLineMarker = "\x01overlong";

// Parses one line into `listing`, whose views stay valid until the next
// call. `capacity` is how many bytes from line.data() may be read (at least
// line.size() + kJsonPadding). kInvalidArgument with a short
// user-safe message for malformed JSON, a missing field or a wrong type.
class ListingParser {
 public:
  ListingParser();
  ~ListingParser();
  ListingParser(const ListingParser&) = delete;
  ListingParser& operator=(const ListingParser&) = delete;

  Status Parse(std::string_view line, size_t capacity, screening::Listing& listing);

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

// A ListingFeed over a JSON Lines file (plain or gzip): line numbers count
// every line, blank ones included; blank lines are skipped. kNotFound if the
// file cannot be opened.
Result<std::unique_ptr<screening::ListingFeed>> OpenJsonlFeed(const std::string& path);

}  // namespace redshield::ingest
