#!/usr/bin/env bash
# Start-up time and memory of one node on SQLite: the packaged server on a fresh data folder, three ways, and a
# restart; each run several times (interleaved) and reported as medians:
#   jar       java -jar target/nosso-*.jar with the JVM's defaults: the baseline (BENCH_BASELINE_JAR: another jar);
#   extracted scripts/run.sh without its class-data cache (NOSSO_CACHE=off): the extracted jar, its heap settings;
#   cached    scripts/run.sh as a user runs it: the same with its caches (Spring's AOT processing, and the JVM's AOT
#             cache on JDK 25+; made before the runs);
#   restarted the cached way again on the data folder of the round's cached run: a restart, with nothing to migrate.
# For each run: milliseconds from launching the process to the first answered request (GET /actuator/health,
# polled every 20 ms), the resident memory (VmRSS) after it settles, and the resident memory after the first
# embedding (a new account searches by meaning: the query's embedding loads the model), settled again.
# Prints one JSON object; the single runs go to stderr.
# Usage: ./mvnw -q -DskipTests package && bench/startup.sh [runs] [settle seconds]
# (BENCH_JAR: measure another jar than target/nosso-*.jar, e.g. a copy while a build rewrites target/)
set -euo pipefail
cd "$(dirname "$0")/.."
runs=${1:-3}
settle=${2:-10}
port=${BENCH_PORT:-18183}
java_bin=${JAVA_BIN:-$(bench/java-bin.sh)}
jar=${BENCH_JAR:-$(ls target/nosso-*.jar | head -n 1)}
baseline_jar=${BENCH_BASELINE_JAR:-$jar}   # e.g. the jar of an older commit, for the jar way only
work=$(mktemp -d)
server=
cleanup() {
  [ -z "$server" ] || { kill "$server" 2>/dev/null || true; wait "$server" 2>/dev/null || true; }
  rm -rf "$work"
}
trap cleanup EXIT

# The cache is made before any run is timed (scripts/run.sh makes it on its first start otherwise).
NOSSO_CACHE=only NOSSO_JAR=$jar JAVA_BIN=$java_bin scripts/run.sh

now_ms() { date +%s%3N; }
rss_mb() { awk '/VmRSS/ { printf "%.0f", $2 / 1024 }' "/proc/$1/status"; }

# One run of one way: prints "startup_ms idle_mb embedded_mb".
run_once() {
  local way=$1 data="$work/data-$1-$2"
  # A restart: the cached way again on the data folder its run of this round left, already migrated.
  [ "$way" != restarted ] || data="$work/data-cached-$2"
  mkdir -p "$data"
  local log="$data/server-$way.log"
  local env=(NOSSO_DATA_DIR="$data" NOSSO_OLLAMA_URL= PORT="$port" NOSSO_SIGNUP_DEFAULT_ROLE=user NOSSO_JAR="$jar")
  local t0
  t0=$(now_ms)
  case $way in
    jar) env "${env[@]}" "$java_bin" -jar "$baseline_jar" > "$log" 2>&1 & ;;
    extracted) env "${env[@]}" NOSSO_CACHE=off JAVA_BIN="$java_bin" scripts/run.sh > "$log" 2>&1 & ;;
    cached|restarted) env "${env[@]}" JAVA_BIN="$java_bin" scripts/run.sh > "$log" 2>&1 & ;;
  esac
  server=$!
  local deadline=$((t0 + 120000))
  until curl -sf -o /dev/null "localhost:$port/actuator/health"; do
    [ "$(now_ms)" -lt "$deadline" ] || { echo "$way: no answer in 120 s" >&2; tail "$log" >&2; exit 1; }
    sleep 0.02
  done
  local startup=$(($(now_ms) - t0))
  sleep "$settle"
  local idle
  idle=$(rss_mb "$server")
  local cookies="$data/cookies-$way" account='{"email":"bench-'"$way"'@nosso.test","password":"bench-password-1","name":"Bench"}'
  curl -sf -o /dev/null -H 'Content-Type: application/json' -d "$account" "localhost:$port/api/v1/auth/signup"
  curl -sf -o /dev/null -c "$cookies" -H 'Content-Type: application/json' -d "$account" \
    "localhost:$port/api/v1/auth/login"
  local xsrf
  xsrf=$(awk '$6 == "XSRF-TOKEN" { print $7 }' "$cookies")
  if [ -z "$xsrf" ]; then   # the CSRF cookie comes with the first read after signing in
    curl -sf -o /dev/null -b "$cookies" -c "$cookies" "localhost:$port/api/v1/auth/me"
    xsrf=$(awk '$6 == "XSRF-TOKEN" { print $7 }' "$cookies")
  fi
  curl -sf -o /dev/null -b "$cookies" -H "X-XSRF-TOKEN: $xsrf" -H 'Content-Type: application/json' \
    -d '{"query":"what did we say about the garden last month","mode":"vector"}' "localhost:$port/api/v1/search"
  grep -q "Loaded the embedding model" "$log" || { echo "$way: the model did not load" >&2; exit 1; }
  sleep "$settle"
  local embedded
  embedded=$(rss_mb "$server")
  kill "$server"; wait "$server" 2>/dev/null || true; server=
  echo "$startup $idle $embedded"
}

ways=(jar extracted cached restarted)
declare -A results
for i in $(seq 1 "$runs"); do
  for way in "${ways[@]}"; do
    r=$(run_once "$way" "$i")
    echo "run $i $way: startup_ms idle_mb embedded_mb = $r" >&2
    results[$way]+="$r"$'\n'
  done
done

median() { sort -n | awk '{ v[NR] = $1 } END { print (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2 }'; }
figures() {
  local rows=${results[$1]}
  printf '{"startup_ms":%s,"idle_rss_mb":%s,"embedded_rss_mb":%s}' \
    "$(cut -d ' ' -f 1 <<< "${rows%$'\n'}" | median)" "$(cut -d ' ' -f 2 <<< "${rows%$'\n'}" | median)" \
    "$(cut -d ' ' -f 3 <<< "${rows%$'\n'}" | median)"
}
mb() { awk -v b="$(wc -c < "$1")" 'BEGIN { printf "%.1f", b / 1048576 }'; }
jar_mb=$(mb "$jar")
baseline_jar_mb=$(mb "$baseline_jar")
java_version=$("$java_bin" -version 2>&1 | head -n 1 | sed 's/"/\\"/g')
printf '{"bench":"startup","database":"sqlite","jar_mb":%s,"baseline_jar_mb":%s,"java":"%s","runs":%s,"settle_s":%s,"jar":%s,"extracted":%s,"cached":%s,"restarted":%s}\n' \
  "$jar_mb" "$baseline_jar_mb" "$java_version" "$runs" "$settle" "$(figures jar)" "$(figures extracted)" "$(figures cached)" \
  "$(figures restarted)"
