// `redshield screen`: screens a JSON Lines file of listings with the rule
// files and writes one JSON line per listing that scores at or above the
// threshold (every listing with --all).
//
// Input is read in blocks of whole lines; with --threads N the blocks go to N
// workers (each with its own Scanner and parser, all sharing one
// shared_ptr<const RuleSet>) and the results are written in input order. At
// most 2×N blocks are in flight, so memory is bounded by the rules and the
// block size, not by the input. Malformed lines are reported on stderr with
// their line number (the first 100 of them) and counted; they never stop the
// run. A progress bar is drawn on stderr when it is a terminal.

#include <algorithm>
#include <chrono>
#include <condition_variable>
#include <cstdio>
#include <deque>
#include <memory>
#include <mutex>
#include <thread>
#include <vector>

#include "cli/commands.h"
#include "cli/progress.h"
#include "core/json_text.h"
#include "core/thread_name.h"
#include "ingest/listing_reader.h"
#include "screening/engine.h"
#include "screening/rules.h"
#include "screening/screening_service.h"

namespace redshield::cli {
namespace {

using Clock = std::chrono::steady_clock;
using ingest::kJsonPadding;
using ingest::LineReader;
using ingest::ListingParser;

constexpr size_t kBlockBytes = 4u << 20;
constexpr uint64_t kMaxReportedErrors = 100;

struct ScreenOptions {
  std::string brands;
  std::string lexicon;
  std::string blacklist;
  int threshold = 50;
  int threads = 1;
  bool all = false;
  std::string input;
  std::string output;
};

struct Counts {
  uint64_t read = 0;
  uint64_t flagged = 0;
  uint64_t malformed = 0;
  uint64_t bytes = 0;
};

// One block of input and what screening it produced.
struct Block {
  std::string text;  // whole lines, then kJsonPadding spare bytes
  size_t length = 0;
  uint64_t first_line = 0;  // 1-based number of the block's first line
  std::string output;       // JSON lines to write
  std::string errors;       // messages for malformed lines
  Counts counts;
  bool done = false;
};

void AppendVerdict(std::string& out, const screening::RuleSet& rules,
                   const screening::Listing& listing, const screening::Verdict& verdict) {
  out += "{\"id\":" + JsonQuote(listing.id) + ",\"score\":" + std::to_string(verdict.score) +
         ",\"brand\":";
  out += verdict.brand < 0
             ? std::string("null")
             : JsonQuote(rules.spec().brands[static_cast<size_t>(verdict.brand)].name);
  out += ",\"reasons\":";
  out += screening::ReasonsJson(screening::Explain(rules, listing, verdict));
  out += "}\n";
}

// Screens every line of `block`. Runs on a worker (or the main thread).
void ScreenBlock(const screening::RuleSet& rules, screening::Scanner& scanner,
                 ListingParser& parser, const ScreenOptions& options, Block& block) {
  block.output.clear();
  block.errors.clear();
  block.counts = Counts{};
  block.counts.bytes = block.length;
  screening::Listing listing;
  size_t start = 0;
  uint64_t line_number = block.first_line;
  while (start < block.length) {
    const size_t end = block.text.find('\n', start);
    std::string_view line(block.text.data() + start, end - start);
    const size_t capacity = block.text.size() - start;
    start = end + 1;
    const uint64_t this_line = line_number++;
    if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
    if (line.find_first_not_of(" \t") == std::string_view::npos) continue;  // blank line
    ++block.counts.read;
    if (Status parsed = parser.Parse(line, capacity, listing); !parsed) {
      ++block.counts.malformed;
      block.errors += "第 " + std::to_string(this_line) + " 行：" + parsed.error().message + "\n";
      continue;
    }
    const screening::Verdict& verdict = scanner.Screen(rules, listing);
    if (verdict.score >= options.threshold) ++block.counts.flagged;
    if (options.all || verdict.score >= options.threshold) {
      AppendVerdict(block.output, rules, listing, verdict);
    }
  }
}

uint64_t CountLines(const Block& block) {
  return static_cast<uint64_t>(
      std::count(block.text.data(), block.text.data() + block.length, '\n'));
}

std::string WithSeparators(uint64_t value) {
  std::string digits = std::to_string(value);
  for (size_t i = digits.size(); i > 3; i -= 3) digits.insert(i - 3, ",");
  return digits;
}

// Writes results, counts them and draws the progress bar.
class Sink {
 public:
  Sink(std::FILE* out, const LineReader& reader) : out_(out), reader_(reader) {
    show_progress_ = bar_.enabled() && reader.total_bytes() > 0;
  }

  Status Write(const Block& block) {
    if (!block.output.empty() &&
        std::fwrite(block.output.data(), 1, block.output.size(), out_) != block.output.size()) {
      return Fail(ErrorCode::kUnavailable, "写入输出失败");
    }
    ReportErrors(block.errors);
    totals_.read += block.counts.read;
    totals_.flagged += block.counts.flagged;
    totals_.malformed += block.counts.malformed;
    totals_.bytes += block.counts.bytes;
    DrawProgress(false);
    return Ok();
  }

