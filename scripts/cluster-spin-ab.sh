#!/usr/bin/env bash
# Side by side (issue 13, round 13): issue 13's comparison (durable deposits, 1 unreplicated silo vs 3 silos replicating
# every partition 3 ways, 256 callers) with the .NET thread pool's idle spinning as it is (default) and switched off
# (DOTNET_ThreadPool_UnfairSemaphoreSpinLimit=0, inherited by the silo processes and the callers' process), in ROUNDS
# alternating runs of scripts/cluster-bench.sh (each its own PostgreSQL and silos, --phases durable --rounds 2, the
# first round a warm-up). Prints each run's second-round rates, ratio and CPU lines, then the medians per variant.
# Round 13's profile found seven silo processes on two cores spin-waiting in sched_yield (15% of an unreplicated
# window's samples, most of them the idle replicated cluster's). Run it on an idle machine.
# usage: bash scripts/cluster-spin-ab.sh [ROUNDS] [SECONDS]
set -euo pipefail
repo="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
rounds="${1:-2}"
seconds="${2:-10}"
results="$(mktemp)"
trap 'rm -f "${results}"' EXIT
# shellcheck source=lib/cluster-ab.sh
source "${repo}/scripts/lib/cluster-ab.sh"
run() {
  if [[ "$1" == spin0 ]]; then
    cluster_ab_run "${repo}/scripts/cluster-bench.sh" "${results}" "${seconds}" spin0 DOTNET_ThreadPool_UnfairSemaphoreSpinLimit=0
  else
    cluster_ab_run "${repo}/scripts/cluster-bench.sh" "${results}" "${seconds}" default
  fi
}
echo "cluster-spin-ab.sh: ${rounds} rounds x (default, spin0), ${seconds} s windows; $(uptime)"
for round in $(seq "${rounds}"); do
  if (( round % 2 == 1 )); then run default; run spin0; else run spin0; run default; fi
done
python3 - "${results}" <<'EOF'
import statistics, sys
rows = [line.split() for line in open(sys.argv[1])]
for variant in ("default", "spin0"):
    ones = [int(r[1]) for r in rows if r[0] == variant]
    threes = [int(r[2]) for r in rows if r[0] == variant]
    ratios = [t / o for o, t in zip(ones, threes)]
    print(f"{variant}: medians 1 silo {statistics.median(ones):,.0f}, 3 silos {statistics.median(threes):,.0f} calls/s; ratios {', '.join(f'{r:.0%}' for r in ratios)}")
EOF
