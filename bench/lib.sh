# Shared by the HTTP benchmarks (source it; needs $bin, the redshield binary):
# a work directory, nginx serving one small static file as the reference, a
# redshield server on a demo SQLite database, and cleanup on exit.
#   bench_start NAME FILE CONTENT  sets dir, ngx_port, rs_port; starts nginx; init --demo
#   bench_serve [serve flags...]   starts redshield (again, after a stop); sets rs_pid, base
#   bench_stop_server              stops it
#   bench_login USER               prints a session token (demo password)
#   bench_issue_codes N TOKEN FILE issues N pesticide codes (batches of 100,000; sets batch_ids),
#                                  their label texts appended to FILE
#   bench_verify_lua CODES LUA     writes the wrk script of random verifications among CODES
#   median                         median of the numbers on stdin, one per line
command -v wrk >/dev/null && command -v nginx >/dev/null || { echo "needs wrk and nginx-light"; exit 2; }

free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }
median() { sort -n | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'; }

bench_cleanup() {
  [[ -f $dir/ngx/nginx.pid ]] && kill "$(cat "$dir/ngx/nginx.pid")" 2>/dev/null || true
  [[ -n ${rs_pid:-} ]] && kill "$rs_pid" 2>/dev/null || true
  wait 2>/dev/null || true
  rm -rf "$dir"
}

bench_start() {
  dir=$(mktemp -d "/tmp/redshield-$1.XXXXXX")
  ngx_port=$(free_port); rs_port=$(free_port)
  base="http://127.0.0.1:$rs_port"
  mkdir -p "$dir/www" "$dir/ngx"
  printf '%s\n' "$3" > "$dir/www/$2"
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
  trap bench_cleanup EXIT
  nginx -c "$dir/ngx/nginx.conf"
  "$bin" init --demo --db "sqlite:$dir/b.db" >/dev/null 2>&1
}

bench_serve() {
  "$bin" serve --db "sqlite:$dir/b.db" --listen "127.0.0.1:$rs_port" "$@" 2>>"$dir/server.log" >/dev/null &
  rs_pid=$!
  for _ in $(seq 50); do curl -sf "$base/healthz" >/dev/null && break; sleep 0.1; done
}

bench_stop_server() { kill "$rs_pid"; wait "$rs_pid" 2>/dev/null || true; rs_pid=""; }

bench_login() {
  curl -sf -X POST "$base/api/v1/auth/login" -d "{\"username\":\"$1\",\"password\":\"Demo@Redshield2017\"}" |
    python3 -c 'import json,sys; print(json.load(sys.stdin)["token"])'
}

bench_issue_codes() {
  local left=$1 n id
  batch_ids=()
  while (( left > 0 )); do
    n=$(( left > 100000 ? 100000 : left ))
    id=$(curl -sf -X POST "$base/api/v1/trace/batches" -H "Authorization: Bearer $2" -d "{\"kind\":\"pesticide\",
      \"enterprise_uscc\":\"911522010783762860\",\"enterprise_name\":\"演示农资\",\"registration_no\":\"PD20092927\",
      \"product_name\":\"5%阿维菌素乳油\",\"lot\":\"B$left\",\"production_date\":\"2026-11-01\",\"quantity\":$n}" |
      python3 -c 'import json,sys; print(json.load(sys.stdin)["id"])')
    batch_ids+=("$id")
    curl -sf "$base/api/v1/trace/batches/$id/labels.csv" -H "Authorization: Bearer $2" | tail -n +2 | cut -d, -f2 >> "$3"
    left=$(( left - n ))
  done
}

bench_verify_lua() {
  # wrk's Lua keeps the codes as one string of fixed-width lines and writes the request line itself.
  # A table of a million code strings and wrk.format() cost wrk about 10 us of CPU more per request on
  # the cores the server uses, LuaJIT's collector walking that table stalled requests by 100-300 ms
  # (the p99), and loading it let one wrk thread start a second early, counted in its requests/s.
  awk 'NR == 1 {w = length($0)} length($0) != w {print "codes are not all " w " characters: line " NR; exit 1}' "$1"
  cat > "$2" <<'LUA'
local blob, width, count, head, tail
init = function(args)
  local f = assert(io.open(args[1], "rb"))
  blob = f:read("*a")
  f:close()
  width = string.find(blob, "\n", 1, true)
  count = math.floor(#blob / width)
  head = "GET /api/v1/public/verify/"
  tail = "?region=150100 HTTP/1.1\r\nHost: " .. wrk.host .. ":" .. wrk.port .. "\r\n\r\n"
  math.randomseed(os.time() + math.floor(os.clock() * 1000000))
end
request = function()
  local at = (math.random(count) - 1) * width
  return head .. string.sub(blob, at + 1, at + width - 1) .. tail
end
LUA
}
