#!/usr/bin/env bash
# Builds the main, test and bench classes once (under the machine's Maven lock) and prints a classpath to run a
# benchmark's main class with plain java, outside the lock, for runs that take minutes:
#   java -cp "$(bench/java-classpath.sh)" dev.nosso.bench.SoakBench
set -euo pipefail
cd "$(dirname "$0")/.."
flock /tmp/nosso-maven.lock ./mvnw -B -q -Pbench test-compile dependency:build-classpath \
  -Dmdep.outputFile=target/bench-classpath.txt -Dmdep.includeScope=test >&2
echo "$PWD/target/test-classes:$PWD/target/classes:$(cat target/bench-classpath.txt)"
