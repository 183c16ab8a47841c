#!/usr/bin/env bash
# Reads after failover through resumed zombies (issue 13, docs/replication.md "Reads through a resumed zombie"): 3 silo
# processes over a PostgreSQL 15 the test starts, replication factor 3, silo leases of 30 s. Each cycle SIGSTOPs the silo
# that owns the most partitions, waits until another silo leads each of them under a later epoch, acknowledges one more
# deposit per account through the other two, then reads every account through the stopped silo's gateway and resumes it:
# every read must see that deposit (or fail typed), never the balance the zombie's grains still hold in memory.
#
#   scripts/zombie-read-campaign.sh [cycles]    # default 20 cycles (CI runs the same test with 1)
#
# Runs the xunit test CI runs (ReplicatedSiloProcessTests.SigstoppedOwner_ReadsThroughItsGateway...) with
# ACTORS_ZOMBIE_READ_CYCLES, in Release; each cycle's line is appended to $REPORT.progress as it ends, the full output
# goes to $REPORT (default a file under /tmp). Exit code 0: no stale read in any cycle.
set -euo pipefail

cycles="${1:-20}"
root="$(cd "$(dirname "$0")/.." && pwd)"
report="${REPORT:-${TMPDIR:-/tmp}/actors-zombie-read-campaign-$(date -u +%Y%m%dT%H%M%SZ).log}"
echo "zombie read campaign: ${cycles} cycles, report ${report} (progress ${report}.progress); $(uptime)"
set +e
ACTORS_ZOMBIE_READ_CYCLES="${cycles}" ACTORS_REPLICATION_CAMPAIGN_PROGRESS="${report}.progress" \
  dotnet test "${root}/tests/Actors.Cluster.Tests/Actors.Cluster.Tests.csproj" -c Release \
  --filter "FullyQualifiedName~ReplicatedSiloProcessTests.SigstoppedOwner_ReadsThroughItsGateway" \
  --logger "console;verbosity=detailed" >"${report}" 2>&1
status=$?
set -e
cat "${report}.progress" 2>/dev/null || true
grep -E "Passed!|Failed!|Total tests" "${report}" | tail -3
exit "${status}"
