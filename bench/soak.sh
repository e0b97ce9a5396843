#!/usr/bin/env bash
# The bounded soak (SoakBench): mixed chat, stream, search, upload and page traffic against one server process
# for [minutes] (default 10), then JSON with errors, p50/p90/p99 per kind and memory after the warm-up.
# Built once under the Maven lock, run outside it. -Dbench.db=postgresql through BENCH_DB=postgresql.
# Usage: bench/soak.sh [minutes] [users]
set -euo pipefail
cd "$(dirname "$0")/.."
classpath=$(bench/java-classpath.sh)
java_bin=${JAVA_BIN:-$(bench/java-bin.sh)}
exec "$java_bin" --enable-native-access=ALL-UNNAMED -Dsoak.minutes="${1:-10}" -Dsoak.users="${2:-6}" \
  -Dbench.db="${BENCH_DB:-sqlite}" -cp "$classpath" dev.nosso.bench.SoakBench
