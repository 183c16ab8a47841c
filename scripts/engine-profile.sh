#!/usr/bin/env bash
# Profiles one store of the throughput scenario alone (issue 14): the engine ("wal") or the bare group-commit loop
# ("bare"), same harness, file state and options, with perf and the .NET perf map (W^X off, so that perf can name
# the JIT-compiled frames). Writes into OUTDIR:
#   <name>.txt          the benchmark's row and its CPU per thread name (per 1,000 appends)
#   <name>.threads.txt  perf samples per thread name (comm)
#   <name>.top.txt      the hottest symbols per thread name (self samples)
#   <name>.buckets.txt  self samples per thread name by system call (kernel) or leaf method (scripts/perf-buckets.py)
#   <name>.perf.data    the raw samples (perf report -i FILE)
# Sample proportions are meaningful under load; rates are not (print `uptime` beside any rate).
# usage: bash scripts/engine-profile.sh OUTDIR wal|bare WRITERS BYTES [SECONDS] [other tests/Benchmarks options]
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
until grep -q "process id" "${log}"; do
  kill -0 "${bench}" 2>/dev/null || { cat "${log}" >&2; exit 1; }
  sleep 0.2
done
pid="$(sed -n 's/.*process id \([0-9]*\).*/\1/p' "${log}" | head -1)"
# The window opens after the 1 s warm-up; sample inside it (the last second is left out: the writers drain).
sleep 1.5
perf record -F 499 -g -p "${pid}" -o "${out}/${name}.perf.data" -- sleep "$(awk -v s="${seconds}" 'BEGIN { print (s > 2 ? s - 1 : 1) }')" 2>"${out}/${name}.perf.log"
wait "${bench}"
trap - EXIT
perf report -i "${out}/${name}.perf.data" --no-children --sort comm --stdio -g none 2>/dev/null >"${out}/${name}.threads.txt"
perf report -i "${out}/${name}.perf.data" --no-children --sort comm,sym --stdio -g none --percent-limit 0.3 2>/dev/null >"${out}/${name}.top.txt"
perf script -i "${out}/${name}.perf.data" 2>/dev/null | python3 "${repo}/scripts/perf-buckets.py" >"${out}/${name}.buckets.txt"
echo "engine-profile.sh: load $(cut -d' ' -f1-3 /proc/loadavg); ${out}/${name}.{txt,threads.txt,top.txt,perf.data}" >&2
