// Listing screening throughput on one thread, against ripgrep in the same run
// (DESIGN.md: ≥ 1,000,000 listings/s with 10k brand patterns, at least
// ripgrep `-F -f` bytes/s on the same file). A plain timed program rather
// than Google Benchmark: the unit of work is a whole file and the reference
// is an external process.
//
//   screening_bench --brands B.csv --lexicon L.csv [--blacklist S.csv]
//                   --input listings.jsonl [--repeat 3] [--patterns-out P.txt] [--rg]
//
// Phases, each timed `repeat` times and reported as the median:
//   parse   simdjson on-demand of every line into a Listing (ingest/listing_reader)
//   engine  Scanner::Screen of listings parsed beforehand (normalise + scan + score)
//   total   parse + screen of every line: what `redshield screen` does per line
//           (less reading the file and writing results)
// With --rg, `rg -F -f P.txt -c INPUT` runs `repeat` times too, with P.txt the
// rule set's patterns as written (brand names, aliases, terms, variants).
// The ratio printed is total MiB/s over ripgrep MiB/s.
#include <sys/resource.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <algorithm>
#include <array>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <set>
#include <string>
#include <string_view>
#include <vector>

#include "ingest/listing_reader.h"
#include "core/csv.h"
#include "screening/engine.h"
#include "screening/rules.h"

namespace {

using redshield::ingest::kJsonPadding;
using redshield::ingest::ListingParser;
using redshield::screening::Listing;
using redshield::screening::RuleSet;
using redshield::screening::Scanner;
using Clock = std::chrono::steady_clock;

struct Options {
  std::string brands, lexicon, blacklist, input, patterns_out = "/tmp/screening_patterns.txt";
  int repeat = 3;
  bool rg = false;
};

[[noreturn]] void Die(const std::string& message) {
  std::fprintf(stderr, "screening_bench: %s\n", message.c_str());
  std::exit(2);
}

Options ParseArgs(int argc, char** argv) {
  Options options;
  for (int i = 1; i < argc; ++i) {
    const std::string arg = argv[i];
    auto value = [&]() -> std::string {
      if (i + 1 >= argc) Die("missing value for " + arg);
      return argv[++i];
    };
    if (arg == "--brands")
      options.brands = value();
    else if (arg == "--lexicon")
      options.lexicon = value();
    else if (arg == "--blacklist")
      options.blacklist = value();
    else if (arg == "--input")
      options.input = value();
    else if (arg == "--patterns-out")
      options.patterns_out = value();
    else if (arg == "--repeat")
      options.repeat = std::max(1, std::atoi(value().c_str()));
    else if (arg == "--rg")
      options.rg = true;
    else
      Die("unknown argument " + arg);
  }
  if (options.brands.empty() || options.lexicon.empty() || options.input.empty()) {
    Die("usage: screening_bench --brands B --lexicon L [--blacklist S] --input F [--repeat N] "
        "[--patterns-out P] [--rg]");
  }
  return options;
}

double Median(std::vector<double> values) {
  std::sort(values.begin(), values.end());
  return values[values.size() / 2];
}

double ThreadCpuSeconds() {
  timespec now{};
  clock_gettime(CLOCK_THREAD_CPUTIME_ID, &now);
  return static_cast<double>(now.tv_sec) + static_cast<double>(now.tv_nsec) * 1e-9;
}

double ChildrenCpuSeconds() {
  rusage usage{};
  getrusage(RUSAGE_CHILDREN, &usage);
  auto seconds = [](const timeval& t) {
    return static_cast<double>(t.tv_sec) + static_cast<double>(t.tv_usec) * 1e-6;
  };
  return seconds(usage.ru_utime) + seconds(usage.ru_stime);
}

// Wall-clock and CPU seconds of one phase, medians over the repetitions.
// The machine is shared, so both are printed: wall time is what a user
// sees, CPU time is what the code costs when another job takes the core.
struct Timing {
  double wall = 0;
  double cpu = 0;
};

template <typename Fn>
Timing Measure(int repeat, Fn fn, double (*cpu_clock)() = ThreadCpuSeconds) {
  std::vector<double> wall;
  std::vector<double> cpu;
  for (int i = 0; i < repeat; ++i) {
    const auto start = Clock::now();
    const double cpu_start = cpu_clock();
    fn();
    cpu.push_back(cpu_clock() - cpu_start);
    wall.push_back(std::chrono::duration<double>(Clock::now() - start).count());
  }
  return Timing{Median(wall), Median(cpu)};
}

// Listings parsed once and kept: their text lives in `arena`.
struct Parsed {
  std::string arena;
  std::vector<Listing> listings;
};

Parsed ParseAll(const std::string& text, const std::vector<std::string_view>& lines) {
  Parsed parsed;
  parsed.arena.reserve(text.size());
  std::vector<std::array<std::pair<size_t, size_t>, 8>> spans;
  std::vector<int64_t> prices;
  ListingParser parser;
  Listing listing;
  for (std::string_view line : lines) {
    const size_t capacity = static_cast<size_t>(text.data() + text.size() - line.data());
    if (!parser.Parse(line, capacity, listing)) continue;
    std::array<std::pair<size_t, size_t>, 8> fields;
    const std::string_view views[8] = {listing.id,          listing.platform,  listing.title,
                                       listing.description, listing.seller_id, listing.seller_name,
                                       listing.category,    listing.license};
    for (size_t f = 0; f < 8; ++f) {
      fields[f] = {parsed.arena.size(), views[f].size()};
      parsed.arena.append(views[f]);
    }
    spans.push_back(fields);
    prices.push_back(listing.price_fen);
  }
  for (size_t i = 0; i < spans.size(); ++i) {
    auto view = [&](size_t f) {
      return std::string_view(parsed.arena).substr(spans[i][f].first, spans[i][f].second);
    };
    Listing out;
    out.id = view(0);
    out.platform = view(1);
    out.title = view(2);
    out.description = view(3);
    out.seller_id = view(4);
    out.seller_name = view(5);
    out.category = view(6);
    out.license = view(7);
    out.price_fen = prices[i];
    parsed.listings.push_back(out);
  }
  return parsed;
}

void WritePatterns(const redshield::screening::RuleSetSpec& spec, const std::string& path) {
  std::set<std::string> patterns;
  for (const auto& brand : spec.brands) {
    patterns.insert(brand.name);
    patterns.insert(brand.aliases.begin(), brand.aliases.end());
  }
  for (const auto& term : spec.lexicon) {
    patterns.insert(term.term);
    patterns.insert(term.variants.begin(), term.variants.end());
  }
  std::ofstream out(path);
  for (const std::string& pattern : patterns) out << pattern << '\n';
  std::printf("patterns for ripgrep: %zu in %s\n", patterns.size(), path.c_str());
}

Timing RunRipgrep(const Options& options) {
  const std::string command =
      "rg -F -f '" + options.patterns_out + "' -c '" + options.input + "' > /dev/null";
  return Measure(
      options.repeat,
      [&] {
        const int status = std::system(command.c_str());
        if (status == -1 || !WIFEXITED(status) || WEXITSTATUS(status) > 1) {
          Die("rg failed: " + command);
        }
      },
      ChildrenCpuSeconds);
}

void Report(const char* phase, const Timing& timing, size_t listings, size_t bytes) {
  auto rate = [](size_t amount, double seconds) { return static_cast<double>(amount) / seconds; };
  std::printf(
      "%-8s wall %7.3f s %11.0f listings/s %8.1f MiB/s | cpu %7.3f s %11.0f listings/s %8.1f "
      "MiB/s\n",
      phase, timing.wall, rate(listings, timing.wall), rate(bytes, timing.wall) / (1 << 20),
      timing.cpu, rate(listings, timing.cpu), rate(bytes, timing.cpu) / (1 << 20));
}

}  // namespace

