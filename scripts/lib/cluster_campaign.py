"""Silo failures under durable load on a three-silo Orleans cluster on loopback (scripts/cluster-kill-campaign.sh).

PostgreSQL 15 (Orleans's membership and the log's partition rows), three `Actors.Orleans.Silo` processes replicating
with the given factor (ACTORS__REPLICATIONFACTOR), and the demo client in cluster mode (`--cluster`: the bank workload
of JournaledGrain accounts and IPersistentState customers, driven through commands on its standard input). Then
CYCLES times, after the load has acknowledged --calls more calls:
  kill (default): SIGKILL a silo that leads partitions of the run's grains; at replication factor 1 restart it at
          once (its partitions wait for it), at a larger factor restart it only after its grains serve elsewhere;
  --sigstop: SIGSTOP such a silo, keep it stopped for --stop-seconds and until its grains answered elsewhere (with
          --wake-first: for --stop-seconds only, so it may wake while Orleans still counts it a member and its replicas
          have elected another leader), then SIGCONT; then wait until its entry in Orleans's membership table is Active
          and it is healthy, or, declared dead meanwhile, until it stopped itself (Orleans does once it reads its death),
          and start it again;
  --rolling: SIGTERM each silo in turn (a graceful stop, exit code 0 expected), start it again, let the load run;
  --disk-loss: SIGKILL such a silo, and once its grains serve elsewhere delete its data directory (a container whose
          volume is lost) and start it again: it joins as a new replica, and the partitions' leaders replace the lost
          replica by it (ReplicaReplacementOptions.AbsentFor, set to --absent-for); the cycle waits until no row names
          the lost replica and every row's replicas are all in sync again;
and after each: the failover time of every grain the silo led (from the signal to the answer of the first call sent
to it after the signal, as the client measured it), and a verification by the client (every acknowledged call read
back, every call of unknown outcome whole or absent, money conserved). Prints each cycle, failover p50/p99 over the
campaign, failed calls, and the client's VERDICT line. Exit code 0 only when every verification passed. The client
takes its gateways from Orleans's ADO.NET membership table (--membership): a static list would keep a SIGSTOPped
silo's gateway, and the calls routed through it would time out for as long as it stays stopped.
"""
import argparse, math, os, queue, shutil, signal, subprocess, sys, threading, time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import campaign_run  # noqa: E402
from campaign_run import CampaignFailure, load_average  # noqa: E402,F401  (link_cut_campaign.py imports them from here too)
from grain_partitions import check_pinned, partition  # noqa: E402
from loopback import Postgres, Silo, free_port, http_ok  # noqa: E402

CLUSTER_ID = "actors"
START_LIMIT = 180
ANSWER_LIMIT = 300
SILO_STATUS = {1: "Created", 2: "Joining", 3: "Active", 4: "ShuttingDown", 5: "Stopping", 6: "Dead"}   # Orleans's SiloStatus
GRAIN_TYPES = {"account": "account", "customer": "customer"}   # the demo grains' Orleans grain types (AccountGrain, CustomerGrain)


def say(text):
    print(f"campaign: {text}", flush=True)


ORLEANS_DEATH = "I have been told I am dead"


def declared_dead_reason(silo):
    """Orleans's line saying why it stopped the silo's last run ("I have been told I am dead ..."), or None when that run did
    not end so (the log holds every run, each begun by a '---- start' line)."""
    with open(silo.log, errors="replace") as f:
        text = f.read()
    run = text[text.rfind("---- start "):]
    at = run.find(ORLEANS_DEATH)
    if at < 0:
        return None
    line = run[at:run.find("\n", at) if run.find("\n", at) >= 0 else len(run)]
    return line[:160]


def percentile(values, p):
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, max(0, math.ceil(p / 100 * len(ordered)) - 1))]


