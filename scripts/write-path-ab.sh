#!/usr/bin/env bash
# Two builds of the engine side by side with the bare group-commit loop (issue 37, item 1): ROUNDS rounds, each running,
# for every shape (writers x bytes), the profile scenario of build A's engine, build B's engine and the bare loop, one
# after the other in separate processes (the order rotates each round), SECONDS each, SyncPolicy.Always. Prints every row
# with the 1-minute load average and the committer's mean µs per commit in each phase (wait, linger, write, fsync,
# publish, and their sum; the bare loop never lingers), then per shape and variant the medians of appends/s, p50, p99, appends per fsync and
# CPU µs per append, and each engine's median ratio to the bare loop of the same round.
# usage: bash scripts/write-path-ab.sh A_DIR B_DIR [ROUNDS] [SECONDS] [SHAPES]
#   A_DIR, B_DIR: Release output directories of tests/Benchmarks (copies of tests/Benchmarks/bin/Release/net10.0 built
#   from the two commits); SHAPES: space-separated WRITERSxBYTES (default "256x100 256x1024 16x100 1x100").
# Before every run it measures the round trip of a cache line between cores 0 and 1 (`profile --store cores` of build B):
# on this project's virtual machines it is either ~60-80 ns or ~330-350 ns depending on where the host placed the
# virtual cores, and the engine's rate follows it; the summary gives medians per placement (near < 150 ns, far) as well.
# A_ARGS, B_ARGS (environment): extra profile options for variant A's or B's engine only, e.g. the same build twice with
#   B_ARGS="--checkpoint-every 64" (the steady state whose dead segments are recycled) against A's fresh log.
# FRESH_BARE=1 (environment): a fourth variant per round, "fresh": the bare loop with --bare-fresh-files (new files
#   zero-filled ahead on a background thread, a fresh log's file state), and a column of each engine's ratio to it. The
#   "bare" variant stays the loop on one file reused circularly (a recycling log's state).
# MATCHED_BARE_BYTES=N (environment): a variant per round, "matched": the bare loop writing N bytes per append (the
#   engine's framed bytes per append, header and checkpoints included, e.g. 161 at 100 B: see docs/benchmarks.md), and a
#   column of each engine's ratio to it: the loop with the bytes of the engine's format (not its segment files, seals or
#   recycling), without its CPU. N fits one payload size: every shape must then have the same bytes.
# Measure on an idle machine: nothing else building or testing.
set -euo pipefail
a="$1"; b="$2"; rounds="${3:-3}"; seconds="${4:-4}"; shapes="${5:-256x100 256x1024 16x100 1x100}"
if [[ -n "${MATCHED_BARE_BYTES:-}" ]] && (( $(printf '%s\n' ${shapes} | sed 's/.*x//' | sort -u | wc -l) > 1 )); then
  echo "write-path-ab.sh: MATCHED_BARE_BYTES fits one payload size; the shapes '${shapes}' mix sizes" >&2
  exit 2
