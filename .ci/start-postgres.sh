#!/usr/bin/env bash
# Starts a private PostgreSQL cluster on loopback as the postgres user and prints its URL.
# Usage: .ci/start-postgres.sh DIR PORT
set -euo pipefail
dir=${1:-/tmp/claimtrace-pg}
port=${2:-55432}
bin=$(ls -d /usr/lib/postgresql/*/bin | sort -V | tail -n 1)
if [ ! -x "$bin/initdb" ]; then echo "PostgreSQL binaries not found under /usr/lib/postgresql" >&2; exit 1; fi
if [ -f "$dir/postmaster.pid" ] && su postgres -s /bin/sh -c "$bin/pg_ctl -D '$dir' status" >/dev/null 2>&1; then
  :
else
  rm -rf "$dir"
  mkdir -p "$dir"
  chown postgres:postgres "$dir"
  su postgres -s /bin/sh -c "$bin/initdb -D '$dir' -U postgres --auth=trust >/dev/null"
  su postgres -s /bin/sh -c "$bin/pg_ctl -D '$dir' -w -l '$dir/server.log' -o \"-c listen_addresses=127.0.0.1 -p $port -k '$dir'\" start >/dev/null"
fi
psql="$bin/psql -h 127.0.0.1 -p $port -U postgres -v ON_ERROR_STOP=1 -q"
$psql -tc "SELECT 1 FROM pg_roles WHERE rolname='claimtrace'" | grep -q 1 || $psql -c "CREATE ROLE claimtrace LOGIN PASSWORD 'claimtrace' CREATEDB"
$psql -tc "SELECT 1 FROM pg_database WHERE datname='claimtrace_test'" | grep -q 1 || $psql -c "CREATE DATABASE claimtrace_test OWNER claimtrace"
echo "postgres://claimtrace:claimtrace@127.0.0.1:$port/claimtrace_test"
