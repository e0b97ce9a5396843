#!/usr/bin/env bash
# Ensures the PostgreSQL database the tests use exists and has pgvector. CREATE EXTENSION needs a superuser,
# so this runs as postgres; the tests' own role then finds the extension there. Idempotent.
# Settings: NOSSO_TEST_DATABASE (default nosso_test), PGHOST (default 127.0.0.1), PGUSER (default postgres).
set -euo pipefail

database="${NOSSO_TEST_DATABASE:-nosso_test}"
export PGHOST="${PGHOST:-127.0.0.1}"
export PGUSER="${PGUSER:-postgres}"

if [[ ! "$database" =~ ^[a-z_][a-z0-9_]*$ ]]; then
    echo "create-test-database: '$database' is not a plain lower-case identifier" >&2
    exit 1
fi

exists=$(psql -d postgres -tAc "SELECT 1 FROM pg_database WHERE datname = '$database'")
if [[ "$exists" != "1" ]]; then
    psql -d postgres -v ON_ERROR_STOP=1 -c "CREATE DATABASE $database"
fi
psql -d "$database" -q -v ON_ERROR_STOP=1 -c "SET client_min_messages = warning" -c "CREATE EXTENSION IF NOT EXISTS vector"
echo "create-test-database: $database ready with vector $(psql -d "$database" -tAc "SELECT extversion FROM pg_extension WHERE extname = 'vector'")"
