#!/usr/bin/env bash
# Requests/s of GET /healthz and of an authenticated GET /api/v1/me, each as a
# ratio to nginx serving a small static file, measured side by side with wrk
# on loopback (64 connections). Prints the median of ROUNDS runs of each.
# Usage: bench/http_baseline.sh [path/to/redshield]   (ROUNDS=3 SECONDS_PER_RUN=10)
set -euo pipefail
bin=${1:-build/src/app/redshield}
rounds=${ROUNDS:-3}
secs=${SECONDS_PER_RUN:-10}
command -v wrk >/dev/null && command -v nginx >/dev/null || { echo "needs wrk and nginx-light"; exit 2; }
dir=$(mktemp -d /tmp/redshield-bench.XXXXXX)
free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }
ngx_port=$(free_port); rs_port=$(free_port)
mkdir -p "$dir/www" "$dir/ngx"
echo '{"status":"ok"}' > "$dir/www/healthz.json"
cat > "$dir/ngx/nginx.conf" <<CONF
worker_processes 2;
pid $dir/ngx/nginx.pid;
error_log $dir/ngx/error.log;
events { worker_connections 1024; }
http {
  access_log off;
  client_body_temp_path $dir/ngx; proxy_temp_path $dir/ngx; fastcgi_temp_path $dir/ngx;
  uwsgi_temp_path $dir/ngx; scgi_temp_path $dir/ngx;
  server { listen 127.0.0.1:$ngx_port; root $dir/www; }
}
CONF
cleanup() {
  [[ -f $dir/ngx/nginx.pid ]] && kill "$(cat "$dir/ngx/nginx.pid")" 2>/dev/null || true
  [[ -n ${rs_pid:-} ]] && kill "$rs_pid" 2>/dev/null || true
  wait 2>/dev/null || true
  rm -rf "$dir"
}
trap cleanup EXIT
nginx -c "$dir/ngx/nginx.conf"
"$bin" init --demo --db "sqlite:$dir/b.db" >/dev/null 2>&1
"$bin" serve --db "sqlite:$dir/b.db" --listen "127.0.0.1:$rs_port" --access-log "${ACCESS_LOG:-false}" \
  --threads 2 2>"$dir/server.log" >/dev/null &
rs_pid=$!
for _ in $(seq 50); do curl -sf "http://127.0.0.1:$rs_port/healthz" >/dev/null && break; sleep 0.1; done
token=$(curl -sf -X POST "http://127.0.0.1:$rs_port/api/v1/auth/login" \
  -d '{"username":"office","password":"Demo@Redshield2017"}' | python3 -c 'import json,sys; print(json.load(sys.stdin)["token"])')

rps() {  # url [header]
  local out
  if [[ -n ${2:-} ]]; then out=$(wrk -t2 -c64 -d"${secs}s" --latency -H "$2" "$1"); else out=$(wrk -t2 -c64 -d"${secs}s" --latency "$1"); fi
  echo "$out" | awk '/Requests\/sec/ {print $2}'
}
median() { sort -n | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'; }
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