  void Finish() {
    DrawProgress(true);
    const double seconds =
        std::max(1e-9, std::chrono::duration<double>(Clock::now() - start_).count());
    char rates[128];
    std::snprintf(rates, sizeof rates, "用时 %.2f s，%.0f 条/s，%.1f MiB/s", seconds,
                  static_cast<double>(totals_.read) / seconds,
                  static_cast<double>(totals_.bytes) / seconds / (1 << 20));
    std::fprintf(stderr, "读取 %s 条，标记 %s 条，格式错误 %s 条；%s\n",
                 WithSeparators(totals_.read).c_str(), WithSeparators(totals_.flagged).c_str(),
                 WithSeparators(totals_.malformed).c_str(), rates);
  }

 private:
  void ReportErrors(const std::string& errors) {
    size_t start = 0;
    while (start < errors.size()) {
      const size_t end = errors.find('\n', start);
      ++errors_seen_;
      if (errors_seen_ <= kMaxReportedErrors) {
        if (show_progress_) bar_.Clear();
        std::fwrite(errors.data() + start, 1, end + 1 - start, stderr);
      } else if (errors_seen_ == kMaxReportedErrors + 1) {
        std::fputs("……后面的格式错误只计数，不再逐条显示\n", stderr);
      }
      start = end + 1;
    }
  }

  void DrawProgress(bool final) {
    if (!show_progress_) return;
    const double fraction =
        static_cast<double>(final ? reader_.total_bytes() : reader_.consumed_bytes()) /
        static_cast<double>(reader_.total_bytes());
    const double seconds = std::max(1e-9, std::chrono::duration<double>(Clock::now() - start_).count());
    char detail[96];
    std::snprintf(detail, sizeof detail, "%s 条  %.0f 条/s", WithSeparators(totals_.read).c_str(),
                  static_cast<double>(totals_.read) / seconds);
    bar_.Draw(fraction, detail, final);
  }

  std::FILE* out_;
  const LineReader& reader_;
  ProgressBar bar_;
  bool show_progress_ = false;
  Counts totals_;
  uint64_t errors_seen_ = 0;
  Clock::time_point start_ = Clock::now();
};

Status RunSingleThreaded(screening::ScreeningService& service, LineReader& reader,
                         const ScreenOptions& options, Sink& sink) {
  screening::Scanner scanner;
  ListingParser parser;
  Block block;
  block.first_line = 1;
  while (true) {
    Result<size_t> length = reader.NextBlock(block.text, kBlockBytes, kJsonPadding);
    if (!length) return tl::unexpected(length.error());
    if (*length == 0) return Ok();
    block.length = *length;
    ScreenBlock(*service.rules(), scanner, parser, options, block);
    RS_TRY(sink.Write(block));
    block.first_line += CountLines(block);
  }
}

// Blocks travel main → workers through `pending`; the main thread writes
// them from `in_flight` in input order.
class Pipeline {
 public:
  Pipeline(screening::ScreeningService& service, const ScreenOptions& options)
      : service_(service), options_(options) {
    for (int i = 0; i < options.threads; ++i) {
      workers_.emplace_back([this, i] {
        NameThisThread("rs-screen-" + std::to_string(i));
        Work();
      });
    }
  }
  ~Pipeline() {
    {
      std::lock_guard<std::mutex> lock(mu_);
      stopping_ = true;
    }
    work_ready_.notify_all();
    for (std::thread& worker : workers_) worker.join();
  }

  Status Run(LineReader& reader, Sink& sink) {
    const size_t max_in_flight = 2 * static_cast<size_t>(options_.threads);
    uint64_t next_line = 1;
    while (true) {
      std::unique_ptr<Block> block = TakeFreeBlock();
      Result<size_t> length = reader.NextBlock(block->text, kBlockBytes, kJsonPadding);
      if (!length) return tl::unexpected(length.error());
      if (*length == 0) break;
      block->length = *length;
      block->first_line = next_line;
      block->done = false;
      next_line += CountLines(*block);
      Submit(std::move(block));
      while (InFlight() >= max_in_flight) RS_TRY(WriteOldest(sink));
    }
    while (InFlight() > 0) RS_TRY(WriteOldest(sink));
    return Ok();
  }

 private:
  void Work() {
    screening::Scanner scanner;
    ListingParser parser;
    while (true) {
      Block* block = nullptr;
      {
        std::unique_lock<std::mutex> lock(mu_);
        work_ready_.wait(lock, [this] { return stopping_ || !pending_.empty(); });
        if (pending_.empty()) return;
        block = pending_.front();
        pending_.pop_front();
      }
      ScreenBlock(*service_.rules(), scanner, parser, options_, *block);
      {
        std::lock_guard<std::mutex> lock(mu_);
        block->done = true;
      }
      block_done_.notify_all();
    }
  }

  std::unique_ptr<Block> TakeFreeBlock() {
    if (free_.empty()) return std::make_unique<Block>();
    std::unique_ptr<Block> block = std::move(free_.back());
    free_.pop_back();
    return block;
  }