class Demo:
    """The demo client in cluster mode: commands in, CLUSTER lines out (every line also kept in demo.log)."""

    def __init__(self, bin_dir, work, gateways, membership, args):
        self.log = open(os.path.join(work, "demo.log"), "w")
        self.lines = queue.Queue()
        base = {k: v for k, v in os.environ.items() if k in ("PATH", "HOME", "DOTNET_ROOT", "LANG", "TMPDIR")}
        command = ["dotnet", os.path.join(bin_dir, "Actors.Orleans.ClientDemo.dll"), "--cluster", "--gateways", ",".join(gateways), "--membership", membership,
                   "--run-id", args.run_id, "--accounts", str(args.accounts), "--customers", str(args.customers),
                   "--workers", str(args.workers), "--seed", str(args.seed), "--response-timeout", str(args.response_timeout)]
        self.process = subprocess.Popen(command, stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                                        text=True, bufsize=1, env=base, cwd=work)
        threading.Thread(target=self._read, daemon=True).start()

    def _read(self):
        for line in self.process.stdout:
            self.log.write(line)
            self.log.flush()
            self.lines.put(line.rstrip("\n"))
        self.lines.put(None)

    def send(self, command):
        self.process.stdin.write(command + "\n")
        self.process.stdin.flush()

    def expect(self, *prefixes, limit=ANSWER_LIMIT, keep=None, idle=None):
        """The next CLUSTER line starting with one of prefixes; lines starting with keep are collected on the way; idle,
        when given, is called whenever no line arrived for a second (it may look after the silos meanwhile)."""
        deadline = time.monotonic() + limit
        kept = []
        while True:
            try:
                line = self.lines.get(timeout=max(0.1, min(1.0, deadline - time.monotonic())))
            except queue.Empty:
                if time.monotonic() < deadline:
                    if idle:
                        idle()
                    continue
                raise CampaignFailure(f"the demo client gave no '{' or '.join(prefixes)}' line within {limit} s (see demo.log)")
            if line is None:
                raise CampaignFailure(f"the demo client exited with {self.process.wait()} while '{' or '.join(prefixes)}' was awaited (see demo.log)")
            if line.startswith("VERDICT:"):
                self.verdict = line
            if not line.startswith("CLUSTER "):
                continue
            body = line[len("CLUSTER "):]
            if body.startswith("error "):
                raise CampaignFailure(f"the demo client: {body}")
            if body.startswith(prefixes):
                return body, kept
            if keep and body.startswith(keep):
                kept.append(body)

    def finish(self):
        """stop: the last verification and the VERDICT line; returns (exit code, verdict line, output after stop)."""
        self.send("stop")
        self.process.stdin.close()
        rest = []
        while True:
            line = self.lines.get(timeout=ANSWER_LIMIT)
            if line is None:
                break
            rest.append(line)
        code = self.process.wait(timeout=60)
        verdict = next((l for l in rest if l.startswith("VERDICT:")), "no VERDICT line")
        return code, verdict, rest

    def kill(self):
        if self.process.poll() is None:
            self.process.kill()
            self.process.wait()


