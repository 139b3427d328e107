#!/usr/bin/env bash
# Screening throughput with a 10,000-brand registry on one thread, and
# ripgrep `-F -f` with the same patterns on the same file, in the same run.
#
#   bench/screening_vs_ripgrep.sh [BUILD_DIR] [WORK_DIR] [LISTINGS]
#
# BUILD_DIR (default ./build) must be configured with -DREDSHIELD_BENCH=ON and
# have screening_bench built:  ninja -C build -j1 screening_bench redshield
# WORK_DIR (default /tmp/redshield-screening-bench) keeps the generated
# registry and listings between runs. LISTINGS defaults to 1,000,000.
# Prints wall-clock and CPU-time figures (medians of 3): on a shared machine
# the CPU-time ratio is the fairer one; quote both.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
build=${1:-$root/build}
work=${2:-/tmp/redshield-screening-bench}
count=${3:-1000000}

if [[ ! -x $build/bench/screening_bench ]]; then
  echo "missing $build/bench/screening_bench:" >&2
  echo "  cmake -DREDSHIELD_BENCH=ON $build && ninja -C $build -j1 screening_bench" >&2
  exit 2
fi
command -v rg >/dev/null || { echo "ripgrep is missing (apt-get install ripgrep)" >&2; exit 2; }

mkdir -p "$work"
listings=$work/listings_$count.jsonl
if [[ ! -s $listings || ! -s $work/brands_10k.csv ]]; then
  echo "generating $count listings and a 10,000-brand registry in $work"
  python3 "$root/tools/gen_listings.py" --count "$count" --seed 6 --synthetic-brands 10000 \
    --brands-out "$work/brands_10k.csv" -o "$listings"
fi

echo "machine: $(nproc) cores, load average $(cut -d' ' -f1-3 /proc/loadavg)"
"$build/bench/screening_bench" --brands "$work/brands_10k.csv" \
  --lexicon "$root/data/screening/lexicon.csv" \
  --blacklist "$root/data/screening/sellers_blacklist.csv" \
  --input "$listings" --patterns-out "$work/patterns.txt" --repeat 3 --rg

if [[ -x $build/src/app/redshield ]]; then
  echo "redshield screen (one thread, whole command: read, parse, screen, write flagged):"
  "$build/src/app/redshield" screen --brands "$work/brands_10k.csv" \
    --lexicon "$root/data/screening/lexicon.csv" \
    --blacklist "$root/data/screening/sellers_blacklist.csv" \
    --threads 1 "$listings" -o /dev/null
fi
echo "machine after: load average $(cut -d' ' -f1-3 /proc/loadavg)"