int main(int argc, char** argv) {
  const Options options = ParseArgs(argc, argv);
  redshield::Result<redshield::screening::RuleSetSpec> spec =
      redshield::screening::LoadRuleFiles({options.brands, options.lexicon, options.blacklist});
  if (!spec) Die(spec.error().message);
  WritePatterns(*spec, options.patterns_out);
  const auto compile_start = Clock::now();
  redshield::Result<std::shared_ptr<const RuleSet>> rules = RuleSet::Compile(std::move(*spec));
  if (!rules) Die(rules.error().message);
  std::printf("rules: %zu brands, %zu lexicon terms, %zu patterns, compiled in %.2f s\n",
              (*rules)->spec().brands.size(), (*rules)->spec().lexicon.size(),
              (*rules)->pattern_count(),
              std::chrono::duration<double>(Clock::now() - compile_start).count());

  redshield::Result<std::string> text = redshield::ReadTextFile(options.input);
  if (!text) Die(text.error().message);
  const size_t bytes = text->size();
  text->append(kJsonPadding, ' ');
  std::vector<std::string_view> lines;
  for (size_t start = 0; start < bytes;) {
    size_t end = text->find('\n', start);
    if (end == std::string::npos || end > bytes) end = bytes;
    if (end > start) lines.emplace_back(text->data() + start, end - start);
    start = end + 1;
  }
  std::printf("input: %zu lines, %.1f MiB, one thread, median of %d\n", lines.size(),
              static_cast<double>(bytes) / (1 << 20), options.repeat);

  ListingParser parser;
  Listing listing;
  size_t parsed_ok = 0;
  const Timing parse_s = Measure(options.repeat, [&] {
    parsed_ok = 0;
    for (std::string_view line : lines) {
      const size_t capacity = static_cast<size_t>(text->data() + text->size() - line.data());
      parsed_ok += parser.Parse(line, capacity, listing).has_value();
    }
  });

  const Parsed parsed = ParseAll(*text, lines);
  Scanner scanner;
  size_t flagged = 0;
  const Timing engine_s = Measure(options.repeat, [&] {
    flagged = 0;
    for (const Listing& item : parsed.listings)
      flagged += scanner.Screen(**rules, item).score >= 50;
  });

  const Timing total_s = Measure(options.repeat, [&] {
    flagged = 0;
    for (std::string_view line : lines) {
      const size_t capacity = static_cast<size_t>(text->data() + text->size() - line.data());
      if (!parser.Parse(line, capacity, listing)) continue;
      flagged += scanner.Screen(**rules, listing).score >= 50;
    }
  });

  std::printf("parsed %zu listings, %zu flagged at 50\n", parsed_ok, flagged);
  Report("parse", parse_s, lines.size(), bytes);
  Report("engine", engine_s, parsed.listings.size(), bytes);
  Report("total", total_s, lines.size(), bytes);
  if (options.rg) {
    const Timing rg_s = RunRipgrep(options);
    Report("ripgrep", rg_s, lines.size(), bytes);
    std::printf("ratio total/ripgrep bytes/s: wall %.2f, cpu %.2f\n", rg_s.wall / total_s.wall,
                rg_s.cpu / total_s.cpu);
  }
  return 0;
}
