#!/usr/bin/env bash
# Two builds of the benchmark side by side (issue 37, item 2: the spare pipeline before and after): ROUNDS alternating
# rounds of separate processes, A then B, each the profile scenario at 256 x 100 B under Always for SECONDS with
# SEGMENT_MB segments (so that rotations happen in the window); per round p50, p99, p99 ÷ p50 and where the appends above
# the p99 were (spanning a segment switch; beside a spare's preparation; other), with the load average; then medians.
# usage: bash scripts/binary-ab.sh A_DIR B_DIR [ROUNDS] [SECONDS] [SEGMENT_MB]
#   A_DIR, B_DIR: Release output directories of tests/Benchmarks (copies of tests/Benchmarks/bin/Release/net10.0 built
#   from the two commits). Environment variables (ACTORS_WAL_ZEROFILL_CHUNK, ACTORS_WAL_ZEROFILL_SPREAD) reach both.
set -euo pipefail
a="$1"; b="$2"; rounds="${3:-4}"; seconds="${4:-6}"; segment="${5:-16}"
results="$(mktemp)"
trap 'rm -f "${results}"' EXIT
cell() { awk -F'|' -v c="$2" '{ gsub(/^ +| +$/, "", $c); print $c }' <<<"$1"; }
us() { python3 -c "
import sys
t = sys.argv[1].strip()
for unit, f in (('µs', 1), ('ms', 1000), ('s', 1e6)):
    if t.endswith(unit): print(float(t[:-len(unit)].replace(',', '')) * f); break
else: print('nan')" "$1"; }
for round in $(seq 1 "${rounds}"); do
  for variant in A B; do
    dir="${a}"; [[ "${variant}" == B ]] && dir="${b}"
    out="$(cd /tmp && dotnet "${dir}/Benchmarks.dll" profile --store wal --writers 256 --bytes 100 --seconds "${seconds}" --segment-mb "${segment}" 2>/dev/null)"
    row="$(grep -E '^\| Actors WAL +\| 256' <<<"${out}" | head -1)"
    rate="$(cell "${row}" 5 | tr -d ',')"; p50="$(cell "${row}" 6)"; p99="$(cell "${row}" 7)"
    spare="$(grep -E "^\| beside a spare" <<<"${out}" | head -1)"
    switch="$(grep -E "^\| spanned a segment switch" <<<"${out}" | head -1)"
    other="$(grep -E "^\| other" <<<"${out}" | head -1)"
    ratio="$(python3 -c "import sys; print(f'{float(sys.argv[2]) / float(sys.argv[1]):.2f}')" "$(us "${p50}")" "$(us "${p99}")")"
    load="$(cut -d' ' -f1-3 /proc/loadavg)"
    echo "round ${round} ${variant}: ${rate}/s, p50 ${p50}, p99 ${p99}, p99/p50 ${ratio}x; above p99: spare $(cell "${spare}" 8) (its p99 $(cell "${spare}" 6), $(cell "${spare}" 3) appends beside one), switch $(cell "${switch}" 8) (its p99 $(cell "${switch}" 6)), other $(cell "${other}" 8) (its p99 $(cell "${other}" 6)); load ${load}"
    echo "${variant} ${ratio} ${rate} $(us "$(cell "${spare}" 6)") $(us "$(cell "${switch}" 6)")" >>"${results}"
  done
done
python3 - "${results}" <<'PY'
import math, statistics, sys
rows = [l.split() for l in open(sys.argv[1]) if l.strip()]
for variant in ("A", "B"):
    r = [x for x in rows if x[0] == variant]
    def med(i):
        v = [float(x[i]) for x in r if x[i] not in ("", "-") and not math.isnan(float(x[i]))]
        return statistics.median(v) if v else float("nan")
    print(f"median {variant}: p99/p50 {med(1):.2f}x; {med(2):,.0f} appends/s; p99 beside a spare's preparation {med(3)/1000:.2f} ms; p99 spanning a switch {med(4)/1000:.2f} ms ({len(r)} rounds)")
PY
echo "load at the end: $(cut -d' ' -f1-3 /proc/loadavg)"
