"""What the compose checks (scripts/check-compose.sh, scripts/check-compose-cluster.sh) share: docker compose's
variable interpolation, a service's environment, and the silo image's runtime stage as silo/Dockerfile declares it."""
import json, os, re, shlex

# The ENV the aspnet base image sets before silo/Dockerfile's own.
BASE_IMAGE_ENV = {"ASPNETCORE_HTTP_PORTS": "8080", "DOTNET_RUNNING_IN_CONTAINER": "true", "APP_UID": "1654"}


def interpolate(value):
    """${VAR:-default} / ${VAR} as docker compose substitutes them, from the current environment."""
    def sub(m):
        name, default = m.group(1), m.group(3)
        return os.environ.get(name) or (default if default is not None else "")
    return re.sub(r"\$\{([A-Za-z_][A-Za-z0-9_]*)(:-([^}]*))?\}", sub, str(value))


def env_of(service):
    """A compose service's environment (list or mapping form), interpolated."""
    env = service.get("environment", {})
    if isinstance(env, list):
        env = dict(e.split("=", 1) for e in env)
    return {k: interpolate(v) for k, v in env.items()}


def dockerfile_lines(root, path="silo/Dockerfile"):
    """The Dockerfile's instructions, one per line (continuations joined)."""
    return open(os.path.join(root, path)).read().replace("\\\n", " ").splitlines()


class RuntimeStage:
    """The last stage of a Dockerfile: its base image, ENV, EXPOSEd ports, VOLUMEs, HEALTHCHECK, ENTRYPOINT and USER."""

    def __init__(self, lines):
        froms = [i for i, l in enumerate(lines) if l.upper().startswith("FROM ")]
        self.lines = lines[froms[-1]:]
        self.base = self.lines[0].split()[1]
        self.env, self.expose, self.volumes = {}, set(), []
        self.healthcheck = self.entrypoint = self.user = None
        for line in self.lines:
            word, _, rest = line.strip().partition(" ")
            word = word.upper()
            if word == "ENV":
                for token in shlex.split(rest):
                    k, _, v = token.partition("=")
                    self.env[k] = v
            elif word == "EXPOSE":
                self.expose |= {p.split("/")[0] for p in rest.split()}
            elif word == "VOLUME":
                self.volumes += json.loads(rest) if rest.strip().startswith("[") else rest.split()
            elif word == "HEALTHCHECK":
                self.healthcheck = json.loads(rest[rest.index("CMD") + 3:].strip())
            elif word == "ENTRYPOINT":
                self.entrypoint = json.loads(rest)
            elif word == "USER":
                self.user = rest.strip()
