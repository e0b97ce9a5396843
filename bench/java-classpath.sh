#!/usr/bin/env bash
# Builds the main, test and bench classes once and prints a classpath to run a benchmark's main class with plain
# java, for runs that take minutes:
#   java -cp "$(bench/java-classpath.sh)" dev.nosso.bench.SoakBench
# NOSSO_BUILD_LOCK names a lock file that the build holds (flock), when several people share one machine and
# agree to run one build at a time; the run itself then happens outside it.
set -euo pipefail
cd "$(dirname "$0")/.."
lock=()
[ -z "${NOSSO_BUILD_LOCK:-}" ] || lock=(flock "$NOSSO_BUILD_LOCK")
"${lock[@]}" ./mvnw -B -q -Pbench test-compile dependency:build-classpath \
  -Dmdep.outputFile=target/bench-classpath.txt -Dmdep.includeScope=test >&2
echo "$PWD/target/test-classes:$PWD/target/classes:$(cat target/bench-classpath.txt)"
