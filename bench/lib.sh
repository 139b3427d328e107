# Shared by the HTTP benchmarks (source it; needs $bin, the redshield binary):
# a work directory, nginx serving one small static file as the reference, a
# redshield server on a demo SQLite database, and cleanup on exit.
#   bench_start NAME FILE CONTENT  sets dir, ngx_port, rs_port; starts nginx; init --demo
#   bench_serve [serve flags...]   starts redshield (again, after a stop); sets rs_pid, base
#   bench_stop_server              stops it
#   bench_login USER               prints a session token (demo password)
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
