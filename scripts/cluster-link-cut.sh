#!/usr/bin/env bash
# Link cuts under durable load on three Orleans silos on loopback, with PostgreSQL 15 (scripts/lib/link_cut_campaign.py).
#   scripts/cluster-link-cut.sh CYCLES [--rf N] [--links peers[,gateway][,postgres]] [--mode blackhole|reset]
#                                      [--cut-seconds S] [--calls N] [--keep] [--bin DIR]
#                                      [--accounts N --customers N --workers N --seed N]
# The kill campaign's topology (scripts/cluster-kill-campaign.sh) with a fault-injecting TCP proxy (scripts/lib/link_proxy.py)
# in front of each silo's silo port, gateway and PostgreSQL connection: the silos advertise the proxies' ports. Each
# cycle: the demo client's load acknowledges --calls more calls; the links of a silo leading partitions of its grains
# are cut (default: to and from the other silos; blackholed, connections kept) for --cut-seconds (default 10); the
# failover time of each grain it led is measured from the cut; the links heal (the cut silo is started again if Orleans
# declared it dead meanwhile); its grains must answer again; then every acknowledged call is read back, every call of
# unknown outcome whole or absent, money conserved. Prints each cycle with the load average, failover p50/p99 and the
# client's VERDICT; exit code 0 only on PASS. Builds client-demo/Actors.Orleans.ClientDemo (Release; it carries the silo
# and the demo grains) unless --bin names a directory holding them. Needs root (runuser for PostgreSQL, /proc to tell the
# silos' connections apart) and PostgreSQL 15 binaries (/usr/lib/postgresql/15/bin, apt-get install postgresql-15).
set -euo pipefail
cd "$(dirname "$0")/.."
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1
for a in "$@"; do
  if [ "$a" = "--bin" ]; then exec python3 scripts/lib/link_cut_campaign.py "$@"; fi
  if [ "$a" = "-h" ] || [ "$a" = "--help" ]; then exec python3 scripts/lib/link_cut_campaign.py --bin . --help; fi
done
echo "link-cut: building client-demo/Actors.Orleans.ClientDemo (Release), which carries the silo and the demo grains"
dotnet build client-demo/Actors.Orleans.ClientDemo/Actors.Orleans.ClientDemo.csproj -c Release -v q -nologo > /tmp/cluster-link-cut-build.log 2>&1 \
  || { tail -30 /tmp/cluster-link-cut-build.log; echo "link-cut: FAIL: the build failed" >&2; exit 1; }
exec python3 scripts/lib/link_cut_campaign.py "$@" --bin client-demo/Actors.Orleans.ClientDemo/bin/Release/net10.0
