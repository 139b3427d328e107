#!/usr/bin/env bash
# Issue 7 §7: GET /api/v1/public/verify/{code} with random existing codes at
# 64 connections (wrk), as a ratio to nginx serving a small static file in the
# same run, with p99; then the time to capture EVENTS EPCIS events and to list
# the holders of a recalled batch. Prints the figures and the ratio.
# Usage: bench/verify_bench.sh [path/to/redshield]
#   CODES=200000 (issued through the API in batches of 100000)
#   EVENTS=100000, captured as documents of at most DOC_EVENTS=1000000 events
#   each (POST /api/v1/trace/capture, one document at a time, each generated
#   just before its capture and deleted after); the response time of the
#   largest document is the figure for the "1M events in 30 s" target. One
#   more document then goes through `redshield trace capture` (the CLI).
#   SECONDS_PER_RUN=10 ROUNDS=3 THREADS=2
#   WRK_CODES=10000000: wrk picks among at most this many codes (a uniform
#   sample of the issued ones).
# Full size of the issue (10M codes, 30M events; hours, ~15 GB of disk):
#   CODES=10000000 EVENTS=30000000 bench/verify_bench.sh
set -euo pipefail
bin=$(realpath "${1:-build/src/app/redshield}")
codes=${CODES:-200000}
events=${EVENTS:-100000}
doc_events=${DOC_EVENTS:-1000000}
wrk_codes=${WRK_CODES:-10000000}
rounds=${ROUNDS:-3}
secs=${SECONDS_PER_RUN:-10}
threads=${THREADS:-2}
source "$(dirname "$0")/lib.sh"
bench_start verify verify.json '{"status":"正常","product":"5%阿维菌素乳油","registrant":"内蒙古演示农资有限公司","scan_count":1}'
bench_serve --access-log false --threads "$threads" --public-rate 1000000000 --public-burst 1000000000
ent=$(bench_login enterprise)
off=$(bench_login officer)

# --- codes ---------------------------------------------------------------------
start=$(date +%s.%N)
bench_issue_codes "$codes" "$ent" "$dir/codes.txt"
issue_s=$(awk -v a="$start" -v b="$(date +%s.%N)" 'BEGIN{printf "%.1f", b-a}')
if (( codes > wrk_codes )); then shuf -n "$wrk_codes" "$dir/codes.txt" > "$dir/wrk_codes.txt"
else cp "$dir/codes.txt" "$dir/wrk_codes.txt"; fi
bench_verify_lua "$dir/wrk_codes.txt" "$dir/verify.lua"

run() {  # url [script]
  if [[ -n ${2:-} ]]; then wrk -t2 -c64 -d"${secs}s" --latency -s "$2" "$1" -- "$dir/wrk_codes.txt"
  else wrk -t2 -c64 -d"${secs}s" --latency "$1"; fi
}
rps() { awk '/Requests\/sec/ {print $2}'; }
p99() { awk '$1=="99%" {v=$2; if (v ~ /ms$/) {sub(/ms/,"",v); print v} else if (v ~ /us$/) {sub(/us/,"",v); print v/1000} else {sub(/s/,"",v); print v*1000}}'; }
ngx=""; ngx_lat=""; ver=""; lat=""
for _ in $(seq "$rounds"); do
  out=$(run "http://127.0.0.1:$ngx_port/verify.json")
  ngx+="$(echo "$out" | rps)"$'\n'
  ngx_lat+="$(echo "$out" | p99)"$'\n'
  out=$(run "$base/" "$dir/verify.lua")
  ver+="$(echo "$out" | rps)"$'\n'
  lat+="$(echo "$out" | p99)"$'\n'
done
n=$(printf '%s' "$ngx" | median); nl=$(printf '%s' "$ngx_lat" | median); v=$(printf '%s' "$ver" | median); l=$(printf '%s' "$lat" | median)

