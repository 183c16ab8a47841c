#!/usr/bin/env bash
# CPU profile of issue 13's comparison (durable deposits at N callers: one unreplicated silo against three silos that
# replicate every partition on all three), with the silo program as processes and perf sampling every core. Runs
# `scripts/cluster-bench.sh --phases durable --rounds ROUNDS` with the .NET perf map on and W^X off (so that perf names
# JIT-compiled frames), and records system-wide inside each measured window of the last round (the benchmark prints
# "measuring TAG"; the first second and the last are left out): the rounds before it are the warm-up (in a first round
# the JIT's tiered compilation threads took a third of the samples). Writes into OUTDIR, for each phase (one = 1 silo,
# three = 3 silos):
#   bench.txt                  the benchmark's output, with each window's CPU per 1,000 calls per process and the cores' busy share
#   <phase>.perf.data          the raw samples (perf report -i FILE)
#   <phase>.processes.txt      samples per thread (name, thread id) of every process: silos, callers, PostgreSQL, kernel
#   <phase>.inclusive.txt      the symbols with the most samples under them (children included), whole machine
#   <phase>.components.txt     samples by process kind, and the silos' by activity and system call (scripts/perf-components.py)
# Run it on an idle machine (uptime below 1.5); sample proportions hold under load, rates do not.
# usage: bash scripts/cluster-profile.sh OUTDIR [CALLERS] [SECONDS] [REPLICATION_FACTOR] [ROUNDS]
set -euo pipefail
repo="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
out="${1:?OUTDIR}"; callers="${2:-256}"; seconds="${3:-12}"; factor="${4:-3}"; rounds="${5:-3}"
command -v perf >/dev/null || { echo "cluster-profile.sh: perf is not installed" >&2; exit 2; }
(( seconds >= 4 )) || { echo "cluster-profile.sh: SECONDS must be at least 4" >&2; exit 2; }
mkdir -p "${out}"
log="${out}/bench.txt"
echo "cluster-profile.sh: $(uptime)" >&2
DOTNET_PerfMapEnabled=1 DOTNET_EnableWriteXorExecute=0 bash "${repo}/scripts/cluster-bench.sh" --phases durable --rounds "${rounds}" \
  --seconds "${seconds}" --callers "${callers}" --replication-factor "${factor}" >"${log}" 2>&1 &
bench=$!
trap 'kill "${bench}" 2>/dev/null || true' EXIT
for phase in one three; do
  until grep -q "measuring r${rounds}-${phase} " "${log}"; do
    kill -0 "${bench}" 2>/dev/null || { cat "${log}" >&2; exit 1; }
    sleep 0.2
  done
  sleep 1
  perf record -a -g -F 499 -o "${out}/${phase}.perf.data" -- sleep "$(( seconds - 2 ))" 2>"${out}/${phase}.perf.log"
  echo "cluster-profile.sh: ${phase} recorded at load $(cut -d' ' -f1-3 /proc/loadavg)" >&2
done
wait "${bench}"
trap - EXIT
for phase in one three; do
  data="${out}/${phase}.perf.data"
  perf report -i "${data}" --no-children --sort comm,pid --stdio -g none 2>/dev/null >"${out}/${phase}.processes.txt"
  perf report -i "${data}" --children --sort sym --stdio -g none --percent-limit 1.5 2>/dev/null >"${out}/${phase}.inclusive.txt"
  perf script -i "${data}" -F comm,pid,tid,ip,sym,dso 2>/dev/null | python3 "${repo}/scripts/perf-components.py" >"${out}/${phase}.components.txt"
done
grep -E "measuring|CPU ms|calls/s|load average" "${log}" >&2 || true
echo "cluster-profile.sh: load $(cut -d' ' -f1-3 /proc/loadavg); ${out}/{bench.txt,*.processes.txt,*.inclusive.txt,*.components.txt,*.perf.data}" >&2
