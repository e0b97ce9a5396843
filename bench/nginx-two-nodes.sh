#!/usr/bin/env bash
# Two Nosso nodes behind Debian's nginx on loopback, configured as docs/nginx-several-nodes.conf says (only the
# ports change): an answer streams through nginx, the node generating it is killed with SIGKILL, and the client
# reattaches through nginx with Last-Event-ID, as the web UI does. Prints one JSON object
# (bench/nginx/kill_while_streaming.py describes it); the nodes' and nginx's logs go to stderr on a failure.
#
# Needs root on Debian (it installs nginx when missing), the packaged jar, PostgreSQL with pgvector
# (scripts/create-test-database.sh makes nosso_test), and Redis unless NO_REDIS=1.
# Usage: ./mvnw -q -DskipTests package && bench/nginx-two-nodes.sh
# Environment: PGHOST, PGPORT, PGUSER, PGDATABASE (127.0.0.1, 5432, postgres, nosso_test); REDIS_URL
# (redis://127.0.0.1:6379); NO_REDIS=1 to run without; NOSSO_NODE_HEARTBEAT, NOSSO_NODE_LEASE (Nosso's own
# defaults, 2s and 6s, unless set); JAVA_BIN; KEEP=1 keeps the work folder with every log.
set -euo pipefail
cd "$(dirname "$0")/.."

