"""Link cuts under durable load on a three-silo Orleans cluster on loopback (scripts/cluster-link-cut.sh).

The topology of scripts/cluster-kill-campaign.sh (PostgreSQL 15, three `Actors.Orleans.Silo` processes replicating
with the given factor, the demo client's bank workload in cluster mode; cluster_campaign.py's building blocks), with a
fault-injecting proxy (link_proxy.py) in front of every listener: each silo advertises its proxy's silo and gateway
ports (ACTORS__SILOPORT, ACTORS__GATEWAYPORT) and listens on the real ones behind them (ACTORS__SILOLISTENINGPORT,
ACTORS__GATEWAYLISTENINGPORT), and reaches PostgreSQL through a proxy of its own. Then CYCLES times, after the load
has acknowledged --calls more calls:
  cut the links of a silo leading partitions of the run's grains (--links: `peers`, its links to the other silos in
  both directions, by default; add `gateway` for the clients' links to it, `postgres` for its link to the database),
  as a blackhole (--mode blackhole: nothing delivered, connections kept) or by resetting every connection (--mode
  reset), for --cut-seconds, while the client probes every grain it led; heal; if Orleans declared the cut silo dead
  meanwhile (it then stops itself), start it again; then the failover time of each of those grains (from the cut to
  the answer of the first call sent to it after the cut: below --cut-seconds when another silo served it during the
  cut), the partitions' rows (leader, epoch, in-sync replicas) before the cut and at the heal, and a verification by
  the client: every acknowledged call read back, every call of unknown outcome whole or absent, money conserved. A leader cut off from its followers keeps
  its activations and its clients (with `peers` only): whatever it acknowledged must be there after, nothing extra.
Prints each cycle with the load average, failover p50/p99 over the campaign and the client's VERDICT line. Exit code 0
only when every verification passed.
"""
import argparse, os, sys, time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import campaign_run  # noqa: E402
from campaign_run import load_average  # noqa: E402
from cluster_campaign import CLUSTER_ID, GRAIN_TYPES, START_LIMIT, Campaign, CampaignFailure, Cluster, Demo, percentile  # noqa: E402
from grain_partitions import check_pinned, partition  # noqa: E402
from link_proxy import MODES, LinkProxy  # noqa: E402
from loopback import Silo, free_port, http_ok  # noqa: E402

LINKS = ("peers", "gateway", "postgres")
ACTIVE = 3   # Orleans's SiloStatus.Active in its membership table


def say(text):
    print(f"link-cut: {text}", flush=True)


