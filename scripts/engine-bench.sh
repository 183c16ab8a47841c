#!/usr/bin/env bash
# The engine's figures for issue 14, in one run (needs an idle machine: it refuses when the 1-minute load is >= 1.5
# unless FORCE=1): throughput (256/16/1 writers vs the bare group-commit loop, the sequential durable write and
# PostgreSQL, all on the same file state), single-writer latency, the aged 1 GiB log with p99 across rotations and
# checkpoints, and 1,000,000 streams open time and heap. Report in artifacts/engine-bench-<time>.md.
# usage: bash scripts/engine-bench.sh [--file-state written|fallocated] [--quick] [other tests/Benchmarks options]
set -euo pipefail
repo="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
# shellcheck source=lib/quiet_machine.sh
source "${repo}/scripts/lib/quiet_machine.sh"
refuse_when_loaded engine-bench.sh
mkdir -p "${repo}/artifacts"
out="${repo}/artifacts/engine-bench-$(date -u +%Y%m%d-%H%M%S).md"
echo "engine-bench.sh: report: ${out}" >&2
exec bash "${repo}/scripts/bench.sh" throughput latency aged memory --out "${out}" "$@"
