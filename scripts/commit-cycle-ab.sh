#!/usr/bin/env bash
# Two builds of the engine and the bare group-commit loop side by side, with the commit cycle of each run (issue 37
# item 1): ROUNDS rounds; in each, for every shape (WRITERSxBYTES), build A's engine, build B's engine and the bare loop
# run the profile scenario in separate processes, the order rotating each round, SECONDS each, SyncPolicy.Always. Prints
# per run: appends/s, p50, p99, appends per fsync, CPU µs per append, then the committer's mean µs per commit in each
# phase (wait, linger, write, fsync, publish, cycle), with the 1-minute load average.
# usage: bash scripts/commit-cycle-ab.sh A_DIR B_DIR [ROUNDS] [SECONDS] [SHAPES]
#   A_DIR, B_DIR: Release output directories of tests/Benchmarks built from the two commits (copies of
#   tests/Benchmarks/bin/Release/net10.0); SHAPES default "256x100 16x100 1x100". Measure with nothing else running.
set -euo pipefail
a="$1"; b="$2"; rounds="${3:-3}"; secs="${4:-4}"; shapes="${5:-256x100 16x100 1x100}"
for r in $(seq 1 "${rounds}"); do
  for shape in ${shapes}; do
    w="${shape%x*}"; bytes="${shape#*x}"
    variants=(A B bare); s=$(( (r - 1) % 3 )); variants=("${variants[@]:s}" "${variants[@]:0:s}")
    for v in "${variants[@]}"; do
      dir="${a}"; store=wal
      [[ "${v}" == B ]] && dir="${b}"
      [[ "${v}" == bare ]] && store=bare
      load="$(cut -d' ' -f1 /proc/loadavg)"
      out="$(cd /tmp && timeout 300 dotnet "${dir}/Benchmarks.dll" profile --store "${store}" --writers "${w}" --bytes "${bytes}" --seconds "${secs}" 2>&1 || true)"
      row="$(grep -E '^\| (Actors WAL|bare group commit) +\|' <<<"${out}" | head -1 | awk -F'|' '{ gsub(/,/, "", $5); print $5, $6, $7, $8, $10 }')"
      cycle="$(grep -A5 'commit cycle, mean' <<<"${out}" | tail -1)"
      echo "round ${r} ${shape} ${v} load ${load}: ${row:-no row (the run failed)} ${cycle}"
    done
  done
done