class ProxiedCluster(Cluster):
    """cluster_campaign.Cluster with a LinkProxy before each silo's silo port, gateway and PostgreSQL connection."""

    def __init__(self, args, work):
        super().__init__(args, work)
        self.proxies = {}     # name -> LinkProxy: "silo-0", "silo-0/gateway", "silo-0/postgres"

    def owners(self):
        return {s.pid: s.name for s in self.silos if s.process is not None and s.running()}

    def start(self):
        self.postgres.start()
        say(f"PostgreSQL 15 on 127.0.0.1:{self.postgres.port}")
        for i in range(3):
            name = f"silo-{i}"
            silo_port, gateway_port = free_port(), free_port()
            silo_proxy = self.proxies[name] = LinkProxy(name, silo_port, self.owners)
            gateway_proxy = self.proxies[f"{name}/gateway"] = LinkProxy(f"{name}/gateway", gateway_port, self.owners)
            pg_proxy = self.proxies[f"{name}/postgres"] = LinkProxy(f"{name}/postgres", self.postgres.port)
            pg = self.postgres.connection_string().replace(f"Port={self.postgres.port};", f"Port={pg_proxy.port};")
            env = self.silo_env(name, silo_proxy.port, gateway_proxy.port, pg)
            env.update({"ACTORS__SILOLISTENINGPORT": str(silo_port), "ACTORS__GATEWAYLISTENINGPORT": str(gateway_port)})
            self.silos.append(Silo(name, env, self.work, self.args.bin))
        for silo in self.silos:
            silo.start()
        self.wait_healthy(self.silos)
        say("silos: " + ", ".join(f"{s.name} pid {s.pid} (silo proxy {s.env['ACTORS__SILOPORT']} -> {s.env['ACTORS__SILOLISTENINGPORT']}, "
                                  f"gateway proxy {s.env['ACTORS__GATEWAYPORT']} -> {s.env['ACTORS__GATEWAYLISTENINGPORT']})" for s in self.silos)
            + f", replication factor {self.args.rf}")

    def cut(self, victim, links, mode):
        """Cuts the chosen links of victim (a silo name) through every proxy."""
        if "peers" in links:
            for silo in self.silos:
                self.proxies[silo.name].cut({victim}, mode)   # its own listener, and its connections to the others'
        if "gateway" in links:
            self.proxies[f"{victim}/gateway"].cut({f"{victim}/gateway"}, mode)
        if "postgres" in links:
            self.proxies[f"{victim}/postgres"].cut({f"{victim}/postgres"}, mode)

    def rows(self, grains, keys):
        """The partition rows of the grains named by keys: 'p26 leader silo-0 epoch 1 in-sync [2,1,3]', one per partition."""
        count = int(self.postgres.psql(f"SELECT partition_count FROM actors_orleans_clusters WHERE cluster_id = '{CLUSTER_ID}'").strip())
        wanted = sorted({partition(GRAIN_TYPES[kind], key, count) for kind, key in grains if key in keys})
        text = self.postgres.psql(
            "SELECT c.partition, r.silo_name, c.epoch, array_to_string(c.in_sync, ',') FROM actors_replica_configurations c "
            "JOIN actors_orleans_replicas r ON r.cluster_id = c.cluster_id AND r.replica = c.leader "
            f"WHERE c.cluster_id = '{CLUSTER_ID}' AND c.partition IN ({','.join(map(str, wanted))}) ORDER BY c.partition")
        return "; ".join(f"p{p} leader {leader} epoch {epoch} in-sync [{in_sync}]" for p, leader, epoch, in_sync in (l.split("|") for l in text.split()))

    def membership_status(self, name):
        """Orleans's membership status of the silo's latest generation (3 Active, 6 Dead), or None."""
        text = self.postgres.psql(f"SELECT Status FROM OrleansMembershipTable WHERE DeploymentId = '{CLUSTER_ID}' AND SiloName = '{name}' "
                                  "ORDER BY Generation DESC LIMIT 1").strip()
        return int(text) if text else None

    def heal(self):
        for proxy in self.proxies.values():
            proxy.heal()

    def peer_connections(self, name):
        """How many silo-to-silo connections have name at one end."""
        count = 0
        for silo in self.silos:
            for source, n in self.proxies[silo.name].describe().items():
                if silo.name == name or source == name:
                    count += n
        return count

    def kill_all(self):
        super().kill_all()
        for proxy in self.proxies.values():
            proxy.stop()


