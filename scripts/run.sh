#!/usr/bin/env bash
# Runs the packaged server started fast and kept lean: the executable jar (built first if there is none),
# extracted once beside itself so that the JVM's class-data cache can hold the application's classes, and
# started with that cache. On JDK 25 or newer the cache is an AOT cache (JEP 483/514: classes loaded and
# linked ahead of time, with profiles), made by a short training run the first time; on JDK 21 to 24 it is a
# CDS archive the JVM writes itself when the first run ends. Before that cache, when the JDK has javac, Spring's
# ahead-of-time processing works the application's bean definitions out once (also on the first start). A new
# jar or another JDK gets a new cache.
# Arguments go to the server (e.g. --server.port=8081); JAVA_OPTS adds JVM options. NOSSO_CACHE=off starts
# without the cache (bench/startup.sh compares the two); NOSSO_CACHE=only makes the cache and stops (e.g. in an
# image build).
# Usage: scripts/run.sh [server arguments]
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)

find_jar() { ls "$root"/target/nosso-*.jar 2>/dev/null | head -n 1; }
jar=${NOSSO_JAR:-$(find_jar)}
if [ -z "$jar" ]; then
  (cd "$root" && ./mvnw -q -DskipTests package)
  jar=$(find_jar)
fi

# The first JDK 21 or newer: JAVA_BIN, JAVA_HOME, the java on the PATH, then the usual install folders.
java_feature() { "$1" -version 2>&1 | sed -n 's/.*version "\([0-9]*\).*/\1/p' | head -n 1; }
java=${JAVA_BIN:-}
if [ -z "$java" ]; then
  for candidate in ${JAVA_HOME:+"$JAVA_HOME/bin/java"} "$(command -v java || true)" /usr/lib/jvm/*/bin/java \
                   /Library/Java/JavaVirtualMachines/*/Contents/Home/bin/java; do
    if [ -x "$candidate" ] && [ "$(java_feature "$candidate")" -ge 21 ] 2>/dev/null; then java=$candidate; break; fi
  done
fi
[ -n "$java" ] || { echo "No JDK 21 or newer found; set JAVA_BIN or JAVA_HOME" >&2; exit 1; }
feature=$(java_feature "$java")

# A port nothing listens on, from a range of its own (bash's /dev/tcp, so that no other tool is needed).
free_port() {
  local p
  for p in $(seq $((20000 + RANDOM % 20000)) 65000); do
    (exec 3<>"/dev/tcp/127.0.0.1/$p") 2>/dev/null || { echo "$p"; return; }
  done
}

# One HTTP request over bash's /dev/tcp; prints the status line's code.
http() { # method path [json body]
  local body=${3:-}
  exec 3<>"/dev/tcp/127.0.0.1/$port" || return 1
  printf '%s %s HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\nContent-Type: application/json\r\nContent-Length: %s\r\n\r\n%s' \
    "$1" "$2" "${#body}" "$body" >&3
  head -n 1 <&3 | cut -d ' ' -f 2
  cat <&3 > /dev/null
  exec 3<&-
}

# The training run's visit: waits (up to two minutes) for the server to answer, then makes its requests.
train() { # port pid
  local i
  for i in $(seq 1 600); do
    kill -0 "$2" 2>/dev/null || return 1
    [ "$(http GET /actuator/health 2>/dev/null)" = 200 ] && break
    sleep 0.2
  done
  [ "$(http GET /actuator/health 2>/dev/null)" = 200 ] || return 1
  for path in / /app/app.js /app/api.js /app/app.css /api/v1/auth/me /api/v1/models; do
    http GET "$path" > /dev/null || true
  done
  http POST /api/v1/auth/login '{"email":"nobody@example.com","password":"not-the-password"}' > /dev/null || true
}

# The extracted application: its own small jar whose manifest names the libraries in lib/, which the JVM's
# cache can hold (classes inside the nested jars of the executable jar it cannot).
app=${jar%.jar}
if [ ! -f "$app/.extracted" ] || [ "$jar" -nt "$app/.extracted" ]; then
  rm -rf "$app"
  "$java" -Djarmode=tools -jar "$jar" extract --destination "$app" > /dev/null
  touch "$app/.extracted"
fi
app_jar="$app/$(basename "$jar")"

# Memory at rest, without a lower ceiling (the maximum heap stays the JVM's default, a quarter of the memory,
# which also sizes the vectors held for search):
# - the serial collector: on 2 cores or more the JVM picks G1, whose remembered sets and concurrent threads cost
#   tens of MB; this server's live heap is small (about 60 MB at rest), so a collection of it takes milliseconds.
# - a small initial heap: by default it is 1/64 of the memory (384 MB on 24 GB), all of it touched by the time
#   the server has started; from 32 MB the heap grows only as far as the live data needs.
# Neither lowered the request rate beyond this shared machine's noise (bench/http-appends.sh both ways, twice:
# bench/README.md, "Start-up and memory").
opts=(-XX:+UseSerialGC -Xms32m --enable-native-access=ALL-UNNAMED -XX:+ExitOnOutOfMemoryError)
# shellcheck disable=SC2206 # JAVA_OPTS is a list of options, split on spaces on purpose
opts+=(${JAVA_OPTS:-})

