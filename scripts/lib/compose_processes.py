"""A compose file's Orleans topology as processes on loopback (scripts/check-compose.sh).

What a container engine would do, replayed without one:
  * the silo image: silo/Actors.Orleans.Silo published to IMAGE/app and the demo grains to IMAGE/app/grains, as the
    Dockerfile's build stage does (the script publishes them before calling this);
  * each silo service: the image's ENV (the aspnet base image's, then silo/Dockerfile's runtime stage), overlaid by the
    service's environment (anchors and merge keys resolved, ${VAR:-default} interpolated), with only what one host
    forces remapped: bind and advertised addresses to 127.0.0.1, ports to free ones, /data to a directory per silo,
    paths under /app to IMAGE/app, the postgres service's host and port to the local server;
  * the postgres service: PostgreSQL 15 in a temporary directory on a loopback port, with the service's user, password
    (checked: scram-sha-256 over TCP) and database;
  * the health check: the image's healthcheck.sh with the silo's environment, as compose runs it;
  * the demo service: its environment and command, its gateways (service:port) pointed at the silos' loopback gateways.
Then: every silo Active in Orleans's membership table (when clustered), the dashboard not served on the health port,
runtime metrics on /metrics, the demo's VERDICT: PASS, and a graceful stop (SIGTERM, exit code 0) of every silo.
"""
import argparse, os, re, shlex, signal, subprocess, sys, time, urllib.request, urllib.error
import yaml
from loopback import LoopbackError, Postgres, Silo, free_port

BASE_IMAGE_ENV = {"ASPNETCORE_HTTP_PORTS": "8080", "DOTNET_RUNNING_IN_CONTAINER": "true", "APP_UID": "1654"}
SILO_DOCKERFILE = "silo/Dockerfile"
DEMO_DOCKERFILE = "client-demo/Dockerfile"
START_LIMIT = 180


def say(text):
    print(f"check-compose: {text}", flush=True)


def fail(text):
    print(f"check-compose: FAIL: {text}", file=sys.stderr, flush=True)
    raise SystemExit(1)


def interpolate(value):
    def sub(m):
        name, default = m.group(1), m.group(3)
        return os.environ.get(name) or (default if default is not None else "")
    return re.sub(r"\$\{([A-Za-z_][A-Za-z0-9_]*)(:-([^}]*))?\}", sub, str(value))


def environment_of(service):
    env = service.get("environment", {}) or {}
    if isinstance(env, list):
        env = dict(e.split("=", 1) for e in env)
    return {k: interpolate(v) for k, v in env.items()}


def image_env(root):
    """The ENV of silo/Dockerfile's last stage over the base image's."""
    text = open(os.path.join(root, SILO_DOCKERFILE)).read().replace("\\\n", " ")
    stages = re.split(r"(?m)^FROM ", text)
    env = dict(BASE_IMAGE_ENV)
    for line in stages[-1].splitlines():
        if line.startswith("ENV "):
            for token in shlex.split(line[4:]):
                key, _, value = token.partition("=")
                env[key] = value
    return env


def connection_parts(text):
    return {k.strip().lower(): v for k, _, v in (p.partition("=") for p in text.split(";") if p.strip())}


