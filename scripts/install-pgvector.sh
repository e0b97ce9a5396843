#!/usr/bin/env bash
# Installs pgvector 0.8 into the local PostgreSQL 15 on Debian 12 (bookworm), whose archive has no pgvector
# package: Debian 13's source package builds against PostgreSQL 15 in seconds. Run as root. Idempotent: does
# nothing when the extension is already installed. See DESIGN.md, "pgvector on these machines".
set -euo pipefail

PG_CONFIG="${PG_CONFIG:-/usr/lib/postgresql/15/bin/pg_config}"
SOURCES_LIST=/etc/apt/sources.list.d/debian-trixie-src.sources

if [[ $(id -u) -ne 0 ]]; then
    echo "install-pgvector: run as root" >&2
    exit 1
fi

if [[ -x "$PG_CONFIG" && -f "$("$PG_CONFIG" --sharedir)/extension/vector.control" ]]; then
    echo "install-pgvector: already installed in $("$PG_CONFIG" --sharedir)/extension"
    exit 0
fi

# The source entry uses the same archive as the machine's own first entry, so a mirror or snapshot the
# machine is set up with keeps being used.
if [[ ! -f "$SOURCES_LIST" ]]; then
    uri=$(awk '/^URIs:/ { print $2; exit }' /etc/apt/sources.list.d/debian.sources 2>/dev/null || true)
    uri="${uri:-http://deb.debian.org/debian}"
    cat >"$SOURCES_LIST" <<SOURCES
Types: deb-src
URIs: $uri
Suites: trixie
Components: main
Signed-By: /usr/share/keyrings/debian-archive-keyring.gpg
SOURCES
    echo "install-pgvector: added $SOURCES_LIST ($uri trixie, source only)"
fi

export DEBIAN_FRONTEND=noninteractive
apt-get -o DPkg::Lock::Timeout=300 update
apt-get -o DPkg::Lock::Timeout=300 install -y postgresql-server-dev-15 build-essential

scratch=$(mktemp -d)
trap 'rm -rf "$scratch"' EXIT
cd "$scratch"
apt-get source pgvector
cd "$(find . -mindepth 1 -maxdepth 1 -type d -name 'pgvector-*' | head -n 1)"
make PG_CONFIG="$PG_CONFIG"
make install PG_CONFIG="$PG_CONFIG"

test -f "$("$PG_CONFIG" --sharedir)/extension/vector.control"
echo "install-pgvector: installed $(grep default_version "$("$PG_CONFIG" --sharedir)/extension/vector.control")"
