"""Processes on loopback for the scripts that run the Orleans topology without a container engine.

  * Postgres: PostgreSQL 15 in a temporary directory on a free loopback port, with a login role, its password
    (scram-sha-256 over TCP) and a database (what the postgres image does with POSTGRES_USER/PASSWORD/DB);
  * Silo: `dotnet Actors.Orleans.Silo.dll` with a given environment, its output appended to a log file, in its own
    session (so a signal reaches it alone), started again on the same environment after a kill or a stop;
  * free_port, http_ok.
Used by compose_processes.py (scripts/check-compose.sh) and cluster_campaign.py (scripts/cluster-kill-campaign.sh).
Errors raise LoopbackError naming what failed.
"""
import os, signal, socket, subprocess, urllib.error, urllib.request

PG_BIN = "/usr/lib/postgresql/15/bin"
PASSED_ENV = ("PATH", "HOME", "DOTNET_ROOT", "LANG", "TMPDIR")


class LoopbackError(Exception):
    pass


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def http_ok(url, timeout=5):
    """True when url answers 200."""
    try:
        with urllib.request.urlopen(url, timeout=timeout) as response:
            return response.status == 200
    except (urllib.error.URLError, OSError):
        return False


class Postgres:
    def __init__(self, work, user, password, database):
        self.dir = os.path.join(work, "postgres")
        self.port = free_port()
        self.user, self.password, self.database = user, password, database
        os.makedirs(self.dir)
        subprocess.run(["chown", "postgres", self.dir], check=True)

    def run(self, *args):
        r = subprocess.run(["runuser", "-u", "postgres", "--", *args], capture_output=True, text=True)
        if r.returncode != 0:
            raise LoopbackError(f"{' '.join(args[:1])} exited with {r.returncode}: {r.stderr.strip() or r.stdout.strip()}")
        return r

    def start(self):
        data = os.path.join(self.dir, "data")
        self.run(f"{PG_BIN}/initdb", "-D", data, "-U", "postgres", "--auth-local=trust", "--auth-host=scram-sha-256", "--no-sync")
        self.run(f"{PG_BIN}/pg_ctl", "-D", data, "-l", os.path.join(self.dir, "log"), "-w", "-o",
                 f"-p {self.port} -k {self.dir} -c listen_addresses=127.0.0.1", "start")
        self.psql(f"CREATE ROLE \"{self.user}\" LOGIN PASSWORD '{self.password}'", database="postgres", user="postgres")
        self.psql(f"CREATE DATABASE \"{self.database}\" OWNER \"{self.user}\"", database="postgres", user="postgres")

    def connection_string(self):
        return f"Host=127.0.0.1;Port={self.port};Username={self.user};Password={self.password};Database={self.database}"

    def psql(self, sql, database=None, user=None):
        return self.run("psql", "-h", self.dir, "-p", str(self.port), "-U", user or self.user,
                        "-d", database or self.database, "-At", "-v", "ON_ERROR_STOP=1", "-c", sql).stdout

    def stop(self):
        subprocess.run(["runuser", "-u", "postgres", "--", f"{PG_BIN}/pg_ctl", "-D", os.path.join(self.dir, "data"), "-m", "fast", "stop"],
                       capture_output=True)


class Silo:
    def __init__(self, name, env, work, app):
        self.name, self.env = name, env
        self.dir = os.path.join(work, name)
        os.makedirs(self.dir, exist_ok=True)
        self.log = os.path.join(self.dir, "silo.log")
        self.app = app
        self.process = None
        self.starts = 0

    def start(self):
        base = {k: v for k, v in os.environ.items() if k in PASSED_ENV}
        self.starts += 1
        with open(self.log, "a") as log:
            log.write(f"---- start {self.starts}\n")
        self.process = subprocess.Popen(["dotnet", os.path.join(self.app, "Actors.Orleans.Silo.dll")], cwd=self.dir,
                                        env={**base, **self.env}, stdout=open(self.log, "a"), stderr=subprocess.STDOUT,
                                        start_new_session=True)

    @property
    def pid(self):
        return self.process.pid

    def running(self):
        return self.process is not None and self.process.poll() is None

    def signal(self, sig):
        os.kill(self.process.pid, sig)

    def kill(self):
        """SIGKILL (it also ends a stopped process) and reap; no-op when it is not running."""
        if self.running():
            os.killpg(self.process.pid, signal.SIGKILL)
            self.process.wait()

    def tail(self, lines=25):
        return "".join(open(self.log, errors="replace").readlines()[-lines:])

    def healthy(self, healthcheck):
        """The compose health check: the image's healthcheck.sh with the silo's environment."""
        base = {k: v for k, v in os.environ.items() if k in ("PATH", "HOME")}
        r = subprocess.run(["bash", healthcheck], env={**base, **self.env}, capture_output=True, text=True, timeout=10)
        return r.returncode == 0, r.stdout.strip()
