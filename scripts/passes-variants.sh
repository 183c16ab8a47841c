#!/usr/bin/env bash
# Variants of the profile scenario with --passes 2 side by side (issue 37): ROUNDS rounds, each running every variant once,
# in separate processes, order rotating (forwards in odd rounds, backwards in even ones). A variant is
# NAME:BUILD_DIR:STORE:ENV:OPTIONS (BUILD_DIR a Release output directory of tests/Benchmarks; STORE a `profile --store`
# value; ENV space-separated VAR=VALUE settings for that process; OPTIONS further profile options; ENV and OPTIONS may be
# empty). Appends to OUT, per process: one line per pass (row fields: label, rate, p50, p99, bytes per append) with the
# 1-minute load average and the UTC time it started, the engine's "compacted N (M streams copied, K idle ones searched)" per pass, and the commit
# fsyncs' row per pass; "done" at the end. Pool OUT with scripts/pool-passes.py. Measure on an idle machine.
# usage: bash scripts/passes-variants.sh ROUNDS SHAPE OUT VARIANT...
# example: bash scripts/passes-variants.sh 6 256x100 /tmp/out.txt \
#   "copy:/tmp/bench:wal::--checkpoint-every 64 --idle-streams 100000" "bare:/tmp/bench:bare::"
set -euo pipefail
set -f # ENV and OPTIONS are split into words, never expanded as file names
rounds="${1:?ROUNDS}"; shape="${2:?SHAPE}"; out="${3:?OUT}"; shift 3
variants=("$@"); n=${#variants[@]}
(( n >= 2 )) || { echo "passes-variants.sh: give at least two variants NAME:BUILD_DIR:STORE:ENV:OPTIONS" >&2; exit 2; }
writers="${shape%x*}"; bytes="${shape#*x}"
for r in $(seq 1 "${rounds}"); do
  for s in $(seq 0 $((n - 1))); do
    i=$(( ((r - 1 + (r % 2 == 1 ? s : -s)) % n + n) % n ))
    IFS=: read -r name dir store envs opts <<<"${variants[i]}"
    load="$(cut -d' ' -f1 /proc/loadavg)"; started="$(date -u +%H:%M:%S)"
    # shellcheck disable=SC2086 # ENV and OPTIONS are word lists by design
    res="$(cd /tmp && env ACTORS_WAL_PRINT_SPARES=1 ${envs} timeout 300 dotnet "${dir}/Benchmarks.dll" profile --store "${store}" \
      --writers "${writers}" --bytes "${bytes}" --seconds 4 --passes 2 ${opts} 2>&1 || true)"
    { grep -E '^\| [^|]+ \| +[0-9]+ +\| [0-9.]+ (B|KiB) +\| ' <<<"${res}" | cut -d'|' -f2,5,6,7,8 \
        | sed "s/^/round ${r} ${name} load ${load} at ${started}: /" || echo "round ${r} ${name} at ${started}: no row (the run failed)"
      grep -o "compacted [0-9]* ([0-9]* streams copied[^)]*)" <<<"${res}" | sed "s/^/round ${r} ${name}: /" || true
      grep -E "^\| commit fsyncs" <<<"${res}" | tr -s ' ' | sed "s/^/round ${r} ${name} fsyncs: /" || true
    } >> "${out}"
  done
done
echo done >> "${out}"