class Cluster:
    def __init__(self, args, work):
        self.args, self.work = args, work
        self.postgres = Postgres(work, "actors", "actors-campaign", "actors")
        self.silos = []
        # Called with (silo, reason) when a silo that wait_healthy awaits ended its process because Orleans's membership
        # declared it dead while it started (a starved silo missed its probes); the silo is then started again. None: such
        # an exit fails the wait like any other.
        self.on_declared_dead = None

    def start(self):
        self.postgres.start()
        pg = self.postgres.connection_string()
        say(f"PostgreSQL 15 on 127.0.0.1:{self.postgres.port}")
        for i in range(3):
            name = f"silo-{i}"
            env = self.silo_env(name, free_port(), free_port(), pg)
            self.silos.append(Silo(name, env, self.work, self.args.bin))
        for silo in self.silos:
            silo.start()
        self.wait_healthy(self.silos)
        say("silos: " + ", ".join(f"{s.name} pid {s.pid} gateway {s.env['ACTORS__GATEWAYPORT']}" for s in self.silos)
            + f", replication factor {self.args.rf}")

    def silo_env(self, name, silo_port, gateway_port, pg):
        """The environment of silo name: advertising silo_port and gateway_port, its rows in PostgreSQL pg."""
        return {
            "ACTORS__SILONAME": name, "ACTORS__CLUSTERID": CLUSTER_ID, "ACTORS__SERVICEID": CLUSTER_ID,
            "ACTORS__BINDADDRESS": "127.0.0.1", "ACTORS__ADVERTISEDADDRESS": "127.0.0.1",
            "ACTORS__SILOPORT": str(silo_port), "ACTORS__GATEWAYPORT": str(gateway_port),
            "ACTORS__HTTPBINDADDRESS": "127.0.0.1", "ACTORS__HTTPPORT": str(free_port()),
            "ACTORS__DASHBOARDENABLED": "false",
            "ACTORS__DATADIRECTORY": os.path.join(self.work, name, "data"),
            "ACTORS__GRAINSDIRECTORY": self.args.bin, "ACTORS__GRAINASSEMBLIES__0": "Actors.Orleans.Demo.Grains.dll",
            "WRITEAHEADLOG__SYNCPOLICY": "Always",
            "ACTORS__CLUSTERINGCONNECTIONSTRING": pg, "ACTORS__REPLICATIONCONNECTIONSTRING": pg,
            "ACTORS__REPLICATIONFACTOR": str(self.args.rf),
            "DOTNET_gcServer": "0", "ASPNETCORE_HTTP_PORTS": "",
            # Orleans's membership decisions (probes, votes, evictions) in silo.log: what a liveness failure is read from
            "Logging__LogLevel__Orleans.Runtime.MembershipService": "Information",
            # --disk-loss: the lost replica is replaced soon after its silo went (the default waits 5 minutes)
            **({"WRITEAHEADLOG__REPLICATION__REPLACEMENT__ABSENTFOR": f"00:00:{self.args.absent_for:02d}"} if getattr(self.args, "disk_loss", False) else {}),
        }

    def gateways(self):
        return [f"127.0.0.1:{s.env['ACTORS__GATEWAYPORT']}" for s in self.silos]

    def health_url(self, silo):
        return f"http://127.0.0.1:{silo.env['ACTORS__HTTPPORT']}/health"

    def wait_healthy(self, silos, limit=START_LIMIT, restarts=3):
        """Until every silo of silos answers /health; one that Orleans declared dead while it started is started again (see
        on_declared_dead), at most restarts times in all."""
        deadline = time.monotonic() + limit
        waiting = list(silos)
        while waiting:
            for silo in list(waiting):
                if not silo.running():
                    reason = declared_dead_reason(silo)
                    if reason is not None and self.on_declared_dead is not None and restarts > 0:
                        restarts -= 1
                        self.on_declared_dead(silo, reason)
                        silo.start()
                        deadline = time.monotonic() + limit
                        continue
                    failed = [l for l in silo.tail(60).splitlines() if l.startswith("Actors Orleans silo failed to start")]
                    raise CampaignFailure(f"{silo.name} exited with code {silo.process.returncode} before it was healthy: "
                                          + (failed[-1].strip() if failed else "\n" + silo.tail()))
                if http_ok(self.health_url(silo)):
                    waiting.remove(silo)
            if waiting and time.monotonic() > deadline:
                raise CampaignFailure(f"{', '.join(s.name for s in waiting)} not healthy within {limit} s:\n{waiting[0].tail()}")
            time.sleep(0.2)   # the poll interval of a condition wait

    def membership_status(self, silo):
        """The status of the silo's newest entry in Orleans's membership table (Orleans's SiloStatus name), or None."""
        rows = self.postgres.psql(f"SELECT status FROM orleansmembershiptable WHERE deploymentid = '{CLUSTER_ID}' AND "
                                  f"port = {int(silo.env['ACTORS__SILOPORT'])} ORDER BY generation DESC LIMIT 1").split()
        return SILO_STATUS.get(int(rows[0]), rows[0]) if rows else None

    def restart(self, silo):
        silo.kill()
        silo.start()
        self.wait_healthy([silo])

    def leaders(self, grains):
        """{grain: silo name leading its partition}; fails when a grain's partition has no row (the partition function disagrees)."""
        count = int(self.postgres.psql(f"SELECT partition_count FROM actors_orleans_clusters WHERE cluster_id = '{CLUSTER_ID}'").strip())
        rows = self.postgres.psql(
            "SELECT c.partition, r.silo_name FROM actors_replica_configurations c JOIN actors_orleans_replicas r "
            f"ON r.cluster_id = c.cluster_id AND r.replica = c.leader WHERE c.cluster_id = '{CLUSTER_ID}'")
        by_partition = {int(p): name for p, name in (line.split("|") for line in rows.split())}
        result = {}
        for kind, key in grains:
            p = partition(GRAIN_TYPES[kind], key, count)
            if p not in by_partition:
                raise CampaignFailure(f"{kind} {key} hashes to partition {p} of {count}, which has no row although the grain was stored: "
                                      "scripts/lib/grain_partitions.py disagrees with the silos' partition function")
            result[key] = by_partition[p]
        return result

    def replica_of(self, silo):
        """The replica number the silo's directory holds now (the newest registered under its name)."""
        rows = self.postgres.psql(f"SELECT replica FROM actors_orleans_replicas WHERE cluster_id = '{CLUSTER_ID}' AND "
                                  f"silo_name = '{silo.name}' ORDER BY updated_at DESC LIMIT 1").split()
        return int(rows[0]) if rows else None

    def rows_naming(self, replica):
        """How many partition rows still name the replica, and how many rows have a replica outside the in-sync set."""
        naming = int(self.postgres.psql(f"SELECT count(*) FROM actors_replica_configurations WHERE cluster_id = '{CLUSTER_ID}' "
                                        f"AND {int(replica)} = ANY (replicas)").strip())
        lagging = int(self.postgres.psql(f"SELECT count(*) FROM actors_replica_configurations WHERE cluster_id = '{CLUSTER_ID}' "
                                         "AND NOT (replicas <@ in_sync)").strip())
        return naming, lagging

    def epochs(self):
        """{partition: epoch} of every partition row: an epoch that grew is a leader change."""
        rows = self.postgres.psql(f"SELECT partition, epoch FROM actors_replica_configurations WHERE cluster_id = '{CLUSTER_ID}'")
        return {int(p): int(e) for p, e in (line.split("|") for line in rows.split())}

    def stop(self):
        for silo in self.silos:
            if silo.running():
                silo.signal(signal.SIGCONT)
                silo.signal(signal.SIGTERM)
        for silo in self.silos:
            if silo.process:
                try:
                    silo.process.wait(timeout=60)
                except subprocess.TimeoutExpired:
                    say(f"{silo.name} did not stop within 60 s of SIGTERM")

    def kill_all(self):
        for silo in self.silos:
            silo.kill()
        self.postgres.stop()


