#include "ingest/listing_reader.h"

#include <fcntl.h>
#include <simdjson.h>
#include <sys/stat.h>
#include <unistd.h>
#include <zlib.h>

#include <cmath>

namespace redshield::ingest {
namespace {

std::string BaseName(const std::string& path) {
  const size_t slash = path.find_last_of('/');
  return slash == std::string::npos ? path : path.substr(slash + 1);
}

constexpr size_t kReadChunk = 1u << 20;
static_assert(kJsonPadding >= simdjson::SIMDJSON_PADDING);

}  // namespace

struct LineReader::GzFile {
  explicit GzFile(gzFile opened) : handle(opened) {}
  ~GzFile() { gzclose(handle); }
  GzFile(const GzFile&) = delete;
  GzFile& operator=(const GzFile&) = delete;
  gzFile handle;
};

LineReader::LineReader(std::unique_ptr<GzFile> file, uint64_t total_bytes)
    : file_(std::move(file)), total_bytes_(total_bytes) {}
LineReader::~LineReader() = default;

Result<std::unique_ptr<LineReader>> LineReader::Open(const std::string& path) {
  const int fd = path == "-" ? dup(STDIN_FILENO) : open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) return Fail(ErrorCode::kNotFound, "无法打开输入文件 " + BaseName(path));
  struct stat info {};
  const uint64_t total =
      fstat(fd, &info) == 0 && S_ISREG(info.st_mode) ? static_cast<uint64_t>(info.st_size) : 0;
  gzFile handle = gzdopen(fd, "rb");
  if (handle == nullptr) {
    close(fd);
    return Fail(ErrorCode::kUnavailable, "无法读取输入文件 " + BaseName(path));
  }
  gzbuffer(handle, 1u << 20);
  return std::unique_ptr<LineReader>(new LineReader(std::make_unique<GzFile>(handle), total));
}

uint64_t LineReader::consumed_bytes() const {
  const z_off_t offset = gzoffset(file_->handle);
  return offset < 0 ? 0 : static_cast<uint64_t>(offset);
}

Result<size_t> LineReader::Fill(std::string& buffer, size_t want) {
  const size_t old_size = buffer.size();
  buffer.resize(old_size + want);
  const int got = gzread(file_->handle, buffer.data() + old_size, static_cast<unsigned>(want));
  if (got < 0) {
    buffer.resize(old_size);
    at_end_ = true;
    return Fail(ErrorCode::kUnavailable, "读取输入失败：数据损坏或 gzip 文件不完整");
  }
  buffer.resize(old_size + static_cast<size_t>(got));
  if (got == 0) at_end_ = true;
  return static_cast<size_t>(got);
}

// Reads until the block holds `target_bytes` ending in a line break (or the
// input ends). A run of kMaxLineBytes without a line break becomes the
// overlong-line marker, and the rest of that line is skipped on later calls.
Result<size_t> LineReader::NextBlock(std::string& block, size_t target_bytes, size_t padding) {
  block.clear();
  block.swap(carry_);
  while (true) {
    if (skipping_long_line_) {
      const size_t line_break = block.find('\n');
      if (line_break == std::string::npos) {
        block.clear();
        if (at_end_) break;
        RS_TRY(Fill(block, kReadChunk));
        continue;
      }
      block.erase(0, line_break + 1);
      skipping_long_line_ = false;
    }
    const size_t last_break = block.rfind('\n');
    if ((last_break != std::string::npos && block.size() >= target_bytes) || at_end_) break;
    if (last_break == std::string::npos && block.size() >= kMaxLineBytes) {
      block.assign(kOverlongLineMarker);
      block.push_back('\n');
      skipping_long_line_ = true;
      break;
    }
    RS_TRY(Fill(block, kReadChunk));
  }
  if (block.empty()) return size_t{0};
  const size_t last_break = block.rfind('\n');
  if (last_break == std::string::npos || last_break + 1 < block.size()) {
    if (at_end_) {
      block.push_back('\n');  // a last line without a line break
    } else {
      carry_.assign(block, last_break + 1);
      block.resize(last_break + 1);
    }
  }
  const size_t length = block.size();
  block.append(padding, ' ');
  return length;
}