# How the JVM finds the application: the extracted jar, and in front of it, when it could be made, what Spring's
# ahead-of-time processing made of the application (below).
launch=(-jar "$app_jar")

# A one-off command (backup, restore, copy-to-postgres, files-move) starts as it is, without the caches.
if [ $# -gt 0 ] && [[ $1 != -* ]]; then
  exec "$java" "${opts[@]}" -jar "$app_jar" "$@"
fi

if [ "${NOSSO_CACHE:-on}" != off ]; then
  java_id=$("$java" -version 2>&1 | tr -cd 'A-Za-z0-9.+-' | cksum | cut -d ' ' -f 1)
  # Spring's ahead-of-time processing, once per jar: the application's bean definitions worked out here
  # instead of at every start (no configuration classes parsed, no conditions evaluated, no classpath
  # scanned), about a seventh of the processor time of a start. It compiles what it generates, so it needs a
  # JDK (javac and jar beside java); with a runtime alone the server starts without it. Nothing in Nosso is
  # conditional on a setting (each choice, SQLite or PostgreSQL, Redis or not, is made inside a bean), so what
  # it fixes does not depend on the environment it ran in.
  spring_aot="$app/spring-aot.jar"
  jdk_bin=$(dirname "$(readlink -f "$java")")
  if [ ! -f "$spring_aot" ] && [ ! -f "$app/.spring-aot-failed" ] && [ -x "$jdk_bin/javac" ] && [ -x "$jdk_bin/jar" ]; then
    echo "Processing the application ahead of time (once, under a minute)..." >&2
    work=$(mktemp -d)
    if NOSSO_DATA_DIR="$work/data" "$java" --enable-native-access=ALL-UNNAMED -cp "$app_jar" \
         org.springframework.boot.SpringApplicationAotProcessor dev.nosso.NossoApplication \
         "$work/sources" "$work/resources" "$work/classes" dev.nosso nosso --logging.level.root=warn > "$work/aot.log" 2>&1 \
       && find "$work/sources" -name '*.java' > "$work/sources.txt" \
       && "$jdk_bin/javac" -nowarn -proc:none -parameters -d "$work/classes" -cp "$app_jar" "@$work/sources.txt" \
            >> "$work/aot.log" 2>&1 \
       && cp -r "$work/resources/." "$work/classes/" \
       && "$jdk_bin/jar" --create --file "$spring_aot" -C "$work/classes" . >> "$work/aot.log" 2>&1; then
      rm -rf "$work"
    else
      rm -f "$spring_aot"
      touch "$app/.spring-aot-failed"
      echo "The ahead-of-time processing failed (log: $work/aot.log); starting without it" >&2
    fi
  fi
  if [ -f "$spring_aot" ]; then
    # The JVM's cache takes jars only, not folders: hence the processed classes in a jar of their own.
    launch=(-Dspring.aot.enabled=true -cp "$spring_aot:$app_jar" dev.nosso.NossoApplication)
  fi
  if [ "$feature" -ge 25 ]; then
    # Named for what it was trained on, so that a cache made without the processed classes is not used with them.
    cache="$app/nosso-$java_id.aot"
    [ -f "$spring_aot" ] && cache="$app/nosso-$java_id-spring.aot"
    if [ ! -f "$cache" ]; then
      # Training: the server on a scratch SQLite database and a free port serves the requests a first visit
      # makes (health, the page, its scripts, an anonymous API call, a refused sign-in), so that the cache also
      # holds what serving needs, then stops; the JVM writes the cache as it exits.
      echo "Making the AOT cache for this jar and JDK (once, about a minute)..." >&2
      scratch=$(mktemp -d)
      port=$(free_port)
      NOSSO_DATA_DIR="$scratch" NOSSO_DATABASE_URL= NOSSO_REDIS_URL= NOSSO_OLLAMA_URL= NOSSO_OPENAI_BASE_URL= \
        NOSSO_ADMIN_EMAIL= NOSSO_ADMIN_PASSWORD= PORT= \
        "$java" "${opts[@]}" -XX:AOTCacheOutput="$cache" "${launch[@]}" \
        --server.port="$port" --logging.level.root=warn > "$scratch/training.log" 2>&1 &
      trainee=$!
      if train "$port" "$trainee"; then
        kill -TERM "$trainee"
      else
        kill -KILL "$trainee" 2>/dev/null || true
      fi
      wait "$trainee" 2>/dev/null || true
      [ -f "$cache" ] || echo "The AOT cache could not be made (log: $scratch/training.log); starting without it" >&2
      [ -f "$cache" ] && rm -rf "$scratch"
    fi
    [ -f "$cache" ] && opts+=(-XX:AOTCache="$cache")
  else
    opts+=(-XX:SharedArchiveFile="$app/nosso-$java_id.jsa" -XX:+AutoCreateSharedArchive)
  fi
fi

[ "${NOSSO_CACHE:-on}" != only ] || exit 0
exec "$java" "${opts[@]}" "${launch[@]}" "$@"
