#!/usr/bin/env bash
# Requests/s of GET /healthz and of an authenticated GET /api/v1/me, each as a
# ratio to nginx serving a small static file, measured side by side with wrk
# on loopback (64 connections). Prints the median of ROUNDS runs of each.
# Usage: bench/http_baseline.sh [path/to/redshield]   (ROUNDS=3 SECONDS_PER_RUN=10)
set -euo pipefail
bin=${1:-build/src/app/redshield}
rounds=${ROUNDS:-3}
secs=${SECONDS_PER_RUN:-10}
source "$(dirname "$0")/lib.sh"
bench_start baseline healthz.json '{"status":"ok"}'
bench_serve --access-log "${ACCESS_LOG:-false}" --threads 2
token=$(bench_login office)

rps() {  # url [header]
  local out
  if [[ -n ${2:-} ]]; then out=$(wrk -t2 -c64 -d"${secs}s" --latency -H "$2" "$1"); else out=$(wrk -t2 -c64 -d"${secs}s" --latency "$1"); fi
  echo "$out" | awk '/Requests\/sec/ {print $2}'
}
declare -A runs
for r in $(seq "$rounds"); do
  runs[nginx]+="$(rps "http://127.0.0.1:$ngx_port/healthz.json")"$'\n'
  runs[healthz]+="$(rps "http://127.0.0.1:$rs_port/healthz")"$'\n'
  runs[me]+="$(rps "http://127.0.0.1:$rs_port/api/v1/me" "Authorization: Bearer $token")"$'\n'
done
n=$(printf '%s' "${runs[nginx]}" | median)
h=$(printf '%s' "${runs[healthz]}" | median)
m=$(printf '%s' "${runs[me]}" | median)
printf 'median of %d x %ss, wrk -t2 -c64, access log %s\n' "$rounds" "$secs" "${ACCESS_LOG:-false}"
printf '%-34s %10.0f req/s\n' "nginx static file" "$n"
printf '%-34s %10.0f req/s  ratio %.2f\n' "redshield GET /healthz" "$h" "$(awk -v a="$h" -v b="$n" 'BEGIN{print a/b}')"
printf '%-34s %10.0f req/s  ratio %.2f\n' "redshield GET /api/v1/me (Bearer)" "$m" "$(awk -v a="$m" -v b="$n" 'BEGIN{print a/b}')"