struct ListingParser::Impl {
  simdjson::ondemand::parser parser;
};

ListingParser::ListingParser() : impl_(std::make_unique<Impl>()) {}
ListingParser::~ListingParser() = default;

namespace {

using simdjson::ondemand::value;

Status JsonError(simdjson::error_code code) {
  return Fail(ErrorCode::kInvalidArgument,
              std::string("不是有效的 JSON（") + simdjson::error_message(code) + "）");
}

Status WrongType(std::string_view key, std::string_view expected) {
  return Fail(ErrorCode::kInvalidArgument,
              "字段 \"" + std::string(key) + "\" 应为" + std::string(expected), std::string(key));
}

// A string field; null counts as absent.
Status ReadString(value& field, std::string_view key, std::string_view& out, bool& present) {
  bool is_null = false;
  if (field.is_null().get(is_null) == simdjson::SUCCESS && is_null) return Ok();
  if (field.get_string().get(out) != simdjson::SUCCESS) return WrongType(key, "字符串");
  present = true;
  return Ok();
}

// The id may be a string or a number (kept as written).
Status ReadId(value& field, std::string_view& out, bool& present) {
  simdjson::ondemand::json_type type;
  if (field.type().get(type) != simdjson::SUCCESS) return WrongType("id", "字符串或数字");
  if (type == simdjson::ondemand::json_type::number) {
    out = field.raw_json_token();
    while (!out.empty() && (out.back() == ' ' || out.back() == '\t' || out.back() == '\r')) {
      out.remove_suffix(1);
    }
    present = !out.empty();
    return Ok();
  }
  if (type != simdjson::ondemand::json_type::string) return WrongType("id", "字符串或数字");
  return ReadString(field, "id", out, present);
}

Status ReadPrice(value& field, int64_t& price_fen, bool& present) {
  double yuan = 0;
  if (field.get_double().get(yuan) != simdjson::SUCCESS) return WrongType("price", "数字（元）");
  if (!std::isfinite(yuan) || yuan < 0 || yuan > 1e12) {
    return Fail(ErrorCode::kInvalidArgument, "字段 \"price\" 应为 0 到 1e12 之间的金额（元）",
                "price");
  }
  price_fen = std::llround(yuan * 100);
  present = true;
  return Ok();
}

enum Required : unsigned {
  kId = 1,
  kPlatform = 2,
  kTitle = 4,
  kPrice = 8,
  kSellerId = 16,
  kSellerName = 32,
  kAll = 63,
};

Status CheckRequired(unsigned seen) {
  static constexpr std::pair<unsigned, std::string_view> kNames[] = {
      {kId, "id"},       {kPlatform, "platform"},  {kTitle, "title"},
      {kPrice, "price"}, {kSellerId, "seller_id"}, {kSellerName, "seller_name"}};
  for (const auto& [bit, name] : kNames) {
    if ((seen & bit) == 0) {
      return Fail(ErrorCode::kInvalidArgument, "缺少字段 \"" + std::string(name) + "\"",
                  std::string(name));
    }
  }
  return Ok();
}

// Where a known key's value goes: the Listing field and the Required bit
// (0 for optional fields). Dispatches on the key's length first: a listing
// line has about ten keys, so string comparisons add up.
struct TextTarget {
  std::string_view* field = nullptr;
  unsigned bit = 0;
};

TextTarget TextTargetFor(std::string_view key, screening::Listing& listing) {
  switch (key.size()) {
    case 5:
      if (key == "title") return {&listing.title, kTitle};
      break;
    case 3:
      if (key == "url") return {&listing.url, 0};
      break;
    case 6:
      if (key == "region") return {&listing.region, 0};
      break;
    case 7:
      if (key == "license") return {&listing.license, 0};
      break;
    case 8:
      if (key == "platform") return {&listing.platform, kPlatform};
      if (key == "category") return {&listing.category, 0};
      break;
    case 9:
      if (key == "seller_id") return {&listing.seller_id, kSellerId};
      break;
    case 11:
      if (key == "description") return {&listing.description, 0};
      if (key == "seller_name") return {&listing.seller_name, kSellerName};
      break;
    default:
      break;
  }
  return {};
}

// One field of the listing object; unknown keys (observed_at, label ...)
// are skipped.
Status ReadField(std::string_view key, value& field, screening::Listing& listing, unsigned& seen) {
  bool present = false;
  if (key.size() == 2 && key == "id") {
    RS_TRY(ReadId(field, listing.id, present));
    if (present) seen |= kId;
    return Ok();
  }
  if (key.size() == 5 && key == "price") {
    RS_TRY(ReadPrice(field, listing.price_fen, present));
    if (present) seen |= kPrice;
    return Ok();
  }
  const TextTarget target = TextTargetFor(key, listing);
  if (target.field == nullptr) return Ok();
  RS_TRY(ReadString(field, key, *target.field, present));
  if (present) seen |= target.bit;
  return Ok();
}

}  // namespace

