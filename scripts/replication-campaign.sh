#!/usr/bin/env bash
# Real-process failover campaign for replicated partitions (issue 13): 3 silo processes of the silo program over a
# PostgreSQL 15 the test starts, replication factor 3, 16 writers of durable deposits. Each cycle SIGKILLs the silo that
# leads the most partitions, measures SIGKILL -> every account served again, restarts the killed silo on its disk and
# waits until its replicas caught up and rejoined every in-sync set; at the end every acknowledged deposit must be there.
#
#   scripts/replication-campaign.sh [cycles]            # default 100 cycles (CI runs the same test with 5)
#   TIMEOUTS=ci scripts/replication-campaign.sh 100     # the CI test's 2 s replication timeouts instead of the defaults
#   FAULTS=mixed scripts/replication-campaign.sh 100    # odd cycles SIGKILL, even cycles SIGSTOP until replaced, then SIGCONT
#                                                       # (the zombie must acknowledge nothing that is lost, then rejoin)
#   FAULTS=cut scripts/replication-campaign.sh 100      # odd cycles SIGKILL, even cycles cut the leader of the most partitions
#                                                       # from the other two (fault-injecting proxy), wait until every in-sync
#                                                       # set is on one side of the cut, heal, wait until all three are in sync
#   FAULTS=oneway scripts/replication-campaign.sh 100   # as FAULTS=cut, but each cut drops one direction only: cycles 2, 6, 10...
#                                                       # mute the victim (its peers do not hear it, it hears them), cycles
#                                                       # 4, 8, 12... deafen it (it hears nobody, they hear it)
#   CHECKPOINTS=small scripts/replication-campaign.sh 5 # replicas checkpoint every 32 entries with 8 KiB entry-log segments
#                                                       # (SmallCheckpoints, tests/Actors.Cluster.Tests/Support); each SIGKILL
#                                                       # cycle keeps the load on until the victim's leaders deleted their entry
#                                                       # logs past what it holds, and checks (the silos' /metrics) that the
#                                                       # restarted victim rejoined by installing their checkpoints
#
# Runs the xunit test CI runs (ReplicatedSiloProcessTests.SigkilledLeaders_...) with ACTORS_REPLICATION_CAMPAIGN_CYCLES,
# in Release. Prints each cycle's failover time and the p50/p99/max line; the full output goes to $REPORT (default a file
# under /tmp), each cycle's line is appended to $REPORT.progress as the cycle ends (tail -f it during a long run), and every
# silo's log line to $REPORT.silos as it arrives.
# Exit code 0: no acknowledged deposit lost and every cycle recovered. Run it on an idle machine for figures (the
# failover times stretch with the load average, printed per cycle).
set -euo pipefail

cycles="${1:-100}"
root="$(cd "$(dirname "$0")/.." && pwd)"
report="${REPORT:-${TMPDIR:-/tmp}/actors-replication-campaign-$(date -u +%Y%m%dT%H%M%SZ).log}"
echo "replication campaign: ${cycles} cycles (faults ${FAULTS:-sigkill}, timeouts ${TIMEOUTS:-default}, checkpoints ${CHECKPOINTS:-default}), report ${report} (progress ${report}.progress); $(uptime)"
set +e
ACTORS_REPLICATION_CAMPAIGN_CYCLES="${cycles}" ACTORS_REPLICATION_CAMPAIGN_TIMEOUTS="${TIMEOUTS:-default}" \
  ACTORS_REPLICATION_CAMPAIGN_FAULTS="${FAULTS:-sigkill}" ACTORS_REPLICATION_CAMPAIGN_CHECKPOINTS="${CHECKPOINTS:-default}" \
  ACTORS_REPLICATION_CAMPAIGN_PROGRESS="${report}.progress" ACTORS_SILO_LOG_FILE="${report}.silos" \
  dotnet test "${root}/tests/Actors.Cluster.Tests/Actors.Cluster.Tests.csproj" -c Release \
  --filter "FullyQualifiedName~ReplicatedSiloProcessTests.SigkilledLeaders" \
  --logger "console;verbosity=detailed" > "${report}" 2>&1
rc=$?
set -e
grep -E "campaign:|^\s*cycle [0-9]+:|failover \(fault|Passed|Failed|Error Message" "${report}" | grep -v "deposit on account" || true
echo "exit ${rc}; $(uptime)"
exit "${rc}"
