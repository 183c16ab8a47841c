"""What every campaign on the three-silo loopback cluster shares (cluster_campaign.py, link_cut_campaign.py): the demo
client's arguments, and the run around the campaign's own cycles: a work directory, the cluster and the demo client
started, the client's last verification and VERDICT, a graceful stop of every silo (exit code 0 required), the exit
code, and the work directory removed after a pass unless --keep. On a failure it prints what explains it even when the
work directory is gone (CI): the cycle it happened in (the CampaignFailure's text), the demo client's last lines
(its errors, the calls that ended without an answer with their exception type and message, the verification) and
each silo's last errors."""
import os, shutil, tempfile, time

from loopback import LoopbackError


class CampaignFailure(Exception):
    pass


def load_average():
    return "load average " + " ".join(f"{v:.1f}" for v in os.getloadavg())


def failure_context(work, silos, demo_lines=40, silo_lines=12):
    """The lines that explain a failure: demo.log's last demo_lines and each silo log's last silo_lines lines naming an
    error or an exception (a "fail:" / "crit:" line or one naming an exception type)."""
    out = []
    demo_log = os.path.join(work, "demo.log")
    if os.path.exists(demo_log):
        with open(demo_log, errors="replace") as f:
            tail = f.readlines()[-demo_lines:]
        out.append(f"--- demo.log, last {len(tail)} lines ---")
        out.extend(l.rstrip("\n") for l in tail)
    for silo in silos:
        log = getattr(silo, "log", None)
        if not log or not os.path.exists(log):
            continue
        with open(log, errors="replace") as f:
            lines = f.readlines()
        picked = [i for i, l in enumerate(lines) if l.startswith(("fail:", "crit:")) or "Exception" in l]
        shown = [lines[i].rstrip("\n") for i in picked[-silo_lines:]]
        out.append(f"--- {silo.name}: last {len(picked[-silo_lines:])} error lines of {len(picked)} ---")
        out.extend(shown)
    return out


def add_common_arguments(ap, run_id):
    """The arguments every campaign takes: cycles, --bin, --rf, the demo client's load and --keep."""
    ap.add_argument("cycles", type=int)
    ap.add_argument("--bin", required=True, help="directory holding Actors.Orleans.Silo.dll, Actors.Orleans.ClientDemo.dll and the demo grains")
    ap.add_argument("--rf", type=int, default=3, help="replication factor (ACTORS__REPLICATIONFACTOR, default 3)")
    ap.add_argument("--calls", type=int, default=200, help="calls acknowledged before each failure (default 200)")
    ap.add_argument("--accounts", type=int, default=20)
    ap.add_argument("--customers", type=int, default=8)
    ap.add_argument("--workers", type=int, default=8)
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--response-timeout", type=int, default=3,
                    help="the client's response timeout in seconds (default 3; docs/cluster-orleans.md, 'Clients')")
    ap.add_argument("--run-id", default=run_id)
    ap.add_argument("--keep", action="store_true", help="keep the work directory (logs, data) even after a pass")


def run(args, say, work_prefix, make_cluster, make_demo, drive, passed_text):
    """Runs one campaign; returns its exit code (0 only on PASS).

    make_cluster(args, work) -> the cluster (start, stop, kill_all, silos, gateways); make_demo(cluster) -> the demo
    client (expect, finish, kill); drive(cluster, demo, grains) runs the cycles and returns the lines to print after the
    demo client's last verification; passed_text(seconds) -> what the PASS line says was run."""
    args.bin = os.path.abspath(args.bin)
    work = tempfile.mkdtemp(prefix=work_prefix)
    os.chmod(work, 0o755)
    cluster, demo, passed = make_cluster(args, work), None, False
    began = time.monotonic()
    say(f"work directory {work}; {load_average()}")
    try:
        cluster.start()
        demo = make_demo(cluster)
        ready, grain_lines = demo.expect("ready", keep="grain ")
        grains = [tuple(line.split()[1:3]) for line in grain_lines]
        say(f"demo client: {ready}; {len(grains)} grains")
        summary = drive(cluster, demo, grains)
        code, verdict, rest = demo.finish()
        print("\n".join(l for l in rest if not l.startswith("CLUSTER ")), flush=True)
        for line in summary:
            say(line)
        if code != 0 or not verdict.startswith("VERDICT: PASS"):
            raise CampaignFailure(f"the demo client exited with {code}: {verdict}")
        cluster.stop()
        for silo in cluster.silos:
            if silo.process.returncode != 0:
                raise CampaignFailure(f"{silo.name} exited with {silo.process.returncode} after SIGTERM:\n{silo.tail()}")
        passed = True
        say(f"PASS: {passed_text(time.monotonic() - began)}; {verdict}; {load_average()}")
        return 0
    except (CampaignFailure, LoopbackError) as e:
        say(f"FAIL: {e}; {load_average()}")
        for line in failure_context(work, cluster.silos):
            print(line, flush=True)
        # again after the logs: a CI that shows only the output's tail still shows what failed
        say(f"FAIL (repeated after the logs above): {e}")
        return 1
    finally:
        if demo:
            demo.kill()
        cluster.kill_all()
        if passed and not args.keep:
            shutil.rmtree(work, ignore_errors=True)
        else:
            say(f"kept {work} (silo-*/silo.log, demo.log)")
