#!/usr/bin/env bash
# Twenty rounds of kill -9 while an answer streams and a file is ingested, on SQLite and on PostgreSQL (with
# NOSSO_TEST_POSTGRES_URL set, as for the tests): prints the figures of each as JSON (CrashLoopBench).
# Usage: scripts/crash-loop.sh [rounds] [databases]     e.g. scripts/crash-loop.sh 20 sqlite,postgresql
set -euo pipefail
cd "$(dirname "$0")/.."
rounds=${1:-20}
dbs=${2:-sqlite,postgresql}
classpath=$(bench/java-classpath.sh)
java_bin=${JAVA_BIN:-$(bench/java-bin.sh)}
exec "$java_bin" --enable-native-access=ALL-UNNAMED -Dcrash.rounds="$rounds" -Dbench.dbs="$dbs" -cp "$classpath" \
  dev.nosso.bench.CrashLoopBench