Status ListingParser::Parse(std::string_view line, size_t capacity, screening::Listing& listing) {
  if (line == kOverlongLineMarker) {
    return Fail(ErrorCode::kPayloadTooLarge, "行过长（超过 16 MiB），已跳过");
  }
  listing = screening::Listing{};
  simdjson::ondemand::document document;
  const simdjson::padded_string_view json(line.data(), line.size(), capacity);
  if (auto error = impl_->parser.iterate(json).get(document)) return JsonError(error);
  simdjson::ondemand::object object;
  if (auto error = document.get_object().get(object)) {
    if (error == simdjson::INCORRECT_TYPE)
      return Fail(ErrorCode::kInvalidArgument, "不是 JSON 对象");
    return JsonError(error);
  }
  unsigned seen = 0;
  for (auto entry : object) {
    simdjson::ondemand::field field;
    if (auto error = std::move(entry).get(field)) return JsonError(error);
    std::string_view key;
    if (auto error = field.unescaped_key().get(key)) return JsonError(error);
    value field_value = field.value();
    RS_TRY(ReadField(key, field_value, listing, seen));
  }
  // simdjson 3.0 has no document::at_end(); a location exists only before the end.
  if (document.current_location().error() == simdjson::SUCCESS) {
    return Fail(ErrorCode::kInvalidArgument, "JSON 对象之后还有多余内容");
  }
  return CheckRequired(seen);
}

namespace {

constexpr size_t kFeedBlockBytes = 4u << 20;

class JsonlFeed final : public screening::ListingFeed {
 public:
  explicit JsonlFeed(std::unique_ptr<LineReader> reader) : reader_(std::move(reader)) {}

  Result<bool> Next(screening::FeedEntry& entry) override {
    while (true) {
      if (start_ >= length_) {
        Result<size_t> length = reader_->NextBlock(block_, kFeedBlockBytes, kJsonPadding);
        if (!length) return tl::unexpected(length.error());
        if (*length == 0) return false;
        length_ = *length;
        start_ = 0;
      }
      const size_t end = block_.find('\n', start_);
      std::string_view line(block_.data() + start_, end - start_);
      const size_t capacity = block_.size() - start_;
      start_ = end + 1;
      entry.line = ++line_number_;
      if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
      if (line.find_first_not_of(" \t") == std::string_view::npos) continue;
      entry.parsed = parser_.Parse(line, capacity, entry.listing);
      return true;
    }
  }

  uint64_t bytes_read() const override { return reader_->consumed_bytes(); }
  uint64_t bytes_total() const override { return reader_->total_bytes(); }

 private:
  std::unique_ptr<LineReader> reader_;
  ListingParser parser_;
  std::string block_;
  size_t length_ = 0;
  size_t start_ = 0;
  uint64_t line_number_ = 0;
};

}  // namespace

Result<std::unique_ptr<screening::ListingFeed>> OpenJsonlFeed(const std::string& path) {
  Result<std::unique_ptr<LineReader>> reader = LineReader::Open(path);
  if (!reader) return tl::unexpected(reader.error());
  return std::unique_ptr<screening::ListingFeed>(new JsonlFeed(std::move(*reader)));
}

}  // namespace redshield::ingest
