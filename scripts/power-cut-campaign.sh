#!/usr/bin/env bash
# Power-cut campaign for the log engine (issue 62, part 3): the CI test PowerCutTests over many seeds; with
# ACTORS_POWERCUT_TARGET=journal the replicas' entry journal's instead (EntryJournalPowerCutTests, issue 61), "all" both.
#
#   scripts/power-cut-campaign.sh [first-last]        # default seeds 1-200
#   scripts/power-cut-campaign.sh 5,17,42             # these seeds only (reproduce a reported one)
#   ACTORS_POWERCUT_DROP_DIRSYNC=3 scripts/power-cut-campaign.sh 1-1   # also run the dropping tests, leaving out directory fsync #3
#   ACTORS_POWERCUT_TARGET=journal scripts/power-cut-campaign.sh 1-100 # the entry journal (each seed about 2-5 s)
#
# Each seed runs a workload (appends, checkpoints, erases, checkpoint and stream deletions, compaction) on the simulated
# disk, cuts the power just before every fsync and directory fsync, and reopens the log on four variants of what
# survived (docs/durability.md, "Power loss"). A failing seed is printed with the boundary, the variant and what differs.
# Exit code 0 means every seed passed. On a shared machine run it as: nice -n 19 scripts/power-cut-campaign.sh
set -euo pipefail

seeds="${1:-1-200}"
root="$(cd "$(dirname "$0")/.." && pwd)"
configuration="${ACTORS_POWERCUT_CONFIGURATION:-Release}"
target="${ACTORS_POWERCUT_TARGET:-engine}"
case "${target}" in
  engine) filter="FullyQualifiedName~Engine.PowerCutTests.Recovery_PowerCutBeforeEveryFsync" ;;
  journal) filter="FullyQualifiedName~EntryJournalPowerCutTests.Recovery_PowerCutBeforeEveryFsync" ;;
  all) filter="FullyQualifiedName~PowerCutTests.Recovery_PowerCutBeforeEveryFsync" ;;
  *) echo "ACTORS_POWERCUT_TARGET must be engine, journal or all, not '${target}'" >&2; exit 2 ;;
esac
if [[ -n "${ACTORS_POWERCUT_DROP_DIRSYNC:-}" ]]; then
  filter="FullyQualifiedName~Engine.PowerCutTests"
fi

echo "power-cut campaign (${target}): seeds ${seeds}, ${configuration}"
ACTORS_POWERCUT_SEEDS="${seeds}" dotnet test "${root}/tests/Actors.Crash.Tests/Actors.Crash.Tests.csproj" -c "${configuration}" \
  --filter "${filter}" --logger "console;verbosity=normal"
