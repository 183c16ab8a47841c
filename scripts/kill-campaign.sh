#!/usr/bin/env bash
# The long real-process kill campaign (issue #5 item 1): starts the real silo executable on a temporary data
# directory (SyncPolicy Always), drives the bank workload through the gateway across 100 account and 30 customer
# grains, SIGKILLs the silo at seeded random moments, restarts it and verifies every acknowledged operation after
# each restart. CI runs the same test with 20 cycles.
#
#   scripts/kill-campaign.sh [cycles]          default 1000 cycles
#
# Environment: ACTORS_KILL_SEED (default 20261121), ACTORS_KILL_MAX_MINUTES (start no new cycle after this many
# minutes; the summary says so), ACTORS_KILL_SUMMARY (progress + summary file; default a temp file),
# CONFIGURATION (Debug). Exit code 0 only when every executed cycle verified cleanly.
set -euo pipefail

cycles="${1:-1000}"
root="$(cd "$(dirname "$0")/.." && pwd)"
project="$root/tests/Actors.Crash.Tests/Actors.Crash.Tests.csproj"
configuration="${CONFIGURATION:-Debug}"
summary="${ACTORS_KILL_SUMMARY:-$(mktemp "${TMPDIR:-/tmp}/actors-kill-campaign.XXXXXX")}"
: > "$summary"

echo "kill campaign: $cycles cycles, seed ${ACTORS_KILL_SEED:-20261121}, progress in $summary"
dotnet build "$project" -c "$configuration" --nologo -v quiet

tail -n +1 -f "$summary" &
tail_pid=$!
status=0
ACTORS_KILL_CYCLES="$cycles" ACTORS_KILL_SUMMARY="$summary" \
  dotnet test "$project" -c "$configuration" --no-build --nologo \
    --filter "FullyQualifiedName~Actors.Crash.Tests.Process.ProcessKillTests" >"$summary.test-output" 2>&1 || status=$?
sleep 1
kill "$tail_pid" 2>/dev/null || true
wait "$tail_pid" 2>/dev/null || true

if ! grep -q "kill campaign summary" "$summary"; then
  echo "The campaign ended without a summary (exit code $status); test output:"
  tail -n 40 "$summary.test-output"
fi
echo "kill campaign exit code: $status (full test output: $summary.test-output)"
exit "$status"
