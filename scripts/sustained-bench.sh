#!/usr/bin/env bash
# Issue 65: the sustained run. One in-process Orleans silo, 256 closed-loop callers, the variants in turn, one 10-s
# window each, for 30 minutes by default: WAL JournaledGrain and WAL IPersistentState (one log) beside the same grains
# on Orleans's memory storage. Every window is printed as it ends (calls/s, p50, p99, load average, the log's files and
# bytes, bytes appended, bytes compaction copied and refused, space passes and their time, segments compacted, deleted
# and left in place, fsyncs, collections), then a summary per variant; the windows go to a CSV and a PNG plot.
#
# usage: bash scripts/sustained-bench.sh [--out DIR] [program options]
#   defaults: --minutes 30 --window-seconds 10 --callers 256 --journal-history keep-all
#   flat log (retention reclaims what checkpoints cover): bash scripts/sustained-bench.sh --journal-history reclaim
#   short:    bash scripts/sustained-bench.sh --minutes 4
# Output: DIR/sustained.md (the report), DIR/sustained.csv (the windows), DIR/sustained.png (the plot; needs
# matplotlib: apt-get install -y python3-matplotlib). DIR defaults to a new directory under ${TMPDIR:-/tmp}.
# Environment: BENCH_TMP (parent of the run's data directory; default ${TMPDIR:-/tmp}): put it on the disk to measure.
set -euo pipefail

repo="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
project="${repo}/tests/Actors.Orleans.Benchmarks/Actors.Orleans.Benchmarks.csproj"

out=""
args=()
while [[ $# -gt 0 ]]; do
  case "$1" in
    --out)
      out="$2"
      shift 2
      ;;
    *)
      args+=("$1")
      shift
      ;;
  esac
done

if [[ -z "${out}" ]]; then
  out="$(mktemp -d "${TMPDIR:-/tmp}/actors-sustained-XXXXXX")"
fi
mkdir -p "${out}"
data_root="${BENCH_TMP:-${TMPDIR:-/tmp}}"
echo "sustained-bench.sh: building ${project} (Release); output in ${out}" >&2
dotnet build "${project}" -c Release --nologo -v quiet >&2

dotnet run -c Release --no-build --project "${project}" -- --data-root "${data_root}" --sections sustained \
  --variants wal-journaled,wal-state,memory-journaled,memory --minutes 30 --csv "${out}/sustained.csv" "${args[@]}" \
  | tee "${out}/sustained.md"

# matplotlib from the distribution's python (another python3 may come first on PATH)
python=/usr/bin/python3
[[ -x "${python}" ]] || python=python3
if "${python}" -c "import matplotlib" 2>/dev/null; then
  "${python}" "${repo}/scripts/sustained-plot.py" "${out}/sustained.csv" "${out}/sustained.png" "Sustained run $(date -u +%Y-%m-%d)"
  echo "sustained-bench.sh: plot in ${out}/sustained.png" >&2
else
  echo "sustained-bench.sh: matplotlib is missing (apt-get install -y python3-matplotlib): no plot" >&2
fi