class Campaign:
    def __init__(self, args, cluster, demo, grains):
        self.args, self.cluster, self.demo, self.grains = args, cluster, demo, grains
        self.samples = []           # failover ms over every (cycle, grain)
        self.failed_calls = 0       # calls of unknown outcome during graceful restarts
        self.victims = 0
        self.declared_dead = []     # running or starting silos Orleans declared dead (they ended their process), started again
        self.cycle_notes = []       # the same, for the current cycle's line
        cluster.on_declared_dead = lambda silo, reason: self.note_declared_dead(silo, reason, starting=True)

    def revive(self, spare=None):
        """What a container's restart policy does (docker-compose.yml: `restart: on-failure`): a silo other than spare (the
        one the cycle keeps down) that ended its process because Orleans's membership declared it dead while it ran (a
        false suspicion: on a loaded machine a starved silo can miss its probes; Orleans then stops it, "I have been told
        I am dead") is started again, and noted for the cycle's line and the summary. A silo that exited for any other
        reason fails the campaign."""
        for silo in self.cluster.silos:
            if silo is spare or silo.running():
                continue
            reason = declared_dead_reason(silo)
            if reason is None:
                raise CampaignFailure(f"{silo.name} exited by itself with code {silo.process.returncode}, not declared dead by "
                                      f"Orleans's membership:\n{silo.tail()}")
            self.note_declared_dead(silo, reason)
            silo.start()
            self.cluster.wait_healthy([silo])

    def note_declared_dead(self, silo, reason, starting=False):
        """Notes a silo that ended its process because Orleans declared it dead (for the cycle's line and the summary)."""
        note = f"{silo.name} (exit code {silo.process.returncode}{', while it started' if starting else ''}; {reason})"
        self.declared_dead.append(note)
        self.cycle_notes.append(note)
        say(f"Orleans declared {note}; started again, as a restart policy would")

    def ready(self):
        """Before a failure is injected: every silo runs, and its newest entry in Orleans's membership table is Active. A
        silo that Orleans declared dead meanwhile is awaited until it ended its process (it does once it reads its
        death), then started again (revive)."""
        deadline = time.monotonic() + START_LIMIT
        while True:
            self.revive()
            states = {s.name: self.cluster.membership_status(s) for s in self.cluster.silos}
            if all(state == "Active" for state in states.values()):
                return
            if time.monotonic() > deadline:
                raise CampaignFailure(f"not every silo is Active in Orleans's membership within {START_LIMIT} s: {states}")
            time.sleep(0.2)   # the poll interval of a condition wait

    def noted(self):
        """The cycle's line's note of the silos revived in it (empty when none); clears them for the next cycle."""
        notes, self.cycle_notes = self.cycle_notes, []
        return "" if not notes else ("; Orleans declared running silos dead meanwhile, each started again: " + ", ".join(notes))

    def victim(self, cycle):
        """The next silo, in turn, that leads a partition of the run's grains, and the grains it leads."""
        leaders = self.cluster.leaders(self.grains)
        names = [s.name for s in self.cluster.silos]
        for step in range(len(names)):
            name = names[(cycle + step) % len(names)]
            led = sorted(k for k, leader in leaders.items() if leader == name)
            if led:
                return next(s for s in self.cluster.silos if s.name == name), led
        raise CampaignFailure(f"no silo leads a partition of the run's grains: {leaders}")

    def counters(self):
        """The client's counters; prints the calls that ended without an answer since the last look."""
        self.demo.send("status")
        body, unanswered = self.demo.expect("status", limit=60, keep="unanswered")
        for line in unanswered:
            say(line)
        return dict(part.split("=", 1) for part in body.split() if "=" in part and not part.startswith("first"))

    def load(self):
        self.demo.send(f"acks {self.args.calls}")
        self.demo.expect("acks", idle=self.revive)

    def failover(self, since, led, spare=None):
        self.failover_start(since, led)
        return self.failover_end(spare)

    def failover_start(self, since, led):
        """The demo client starts probing the grains (each until it answers a call sent after `since`)."""
        self.demo.send(f"failover {since} {' '.join(led)}")

    def failover_end(self, spare=None):
        """Waits for the probes started by failover_start (reviving any other silo Orleans declared dead meanwhile); their
        failover times, or CampaignFailure."""
        done, lines = self.demo.expect("failover-done", keep="failover", idle=lambda: self.revive(spare))
        times, late = {}, []
        for line in lines:
            words = line.split()
            if words[0] == "failover-timeout":
                late.append(line)
            else:
                times[words[1]] = int(words[2])
        if late:
            raise CampaignFailure(f"grains did not serve again: {late[0]}")
        self.samples.extend(times.values())
        return times

    def verify(self):
        self.demo.send("verify")
        body, retried = self.demo.expect("verified", keep="retried-read", idle=self.revive)
        for line in retried:
            say(f"verification: a read was sent again after a retryable error (last: {line[len('retried-read '):]})")
        if not body.startswith("verified PASS"):
            raise CampaignFailure(f"verification failed: {body}")
        return dict(part.split("=", 1) for part in body.split()[2:] if "=" in part)

    def kill_cycle(self, cycle, stop):
        self.load()
        self.ready()
        silo, led = self.victim(cycle)
        pid = silo.pid
        epochs = self.cluster.epochs() if stop else None
        if stop:
            silo.signal(signal.SIGSTOP)
        else:
            silo.signal(signal.SIGKILL)
            silo.process.wait()
        since = int(time.time() * 1000)
        how = f"SIGSTOP {silo.name} (pid {pid}) for {self.args.stop_seconds:g} s" if stop else f"SIGKILL {silo.name} (pid {pid})"
        if stop:
            if self.args.rf > 1:
                self.failover_start(since, led)
                if not self.args.wake_first:
                    times = self.failover_end(silo)
            time.sleep(max(0.0, since / 1000 + self.args.stop_seconds - time.time()))   # the scenario: stopped this long
            silo.signal(signal.SIGCONT)
            if self.args.rf > 1 and self.args.wake_first:
                times = self.failover_end(silo)    # woken while its grains may still be failing over
            how += "; " + self.wait_woken(silo)
            after = self.cluster.epochs()
            how += f"; {sum(1 for p, e in after.items() if e > epochs.get(p, 0))} partitions changed leader"
            if self.args.rf == 1:
                times = self.failover(since, led)
        else:
            if self.args.rf == 1:
                silo.start()                       # restart-based: its partitions wait for it
                times = self.failover(since, led)
                self.cluster.wait_healthy([silo])
            else:
                times = self.failover(since, led, silo)  # the others serve its partitions
                silo.start()
                self.cluster.wait_healthy([silo])
        verified = self.verify()
        values = sorted(times.values())
        say(f"cycle {cycle + 1}/{self.args.cycles}: {how} (leader of {len(led)} of the run's {len(self.grains)} grains): "
            f"failover p50 {percentile(values, 50)} ms, max {values[-1]} ms; verification PASS "
            f"({verified.get('acknowledged')} acknowledged calls read back, in doubt {verified.get('in_doubt_present')} present / "
            f"{verified.get('in_doubt_absent')} absent){self.noted()}; {load_average()}")

    def disk_loss_cycle(self, cycle):
        self.load()
        self.ready()
        silo, led = self.victim(cycle)
        pid, lost = silo.pid, self.cluster.replica_of(silo)
        silo.signal(signal.SIGKILL)
        silo.process.wait()
        since = int(time.time() * 1000)
        times = self.failover(since, led, silo)
        data = silo.env["ACTORS__DATADIRECTORY"]
        shutil.rmtree(data)
        lost_at = time.monotonic()
        silo.start()
        self.cluster.wait_healthy([silo])
        joined = self.cluster.replica_of(silo)
        if joined == lost:
            raise CampaignFailure(f"{silo.name} started on an empty directory but kept replica {lost}")
        deadline = time.monotonic() + START_LIMIT + self.args.absent_for
        while True:
            naming, lagging = self.cluster.rows_naming(lost)
            if naming == 0 and lagging == 0:
                break
            if time.monotonic() > deadline:
                raise CampaignFailure(f"{naming} partition rows still name the lost replica {lost} and {lagging} rows have a "
                                      f"replica out of sync {START_LIMIT + self.args.absent_for} s after {silo.name} came back as replica {joined}")
            time.sleep(0.5)   # the poll interval of a condition wait
        replaced = time.monotonic() - lost_at
        verified = self.verify()
        values = sorted(times.values())
        say(f"cycle {cycle + 1}/{self.args.cycles}: SIGKILL {silo.name} (pid {pid}, replica {lost}), its data directory deleted, "
            f"started again as replica {joined}: failover p50 {percentile(values, 50)} ms, max {values[-1]} ms; every row's "
            f"replica {lost} replaced and all replicas in sync {replaced:.1f} s after the restart began (--absent-for {self.args.absent_for} s); "
            f"verification PASS ({verified.get('acknowledged')} acknowledged calls read back, in doubt "
            f"{verified.get('in_doubt_present')} present / {verified.get('in_doubt_absent')} absent){self.noted()}; {load_average()}")

    def wait_woken(self, silo):
        """After SIGCONT: active in Orleans's membership and healthy (it was not declared dead while stopped), or declared
        dead meanwhile: then it runs on as a stale silo until it learns so and stops itself (Orleans does), which is
        awaited (its stale replicas may try to acknowledge meanwhile: the verification that follows judges that), and it
        is started again. Returns how it ended."""
        woken = time.monotonic()
        deadline = woken + START_LIMIT
        status = None
        while silo.running():
            status = self.cluster.membership_status(silo)
            if status == "Active" and http_ok(self.cluster.health_url(silo)):
                return "woke active (not declared dead)"
            if time.monotonic() > deadline:
                raise CampaignFailure(f"{silo.name} is {status} in Orleans's membership and neither active and healthy nor exited "
                                      f"within {START_LIMIT} s of SIGCONT")
            time.sleep(0.2)   # the poll interval of a condition wait
        woke = (f"declared {status or 'dead'} while stopped, exited by itself {time.monotonic() - woken:.1f} s after SIGCONT "
                f"(code {silo.process.returncode}), started again")
        self.cluster.restart(silo)
        return woke

    def rolling_cycle(self, cycle):
        failed, acknowledged = 0, 0
        for silo in self.cluster.silos:
            self.load()
            before = int(self.counters()["unanswered"])
            silo.signal(signal.SIGTERM)
            try:
                code = silo.process.wait(timeout=120)
            except subprocess.TimeoutExpired:
                raise CampaignFailure(f"{silo.name} did not stop within 120 s of SIGTERM")
            if code != 0:
                raise CampaignFailure(f"{silo.name} exited with {code} after SIGTERM:\n{silo.tail()}")
            silo.start()
            self.cluster.wait_healthy([silo])
            failed += int(self.counters()["unanswered"]) - before
            verified = self.verify()       # judges the calls that failed and releases their grains to the load
            acknowledged += int(verified.get("acknowledged", 0))
        self.failed_calls += failed
        say(f"cycle {cycle + 1}/{self.args.cycles}: rolling restart of {', '.join(s.name for s in self.cluster.silos)} (SIGTERM, exit 0, start): "
            f"{failed} failed calls (outcome unknown); 3 verifications PASS ({acknowledged} acknowledged calls read back); {load_average()}")