# --- capture ---------------------------------------------------------------------
gen_events() {  # path first count: ObjectEvents first..first+count-1 over the issued codes
  python3 - "$1" "$2" "$3" "$dir/codes.txt" <<'PY'
import sys
path, first, count = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
codes = open(sys.argv[4]).read().split()
with open(path, "w") as f:
    f.write('{"@context":["https://ref.gs1.org/standards/epcis/2.0.0/epcis-context.jsonld"],"type":"EPCISDocument",'
            '"schemaVersion":"2.0","creationDate":"2026-11-29T10:00:00Z","epcisBody":{"eventList":[')
    for i in range(first, first + count):
        code = codes[i % len(codes)]
        step = "shipping" if i % 2 else "receiving"
        f.write(("," if i > first else "") + '{"type":"ObjectEvent","eventID":"urn:uuid:bench-%d","eventTime":"2026-11-20T09:00:00+08:00",'
                '"eventTimeZoneOffset":"+08:00","action":"OBSERVE","bizStep":"%s","epcList":["https://t.example.cn/v/%s"],'
                '"bizLocation":{"id":"urn:epc:id:sgln:0614141.%05d.0"},'
                '"destinationList":[{"type":"owning_party","destination":"urn:epc:id:pgln:0614141.%05d"}]}' % (i, step, code, i % 10000, i % 10000))
    f.write("]}}")
PY
}
# Each document goes to POST /api/v1/trace/capture as an enterprise sends it; its figure is the
# response time (the events are stored and durable then; the server copies its WAL back into the
# database on a thread of its own). One more document goes through `redshield trace capture`,
# whose time includes the checkpoint its process runs as it exits.
capture_s=0; largest_s=0; largest_n=0; docs=0
for (( first = 0; first < events; first += doc_events )); do
  doc_n=$(( events - first < doc_events ? events - first : doc_events ))
  gen_events "$dir/events.jsonld" "$first" "$doc_n"
  took=$(curl -sf -o "$dir/capture.json" -w '%{time_total}' -X POST "$base/api/v1/trace/capture?name=bench" \
    -H "Authorization: Bearer $ent" -H 'Content-Type: application/ld+json' --data-binary @"$dir/events.jsonld")
  stored=$(python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["events"])' "$dir/capture.json")
  (( stored == doc_n )) || { echo "capture stored $stored of $doc_n events"; exit 1; }
  rm -f "$dir/events.jsonld"
  capture_s=$(awk -v a="$capture_s" -v b="$took" 'BEGIN{print a+b}')
  (( doc_n >= largest_n )) && { largest_n=$doc_n; largest_s=$took; }
  docs=$(( docs + 1 ))
done
peak_kb=$(awk '/VmHWM/ {print $2}' "/proc/$rs_pid/status")
cli_n=$(( events < doc_events ? events : doc_events ))
gen_events "$dir/events.jsonld" "$events" "$cli_n"
/usr/bin/time -f '%e %M' -o "$dir/capture.time" "$bin" trace capture --db "sqlite:$dir/b.db" "$dir/events.jsonld" >/dev/null
read -r cli_s cli_kb < "$dir/capture.time"
rm -f "$dir/events.jsonld"
bench_stop_server
bench_serve --access-log false
off=$(bench_login officer)
start=$(date +%s.%N)
holders=$(curl -sf -X POST "$base/api/v1/trace/batches/${batch_ids[0]}/recall" -H "Authorization: Bearer $off" \
  -d '{"reason":"bench"}' | python3 -c 'import json,sys; print(len(json.load(sys.stdin)["holders"]))')
recall_s=$(awk -v a="$start" -v b="$(date +%s.%N)" 'BEGIN{printf "%.2f", b-a}')

printf 'codes %d (issued in %ss), median of %d x %ss, wrk -t2 -c64, server --threads %d\n' "$codes" "$issue_s" "$rounds" "$secs" "$threads"
# nginx's p99 is the host's floor: on 2 cores shared with wrk, a response also waits for a core.
printf '%-40s %10.0f req/s              p99 %.2f ms\n' "nginx static file" "$n" "$nl"
printf '%-40s %10.0f req/s  ratio %.2f  p99 %.2f ms\n' "GET /api/v1/public/verify/{random code}" "$v" \
  "$(awk -v a="$v" -v b="$n" 'BEGIN{print a/b}')" "$l"
printf '%-40s %10s s for %d events in %d documents (%.0f events/s); largest document %d events in %s s; server peak RSS %d MB\n' \
  "trace capture (HTTP)" "$capture_s" "$events" "$docs" "$(awk -v a="$events" -v b="$capture_s" 'BEGIN{print a/b}')" \
  "$largest_n" "$largest_s" "$(( peak_kb / 1024 ))"
printf '%-40s %10s s for one more document of %d events; peak RSS %d MB\n' "trace capture (CLI)" "$cli_s" "$cli_n" \
  "$(( cli_kb / 1024 ))"
printf '%-40s %10s s, %d holders\n' "recall (holders of a batch)" "$recall_s" "$holders"