fi
results="$(mktemp)"
trap 'rm -f "${results}"' EXIT
cell() { awk -F'|' -v c="$2" '{ gsub(/^ +| +$/, "", $c); print $c }' <<<"$1"; }
for round in $(seq 1 "${rounds}"); do
  for shape in ${shapes}; do
    writers="${shape%x*}"; bytes="${shape#*x}"
    variants=(A B bare)
    [[ "${FRESH_BARE:-0}" == 1 ]] && variants+=(fresh)
    [[ -n "${MATCHED_BARE_BYTES:-}" ]] && variants+=(matched)
    shift_by=$(( (round - 1) % ${#variants[@]} ))
    variants=("${variants[@]:shift_by}" "${variants[@]:0:shift_by}")
    for variant in "${variants[@]}"; do
      dir="${a}"; store=wal; extra=(${A_ARGS:-})
      [[ "${variant}" == B ]] && { dir="${b}"; extra=(${B_ARGS:-}); }
      [[ "${variant}" == bare ]] && { store=bare; extra=(); }
      [[ "${variant}" == fresh ]] && { store=bare; extra=(--bare-fresh-files); }
      run_bytes="${bytes}"
      [[ "${variant}" == matched ]] && { store=bare; extra=(); run_bytes="${MATCHED_BARE_BYTES}"; }
      load="$(cut -d' ' -f1 /proc/loadavg)"
      rt="$(cd /tmp && dotnet "${b}/Benchmarks.dll" profile --store cores 2>/dev/null | sed -n 's/^core round trip: \([0-9]*\) ns$/\1/p')"
      rt="${rt:-0}"
      out="$(cd /tmp && timeout 300 dotnet "${dir}/Benchmarks.dll" profile --store "${store}" --writers "${writers}" --bytes "${run_bytes}" --seconds "${seconds}" "${extra[@]}" 2>/dev/null || true)"
      row="$(grep -E '^\| (Actors WAL|bare group commit) +\| ' <<<"${out}" | head -1)"
      if [[ -z "${row}" ]]; then
        echo "round ${round} ${shape} ${variant}: no row (the run failed)" >&2
        continue
      fi
      cycle="$(grep -A5 'commit cycle, mean' <<<"${out}" | tail -1)"
      echo "round ${round} ${shape} ${variant} load ${load} core round trip ${rt} ns: ${row} commit cycle (wait, linger, write, fsync, publish, cycle µs): ${cycle}"
      echo "${round} ${shape} ${variant} $(cell "${row}" 5 | tr -d ',') $(cell "${row}" 6 | tr -d ' ') $(cell "${row}" 7 | tr -d ' ') $(cell "${row}" 8 | tr -d ',') $(cell "${row}" 10) ${rt}" >>"${results}"
    done
  done
done
python3 - "${results}" <<'PY'
import statistics, sys
def us(t):
    for unit, f in (('µs', 1), ('ms', 1000), ('s', 1e6)):
        if t.endswith(unit):
            return float(t[:-len(unit)].replace(',', '')) * f
    return float('nan')
rows = [l.split() for l in open(sys.argv[1]) if l.strip()]
shapes = list(dict.fromkeys(r[1] for r in rows))
def placement(r):
    rt = float(r[8]) if len(r) > 8 else 0
    return 'unknown' if rt <= 0 else ('near' if rt < 150 else 'far')
def table(title, keep):
    print()
    print(title)
    print()
    print("| shape | variant | rounds | appends/s | p50 | p99 | p99/p50 | appends/fsync | CPU µs/append | ÷ bare (appends/s, median of rounds) | p50 ÷ bare p50 | ÷ fresh bare | ÷ matched bare |")
    print("| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |")
    for shape in shapes:
        bare = {r[0]: r for r in rows if r[1] == shape and r[2] == 'bare' and keep(r)}
        fresh = {r[0]: r for r in rows if r[1] == shape and r[2] == 'fresh' and keep(r)}
        matched = {r[0]: r for r in rows if r[1] == shape and r[2] == 'matched' and keep(r)}
        for variant in ('A', 'B', 'bare', 'fresh', 'matched'):
            rs = [r for r in rows if r[1] == shape and r[2] == variant and keep(r)]
            if not rs:
                continue
            rate = statistics.median(float(r[3]) for r in rs)
            p50 = statistics.median(us(r[4]) for r in rs)
            p99 = statistics.median(us(r[5]) for r in rs)
            per = statistics.median(float(r[6]) for r in rs)
            cpu = statistics.median(float(r[7]) for r in rs)
            # A ratio pairs an engine row with the bare row of the same round (in the placement table: only when both
            # ran in that placement).
            ratios = [float(r[3]) / float(bare[r[0]][3]) for r in rs if r[0] in bare]
            lat = [us(r[4]) / us(bare[r[0]][4]) for r in rs if r[0] in bare]
            ratio = f"{statistics.median(ratios):.2f}x ({len(ratios)})" if ratios and variant != 'bare' else "-"
            lratio = f"{statistics.median(lat):.2f}x" if lat and variant != 'bare' else "-"
            fratios = [float(r[3]) / float(fresh[r[0]][3]) for r in rs if r[0] in fresh]
            fratio = f"{statistics.median(fratios):.2f}x ({len(fratios)})" if fratios and variant in ('A', 'B') else "-"
            mratios = [float(r[3]) / float(matched[r[0]][3]) for r in rs if r[0] in matched]
            mratio = f"{statistics.median(mratios):.2f}x ({len(mratios)})" if mratios and variant in ('A', 'B') else "-"
            print(f"| {shape} | {variant} | {len(rs)} | {rate:,.0f} | {p50:,.0f} µs | {p99:,.0f} µs | {p99 / p50:.2f}x | {per:.1f} | {cpu:.2f} | {ratio} | {lratio} | {fratio} | {mratio} |")
table("All rounds:", lambda r: True)
for where in ('near', 'far'):
    if any(placement(r) == where for r in rows):
        table(f"Rounds whose core round trip was {where} ({'< 150 ns' if where == 'near' else '>= 150 ns'}):", lambda r, w=where: placement(r) == w)
PY
