#!/usr/bin/env bash
# Runs a command with a throw-away PostgreSQL 15 server: initdb (C.UTF-8) in a
# temporary directory, a free loopback port, REDSHIELD_TEST_PG_URL exported;
# the server is stopped and the directory removed on exit, even on failure.
# Usage: tools/with-postgres.sh COMMAND [ARGS...]
set -euo pipefail
pgbin=$(ls -d /usr/lib/postgresql/*/bin | sort -V | tail -1)
dir=$(mktemp -d /tmp/redshield-pg.XXXXXX)
port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
as_pg=()
if [[ $(id -u) -eq 0 ]]; then
  chown postgres "$dir"
  as_pg=(runuser -u postgres --)
fi
cleanup() {
  "${as_pg[@]}" "$pgbin/pg_ctl" -D "$dir/data" -m fast -w stop >/dev/null 2>&1 || true
  rm -rf "$dir"
}
trap cleanup EXIT
"${as_pg[@]}" "$pgbin/initdb" -D "$dir/data" -E UTF8 --locale=C.UTF-8 -A trust -U postgres >/dev/null
# fsync off: the cluster lives for one test run and is thrown away.
"${as_pg[@]}" "$pgbin/pg_ctl" -D "$dir/data" -l "$dir/server.log" -w \
  -o "-c listen_addresses=127.0.0.1 -p $port -k $dir -c fsync=off -c synchronous_commit=off -c full_page_writes=off -c max_connections=200" \
  start >/dev/null
"${as_pg[@]}" "$pgbin/psql" -h 127.0.0.1 -p "$port" -U postgres -qAt -c "CREATE DATABASE redshield_test" >/dev/null
echo "PostgreSQL $("${as_pg[@]}" "$pgbin/postgres" --version | awk '{print $3}') on 127.0.0.1:$port"
export REDSHIELD_TEST_PG_URL="postgresql://postgres@127.0.0.1:$port/redshield_test"
export REDSHIELD_REQUIRE_PG=1
set +e
"$@"
status=$?
set -e
exit $status
