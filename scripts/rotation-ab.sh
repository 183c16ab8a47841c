#!/usr/bin/env bash
# Side by side, the spare's zero-filling (issue 14, round 10): the old way (the whole 64 MiB segment written into the page
# cache, one fsync at the end: ACTORS_WAL_ZEROFILL_CHUNK=0) and the new default (1 MiB chunks, each fdatasynced before the
# next), in ROUNDS alternating rounds of separate processes. Each round runs the profile scenario at 256 x 100 B under
# Always on written blocks (zero-filled segments, the benchmark's default file state) for SECONDS, long enough for
# rotations, and prints p50, p99, p99 ÷ p50 and where the appends above the p99 were (spanning a segment switch; beside a
# spare's preparation), with the load average beside each round; then the medians per variant.
# usage: bash scripts/rotation-ab.sh [ROUNDS] [SECONDS] [SEGMENT_MB]   (NO_BUILD=1 skips the Release build; SEGMENT_MB, default
# 64, makes rotations happen within the window when the machine is slow)
set -euo pipefail
repo="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
rounds="${1:-3}"
seconds="${2:-6}"
segment="${3:-64}"
if [[ "${NO_BUILD:-0}" != 1 ]]; then
  dotnet build -c Release "${repo}/tests/Benchmarks" -v q -nologo >/dev/null
fi
dll="${repo}/tests/Benchmarks/bin/Release/net10.0/Benchmarks.dll"
results="$(mktemp)"
trap 'rm -f "${results}"' EXIT
cell() { awk -F'|' -v c="$2" '{ gsub(/^ +| +$/, "", $c); print $c }' <<<"$1"; }
for round in $(seq 1 "${rounds}"); do
  for variant in unpaced paced; do
    chunk=""; [[ "${variant}" == unpaced ]] && chunk=0
    out="$(ACTORS_WAL_ZEROFILL_CHUNK="${chunk}" dotnet "${dll}" profile --store wal --writers 256 --bytes 100 --seconds "${seconds}" --segment-mb "${segment}" 2>/dev/null)"
    row="$(grep -E '^\| Actors WAL +\| 256' <<<"${out}" | head -1)"
    rate="$(cell "${row}" 5 | tr -d ',')"; p50="$(cell "${row}" 6)"; p99="$(cell "${row}" 7)"
    spare="$(grep -E "^\| beside a spare" <<<"${out}" | head -1)"
    switch="$(grep -E "^\| spanned a segment switch" <<<"${out}" | head -1)"
    ratio="$(python3 -c "
import sys
def us(t):
    t = t.strip()
    for unit, f in (('µs', 1), ('ms', 1000), ('s', 1e6)):
        if t.endswith(unit): return float(t[:-len(unit)].replace(',', '')) * f
    return float('nan')
print(f'{us(sys.argv[2]) / us(sys.argv[1]):.2f}')" "${p50}" "${p99}")"
    load="$(cut -d' ' -f1-3 /proc/loadavg)"
    echo "round ${round} ${variant}: 256 x 100 B ${rate}/s, p50 ${p50}, p99 ${p99}, p99/p50 ${ratio}x; of the appends above p99: $(cell "${spare}" 8) beside a spare's preparation (p99 there $(cell "${spare}" 6)), $(cell "${switch}" 8) spanning a segment switch ($(cell "${switch}" 3) such appends); load ${load}"
    echo "${variant} ${ratio} ${rate}" >>"${results}"
  done
done
python3 - "${results}" <<'PY'
import statistics, sys
rows = [l.split() for l in open(sys.argv[1]) if l.strip()]
for variant in ("unpaced", "paced"):
    r = [x for x in rows if x[0] == variant]
    med = lambda i: statistics.median(float(x[i]) for x in r if x[i] not in ("", "-", "nan"))
    print(f"median {variant}: p99/p50 {med(1):.2f}x; 256 x 100 B {med(2):,.0f}/s ({len(r)} rounds)")
PY
echo "load at the end: $(cut -d' ' -f1-3 /proc/loadavg)"
