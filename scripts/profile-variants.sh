#!/usr/bin/env bash
# Named variants of the profile scenario side by side (issue 37): ROUNDS rounds, each running every variant once for
# SHAPE (WRITERSxBYTES), SECONDS each, in separate processes of one Release build; the order rotates from round to round
# and runs backwards in even rounds, so every variant takes every position and follows more than one other. A variant is
# NAME:STORE:ENV:OPTIONS, where STORE is a `profile --store` value (wal, bare, journal, fdatasync), ENV space-separated
# VAR=VALUE settings for that process only (runtime settings such as DOTNET_ThreadPool_UnfairSemaphoreSpinLimit=0, or
# the engine's experiment switches) and OPTIONS further profile options (--checkpoint-every 64, --bare-caller-work 500);
# ENV and OPTIONS may be empty; NAME (letters, digits, '.', '_', '-') and ENV cannot contain ':', OPTIONS can. Prints
# every run as scripts/write-path-ab.sh does (its row, the 1-minute load average, the UTC time it started, the core
# round trip before it, the committer's mean µs per commit in each phase, the bare loop's added work when any, the
# window's garbage collections, the commit fsyncs' count, p50, p99, ratio and max, and the engine's counters when the
# variant sets ACTORS_WAL_PRINT_SPARES=1), then
# per variant the pooled figures of scripts/pool-write-path-ab.py against the variant named by BASELINE (environment;
# default: the first variant whose store is bare).
# usage: bash scripts/profile-variants.sh BUILD_DIR ROUNDS SECONDS SHAPE VARIANT...
#   BUILD_DIR: a Release output directory of tests/Benchmarks (a copy of tests/Benchmarks/bin/Release/net10.0).
# Example, the bare loop with added CPU per append on its callers beside the engine's steady state:
#   bash scripts/profile-variants.sh /tmp/bench 12 4 256x100 'wal:wal::--checkpoint-every 64' 'bare:bare::' \
#     'bare-500:bare::--bare-caller-work 500'
# Measure on an idle machine: nothing else building or testing.
set -euo pipefail
set -f # ENV and OPTIONS are split into words, never expanded as file names
repo="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
dir="${1:?BUILD_DIR}"; rounds="${2:?ROUNDS}"; seconds="${3:?SECONDS}"; shape="${4:?SHAPE}"
shift 4
(( $# >= 2 )) || { echo "profile-variants.sh: give at least two variants NAME:STORE:ENV:OPTIONS" >&2; exit 2; }
names=(); stores=(); envs=(); options=()
for spec in "$@"; do
  IFS=: read -r name store env opts <<<"${spec}"
  [[ "${name}" =~ ^[A-Za-z0-9._-]+$ && -n "${store}" ]] || { echo "profile-variants.sh: '${spec}' is not NAME:STORE:ENV:OPTIONS" >&2; exit 2; }
  for seen in "${names[@]}"; do
    [[ "${seen}" != "${name}" ]] || { echo "profile-variants.sh: two variants are named '${name}'" >&2; exit 2; }
  done
  names+=("${name}"); stores+=("${store}"); envs+=("${env}"); options+=("${opts}")
done
baseline="${BASELINE:-}"
if [[ -z "${baseline}" ]]; then
  for i in "${!names[@]}"; do
    [[ "${stores[i]}" == bare ]] && { baseline="${names[i]}"; break; }
  done
fi
[[ -n "${baseline}" ]] || { echo "profile-variants.sh: no bare variant to divide by; set BASELINE=NAME" >&2; exit 2; }
[[ " ${names[*]} " == *" ${baseline} "* ]] || { echo "profile-variants.sh: BASELINE '${baseline}' is not a variant" >&2; exit 2; }
writers="${shape%x*}"; bytes="${shape#*x}"
output="$(mktemp)"
trap 'rm -f "${output}"' EXIT
count=${#names[@]}
for round in $(seq 1 "${rounds}"); do
  for step in $(seq 0 $(( count - 1 ))); do
    i=$(( ((round - 1 + (round % 2 == 1 ? step : -step)) % count + count) % count ))
    load="$(cut -d' ' -f1 /proc/loadavg)"
    started="$(date -u +%H:%M:%S)"
    rt="$(cd /tmp && dotnet "${dir}/Benchmarks.dll" profile --store cores 2>/dev/null | sed -n 's/^core round trip: \([0-9]*\) ns$/\1/p' || true)"
    # shellcheck disable=SC2086 # ENV and OPTIONS are word lists by design
    out="$(cd /tmp && env ${envs[i]} timeout 300 dotnet "${dir}/Benchmarks.dll" profile --store "${stores[i]}" \
      --writers "${writers}" --bytes "${bytes}" --seconds "${seconds}" ${options[i]} 2>&1 || true)"
    row="$(grep -E '^\| [^|]+ \| +[0-9]+ +\| [0-9.]+ (B|KiB) +\| ' <<<"${out}" | head -1 || true)"
    if [[ -z "${row}" ]]; then
      echo "round ${round} ${shape} ${names[i]} at ${started}: no row (the run failed)" | tee /dev/stderr
      continue
    fi
    cycle="$(grep -A5 'commit cycle, mean' <<<"${out}" | tail -1 || true)"
    work="$(grep -E '^bare loop added work' <<<"${out}" | head -1 || true)"
    gc="$(grep -oE 'GC: [^)]*paused in total' <<<"${out}" | head -1 || true)"
    fsyncs="$(grep -E '^\| commit fsyncs' <<<"${out}" | tr -s ' ' | head -1 || true)"
    spares="$(grep -E '^spares: ' <<<"${out}" | head -1 || true)"
    echo "round ${round} ${shape} ${names[i]} load ${load} at ${started}${rt:+ core round trip ${rt} ns}: ${row}${cycle:+ commit cycle (wait, linger, write, fsync, publish, cycle µs): ${cycle}}${work:+ ${work}}${gc:+ ${gc};}${fsyncs:+ ${fsyncs}}${spares:+ ${spares}}" | tee -a "${output}"
  done
done
echo
for name in "${names[@]}"; do
  [[ "${name}" == "${baseline}" ]] && continue
  echo "${name}:"
  python3 "${repo}/scripts/pool-write-path-ab.py" "${output}:${name}" --baseline "${baseline}" | sed 's/^/  /' || true
done
