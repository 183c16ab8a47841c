#!/usr/bin/env bash
# Side by side (issue 14, round 11): the .NET thread pool's idle spinning as it is (default) and switched off
# (DOTNET_ThreadPool_UnfairSemaphoreSpinLimit=0), in ROUNDS alternating rounds of separate processes. Each round runs the
# profile scenario four times: raw write + fdatasync (1 writer), the engine with 1 writer, the engine and the bare
# group-commit loop with 256 writers x 100 B (SECONDS each); it prints the 1 writer p50 ÷ raw p50 and the commit fsyncs'
# own p50, the 256-writer rates, p99 ÷ p50 and engine ÷ bare, with the load average beside each round; then the medians
# per variant. On 2 cores an idle worker's spin (sched_yield) competes with the thread that completes an fsync.
# usage: bash scripts/spin-ab.sh [ROUNDS] [SECONDS]   (NO_BUILD=1 skips the Release build)
set -euo pipefail
repo="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
rounds="${1:-3}"
seconds="${2:-6}"
if [[ "${NO_BUILD:-0}" != 1 ]]; then
  dotnet build -c Release "${repo}/tests/Benchmarks" -v q -nologo >/dev/null
fi
dll="${repo}/tests/Benchmarks/bin/Release/net10.0/Benchmarks.dll"
results="$(mktemp)"
trap 'rm -f "${results}"' EXIT
cell() { awk -F'|' -v c="$2" '{ gsub(/^ +| +$/, "", $c); gsub(/,/, "", $c); print $c }' <<<"$1"; }
us() { python3 -c "
import sys
t = sys.argv[1].strip()
for unit, f in (('µs', 1), ('ms', 1000), ('s', 1e6)):
    if t.endswith(unit): print(float(t[:-len(unit)]) * f); break
else: print('nan')" "$1"; }
run() { # variant store writers seconds -> the row and the commit fsync line
  local spin=""; [[ "$1" == spin0 ]] && spin=0
  if [[ -n "${spin}" ]]; then
    DOTNET_ThreadPool_UnfairSemaphoreSpinLimit=0 dotnet "${dll}" profile --store "$2" --writers "$3" --bytes 100 --seconds "$4" 2>/dev/null
  else
    dotnet "${dll}" profile --store "$2" --writers "$3" --bytes 100 --seconds "$4" 2>/dev/null
  fi
}
row() { grep -E "^\| (Actors WAL|bare group commit|disk: write \+ fdatasync) +\| $2 " <<<"$1" | head -1; }
for round in $(seq 1 "${rounds}"); do
  for variant in default spin0; do
    raw="$(row "$(run "${variant}" fdatasync 1 4)" 1)"
    out1="$(run "${variant}" wal 1 4)"; one="$(row "${out1}" 1)"
    fs1="$(grep -E '^\| commit fsyncs' <<<"${out1}" | head -1)"
    wal="$(row "$(run "${variant}" wal 256 "${seconds}")" 256)"
    bare="$(row "$(run "${variant}" bare 256 "${seconds}")" 256)"
    rawp50="$(us "$(cell "${raw}" 6)")"; onep50="$(us "$(cell "${one}" 6)")"; fsp50="$(us "$(cell "${fs1}" 4)")"
    wrate="$(cell "${wal}" 5)"; wp50="$(us "$(cell "${wal}" 6)")"; wp99="$(us "$(cell "${wal}" 7)")"; wcpu="$(cell "${wal}" 10)"
    brate="$(cell "${bare}" 5)"; bp50="$(us "$(cell "${bare}" 6)")"; bp99="$(us "$(cell "${bare}" 7)")"
    line="$(python3 -c "
import sys
a = [float(x) for x in sys.argv[1:]]
raw, one, fs, wr, wp50, wp99, br, bp50, bp99, wcpu = a
print(f'{one/raw:.2f} {fs:.0f} {wr:.0f} {wp99/wp50:.2f} {br:.0f} {bp99/bp50:.2f} {wr/br:.2f} {wcpu}')" "${rawp50}" "${onep50}" "${fsp50}" "${wrate}" "${wp50}" "${wp99}" "${brate}" "${bp50}" "${bp99}" "${wcpu}")"
    read -r ratio1 fs rate ratio brate bratio vsbare cpu <<<"${line}"
    echo "round ${round} ${variant}: 1 writer p50 ${onep50} µs = ${ratio1}x raw ${rawp50} µs (commit fsync p50 ${fs} µs); 256 x 100 B engine ${rate}/s (p99/p50 ${ratio}x, ${cpu} µs CPU/append), bare ${brate}/s (p99/p50 ${bratio}x), engine/bare ${vsbare}x; load $(cut -d' ' -f1-3 /proc/loadavg)"
    echo "${variant} ${line}" >>"${results}"
  done
done
python3 - "${results}" <<'PY'
import statistics, sys
rows = [l.split() for l in open(sys.argv[1]) if l.strip()]
for variant in ("default", "spin0"):
    r = [x for x in rows if x[0] == variant]
    med = lambda i: statistics.median(float(x[i]) for x in r)
    print(f"median {variant}: 1 writer {med(1):.2f}x raw (commit fsync p50 {med(2):.0f} µs); 256 x 100 B engine {med(3):,.0f}/s p99/p50 {med(4):.2f}x "
          f"CPU {med(8):.1f} µs/append; bare {med(5):,.0f}/s p99/p50 {med(6):.2f}x; engine/bare {med(7):.2f}x ({len(r)} rounds)")
PY
echo "load at the end: $(cut -d' ' -f1-3 /proc/loadavg)"
