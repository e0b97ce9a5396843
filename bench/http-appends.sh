#!/usr/bin/env bash
# Appends per second over real HTTP, measured from outside the JVM with wrk (apt-get install wrk): the
# packaged server on a fresh SQLite database (or NOSSO_DATABASE_URL), 200 connections appending to 200
# chats, against two baselines from the same run: one connection, and an authenticated GET of a chat over
# the same 200 connections (the ceiling of the HTTP stack itself). Prints one JSON object.
# Usage: ./mvnw -q -DskipTests package && bench/http-appends.sh [seconds] [connections]
set -euo pipefail
cd "$(dirname "$0")/.."
seconds=${1:-10}
connections=${2:-200}
port=${BENCH_PORT:-18181}
java_bin=${JAVA_BIN:-$(bench/java-bin.sh)}
data=$(mktemp -d)
trap 'kill $server 2>/dev/null || true; wait $server 2>/dev/null || true; rm -rf "$data"' EXIT

NOSSO_DATA_DIR=$data NOSSO_ADMIN_EMAIL=bench@nosso.test NOSSO_ADMIN_PASSWORD=bench-password-1 PORT=$port \
  "$java_bin" -Xmx1g ${BENCH_JVM_OPTS:-} -jar target/nosso-*-SNAPSHOT.jar --logging.level.root=warn > "$data/server.log" 2>&1 &
server=$!
for _ in $(seq 1 60); do curl -sf "localhost:$port/actuator/health" > /dev/null && break; sleep 1; done

jar=$data/cookies
curl -sf -c "$jar" -H 'Content-Type: application/json' -d '{"email":"bench@nosso.test","password":"bench-password-1"}' \
  "localhost:$port/api/v1/auth/login" > /dev/null
xsrf=$(awk '$6 == "XSRF-TOKEN" {print $7}' "$jar")
key=$(curl -sf -b "$jar" -H "X-XSRF-TOKEN: $xsrf" -H 'Content-Type: application/json' -d '{"name":"bench"}' \
  "localhost:$port/api/v1/api-keys" | sed -E 's/.*"key":"([^"]+)".*/\1/')
chats=""
for _ in $(seq 1 200); do
  id=$(curl -sf -H "Authorization: Bearer $key" -H 'Content-Type: application/json' -d '{"title":"bench"}' \
    "localhost:$port/api/v1/chats" | sed -E 's/.*"id":"([^"]+)".*/\1/')
  chats="$chats,$id"
done
export CHATS=${chats#,} KEY=$key

run() { wrk -t"$(( $1 < 2 ? 1 : 2 ))" -c"$1" -d"$2"s --latency -s bench/http/appends.lua "http://127.0.0.1:$port" | tail -1; }
get() { wrk -t2 -c"$1" -d"$2"s --latency -s bench/http/get.lua "http://127.0.0.1:$port/api/v1/chats/${CHATS%%,*}" | tail -1; }
run 50 10 > /dev/null                      # warm-up of both paths: JIT, pools
get 50 5 > /dev/null
one=$(run 1 "$seconds")
many=$(run "$connections" "$seconds")
get=$(get "$connections" "$seconds")
database=sqlite
[ -z "${NOSSO_DATABASE_URL:-}" ] || database=postgresql
printf '{"bench":"http-appends","database":"%s","client":"wrk, separate process, same 2 cores",' "$database"
printf '"baseline_get_chat_%s_connections":%s,"appends_1_connection":%s,"appends_%s_connections":%s,"goal_appends_per_s":5000}\n' \
  "$connections" "$get" "$one" "$connections" "$many"
