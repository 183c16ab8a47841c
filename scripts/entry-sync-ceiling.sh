#!/usr/bin/env bash
# Issue 13, round 14: how much of a replicated write's cost is the entry logs' fsyncs. Builds a throwaway worktree of
# HEAD with scripts/experiments/entry-sync-experiments.patch applied, then runs issue 13's comparison
# (scripts/cluster-bench.sh --phases durable --rounds 2 --callers 256 --replication-factor 3, each run its own PostgreSQL
# and silos) for each variant in turn, ROUNDS times, the order reversed every other round. Variants (the patch reads
# ACTORS_EXPERIMENT_ENTRY_SYNC; neither experiment is durable or recoverable, and neither is ever on main):
#   fsync     the variable unset: main's code path (each entry log fsyncs its own segment)
#   no-fsync  EntryLog.Sync skips its fdatasync: the upper bound of any fsync saving
#   journal   a model of one entry journal per silo: every entry log also writes its records to one journal file per
#             process, and a sync awaits one group fdatasync of that journal (a dedicated thread; while it runs the next
#             group gathers) instead of fsyncing its own segment (nothing replays the journal: performance only)
#   journal-once        (round 19) as journal, but records go to the journal only, not also to the entry log's segment
#                       (a journal that writes each record once); every journal variant zero-fills 1 MiB ahead, as the
#                       entry logs do since round 19
#   journal-once-async  (round 19) as journal-once, and the driver loop does not wait for the journal's fsync: the
#                       completion is posted back to it (Replica.OnSynced)
#   offload   (round 15) the driver loop hands each fsync to one of 4 dedicated threads (ACTORS_EXPERIMENT_SYNC_THREADS)
#             and goes on; the completion is posted back to the loop (no thread-pool thread blocks in fdatasync)
# Also read by the patch, with any variant: ACTORS_EXPERIMENT_INFLIGHT=N (entries in flight per partition, main's 2),
# ACTORS_EXPERIMENT_LAZY_APPLY_MS=N (a follower's applier waits N ms after each round, so it applies in larger groups).
# All variants run the same build; the unreplicated silo's write-ahead log fsyncs in all. Prints each run's second-round
# rates, ratio and CPU lines, then the medians. Run it on an idle machine.
# usage: bash scripts/entry-sync-ceiling.sh [ROUNDS] [SECONDS] [VARIANT...]   (default: 2 10 fsync no-fsync journal)
set -euo pipefail
repo="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
rounds="${1:-2}"
seconds="${2:-10}"
shift $(( $# > 2 ? 2 : $# ))
variants=("$@")
(( ${#variants[@]} > 0 )) || variants=(fsync no-fsync journal)
tree="$(mktemp -d)/ceiling"
results="$(mktemp)"
cleanup() { git -C "${repo}" worktree remove --force "${tree}" >/dev/null 2>&1 || true; rm -f "${results}"; }
trap cleanup EXIT
git -C "${repo}" worktree add --detach -q "${tree}" HEAD
git -C "${tree}" apply "${repo}/scripts/experiments/entry-sync-experiments.patch"
dotnet build "${tree}/tests/Actors.Cluster.Benchmarks" -c Release -v q >/dev/null
# shellcheck source=lib/cluster-ab.sh
source "${repo}/scripts/lib/cluster-ab.sh"
run() {
  if [[ "$1" == fsync ]]; then
    cluster_ab_run "${tree}/scripts/cluster-bench.sh" "${results}" "${seconds}" fsync
  else
    cluster_ab_run "${tree}/scripts/cluster-bench.sh" "${results}" "${seconds}" "$1" ACTORS_EXPERIMENT_ENTRY_SYNC="$1"
  fi
}
echo "entry-sync-ceiling.sh: ${rounds} rounds x (${variants[*]}), ${seconds} s windows; $(uptime)"
for round in $(seq "${rounds}"); do
  order=("${variants[@]}")
  if (( round % 2 == 0 )); then order=(); for ((i = ${#variants[@]} - 1; i >= 0; i--)); do order+=("${variants[i]}"); done; fi
  for variant in "${order[@]}"; do run "${variant}"; done
done
python3 - "${results}" <<'PY'
import statistics, sys
rows = [line.split() for line in open(sys.argv[1])]
for variant in dict.fromkeys(r[0] for r in rows):
    ones = [int(r[1]) for r in rows if r[0] == variant]
    threes = [int(r[2]) for r in rows if r[0] == variant]
    print(f"{variant}: medians 1 silo {statistics.median(ones):,.0f}, 3 silos {statistics.median(threes):,.0f} calls/s; ratios {', '.join(f'{t / o:.0%}' for o, t in zip(ones, threes))}")
PY
