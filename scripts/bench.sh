#!/usr/bin/env bash
# Runs the whole benchmark comparison of issue #7 on this machine:
#   - installs PostgreSQL 15 from the Debian packages if its binaries are missing (needs root),
#   - starts a throwaway cluster in a temp directory on a loopback port (fsync=on, synchronous_commit=on),
#   - runs tests/Benchmarks in Release against it, and
#   - stops and removes the cluster on exit, whatever happens.
#
# usage: bash scripts/bench.sh [scenario|all] [--quick] [--out FILE] [other tests/Benchmarks options]
#   default scenario: all. Environment: BENCH_PG_PORT (default: first free port from 55432),
#   BENCH_TMP (parent of the cluster's temp directory, default ${TMPDIR:-/tmp}).
set -euo pipefail

repo="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
pg_version=15
pg_bin="/usr/lib/postgresql/${pg_version}/bin"

if [[ ! -x "${pg_bin}/initdb" || ! -x "${pg_bin}/pg_ctl" ]]; then
  echo "bench.sh: PostgreSQL ${pg_version} binaries missing; installing postgresql-${pg_version}" >&2
  if [[ "$(id -u)" -ne 0 ]]; then
    echo "bench.sh: installing needs root (apt-get)" >&2
    exit 1
  fi
  export DEBIAN_FRONTEND=noninteractive
  apt-get update
  apt-get install -y "postgresql-${pg_version}"
fi

# PostgreSQL refuses to run as root: the cluster belongs to the 'postgres' user (created by the package).
run_pg=()
if [[ "$(id -u)" -eq 0 ]]; then
  id postgres >/dev/null 2>&1 || useradd --system --home-dir /var/lib/postgresql --shell /bin/bash postgres
  run_pg=(runuser -u postgres --)
fi

port_in_use() {
  (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null
}
port="${BENCH_PG_PORT:-}"
if [[ -z "${port}" ]]; then
  port=55432
  while port_in_use "${port}"; do
    port=$((port + 1))
  done
fi

tmp="$(mktemp -d "${BENCH_TMP:-${TMPDIR:-/tmp}}/actors-bench-pg.XXXXXX")"
data="${tmp}/data"
started=0
cleanup() {
  local rc=$?
  if [[ "${started}" -eq 1 ]]; then
    "${run_pg[@]}" "${pg_bin}/pg_ctl" -D "${data}" -m fast -w stop >/dev/null 2>&1 || \
      echo "bench.sh: pg_ctl stop failed; see ${tmp}/postgres.log" >&2
  fi
  rm -rf "${tmp}"
  exit "${rc}"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

if [[ "${#run_pg[@]}" -gt 0 ]]; then
  chown postgres:postgres "${tmp}"
fi
chmod 700 "${tmp}"

echo "bench.sh: PostgreSQL ${pg_version} cluster in ${tmp}, port ${port}" >&2
"${run_pg[@]}" "${pg_bin}/initdb" -D "${data}" -U postgres -A trust -E UTF8 --locale=C >"${tmp}/initdb.log" 2>&1 || {
  cat "${tmp}/initdb.log" >&2
  exit 1
}
"${run_pg[@]}" "${pg_bin}/pg_ctl" -D "${data}" -l "${tmp}/postgres.log" -w -t 60 \
  -o "-p ${port} -k ${tmp} -c listen_addresses=127.0.0.1 -c fsync=on -c synchronous_commit=on -c max_connections=300" \
  start >/dev/null
started=1
"${run_pg[@]}" "${pg_bin}/createdb" -h 127.0.0.1 -p "${port}" -U postgres actors_bench

export ACTORS_BENCH_PG="Host=127.0.0.1;Port=${port};Username=postgres;Database=actors_bench;Pooling=true;Timeout=30;Command Timeout=600"

args=("$@")
if [[ "${#args[@]}" -eq 0 || "${args[0]}" == --* ]]; then
  args=(all "${args[@]}")
fi

cd "${repo}"
dotnet build tests/Benchmarks/Benchmarks.csproj -c Release --nologo -v quiet
dotnet run -c Release --no-build --project tests/Benchmarks -- "${args[@]}"
