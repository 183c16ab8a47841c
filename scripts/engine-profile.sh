#!/usr/bin/env bash
# Profiles one store of the throughput scenario alone (issue 14): the engine ("wal"), the bare group-commit loop
# ("bare") or the entry journal ("journal", issue 37 item 4), same harness, file state and options, with perf and the
# .NET perf map (W^X off, so that perf can name the JIT-compiled frames). Writes into OUTDIR:
#   <name>.txt          the benchmark's row and its CPU per thread name (per 1,000 appends)
#   <name>.threads.txt  perf samples per thread name (comm)
#   <name>.top.txt      the hottest symbols per thread name (self samples)
#   <name>.buckets.txt  self samples per thread name by system call (kernel) or leaf method (scripts/perf-buckets.py)
#   <name>.perf.data    the raw samples (perf report -i FILE)
# Sample proportions are meaningful under load; rates are not (print `uptime` beside any rate).
# With --aged among the other options (engine only), the benchmark first builds scenario 7's aged log (1 GiB; 256 MiB
# with --quick), then runs a fresh log and the aged log one after the other in the same process: each phase gets its own
# files, <name>-fresh.* and <name>-aged.* (the row and CPU per thread of both are in <name>.txt); a 2 s warm-up on a
# fresh log runs before them, not recorded.
# usage: bash scripts/engine-profile.sh OUTDIR wal|bare|journal WRITERS BYTES [SECONDS] [other tests/Benchmarks options]
# NO_BUILD=1 skips the Release build of tests/Benchmarks.
set -euo pipefail
repo="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
out="${1:?OUTDIR}"; store="${2:?wal|bare}"; writers="${3:?WRITERS}"; bytes="${4:?BYTES}"; seconds="${5:-6}"
shift $(( $# < 5 ? $# : 5 ))
command -v perf >/dev/null || { echo "engine-profile.sh: perf is not installed" >&2; exit 2; }
mkdir -p "${out}"
if [[ "${NO_BUILD:-0}" != 1 ]]; then
  dotnet build -c Release "${repo}/tests/Benchmarks" -v q -nologo >/dev/null
fi
name="${store}-${writers}x${bytes}${PROFILE_TAG:+-${PROFILE_TAG}}"
log="${out}/${name}.txt"
DOTNET_PerfMapEnabled=1 DOTNET_EnableWriteXorExecute=0 dotnet "${repo}/tests/Benchmarks/bin/Release/net10.0/Benchmarks.dll" profile \
  --store "${store}" --writers "${writers}" --bytes "${bytes}" --seconds "${seconds}" "$@" >"${log}" 2>&1 &
bench=$!
trap 'kill "${bench}" 2>/dev/null || true' EXIT
phases=("")
for arg in "$@"; do
  [[ "${arg}" == --aged ]] && phases=(fresh aged)
done
for phase in "${phases[@]}"; do
  marker="${phase:+phase ${phase}: }process id"
  part="${name}${phase:+-${phase}}"
  until grep -q "${marker}" "${log}"; do
    kill -0 "${bench}" 2>/dev/null || { cat "${log}" >&2; exit 1; }
    sleep 0.2
  done
  pid="$(grep "${marker}" "${log}" | sed -n 's/.*process id \([0-9]*\).*/\1/p' | head -1)"
  # The window opens after the 1 s warm-up; sample inside it (the last second is left out: the writers drain).
  sleep 1.5
  perf record -F 499 -g -p "${pid}" -o "${out}/${part}.perf.data" -- sleep "$(awk -v s="${seconds}" 'BEGIN { print (s > 2 ? s - 1 : 1) }')" 2>"${out}/${part}.perf.log"
  echo "engine-profile.sh: ${phase:-run} recorded at load $(cut -d' ' -f1-3 /proc/loadavg)" >&2
done
wait "${bench}"
trap - EXIT
for phase in "${phases[@]}"; do
  part="${name}${phase:+-${phase}}"
  perf report -i "${out}/${part}.perf.data" --no-children --sort comm --stdio -g none 2>/dev/null >"${out}/${part}.threads.txt"
  perf report -i "${out}/${part}.perf.data" --no-children --sort comm,sym --stdio -g none --percent-limit 0.3 2>/dev/null >"${out}/${part}.top.txt"
  perf script -i "${out}/${part}.perf.data" 2>/dev/null | python3 "${repo}/scripts/perf-buckets.py" >"${out}/${part}.buckets.txt"
done
echo "engine-profile.sh: load $(cut -d' ' -f1-3 /proc/loadavg); ${out}/${name}*.{txt,threads.txt,top.txt,buckets.txt,perf.data}" >&2
