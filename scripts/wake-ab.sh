#!/usr/bin/env bash
# Side by side, the engine's wake-up signal (issue 14, round 9): the old spin (ManualResetEventSlim spinCount 100) and the
# new default (no spin on 2 cores), in ROUNDS alternating rounds of separate processes; each round runs the latency
# scenario (1 writer, p50 ÷ raw write + fdatasync) and the profile scenario at 256 x 100 B (appends/s, CPU per append).
# Prints every round, then the medians per variant, with the load average beside each round.
# usage: bash scripts/wake-ab.sh [ROUNDS]   (NO_BUILD=1 skips the Release build)
set -euo pipefail
repo="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
rounds="${1:-3}"
if [[ "${NO_BUILD:-0}" != 1 ]]; then
  dotnet build -c Release "${repo}/tests/Benchmarks" -v q -nologo >/dev/null
fi
dll="${repo}/tests/Benchmarks/bin/Release/net10.0/Benchmarks.dll"
results="$(mktemp)"
trap 'rm -f "${results}"' EXIT
for round in $(seq 1 "${rounds}"); do
  for variant in spin100 default; do
    spin=""; [[ "${variant}" == spin100 ]] && spin=100
    lat="$(ACTORS_WAL_WAKEUP_SPIN="${spin}" dotnet "${dll}" latency --quick 2>/dev/null)"
    ratio="$(grep -E '^\| Actors WAL \(Always\) +\| 100 B' <<<"${lat}" | tail -1 | awk -F'|' '{ gsub(/[ ×]/, "", $7); print $7 }')"
    p50="$(grep -E '^\| Actors WAL \(Always\) +\| 100 B' <<<"${lat}" | tail -1 | awk -F'|' '{ gsub(/^ +| +$/, "", $4); print $4 }')"
    thr="$(ACTORS_WAL_WAKEUP_SPIN="${spin}" dotnet "${dll}" profile --store wal --writers 256 --bytes 100 --seconds 3 2>/dev/null)"
    rate="$(grep -E '^\| Actors WAL +\| 256' <<<"${thr}" | awk -F'|' '{ gsub(/[ ,]/, "", $5); print $5 }')"
    cpu="$(grep -E '^\| Actors WAL +\| 256' <<<"${thr}" | awk -F'|' '{ gsub(/ /, "", $10); print $10 }')"
    load="$(cut -d' ' -f1-3 /proc/loadavg)"
    echo "round ${round} ${variant}: 1 writer p50 ${p50} (${ratio}x raw fdatasync); 256 x 100 B ${rate}/s, ${cpu} µs CPU/append; load ${load}"
    echo "${variant} ${ratio} ${rate} ${cpu}" >>"${results}"
  done
done
python3 - "${results}" <<'PY'
import statistics, sys
rows = [l.split() for l in open(sys.argv[1]) if l.strip()]
for variant in ("spin100", "default"):
    r = [x for x in rows if x[0] == variant]
    med = lambda i: statistics.median(float(x[i]) for x in r if x[i] not in ("", "-"))
    print(f"median {variant}: 1 writer p50 {med(1):.2f}x raw fdatasync; 256 x 100 B {med(2):,.0f}/s; {med(3):.1f} µs CPU/append ({len(r)} rounds)")
PY
echo "load at the end: $(cut -d' ' -f1-3 /proc/loadavg)"
