#!/usr/bin/env bash
# Issue 36: real Orleans grains on one in-process silo, durable writes side by side (WAL JournaledGrain, WAL
# IPersistentState, ADO.NET PostgreSQL IPersistentState, StateStorage and LogStorage JournaledGrain over PostgreSQL,
# memory storage), then cost per call with a history of events and activation time of journaled grains.
#
# Builds tests/Actors.Orleans.Benchmarks in Release and runs it; the program starts (and stops) its own PostgreSQL 15
# from /usr/lib/postgresql/15/bin with fsync=on, synchronous_commit=on, and deletes its temp directory at the end.
# The report (Markdown tables) goes to standard output and to FILE with --out; progress and the silo's warnings go to
# standard error.
#
# usage: bash scripts/orleans-bench.sh [--out FILE] [program options]
#   defaults: --seconds 10 --warmup 1 --rounds 5 --callers 256 --variants all --sections all
#   smoke:    bash scripts/orleans-bench.sh --seconds 2 --warmup 0.5 --rounds 2 --callers 8 \
#               --activation-grains 8 --activation-events 50 --wal-history 0,100 --logstorage-history 0,100
#   cluster:  bash scripts/orleans-bench.sh --sections cluster --variants wal-journaled,wal-state [--replication-factor 3]
#             three replicating silos (in the program's process, PostgreSQL membership) beside the one unreplicated
#             silo, interleaved rounds; not part of --sections all
#   see all options: bash scripts/orleans-bench.sh --help
# Environment: BENCH_TMP (parent of the run's temp directory; default ${TMPDIR:-/tmp}): put it on the disk to measure.
set -euo pipefail

repo="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
project="${repo}/tests/Actors.Orleans.Benchmarks/Actors.Orleans.Benchmarks.csproj"

out=""
args=()
while [[ $# -gt 0 ]]; do
  case "$1" in
    --out)
      out="$2"
      shift 2
      ;;
    *)
      args+=("$1")
      shift
      ;;
  esac
done

if [[ ! -x /usr/lib/postgresql/15/bin/initdb ]]; then
  echo "orleans-bench.sh: PostgreSQL 15 is missing (/usr/lib/postgresql/15/bin); install postgresql-15" >&2
  exit 1
fi

data_root="${BENCH_TMP:-${TMPDIR:-/tmp}}"
echo "orleans-bench.sh: building ${project} (Release)" >&2
dotnet build "${project}" -c Release --nologo -v quiet >&2

run=(dotnet run -c Release --no-build --project "${project}" -- --data-root "${data_root}" "${args[@]}")
if [[ -n "${out}" ]]; then
  "${run[@]}" | tee "${out}"
else
  "${run[@]}"
fi
