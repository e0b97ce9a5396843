#!/usr/bin/env bash
# What one idle node costs PostgreSQL: the packaged server on a scratch database, left alone; after a warm-up,
# the transactions (pg_stat_database) and statements (the server log, with log_statement = 'all' set on the
# scratch database) it sends in a window. The statements by kind go to stderr. Prints one JSON object.
# Needs a superuser through psql (PSQL_ARGS) to create and drop the database, and read access to the log
# (PG_LOG) for the statement count; without it only transactions are counted.
# Usage: ./mvnw -q -DskipTests package && bench/idle-statements.sh [seconds]
set -euo pipefail
cd "$(dirname "$0")/.."
seconds=${1:-60}
port=${BENCH_PORT:-18182}
psql_args=${PSQL_ARGS:--h 127.0.0.1 -U postgres}
pg_url=${BENCH_PG_URL:-jdbc:postgresql://127.0.0.1:5432}
pg_log=${PG_LOG:-/var/log/postgresql/postgresql-15-main.log}
db=nosso_idle_bench_$$
java_bin=${JAVA_BIN:-$(bench/java-bin.sh)}
data=$(mktemp -d)
server=
cleanup() {
  [ -z "$server" ] || { kill "$server" 2>/dev/null || true; wait "$server" 2>/dev/null || true; }
  psql $psql_args -qc "DROP DATABASE IF EXISTS $db" > /dev/null 2>&1 || true
  rm -rf "$data"
}
trap cleanup EXIT

psql $psql_args -qc "CREATE DATABASE $db"
psql $psql_args -d "$db" -qc "CREATE EXTENSION IF NOT EXISTS vector" -c "ALTER DATABASE $db SET log_statement = 'all'"

NOSSO_DATABASE_URL="$pg_url/$db?user=postgres" NOSSO_DATA_DIR=$data NOSSO_OLLAMA_URL= PORT=$port \
  NOSSO_ADMIN_EMAIL=bench@nosso.test NOSSO_ADMIN_PASSWORD=bench-password-1 \
  "$java_bin" -Xmx1g ${BENCH_JVM_OPTS:-} -jar target/nosso-*-SNAPSHOT.jar --logging.level.root=warn > "$data/server.log" 2>&1 &
server=$!
for _ in $(seq 1 60); do curl -sf "localhost:$port/actuator/health" > /dev/null && break; sleep 1; done
sleep 20   # start-up's own work (migrations, the first job look) ends before the window

transactions() { psql $psql_args -Atc "SELECT xact_commit + xact_rollback FROM pg_stat_database WHERE datname = '$db'"; }
lines() { if [ -r "$pg_log" ]; then wc -l < "$pg_log"; else echo 0; fi; }
t0=$(transactions); l0=$(lines)
sleep "$seconds"
t1=$(transactions); l1=$(lines)

statements=null
if [ -r "$pg_log" ]; then
  sed -n "$((l0 + 1)),${l1}p" "$pg_log" | grep "@$db LOG:  \(statement\|execute\)" > "$data/window.log" || true
  statements=$(wc -l < "$data/window.log")
  sed -e 's/.*LOG:  statement: *$/(empty query: the pool checking a connection idle for over 0.5 s)/' \
      -e 's/.*LOG:  \(statement\|execute [^:]*\): //' "$data/window.log" | cut -c1-80 | sort | uniq -c | sort -rn >&2
fi
printf '{"bench":"idle-statements","database":"postgresql","seconds":%s,"transactions":%s,"statements":%s}\n' \
  "$seconds" "$((t1 - t0))" "$statements"
