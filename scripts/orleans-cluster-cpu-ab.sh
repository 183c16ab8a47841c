#!/usr/bin/env bash
# CPU and allocations per call of the three replicating Orleans silos (issue 61), arms interleaved in one run: ROUNDS
# rounds, each running every arm once as a separate process of tests/Actors.Orleans.Benchmarks' cluster section
# (--cluster-baseline off: the replicating silos only, their own PostgreSQL; 256 callers x 100 B, one variant), the
# order rotating each round. Each process measures two periods and reports the second: the first absorbs the JIT's
# tiering (a third of the CPU of a process's first seconds under load). An arm is LABEL=BUILD[:ARGS]: BUILD is `head` (this tree) or `base` (--base REV, built
# into a temporary directory with this tree's benchmark program, so only the library differs); ARGS are extra program
# options with commas for spaces (e.g. `p16=head:--partitions,16`). Prints every run's CPU µs and allocated B per call,
# the cluster's idle CPU and allocations (no calls, after the rounds), writes per entry, frames per call, the
# materialized logs' commits per entry (summed over the three replicas) and the load average, then per arm the medians
# and min-max, also of CPU and bytes per call above the idle cost (the fixed cost per second divided by the rate, which a loaded machine lowers for one arm or the other). CPU and bytes per call are what a change moves; the calls/s printed beside them need a quiet machine.
# --callers-from silo|client places every arm's callers (the benchmark's --callers-from): silo (default) calls through the
# first silo's grain factory, client through an Orleans client connected to the three silos' gateways, as deployed callers
# do (that client runs in the benchmark's process, so its CPU and allocations are in the per-call figures).
# usage: bash scripts/orleans-cluster-cpu-ab.sh [--base REV] [--rounds N] [--seconds S] [--variant wal-state]
#                                              [--callers-from silo|client] --arm LABEL=BUILD[:ARGS] --arm ...
#        NO_BUILD=1 skips this tree's Release build
set -euo pipefail
repo="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
rounds=4
seconds=6
base=""
variant="wal-state"
callers_from="silo"
arms=()
while [[ $# -gt 0 ]]; do
  case "$1" in
    --rounds) rounds="$2"; shift 2 ;;
    --seconds) seconds="$2"; shift 2 ;;
    --base) base="$2"; shift 2 ;;
    --variant) variant="$2"; shift 2 ;;
    --callers-from) callers_from="$2"; shift 2 ;;
    --arm) arms+=("$2"); shift 2 ;;
    *) echo "orleans-cluster-cpu-ab.sh: unknown option $1" >&2; exit 2 ;;
  esac
