#!/usr/bin/env bash
# Silo failures under durable load on three Orleans silos on loopback, with PostgreSQL 15 (scripts/lib/cluster_campaign.py).
#   scripts/cluster-kill-campaign.sh CYCLES [--rf N] [--sigstop [--stop-seconds S] [--wake-first] | --rolling | --disk-loss [--absent-for S]] [--calls N] [--keep]
#                                           [--bin DIR] [--accounts N --customers N --workers N --seed N]
# Each cycle: the demo client's load (JournaledGrain accounts, IPersistentState customers) acknowledges --calls more
# calls, then a silo leading partitions of its grains is
#   SIGKILLed (default): at replication factor 1 it is started again at once (its partitions wait for it); at a larger
#                        factor only after its grains answered elsewhere;
#   SIGSTOPped (--sigstop) for --stop-seconds (default 10), then SIGCONT: active again in Orleans's membership table,
#                        or, declared dead meanwhile, awaited until it stops itself, then started again;
#   or every silo in turn is stopped gracefully and started again (--rolling), counting the calls that failed;
#   or SIGKILLed, its data directory deleted and started again as a new replica (--disk-loss): the partitions' leaders
#                        replace the lost replica by it (ReplicaReplacementOptions.AbsentFor = --absent-for, default 2 s);
# then the failover time of each grain it led (from the signal to the answer of the first call sent after it) and a
# verification: every acknowledged call read back, every call of unknown outcome whole or absent, money conserved.
# The client takes its gateways from Orleans's membership table (--membership, re-read every second). Prints each
# cycle, failover p50/p99 over the campaign and the demo client's VERDICT; exit code 0 only on PASS. --keep keeps
# silo-*/silo.log (with Orleans's membership decisions: probes, suppressed votes, evictions) and demo.log.
# --rf defaults to 3 (every partition on all three silos). Builds client-demo/Actors.Orleans.ClientDemo (Release; it carries the silo and
# the demo grains) unless --bin names a directory holding them. Needs root (runuser for PostgreSQL) and PostgreSQL 15
# binaries (/usr/lib/postgresql/15/bin, apt-get install postgresql-15). CI runs 5 cycles: ClusterKillCampaignTests.
set -euo pipefail
cd "$(dirname "$0")/.."
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1
for a in "$@"; do
  if [ "$a" = "--bin" ]; then exec python3 scripts/lib/cluster_campaign.py "$@"; fi
  if [ "$a" = "-h" ] || [ "$a" = "--help" ]; then exec python3 scripts/lib/cluster_campaign.py --bin . --help; fi
done
echo "campaign: building client-demo/Actors.Orleans.ClientDemo (Release), which carries the silo and the demo grains"
dotnet build client-demo/Actors.Orleans.ClientDemo/Actors.Orleans.ClientDemo.csproj -c Release -v q -nologo > /tmp/cluster-campaign-build.log 2>&1 \
  || { tail -30 /tmp/cluster-campaign-build.log; echo "campaign: FAIL: the build failed" >&2; exit 1; }
exec python3 scripts/lib/cluster_campaign.py "$@" --bin client-demo/Actors.Orleans.ClientDemo/bin/Release/net10.0