def main():
    ap = argparse.ArgumentParser(prog="scripts/cluster-kill-campaign.sh", description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    campaign_run.add_common_arguments(ap, run_id="campaign")
    mode = ap.add_mutually_exclusive_group()
    mode.add_argument("--sigstop", action="store_true")
    mode.add_argument("--rolling", action="store_true")
    mode.add_argument("--disk-loss", action="store_true")
    ap.add_argument("--absent-for", type=int, default=2, help="the silos' ReplicaReplacementOptions.AbsentFor in seconds (default 2; 0-59)")
    ap.add_argument("--stop-seconds", type=float, default=10.0, help="how long --sigstop keeps the silo stopped (default 10)")
    ap.add_argument("--wake-first", action="store_true",
                    help="with --sigstop: SIGCONT after --stop-seconds even while its grains still fail over (by default the "
                         "silo stays stopped until they all answered elsewhere): a leader that wakes while Orleans still "
                         "counts it a member, whose replicas may have elected another leader meanwhile")
    args = ap.parse_args()
    if args.cycles < 1:
        ap.error("cycles must be at least 1")
    try:
        check_pinned()
    except AssertionError as e:
        say(f"FAIL: {e}")
        return 1

    if args.disk_loss and args.rf < 2:
        ap.error("--disk-loss needs --rf 2 or more (a replica to replace)")
    if not 0 <= args.absent_for <= 59:
        ap.error("--absent-for must be 0 to 59 seconds")
    scenario = "rolling restarts" if args.rolling else "disk loss" if args.disk_loss else "SIGSTOP" if args.sigstop else "SIGKILL"
    say(f"{args.cycles} {scenario} cycle(s) at replication factor {args.rf}")

    def drive(cluster, demo, grains):
        campaign = Campaign(args, cluster, demo, grains)
        for cycle in range(args.cycles):
            try:
                if args.rolling:
                    campaign.rolling_cycle(cycle)
                elif args.disk_loss:
                    campaign.disk_loss_cycle(cycle)
                else:
                    campaign.kill_cycle(cycle, stop=args.sigstop)
            except CampaignFailure as e:
                raise CampaignFailure(f"cycle {cycle + 1}/{args.cycles} ({scenario}): {e}") from e
        summary = []
        if campaign.samples:
            summary.append(f"failover over {len(campaign.samples)} grain recoveries in {args.cycles} cycle(s): p50 {percentile(campaign.samples, 50)} ms, "
                           f"p99 {percentile(campaign.samples, 99)} ms, max {max(campaign.samples)} ms (from the signal to the first answered call sent after it)")
        if campaign.declared_dead:
            summary.append(f"Orleans declared {len(campaign.declared_dead)} running or starting silo(s) dead (a false suspicion: a starved silo "
                           f"missed its probes), each then ended its process and was started again: {'; '.join(campaign.declared_dead)}")
        if args.rolling:
            summary.append(f"rolling restarts: {campaign.failed_calls} failed calls in {args.cycles} round(s) of 3 graceful restarts")
        return summary

    return campaign_run.run(
        args, say, "cluster-campaign.", Cluster,
        lambda cluster: Demo(args.bin, cluster.work, cluster.gateways(), cluster.postgres.connection_string(), args),
        drive, lambda seconds: f"{args.cycles} {scenario} cycle(s) at replication factor {args.rf} in {seconds:.0f} s")


if __name__ == "__main__":
    sys.exit(main())
