#!/usr/bin/env bash
# Instructions per public verification (issue 7 §7), counted by callgrind:
# a measure that the machine's noise does not move, for comparing builds
# where requests/s and p99 on a shared 2-core machine vary by ±20% from one
# run to the next. Per request: the io threads' instructions (parsing,
# lookup, answer; user space only, the kernel's share is not counted) and the
# scan writer's (recording the scan, clone rules). No fold happens in the
# window, and the fixed costs of a flush every 200 ms weigh more at
# callgrind's ~800 requests/s than at full speed.
# Usage: bench/verify_instructions.sh BIN [BIN…]   (alternating, ROUNDS each)
#   CODES=1000000 issued once (with the first BIN); SECONDS_PER_RUN=20 ROUNDS=2
set -euo pipefail
command -v valgrind >/dev/null || { echo "needs valgrind"; exit 2; }
bins=(); for b in "$@"; do bins+=("$(realpath "$b")"); done
(( ${#bins[@]} > 0 )) || bins=("$(realpath build/src/app/redshield)")
bin=${bins[0]}
codes=${CODES:-1000000}
secs=${SECONDS_PER_RUN:-20}
rounds=${ROUNDS:-2}
source "$(dirname "$0")/lib.sh"
bench_start verify-instructions unused.json '{}'
bench_serve --access-log false
bench_issue_codes "$codes" "$(bench_login enterprise)" "$dir/codes.txt"
bench_stop_server
bench_verify_lua "$dir/codes.txt" "$dir/verify.lua"
cp "$dir/b.db" "$dir/base.db"; cp "$dir/b.db.key" "$dir/base.db.key"

requests() { curl -sf "$base/metrics" | awk '/^redshield_http_requests_total/ {s += $2} END {print s}'; }
# thread TOTAL FILE: "io", "writer" or "other" by what the thread ran
thread_kind() {
  if grep -q "HandleRequest" "$1"; then echo io
  elif grep -q "CodeService::Run" "$1"; then echo writer
  else echo other; fi
}
measure() {  # BIN: prints "io writer" instructions per request
  rm -f "$dir"/b.db* "$dir"/cg.*; cp "$dir/base.db" "$dir/b.db"; cp "$dir/base.db.key" "$dir/b.db.key"
  valgrind --tool=callgrind --instr-atstart=no --separate-threads=yes --callgrind-out-file="$dir/cg.%p" \
    "$1" serve --db "sqlite:$dir/b.db" --listen "127.0.0.1:$rs_port" --access-log false --threads 2 \
    --public-rate 1000000000 --public-burst 1000000000 2>>"$dir/server.log" >/dev/null &
  rs_pid=$!
  for _ in $(seq 600); do curl -sf "$base/healthz" >/dev/null && break; sleep 0.2; done
  wrk -t1 -c4 -d5s -s "$dir/verify.lua" "$base" -- "$dir/codes.txt" >/dev/null  # warm up
  local before; before=$(requests)
  callgrind_control -i on "$rs_pid" >/dev/null 2>&1
  wrk -t1 -c4 -d"${secs}s" -s "$dir/verify.lua" "$base" -- "$dir/codes.txt" >/dev/null
  callgrind_control -i off "$rs_pid" >/dev/null 2>&1
  local n=$(( $(requests) - before - 1 ))  # the metrics request itself counts
  callgrind_control -d "$rs_pid" >/dev/null 2>&1
  bench_stop_server
  local io=0 writer=0 total kind
  for f in "$dir"/cg.*-*; do
    total=$(callgrind_annotate "$f" 2>/dev/null | awk '/PROGRAM TOTALS/ {gsub(",", "", $1); print $1}')
    kind=$(thread_kind "$f")
    [[ $kind == io ]] && io=$(( io + total ))
    [[ $kind == writer ]] && writer=$(( writer + total ))
  done
  echo "$(( io / n )) $(( writer / n ))"
}

printf 'codes %d, %d x %ss per build under callgrind (wrk -t1 -c4), instructions per verification\n' \
  "$codes" "$rounds" "$secs"
declare -A io_runs writer_runs
for _ in $(seq "$rounds"); do
  for b in "${bins[@]}"; do
    read -r io writer < <(measure "$b")
    io_runs[$b]+="$io"$'\n'; writer_runs[$b]+="$writer"$'\n'
  done
done
for b in "${bins[@]}"; do
  printf '%-50s io threads %8d   scan writer %8d   (medians)\n' "$b" \
    "$(printf '%s' "${io_runs[$b]}" | median)" "$(printf '%s' "${writer_runs[$b]}" | median)"
done