  void Submit(std::unique_ptr<Block> block) {
    {
      std::lock_guard<std::mutex> lock(mu_);
      pending_.push_back(block.get());
      in_flight_.push_back(std::move(block));
    }
    work_ready_.notify_one();
  }

  size_t InFlight() {
    std::lock_guard<std::mutex> lock(mu_);
    return in_flight_.size();
  }

  Status WriteOldest(Sink& sink) {
    std::unique_ptr<Block> block;
    {
      std::unique_lock<std::mutex> lock(mu_);
      block_done_.wait(lock, [this] { return in_flight_.front()->done; });
      block = std::move(in_flight_.front());
      in_flight_.pop_front();
    }
    Status written = sink.Write(*block);
    free_.push_back(std::move(block));
    return written;
  }

  screening::ScreeningService& service_;
  const ScreenOptions& options_;
  std::mutex mu_;
  std::condition_variable work_ready_;
  std::condition_variable block_done_;
  std::deque<Block*> pending_;                    // GUARDED_BY(mu_)
  std::deque<std::unique_ptr<Block>> in_flight_;  // GUARDED_BY(mu_)
  bool stopping_ = false;                         // GUARDED_BY(mu_)
  std::vector<std::unique_ptr<Block>> free_;      // main thread only
  std::vector<std::thread> workers_;
};

struct FileCloser {
  void operator()(std::FILE* file) const {
    if (file != stdout) std::fclose(file);
  }
};

Result<std::shared_ptr<const screening::RuleSet>> LoadRules(const ScreenOptions& options) {
  Result<screening::RuleSetSpec> spec =
      screening::LoadRuleFiles({options.brands, options.lexicon, options.blacklist});
  if (!spec) return tl::unexpected(spec.error());
  const auto start = Clock::now();
  Result<std::shared_ptr<const screening::RuleSet>> rules =
      screening::RuleSet::Compile(std::move(*spec));
  if (!rules) return rules;
  std::fprintf(stderr, "规则：%zu 个品牌，%zu 个词条，%zu 个黑名单卖家，%zu 个模式，编译 %.2f s\n",
               (*rules)->spec().brands.size(), (*rules)->spec().lexicon.size(),
               (*rules)->spec().blacklist.size(), (*rules)->pattern_count(),
               std::chrono::duration<double>(Clock::now() - start).count());
  return rules;
}

int Run(const ScreenOptions& options) {
  Result<std::shared_ptr<const screening::RuleSet>> rules = LoadRules(options);
  if (!rules) return ReportError(rules.error());
  screening::ScreeningService service(std::move(*rules));
  Result<std::unique_ptr<LineReader>> reader = LineReader::Open(options.input);
  if (!reader) return ReportError(reader.error());
  std::unique_ptr<std::FILE, FileCloser> out(options.output.empty() || options.output == "-"
                                                 ? stdout
                                                 : std::fopen(options.output.c_str(), "wb"));
  if (out == nullptr) {
    return ReportError(Error{ErrorCode::kUnavailable, "无法写入输出文件", "-o"});
  }
  static char buffer[1 << 20];
  std::setvbuf(out.get(), buffer, _IOFBF, sizeof buffer);
  Sink sink(out.get(), **reader);
  Status status;
  if (options.threads <= 1) {
    status = RunSingleThreaded(service, **reader, options, sink);
  } else {
    Pipeline pipeline(service, options);
    status = pipeline.Run(**reader, sink);
  }
  if (std::fflush(out.get()) != 0 && status) {
    status = Fail(ErrorCode::kUnavailable, "写入输出失败");
  }
  sink.Finish();
  return status ? 0 : ReportError(status.error());
}

}  // namespace

void AddScreenCommand(CLI::App& app, int& exit_code) {
  auto options = std::make_shared<ScreenOptions>();
  CLI::App* cmd = app.add_subcommand(
      "screen", "用品牌库、黑话词库和卖家黑名单筛查商品列表（JSON Lines，可为 .gz），输出可疑商品");
  cmd->add_option("--brands", options->brands,
                  "品牌库 CSV：brand,aliases,min_price,max_price,"
                  "authorized_sellers,categories")
      ->required();
  cmd->add_option("--lexicon", options->lexicon, "黑话词库 CSV：term,variants,weight")->required();
  cmd->add_option("--blacklist", options->blacklist,
                  "卖家黑名单 CSV：seller_id,seller_name,reason");
  cmd->add_option("--threshold", options->threshold, "输出得分不低于此值的商品（默认 50）")
      ->check(CLI::Range(0, 100));
  cmd->add_option("--threads", options->threads, "工作线程数（默认 1）")->check(CLI::Range(1, 256));
  cmd->add_flag("--all", options->all, "输出每一条商品，不论得分");
  cmd->add_option("INPUT", options->input, "商品列表：每行一个 JSON 对象；- 表示标准输入")
      ->required();
  cmd->add_option("-o,--output", options->output, "输出文件（默认标准输出）");
  cmd->callback([options, &exit_code] { exit_code = Run(*options); });
}

}  // namespace redshield::cli
