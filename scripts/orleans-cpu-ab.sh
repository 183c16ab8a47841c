#!/usr/bin/env bash
# The Orleans providers' write path of this tree against another revision's (issue 65, part 3), in one run: ROUNDS
# interleaved rounds (the order alternates each round), each a separate process of tests/Actors.Orleans.Benchmarks'
# throughput section per build (256 callers x 100 B, VARIANTS, one measured period each; this tree's benchmark program,
# as committed, built on each side's src/, so only the providers and the engine differ). Prints every period's calls/s,
# CPU µs per call (the whole process: silo, callers, log) and allocated B per call with the load average, then per build
# and variant the median and min-max. CPU and bytes per call are what a change to the provider or the engine moves; the
# rates need a quiet machine (it refuses at a 1-minute load >= 1.5 unless FORCE=1).
# usage: bash scripts/orleans-cpu-ab.sh --base REV [--rounds N] [--seconds S] [--variants wal-state,memory]
#        NO_BUILD=1 skips this tree's Release build (the base is built into a temporary directory either way)
set -euo pipefail
repo="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
rounds=4
seconds=6
base=""
variants="wal-state,memory"
while [[ $# -gt 0 ]]; do
  case "$1" in
    --rounds) rounds="$2"; shift 2 ;;
    --seconds) seconds="$2"; shift 2 ;;
    --base) base="$2"; shift 2 ;;
    --variants) variants="$2"; shift 2 ;;
    *) echo "orleans-cpu-ab.sh: unknown option $1" >&2; exit 2 ;;
  esac
done
[[ -n "${base}" ]] || { echo "orleans-cpu-ab.sh: --base REV is required" >&2; exit 2; }

# shellcheck source=lib/quiet_machine.sh
source "${repo}/scripts/lib/quiet_machine.sh"
refuse_when_loaded orleans-cpu-ab.sh

work="$(mktemp -d "${TMPDIR:-/tmp}/orleans-cpu-ab.XXXXXX")"
trap 'rm -rf "${work}"' EXIT
project=tests/Actors.Orleans.Benchmarks/Actors.Orleans.Benchmarks.csproj
dll=tests/Actors.Orleans.Benchmarks/bin/Release/net10.0/Actors.Orleans.Benchmarks.dll
if [[ "${NO_BUILD:-0}" != 1 ]]; then
  dotnet build -c Release "${repo}/${project}" -v q -nologo >/dev/null
fi
rev="$(git -C "${repo}" rev-parse --short "${base}")"
echo "orleans-cpu-ab.sh: building the base ${rev} in ${work}/base" >&2
mkdir -p "${work}/base" "${work}/data"
git -C "${repo}" archive "${rev}" | tar -x -C "${work}/base"
# The same benchmark program on both sides (this tree's, as committed): only the providers and the engine differ.
rm -rf "${work}/base/tests/Actors.Orleans.Benchmarks"
git -C "${repo}" archive HEAD tests/Actors.Orleans.Benchmarks | tar -x -C "${work}/base"
dotnet build -c Release "${work}/base/${project}" -v q -nologo >/dev/null
builds=("head:${repo}/${dll}" "base-${rev}:${work}/base/${dll}")

echo "orleans-cpu-ab.sh: $(git -C "${repo}" rev-parse --short HEAD)$(git -C "${repo}" diff --quiet || echo '+uncommitted') against ${rev}, ${rounds} rounds x ${seconds} s, variants ${variants}; load at start $(cut -d' ' -f1-3 /proc/loadavg)"
results="${work}/rows"
: >"${results}"
for round in $(seq 1 "${rounds}"); do
  for i in 0 1; do
    IFS=: read -r name path <<<"${builds[$(((i + round) % 2))]}"
    out="$(dotnet "${path}" --sections throughput --variants "${variants}" --rounds 1 --seconds "${seconds}" --warmup 2 --data-root "${work}/data" 2>&1)"
    # [time] throughput round 1/1 VARIANT: R calls/s, p50 .., p99 .., mean .., A B allocated per call, C µs CPU per call, load L1 L5 L15
    lines="$(grep -E 'throughput round 1/1 .*µs CPU per call' <<<"${out}" || true)"
    if [[ -z "${lines}" ]]; then
      echo "orleans-cpu-ab.sh: round ${round} ${name}: no result line" >&2
      echo "${out}" | tail -20 >&2
      exit 1
    fi
    while IFS= read -r line; do
      variant="$(sed -E 's/.*round 1\/1 ([^:]+):.*/\1/' <<<"${line}")"
      rate="$(sed -E 's/.*: ([0-9,]+) calls\/s.*/\1/' <<<"${line}" | tr -d ,)"
      alloc="$(sed -E 's/.* ([0-9,]+) B allocated per call.*/\1/' <<<"${line}" | tr -d ,)"
      cpu="$(sed -E 's/.* ([0-9.]+) µs CPU per call.*/\1/' <<<"${line}")"
      echo "round ${round} ${name} ${variant}: ${rate} calls/s, ${cpu} µs CPU/call, ${alloc} B/call; load $(cut -d' ' -f1-3 /proc/loadavg)"
      echo "${name}|${variant}|${rate}|${cpu}|${alloc}" >>"${results}"
    done <<<"${lines}"
  done
done

python3 - "${results}" <<'PY'
import statistics, sys
rows = [l.rstrip("\n").split("|") for l in open(sys.argv[1]) if l.strip()]
print()
print("| build | variant | rounds | calls/s median (min-max) | CPU µs/call median (min-max) | alloc B/call median (min-max) |")
print("| --- | --- | --- | --- | --- | --- |")
keys = list(dict.fromkeys((r[0], r[1]) for r in rows))
for name, variant in sorted(keys, key=lambda k: (k[1], k[0])):
    r = [x for x in rows if x[0] == name and x[1] == variant]
    rate, cpu, alloc = ([float(x[i]) for x in r] for i in (2, 3, 4))
    print(f"| {name} | {variant} | {len(r)} | {statistics.median(rate):,.0f} ({min(rate):,.0f}-{max(rate):,.0f}) | "
          f"{statistics.median(cpu):.1f} ({min(cpu):.1f}-{max(cpu):.1f}) | {statistics.median(alloc):,.0f} ({min(alloc):,.0f}-{max(alloc):,.0f}) |")
PY
echo "load at the end: $(cut -d' ' -f1-3 /proc/loadavg)"