def with_host(text, host, port):
    parts = []
    for part in text.split(";"):
        key = part.partition("=")[0].strip().lower()
        parts.append(f"Host={host}" if key == "host" else f"Port={port}" if key == "port" else part)
    return ";".join(parts)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--root", required=True)
    ap.add_argument("--file", required=True)
    ap.add_argument("--image", required=True, help="the published silo image root (IMAGE/app, IMAGE/app/grains)")
    ap.add_argument("--demo", required=True, help="the published demo directory")
    ap.add_argument("--work", required=True)
    ap.add_argument("--silos", type=int, default=None)
    args = ap.parse_args()

    compose = yaml.safe_load(open(os.path.join(args.root, args.file)))
    services = compose["services"]
    silo_names = sorted(n for n, s in services.items() if (s.get("build") or {}).get("dockerfile") == SILO_DOCKERFILE)
    demo_names = [n for n, s in services.items() if (s.get("build") or {}).get("dockerfile") == DEMO_DOCKERFILE]
    if not silo_names:
        fail(f"{args.file}: no service builds {SILO_DOCKERFILE}")
    if len(demo_names) != 1:
        fail(f"{args.file}: expected one service building {DEMO_DOCKERFILE}, found {demo_names}")
    count = args.silos if args.silos is not None else len(silo_names)
    if not 1 <= count <= len(silo_names):
        fail(f"--silos {count}: {args.file} has {len(silo_names)} silo services ({', '.join(silo_names)})")
    running = silo_names[:count]
    app = os.path.join(args.image, "app")
    base_env = image_env(args.root)

    # Static agreement the engine would otherwise reveal at run time.
    for name in silo_names:
        svc = services[name]
        env = {**base_env, **environment_of(svc)}
        volumes = svc.get("volumes") or []
        if not any(str(v).endswith(":" + env.get("ACTORS__DATADIRECTORY", "")) for v in volumes):
            fail(f"{name}: no volume mounted at its data directory {env.get('ACTORS__DATADIRECTORY')}")
        published = {str(p).rsplit(":", 1)[-1] for p in svc.get("ports") or []}
        if env.get("ACTORS__GATEWAYPORT") not in published:
            fail(f"{name}: the gateway port {env.get('ACTORS__GATEWAYPORT')} is not published ({sorted(published)})")
        if (svc.get("healthcheck") or {}).get("test") != ["CMD", "bash", "/app/healthcheck.sh"]:
            fail(f"{name}: the health check is not the image's /app/healthcheck.sh")
        if env.get("ACTORS__DASHBOARDBINDADDRESS", "127.0.0.1") != "127.0.0.1":
            say(f"note: {name} opens the dashboard beyond loopback (ACTORS__DASHBOARDBINDADDRESS)")

    work = args.work
    postgres = None
    pg_service = next((n for n, s in services.items() if str(s.get("image", "")).startswith("postgres")), None)
    silos = []
    try:
        if pg_service:
            pg_env = environment_of(services[pg_service])
            postgres = Postgres(work, pg_env["POSTGRES_USER"], pg_env["POSTGRES_PASSWORD"], pg_env.get("POSTGRES_DB", pg_env["POSTGRES_USER"]))
            postgres.start()
            say(f"PostgreSQL 15 on 127.0.0.1:{postgres.port}: user {postgres.user}, database {postgres.database}, password checked (scram-sha-256)")

        ports = {}
        for name in running:
            env = {**base_env, **environment_of(services[name])}
            gateway = free_port()
            ports[name] = {"gateway": gateway, "http": free_port()}
            remapped = {
                "ACTORS__BINDADDRESS": "127.0.0.1", "ACTORS__ADVERTISEDADDRESS": "127.0.0.1",
                "ACTORS__SILOPORT": str(free_port()), "ACTORS__GATEWAYPORT": str(gateway),
                "ACTORS__HTTPBINDADDRESS": "127.0.0.1", "ACTORS__HTTPPORT": str(ports[name]["http"]),
                "ACTORS__DASHBOARDPORT": str(free_port()),
                "ACTORS__DATADIRECTORY": os.path.join(work, name, "data"),
            }
            for key, value in list(env.items()):
                if value.startswith("/app/") or value == "/app":
                    env[key] = app + value[len("/app"):]
                if key.endswith("CONNECTIONSTRING") and value:
                    parts = connection_parts(value)
                    if not pg_service or parts.get("host") != pg_service or parts.get("port", "5432") != "5432":
                        fail(f"{name}: {key} names {parts.get('host')}:{parts.get('port')}, not the postgres service on 5432")
                    if (parts.get("username"), parts.get("password"), parts.get("database")) != (postgres.user, postgres.password, postgres.database):
                        fail(f"{name}: {key}'s user, password or database differ from the {pg_service} service's")
                    env[key] = with_host(value, "127.0.0.1", postgres.port)
            env.update(remapped)
            if count == 1 and env.pop("ACTORS__REPLICATIONCONNECTIONSTRING", None):
                say(f"{name}: ACTORS__REPLICATIONCONNECTIONSTRING left out: one silo has no one to replicate to")
            elif "ACTORS__REPLICATIONCONNECTIONSTRING" in env and int(env.get("ACTORS__REPLICATIONFACTOR", "3")) > count:
                env["ACTORS__REPLICATIONFACTOR"] = str(count)
            silos.append(Silo(name, env, work, app))

        for silo in silos:
            silo.start()
            shown = " ".join(f"{k}={v}" for k, v in sorted(silo.env.items()) if k.startswith("ACTORS__") and "CONNECTIONSTRING" not in k)
            say(f"{silo.name}: pid {silo.process.pid}: {shown}")

        healthcheck = os.path.join(app, "healthcheck.sh")
        deadline = time.monotonic() + START_LIMIT
        waiting = list(silos)
        while waiting:
            for silo in list(waiting):
                if silo.process.poll() is not None:
                    fail(f"{silo.name} exited with code {silo.process.returncode} before it was healthy:\n{silo.tail()}")
                ok, line = silo.healthy(healthcheck)
                if ok:
                    say(f"{silo.name}: healthy: {line[:160]}")
                    waiting.remove(silo)
            if waiting and time.monotonic() > deadline:
                fail(f"{', '.join(s.name for s in waiting)} not healthy within {START_LIMIT} s:\n{waiting[0].tail()}")
            time.sleep(0.5)

        if postgres:
            cluster = silos[0].env.get("ACTORS__CLUSTERID", "actors")
            rows, active = [], []
            deadline = time.monotonic() + 60
            while True:
                rows = postgres.psql(f"SELECT SiloName, Status FROM OrleansMembershipTable WHERE DeploymentId = '{cluster}' ORDER BY SiloName").split()
                active = [r.split("|")[0] for r in rows if r.endswith("|3")]
                if sorted(active) == sorted(s.env.get("ACTORS__SILONAME", s.name) for s in silos) or time.monotonic() > deadline:
                    break
                time.sleep(0.5)
            if sorted(active) != sorted(s.env.get("ACTORS__SILONAME", s.name) for s in silos):
                fail(f"Orleans's membership table in cluster '{cluster}' should list every silo Active (3): {rows}")
            say(f"Orleans's membership table (cluster '{cluster}'): {', '.join(rows)} (3 = Active)")

        for silo in silos:
            http = ports[silo.name]["http"]
            path = silo.env.get("ACTORS__DASHBOARDPATH", "/dashboard")
            try:
                urllib.request.urlopen(f"http://127.0.0.1:{http}{path}/", timeout=10)
                fail(f"{silo.name}: the dashboard answered on the health port {http}; it must only answer on its own listener")
            except urllib.error.HTTPError as e:
                if e.code != 404:
                    fail(f"{silo.name}: the dashboard path on the health port answered {e.code}, expected 404")
            metrics = urllib.request.urlopen(f"http://127.0.0.1:{http}/metrics", timeout=10).read().decode()
            if not re.search(r"(?m)^dotnet_", metrics):
                fail(f"{silo.name}: /metrics has no .NET runtime metrics (dotnet_*)")
        say("dashboard not served on the health ports (404); /metrics carries .NET runtime metrics")

        # The demo service.
        demo_name = demo_names[0]
        demo = services[demo_name]
        demo_env = environment_of(demo)
        gateways = []
        for entry in demo_env.get("ACTORS_DEMO_GATEWAYS", "").split(","):
            host, _, port = entry.strip().rpartition(":")
            if host not in silo_names:
                fail(f"{demo_name}: gateway {entry} names no silo service")
            svc_env = {**base_env, **environment_of(services[host])}
            if port != svc_env.get("ACTORS__GATEWAYPORT"):
                fail(f"{demo_name}: gateway {entry}: {host}'s gateway listens on {svc_env.get('ACTORS__GATEWAYPORT')}")
            if host in ports:
                gateways.append(f"127.0.0.1:{ports[host]['gateway']}")
        if not gateways:
            fail(f"{demo_name}: no gateway of a running silo")
        demo_env["ACTORS_DEMO_GATEWAYS"] = ",".join(gateways)
        command = demo.get("command") or []
        if isinstance(command, str):
            command = shlex.split(command)
        base = {k: v for k, v in os.environ.items() if k in ("PATH", "HOME", "DOTNET_ROOT", "LANG", "TMPDIR")}
        say(f"{demo_name}: ACTORS_DEMO_GATEWAYS={demo_env['ACTORS_DEMO_GATEWAYS']} {' '.join(command)}")
        result = subprocess.run(["dotnet", os.path.join(args.demo, "Actors.Orleans.ClientDemo.dll"), *command],
                                env={**base, **demo_env}, capture_output=True, text=True, timeout=600)
        output = result.stdout + result.stderr
        print(output, flush=True)
        verdict = next((l for l in output.splitlines() if l.startswith("VERDICT:")), "no VERDICT line")
        if result.returncode != 0 or not verdict.startswith("VERDICT: PASS"):
            fail(f"{demo_name} exited with {result.returncode}: {verdict}")

        for silo in silos:
            silo.process.send_signal(signal.SIGTERM)
        for silo in silos:
            try:
                code = silo.process.wait(timeout=60)
            except subprocess.TimeoutExpired:
                fail(f"{silo.name} did not stop within 60 s of SIGTERM")
            if code != 0:
                fail(f"{silo.name} exited with {code} after SIGTERM:\n{silo.tail()}")
        say(f"every silo stopped gracefully on SIGTERM (exit code 0)")
        say(f"PASS: {args.file} with {count} of {len(silo_names)} silo(s) ({', '.join(running)}) as processes: {verdict}")
    except LoopbackError as e:
        fail(str(e))
    finally:
        for silo in silos:
            if silo.process and silo.process.poll() is None:
                os.killpg(silo.process.pid, signal.SIGKILL)
                silo.process.wait()
        if postgres:
            postgres.stop()


if __name__ == "__main__":
    main()