export PGHOST=${PGHOST:-127.0.0.1} PGPORT=${PGPORT:-5432} PGUSER=${PGUSER:-postgres} PGDATABASE=${PGDATABASE:-nosso_test}
redis_url=${REDIS_URL:-redis://127.0.0.1:6379}
[ "${NO_REDIS:-0}" = 1 ] && redis_url=""

nginx_bin=/usr/sbin/nginx
if [ ! -x "$nginx_bin" ]; then
  # Installed without being started: Debian's package would otherwise start its own nginx on port 80.
  no_start=""
  if [ ! -e /usr/sbin/policy-rc.d ]; then
    printf '#!/bin/sh\nexit 101\n' > /usr/sbin/policy-rc.d && chmod +x /usr/sbin/policy-rc.d && no_start=1
  fi
  export DEBIAN_FRONTEND=noninteractive
  { apt-get -o DPkg::Lock::Timeout=300 install -y nginx \
    || { apt-get -o DPkg::Lock::Timeout=300 update && apt-get -o DPkg::Lock::Timeout=300 install -y nginx; }; } >&2
  [ -z "$no_start" ] || rm -f /usr/sbin/policy-rc.d
fi

java_bin=${JAVA_BIN:-}
if [ -z "$java_bin" ]; then   # the first JDK 21+ installed (the default java may be older)
  for candidate in $(command -v java) /usr/lib/jvm/*/bin/java; do
    if "$candidate" -version 2>&1 | grep -qE 'version "(2[1-9]|[3-9][0-9])'; then java_bin=$candidate; break; fi
  done
fi
[ -n "$java_bin" ] || { echo "No JDK 21 or newer found; set JAVA_BIN" >&2; exit 2; }
jar=$(ls target/nosso-*.jar 2>/dev/null | grep -v -- '-plain\|original' | head -1 || true)
[ -n "$jar" ] || { echo "No target/nosso-*.jar: build it first with ./mvnw -DskipTests package" >&2; exit 2; }
if [ -n "$redis_url" ] && ! redis-cli -u "$redis_url" ping > /dev/null 2>&1; then
  echo "Redis at $redis_url does not answer (NO_REDIS=1 runs without it)" >&2; exit 2
fi

free_port() { python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'; }
llm_port=$(free_port); a_port=$(free_port); b_port=$(free_port); lb_port=$(free_port)
work=$(mktemp -d)
schema=nginx_bench_$$_$(date +%s)
prefix="nosso-bench-$$:"
pids=()

cleanup() {
  status=$?
  for pid in "${pids[@]}"; do kill -9 "$pid" 2>/dev/null || true; done
  wait 2>/dev/null || true
  if [ "$status" -ne 0 ]; then
    for log in "$work"/*.log; do echo "== $log" >&2; tail -n 30 "$log" >&2; done
  fi
  psql -Xq -c "DROP SCHEMA IF EXISTS $schema CASCADE" > /dev/null 2>&1 || true
  if [ -n "$redis_url" ]; then
    redis-cli -u "$redis_url" --scan --pattern "$prefix*" | xargs -r redis-cli -u "$redis_url" unlink > /dev/null || true
  fi
  if [ "${KEEP:-0}" = 1 ]; then echo "Kept $work" >&2; else rm -rf "$work"; fi
}
trap cleanup EXIT

psql -Xq -c "CREATE SCHEMA $schema"
jdbc="jdbc:postgresql://$PGHOST:$PGPORT/$PGDATABASE?user=$PGUSER&currentSchema=$schema,public"
[ -z "${PGPASSWORD:-}" ] || jdbc="$jdbc&password=$PGPASSWORD"
secret=$(python3 -c 'import base64, os; print(base64.b64encode(os.urandom(32)).decode())')
email=bench@nosso.test
password=bench-password-1

python3 bench/nginx/scripted_llm.py "$llm_port" > "$work/llm.log" 2>&1 &
pids+=($!)

# Two identical nodes: the same database, secret key, Redis and model server; a data folder each.
start_node() {
  mkdir -p "$work/$1"
  env NOSSO_DATA_DIR="$work/$1" NOSSO_DATABASE_URL="$jdbc" NOSSO_SECRET_KEY="$secret" \
    NOSSO_REDIS_URL="$redis_url" NOSSO_REDIS_PREFIX="$prefix" \
    NOSSO_OPENAI_BASE_URL="http://127.0.0.1:$llm_port/v1" NOSSO_OLLAMA_URL= \
    NOSSO_EMBEDDING_PROVIDER=openai NOSSO_EMBEDDING_MODEL=embed NOSSO_GENERATE_TITLES=false \
    NOSSO_ADMIN_EMAIL=$email NOSSO_ADMIN_PASSWORD=$password SERVER_FORWARD_HEADERS_STRATEGY=native PORT="$2" \
    "$java_bin" -Xmx512m -XX:+ExitOnOutOfMemoryError -jar "$jar" --logging.level.root=warn \
    --logging.level.dev.nosso=info > "$work/node-$1.log" 2>&1 &
}
# disowned: bash would otherwise report the node the client kills as "Killed" on stderr.
start_node a "$a_port"; a_pid=$!; pids+=($a_pid); disown "$a_pid"
start_node b "$b_port"; b_pid=$!; pids+=($b_pid); disown "$b_pid"
for port in $a_port $b_port; do
  for _ in $(seq 1 180); do curl -sf "127.0.0.1:$port/actuator/health" > /dev/null && break; sleep 0.5; done
  curl -sf "127.0.0.1:$port/actuator/health" > /dev/null || { echo "The node on port $port did not start" >&2; exit 1; }
done

# The documented configuration, with this run's ports, inside a minimal nginx.conf of this run's own.
sed -e "s/127\.0\.0\.1:8081;/127.0.0.1:$a_port;/" -e "s/127\.0\.0\.1:8082;/127.0.0.1:$b_port;/" \
    -e "s/listen 8080;/listen 127.0.0.1:$lb_port;/" docs/nginx-several-nodes.conf > "$work/nosso.conf"
grep -q "$a_port" "$work/nosso.conf" && grep -q "$b_port" "$work/nosso.conf" && grep -q "$lb_port" "$work/nosso.conf" \
  || { echo "docs/nginx-several-nodes.conf no longer has the ports this script replaces" >&2; exit 1; }
mkdir -p "$work/nginx-temp"
cat > "$work/nginx.conf" <<EOF
worker_processes 1;
daemon off;
pid $work/nginx.pid;
error_log $work/nginx.log warn;
events { worker_connections 1024; }
http {
    log_format upstreams '\$request_method \$request_uri \$status upstream=\$upstream_addr';
    access_log $work/access.log upstreams;
    client_body_temp_path $work/nginx-temp/body;
    proxy_temp_path $work/nginx-temp/proxy;
    fastcgi_temp_path $work/nginx-temp/fastcgi;
    uwsgi_temp_path $work/nginx-temp/uwsgi;
    scgi_temp_path $work/nginx-temp/scgi;
    include $work/nosso.conf;
}
EOF
"$nginx_bin" -e "$work/nginx.log" -p "$work" -c "$work/nginx.conf" -t 2> "$work/nginx-check.log" \
  || { cat "$work/nginx-check.log" >&2; exit 1; }
"$nginx_bin" -e "$work/nginx.log" -p "$work" -c "$work/nginx.conf" &
pids+=($!)
for _ in $(seq 1 50); do curl -sf "127.0.0.1:$lb_port/actuator/health" > /dev/null && break; sleep 0.1; done

PROXY="http://127.0.0.1:$lb_port" EMAIL=$email PASSWORD=$password SCHEMA=$schema ACCESS_LOG="$work/access.log" \
  NODES="a=$a_pid:$a_port,b=$b_pid:$b_port" REDIS=$([ -n "$redis_url" ] && echo true || echo false) \
  NGINX_VERSION="$("$nginx_bin" -v 2>&1 | sed 's/.*nginx\///')" \
  python3 bench/nginx/kill_while_streaming.py
