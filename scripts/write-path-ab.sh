#!/usr/bin/env bash
# The engine's write path against the bare group-commit loop (issue 65, part 3), in one run: ROUNDS interleaved rounds
# (the order rotates each round), each a separate process per row of tests/Benchmarks' profile scenario: 256 writers x
# 100 B and 1 writer x 100 B (by default; --shapes) for the engine of this tree, optionally the engine of another
# revision (--base REV: a change to the write path lands only with this A/B beyond the run-to-run spread), and the bare
# loop. Prints every row with the load average beside it, then per variant and shape the median and the min-max of
# appends/s, p50, p99, CPU µs and allocated B per append, and the engine ÷ bare ratios of the medians.
# Timing needs a quiet machine: it refuses when the 1-minute load is >= 1.5 unless FORCE=1 (figures then are noise).
# usage: bash scripts/write-path-ab.sh [--rounds N] [--seconds S] [--base REV] [--shapes "256x100 1x100 256x1024"]
#        NO_BUILD=1 skips the Release builds (the base is built once into a temporary directory either way)
set -euo pipefail
repo="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
rounds=5
seconds=5
base=""
shapes="256x100 1x100"
while [[ $# -gt 0 ]]; do
  case "$1" in
    --rounds) rounds="$2"; shift 2 ;;
    --seconds) seconds="$2"; shift 2 ;;
    --base) base="$2"; shift 2 ;;
    --shapes) shapes="$2"; shift 2 ;;
    *) echo "write-path-ab.sh: unknown option $1" >&2; exit 2 ;;
  esac
done

# shellcheck source=lib/quiet_machine.sh
source "${repo}/scripts/lib/quiet_machine.sh"
refuse_when_loaded write-path-ab.sh

work="$(mktemp -d "${TMPDIR:-/tmp}/write-path-ab.XXXXXX")"
trap 'rm -rf "${work}"' EXIT
if [[ "${NO_BUILD:-0}" != 1 ]]; then
  dotnet build -c Release "${repo}/tests/Benchmarks/Benchmarks.csproj" -v q -nologo >/dev/null
fi
head_dll="${repo}/tests/Benchmarks/bin/Release/net10.0/Benchmarks.dll"
variants=("engine:${head_dll}:wal")
if [[ -n "${base}" ]]; then
  rev="$(git -C "${repo}" rev-parse --short "${base}")"
  echo "write-path-ab.sh: building the base ${rev} in ${work}/base" >&2
  mkdir -p "${work}/base"
  git -C "${repo}" archive "${rev}" | tar -x -C "${work}/base"
  dotnet build -c Release "${work}/base/tests/Benchmarks/Benchmarks.csproj" -v q -nologo >/dev/null
  variants+=("base-${rev}:${work}/base/tests/Benchmarks/bin/Release/net10.0/Benchmarks.dll:wal")
fi
variants+=("bare:${head_dll}:bare")

echo "write-path-ab.sh: $(git -C "${repo}" rev-parse --short HEAD)$(git -C "${repo}" diff --quiet || echo '+uncommitted'), ${rounds} rounds x ${seconds} s, shapes ${shapes}; load at start $(cut -d' ' -f1-3 /proc/loadavg)"
results="${work}/rows"
: >"${results}"
count=${#variants[@]}
for round in $(seq 1 "${rounds}"); do
  for shape in ${shapes}; do
    writers="${shape%x*}"
    bytes="${shape#*x}"
    for i in $(seq 0 $((count - 1))); do
      IFS=: read -r name dll store <<<"${variants[$(((i + round) % count))]}"
      out="$(dotnet "${dll}" profile --store "${store}" --writers "${writers}" --bytes "${bytes}" --seconds "${seconds}" 2>/dev/null)"
      row="$(grep -E "^\| (Actors WAL|bare group commit) +\| ${writers} +\|" <<<"${out}" | head -1)"
      if [[ -z "${row}" ]]; then
        echo "write-path-ab.sh: round ${round} ${name} ${shape}: no result row" >&2
        exit 1
      fi
      # columns: store, writers, event, appends/s, p50, p99, appends/fsync, writes/fsync, CPU µs/append, alloc B/append
      fields="$(awk -F'|' '{ for (i = 5; i <= 11; i++) { gsub(/^ +| +$/, "", $i) } gsub(/,/, "", $5); print $5 "|" $6 "|" $7 "|" $10 "|" $11 }' <<<"${row}")"
      load="$(cut -d' ' -f1-3 /proc/loadavg)"
      echo "round ${round} ${shape} ${name}: ${fields//|/ ; }; load ${load}"
      echo "${name}|${shape}|${fields}" >>"${results}"
    done
  done
done

python3 - "${results}" ${shapes} <<'PY'
import statistics, sys

def seconds(text):
    value, unit = text.split()
    return float(value.replace(",", "")) * {"ns": 1e-9, "µs": 1e-6, "us": 1e-6, "ms": 1e-3, "s": 1.0}[unit]

def show(s):
    return f"{s * 1e6:,.0f} µs" if s < 1e-3 else f"{s * 1e3:,.2f} ms"

rows = [line.rstrip("\n").split("|") for line in open(sys.argv[1]) if line.strip()]
names = list(dict.fromkeys(r[0] for r in rows))
print()
print("| shape | variant | rounds | appends/s median (min-max) | p50 median | p99 median | CPU µs/append median (min-max) | alloc B/append median |")
print("| --- | --- | --- | --- | --- | --- | --- | --- |")
medians = {}
for shape in sys.argv[2:]:
    for name in names:
        r = [x for x in rows if x[0] == name and x[1] == shape]
        if not r:
            continue
        rate = [float(x[2]) for x in r]
        p50 = [seconds(x[3]) for x in r]
        p99 = [seconds(x[4]) for x in r]
        cpu = [float(x[5]) for x in r]
        alloc = [float(x[6]) for x in r]
        medians[(shape, name)] = (statistics.median(rate), statistics.median(p50), statistics.median(cpu))
        print(f"| {shape} B | {name} | {len(r)} | {statistics.median(rate):,.0f} ({min(rate):,.0f}-{max(rate):,.0f}) | {show(statistics.median(p50))} | "
              f"{show(statistics.median(p99))} | {statistics.median(cpu):.2f} ({min(cpu):.2f}-{max(cpu):.2f}) | {statistics.median(alloc):,.0f} |")
print()
for shape in sys.argv[2:]:
    if (shape, "bare") not in medians:
        continue
    bare = medians[(shape, "bare")]
    for name in names:
        if name == "bare" or (shape, name) not in medians:
            continue
        m = medians[(shape, name)]
        print(f"{shape} B {name} ÷ bare (medians): appends/s {m[0] / bare[0]:.2f}x, p50 {m[1] / bare[1]:.2f}x, CPU per append {m[2] / bare[2]:.2f}x")
PY
echo "load at the end: $(cut -d' ' -f1-3 /proc/loadavg)"
