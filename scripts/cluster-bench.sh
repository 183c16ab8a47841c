#!/usr/bin/env bash
# The cluster benchmarks as processes (tests/Actors.Cluster.Benchmarks `processes`): starts a throwaway PostgreSQL 15
# (initdb as the postgres user on a temp directory, loopback, trust auth), runs a one-silo and a three-silo cluster of
# the silo program side by side, and prints durable journaled calls/s on 3 silos vs 1 and in-silo vs cross-silo call
# throughput and latency, with the load average. Run it on an idle machine (uptime below 1.5); other arguments go to
# the benchmark, e.g. scripts/cluster-bench.sh --seconds 10 --rounds 5 --callers 64. A first argument detect or hog
# runs that command instead (SIGKILL detection time; false deaths beside CPU hogs), e.g. scripts/cluster-bench.sh hog --seconds 60.
set -euo pipefail
cd "$(dirname "$0")/.."
pg_bin=/usr/lib/postgresql/15/bin
[ -x "$pg_bin/initdb" ] || { echo "cluster-bench: PostgreSQL 15 is not installed ($pg_bin)" >&2; exit 1; }
work=$(mktemp -d)
chown postgres "$work"
stop() {
  runuser -u postgres -- "$pg_bin/pg_ctl" -D "$work/data" -m immediate -w stop > /dev/null 2>&1 || true
  rm -rf "$work"
}
trap stop EXIT
port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
runuser -u postgres -- "$pg_bin/initdb" -D "$work/data" -U postgres --auth=trust > "$work/initdb.log" 2>&1 || { cat "$work/initdb.log"; exit 1; }
runuser -u postgres -- "$pg_bin/pg_ctl" -D "$work/data" -l "$work/log" -w -o "-p $port -k $work -c listen_addresses=127.0.0.1" start > /dev/null
echo "cluster-bench: PostgreSQL on 127.0.0.1:$port; $(uptime)"
command=processes
case "${1:-}" in detect|hog|processes) command=$1; shift ;; esac
dotnet run -c Release --project tests/Actors.Cluster.Benchmarks -- "$command" \
  --pg "Host=127.0.0.1;Port=$port;Username=postgres;Database=postgres;Pooling=true" "$@"
