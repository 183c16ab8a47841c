#!/usr/bin/env bash
# Long fuzz campaign for the log engine (issue 5, item 4).
#
#   scripts/fuzz.sh [cases]            # default 1,000,000 cases of the realistic profile
#   ACTORS_FUZZ_PROFILE=crafted scripts/fuzz.sh 100000   # crafted inputs (valid CRCs, Salvage): finds parser bugs
#   ACTORS_FUZZ_SEED=7 ACTORS_FUZZ_FIRST=123456 scripts/fuzz.sh 1   # reproduce one reported case
#
# Runs the same xunit test CI runs (FuzzTests.Open_MutatedSegmentsAndSnapshots...) with a larger case count.
# Progress (every 1,000 cases) and the final summary go to $ACTORS_FUZZ_REPORT (default: a file under /tmp),
# so the count executed is known even if the campaign is stopped early. Exit code 0 means no failing case.
# On a shared machine run it as: nice -n 19 scripts/fuzz.sh
set -euo pipefail

cases="${1:-1000000}"
root="$(cd "$(dirname "$0")/.." && pwd)"
profile="${ACTORS_FUZZ_PROFILE:-realistic}"
report="${ACTORS_FUZZ_REPORT:-${TMPDIR:-/tmp}/actors-fuzz-$(date -u +%Y%m%dT%H%M%SZ).log}"
configuration="${ACTORS_FUZZ_CONFIGURATION:-Release}"

echo "fuzz campaign: ${cases} cases, profile ${profile}, seed ${ACTORS_FUZZ_SEED:-default}, report ${report}"
set +e
ACTORS_FUZZ_CASES="${cases}" ACTORS_FUZZ_PROFILE="${profile}" ACTORS_FUZZ_REPORT="${report}" \
  dotnet test "${root}/tests/Actors.Crash.Tests/Actors.Crash.Tests.csproj" -c "${configuration}" \
  --filter "FullyQualifiedName~FuzzTests.Open_MutatedSegmentsAndSnapshots" --logger "console;verbosity=minimal"
rc=$?
set -e

echo "---- fuzz summary (${report})"
if [[ -f "${report}" ]]; then
  grep -E "fuzz campaign|cases executed|outcomes|FAILURE" "${report}" | tail -n 25
else
  echo "no report written: the test did not start (build failure?)"
fi
exit "${rc}"