class LinkCutCampaign(Campaign):
    def __init__(self, args, cluster, demo, grains):
        super().__init__(args, cluster, demo, grains)
        self.served_during_cut = 0  # grains that answered before the heal
        self.declared_dead = 0

    def cut_cycle(self, cycle):
        self.load()
        silo, led = self.victim(cycle)
        connections = self.cluster.peer_connections(silo.name)
        before = self.cluster.rows(self.grains, led)
        self.cluster.cut(silo.name, self.args.links, self.args.mode)
        since = int(time.time() * 1000)
        self.demo.send(f"failover {since} {' '.join(led)}")     # the client probes the grains while the links are cut
        time.sleep(max(0.0, since / 1000 + self.args.cut_seconds - time.time()))   # the scenario: cut this long
        at_heal = self.cluster.rows(self.grains, led)
        self.cluster.heal()
        fate = self.wait_after_heal(silo)
        _, lines = self.demo.expect("failover-done", keep="failover")
        times, late = {}, []
        for line in lines:
            words = line.split()
            (late.append(line) if words[0] == "failover-timeout" else times.__setitem__(words[1], int(words[2])))
        if late:
            raise CampaignFailure(f"grains did not serve again within the client's limit: {late[0]}; {silo.name}'s partitions before the cut: "
                                  f"{before}; at the heal: {at_heal}; now: {self.cluster.rows(self.grains, led)}; after the heal {fate}")
        self.samples.extend(times.values())
        cut_ms = self.args.cut_seconds * 1000
        during = sum(1 for v in times.values() if v < cut_ms)
        self.served_during_cut += during
        verified = self.verify()
        values = sorted(times.values())
        say(f"cycle {cycle + 1}/{self.args.cycles}: cut {silo.name}'s {'+'.join(self.args.links)} links ({self.args.mode}, "
            f"{connections} silo-to-silo connections open before) for {self.args.cut_seconds:g} s, leader of {len(led)} of the run's "
            f"{len(self.grains)} grains; {during} of them answered during the cut; failover p50 {percentile(values, 50)} ms, max "
            f"{values[-1]} ms; its partitions before the cut {before}, at the heal {at_heal}; after the heal {fate}; verification PASS "
            f"({verified.get('acknowledged')} acknowledged calls read back, in doubt {verified.get('in_doubt_present')} present / "
            f"{verified.get('in_doubt_absent')} absent); {load_average()}")

    def wait_after_heal(self, silo):
        """The cut silo after the heal: Active again in Orleans's membership and healthy, or declared dead (it then stops
        itself at its next membership read) and started again."""
        deadline = time.monotonic() + START_LIMIT
        while True:
            status = self.cluster.membership_status(silo.name)
            if not silo.running():
                break
            if status == ACTIVE and http_ok(self.cluster.health_url(silo)):
                return f"{silo.name} was still running, Active in Orleans's membership"
            if time.monotonic() > deadline:
                raise CampaignFailure(f"{silo.name} neither became Active again nor stopped within {START_LIMIT} s of the heal (membership status {status})")
            time.sleep(0.2)   # the poll interval of a condition wait
        self.declared_dead += 1
        code = silo.process.returncode
        self.cluster.restart(silo)
        return f"{silo.name} had stopped itself (exit code {code}: declared dead in Orleans's membership) and was started again"


def main():
    ap = argparse.ArgumentParser(prog="scripts/cluster-link-cut.sh", description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    campaign_run.add_common_arguments(ap, run_id="link-cut")
    ap.add_argument("--links", default="peers", help="which of the leader's links are cut: peers (default), plus gateway and/or postgres, comma-separated")
    ap.add_argument("--mode", choices=MODES, default="blackhole", help="blackhole (default: nothing delivered, connections kept) or reset")
    ap.add_argument("--cut-seconds", type=float, default=10.0, help="how long the links stay cut (default 10)")
    args = ap.parse_args()
    args.links = [l.strip() for l in args.links.split(",") if l.strip()]
    if args.cycles < 1:
        ap.error("cycles must be at least 1")
    if not args.links or any(l not in LINKS for l in args.links):
        ap.error(f"--links: a comma-separated choice of {', '.join(LINKS)}")
    if args.rf < 2:
        ap.error("--rf: at least 2 (at factor 1 a cut leader's partitions wait for it; there is nothing to fail over to)")
    try:
        check_pinned()
    except AssertionError as e:
        say(f"FAIL: {e}")
        return 1

    say(f"{args.cycles} cut(s) of a leader's {'+'.join(args.links)} links ({args.mode}, {args.cut_seconds:g} s) at replication factor {args.rf}")

    def drive(cluster, demo, grains):
        campaign = LinkCutCampaign(args, cluster, demo, grains)
        for cycle in range(args.cycles):
            campaign.cut_cycle(cycle)
        during = campaign.samples
        return [f"failover over {len(during)} grain recoveries in {args.cycles} cut(s) (from the cut to the first answered call sent after it): "
                f"p50 {percentile(during, 50)} ms, p99 {percentile(during, 99)} ms, max {max(during)} ms; {campaign.served_during_cut} answered "
                f"before the heal; the cut silo stopped itself (declared dead) in {campaign.declared_dead} of {args.cycles} cut(s)"]

    return campaign_run.run(
        args, say, "cluster-link-cut.", ProxiedCluster,
        lambda cluster: Demo(args.bin, cluster.work, cluster.gateways(), cluster.postgres.connection_string(), args),
        drive, lambda seconds: f"{args.cycles} link cut(s) at replication factor {args.rf} in {seconds:.0f} s")


if __name__ == "__main__":
    sys.exit(main())