done
[[ "${callers_from}" == silo || "${callers_from}" == client ]] || { echo "orleans-cluster-cpu-ab.sh: --callers-from '${callers_from}' is not one of silo, client" >&2; exit 2; }
[[ ${#arms[@]} -ge 1 ]] || { echo "orleans-cluster-cpu-ab.sh: at least one --arm LABEL=BUILD[:ARGS] is required" >&2; exit 2; }

# A short path: PostgreSQL's socket lives under the data root, and a socket path is at most 107 bytes.
work="$(mktemp -d "${TMPDIR:-/tmp}/ccab.XXXXXX")"
trap 'rm -rf "${work}"' EXIT
# The benchmark runs PostgreSQL as the postgres user, which must reach its data directory under this one.
chmod 755 "${work}"
project=tests/Actors.Orleans.Benchmarks/Actors.Orleans.Benchmarks.csproj
dll=tests/Actors.Orleans.Benchmarks/bin/Release/net10.0/Actors.Orleans.Benchmarks.dll
if [[ "${NO_BUILD:-0}" != 1 ]]; then
  dotnet build -c Release "${repo}/${project}" -v q -nologo >/dev/null
fi
base_dll=""
if [[ -n "${base}" ]]; then
  rev="$(git -C "${repo}" rev-parse --short "${base}")"
  echo "orleans-cluster-cpu-ab.sh: building the base ${rev} in ${work}/base" >&2
  mkdir -p "${work}/base"
  git -C "${repo}" archive "${rev}" | tar -x -C "${work}/base"
  rm -rf "${work}/base/tests/Actors.Orleans.Benchmarks"
  git -C "${repo}" archive HEAD tests/Actors.Orleans.Benchmarks | tar -x -C "${work}/base"
  dotnet build -c Release "${work}/base/${project}" -v q -nologo >/dev/null
  base_dll="${work}/base/${dll}"
fi

echo "orleans-cluster-cpu-ab.sh: $(git -C "${repo}" rev-parse --short HEAD)$(git -C "${repo}" diff --quiet || echo '+uncommitted')${base:+ against ${base}}, ${rounds} rounds x ${seconds} s, ${variant}, callers from ${callers_from}, arms ${arms[*]}; load at start $(cut -d' ' -f1-3 /proc/loadavg)"
results="${work}/rows"
: >"${results}"
for round in $(seq 1 "${rounds}"); do
  for i in $(seq 0 $((${#arms[@]} - 1))); do
    arm="${arms[$(((i + round) % ${#arms[@]}))]}"
    label="${arm%%=*}"
    spec="${arm#*=}"
    build="${spec%%:*}"
    extra=""
    [[ "${spec}" == *:* ]] && extra="${spec#*:}"
    case "${build}" in
      head) path="${repo}/${dll}" ;;
      base) [[ -n "${base_dll}" ]] || { echo "orleans-cluster-cpu-ab.sh: arm ${label} needs --base" >&2; exit 2; }; path="${base_dll}" ;;
      *) echo "orleans-cluster-cpu-ab.sh: arm ${label}: build '${build}' is not head or base" >&2; exit 2 ;;
    esac
    IFS=, read -r -a extra_args <<<"${extra}"
    mkdir -p "${work}/d"
    out="$(dotnet "${path}" --sections cluster --cluster-baseline off --variants "${variant}" --rounds 2 --seconds "${seconds}" --warmup 2 --data-root "${work}/d" --callers-from "${callers_from}" "${extra_args[@]}" 2>&1)" || {
      echo "orleans-cluster-cpu-ab.sh: round ${round} ${label} failed" >&2; echo "${out}" | tail -30 >&2; exit 1; }
    rm -rf "${work}/d"
    # cluster idle after the rounds: I ms CPU per s, K KiB allocated per s, with no calls, load ...
    idle="$(sed -nE 's/.*cluster idle after the rounds: ([0-9.]+) ms CPU per s.*/\1/p' <<<"${out}" | head -1)"
    idle_kib="$(sed -nE 's/.*cluster idle after the rounds: .* ([0-9]+) KiB allocated per s.*/\1/p' <<<"${out}" | head -1)"
    # cluster round 2/2 TOPOLOGY VARIANT, callers from PLACEMENT: R calls/s, p99 .., CPU C µs per call, A B allocated per call, W writes per entry, F frames per call[, M materialized commits per entry], load ..
    line="$(grep -E 'cluster round 2/2 .*µs per call' <<<"${out}" | head -1 || true)"
    [[ -n "${line}" ]] || { echo "orleans-cluster-cpu-ab.sh: round ${round} ${label}: no result line" >&2; echo "${out}" | tail -20 >&2; exit 1; }
    rate="$(sed -E 's/.*: ([0-9,]+) calls\/s.*/\1/' <<<"${line}" | tr -d ,)"
    cpu="$(sed -E 's/.*CPU ([0-9.]+) µs per call.*/\1/' <<<"${line}")"
    alloc="$(sed -E 's/.* ([0-9]+) B allocated per call.*/\1/' <<<"${line}")"
    wpe="$(sed -E 's/.* ([0-9.]+) writes per entry.*/\1/' <<<"${line}")"
    fpc="$(sed -E 's/.* ([0-9.]+) frames per call.*/\1/' <<<"${line}")"
    mce="$(sed -nE 's/.* ([0-9.]+) materialized commits per entry.*/\1/p' <<<"${line}")"
    mce="${mce:-nan}"
    load="$(sed -E 's/.*load ([0-9. ]+)$/\1/' <<<"${line}")"
    echo "round ${round} ${label}: ${rate} calls/s, ${cpu} µs CPU/call, ${alloc} B/call, idle ${idle} ms CPU/s and ${idle_kib} KiB/s, ${wpe} writes/entry, ${fpc} frames/call, ${mce} materialized commits/entry; load ${load}"
    echo "${label}|${rate}|${cpu}|${alloc}|${idle}|${wpe}|${fpc}|${idle_kib}|${mce}" >>"${results}"
  done
done

python3 - "${results}" <<'PY'
import statistics, sys
rows = [l.rstrip("\n").split("|") for l in open(sys.argv[1]) if l.strip()]
print()
print("| arm | rounds | CPU µs/call median (min-max) | above idle | alloc B/call median (min-max) | above idle | idle ms CPU/s, KiB/s | writes/entry | frames/call | materialized commits/entry | calls/s median (min-max) |")
print("| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |")
for label in dict.fromkeys(r[0] for r in rows):
    r = [x for x in rows if x[0] == label]
    rate, cpu, alloc, idle, wpe, fpc, idle_kib, mce = ([float(x[i]) for x in r] for i in range(1, 9))
    # What the calls cost beyond the replicas' fixed cost per second (heartbeats, ticks, polls): that share of a
    # call grows as the rate falls, which a loaded machine does to one arm or the other.
    cpu_above = [c - i * 1000 / q for c, i, q in zip(cpu, idle, rate)]
    alloc_above = [a - k * 1024 / q for a, k, q in zip(alloc, idle_kib, rate)]
    print(f"| {label} | {len(r)} | {statistics.median(cpu):.1f} ({min(cpu):.1f}-{max(cpu):.1f}) | "
          f"{statistics.median(cpu_above):.1f} ({min(cpu_above):.1f}-{max(cpu_above):.1f}) | "
          f"{statistics.median(alloc):,.0f} ({min(alloc):,.0f}-{max(alloc):,.0f}) | "
          f"{statistics.median(alloc_above):,.0f} ({min(alloc_above):,.0f}-{max(alloc_above):,.0f}) | "
          f"{statistics.median(idle):.0f}, {statistics.median(idle_kib):,.0f} | "
          f"{statistics.median(wpe):.2f} | {statistics.median(fpc):.2f} | {statistics.median(mce):.2f} | {statistics.median(rate):,.0f} ({min(rate):,.0f}-{max(rate):,.0f}) |")
PY
echo "load at the end: $(cut -d' ' -f1-3 /proc/loadavg)"
