#!/usr/bin/env bash
# Checks docker-compose.single.yml (one silo) and silo/Dockerfile without a Docker engine:
#   1. static agreement: the data directory is the volume, the configured ports are exposed and published, the
#      compose health check is the image's, the demo points at the silo's gateway with the same secret;
#   2. the Dockerfile's build stages replayed (their COPY sets, the restore on project files alone, the publish), then the published silo started with EXACTLY the environment the container gets
#      (the image's ENV, overlaid by the compose service's environment), as the image's non-root user (uid 1654),
#      from /app with /data as its data directory, in a private network namespace: the compose health check command
#      must succeed, the gateway must accept the compose secret and reject another, a second silo with the same
#      environment must refuse the locked data directory, SIGTERM must stop the first cleanly.
# Needs python3 with PyYAML; step 2 needs root (unshare, setpriv). Creates /app and /data if absent and removes them.
set -euo pipefail
cd "$(dirname "$0")/.."
root=$(pwd)
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1

fail() { echo "check-compose: FAIL: $*" >&2; exit 1; }
# The gateway protocol version the Hello probe speaks: the one this build's codec speaks.
protocol_version=$(grep -oP 'const ushort ProtocolVersion = \K[0-9]+' src/Actors.Core/Wire/GatewayFrameCodec.cs) \
  || { echo "check-compose: FAIL: no ProtocolVersion in src/Actors.Core/Wire/GatewayFrameCodec.cs" >&2; exit 1; }
say() { echo "check-compose: $*"; }

work=$(mktemp -d)
created=()
cleanup() {
  if [ -n "${silo_pid:-}" ] && kill -0 "$silo_pid" 2>/dev/null; then kill -KILL "$silo_pid" 2>/dev/null || true; fi
  for d in "${created[@]}"; do rm -rf "$d"; done
  rm -rf "$work"
}
trap cleanup EXIT

# ---- 1. static agreement ---------------------------------------------------------------------------------------
python3 - "$root" "$work" <<'PY'
import os, re, shlex, sys, json, yaml
root, work = sys.argv[1], sys.argv[2]
sys.path.insert(0, os.path.join(root, "scripts", "lib"))
from compose_support import BASE_IMAGE_ENV, RuntimeStage, dockerfile_lines, env_of
compose = yaml.safe_load(open(os.path.join(root, "docker-compose.single.yml")))
errors = []
def check(ok, msg):
    if not ok: errors.append(msg)

# The Dockerfile: its build stages (replayed below as a shell script) and the runtime stage.
lines = dockerfile_lines(root)
froms = [i for i, l in enumerate(lines) if l.upper().startswith("FROM ")]
runtime = RuntimeStage(lines)
stages, replay, build_run = [], [], None
for start, end in zip(froms[:-1], froms[1:]):
    words = lines[start].split()
    name = words[3] if len(words) >= 4 and words[2].upper() == "AS" else str(len(stages))
    stages.append(name)
    workdir = "/"
    replay.append(f'mkdir -p "$work/stage-{name}"')
    for line in lines[start + 1:end]:
        word, _, rest = line.strip().partition(" ")
        word = word.upper()
        if word == "WORKDIR":
            workdir = rest.strip()
            check(workdir == "/src", f"the staged replay supports WORKDIR /src only: {line}")
        elif word == "COPY" and rest.startswith("--from="):
            source_stage, src, dest = rest.split()
            source_stage = source_stage.split("=", 1)[1]
            check(source_stage in stages and src.rstrip("/") == "/src" and dest.rstrip("/") == ".", f"unsupported COPY --from form: {line}")
            replay.append(f'cp -a "$work/stage-{source_stage}/." "$work/stage-{name}/"')
        elif word == "COPY":
            *sources, dest = rest.split()
            for src in sources:
                src_n, dest_n = src.rstrip("/"), dest.rstrip("/")
                check(dest_n in (".", src_n), f"unsupported COPY form for the staged build: {line}")
                replay.append(f'tar -C "$root" -cf - --exclude=bin --exclude=obj {shlex.quote(src_n)} | tar -C "$work/stage-{name}" -xf -')
        elif word == "RUN":
            replay.append(f'(cd "$work/stage-{name}" && {rest})')
            if "dotnet publish" in rest:
                build_run = rest
image_env, expose, volumes = runtime.env, runtime.expose, runtime.volumes
healthcheck, entrypoint, user, base = runtime.healthcheck, runtime.entrypoint, runtime.user, runtime.base
check(base.startswith("mcr.microsoft.com/dotnet/aspnet:"), f"silo runtime stage should be the aspnet image, is {base}")
check(user is not None, "silo/Dockerfile must switch to a non-root USER")

silo = compose["services"]["silo"]
senv = env_of(silo)
# What the container process sees: the base image's ENV, the Dockerfile's ENV, then compose's environment.
effective = {**BASE_IMAGE_ENV, **image_env, **senv}
data_dir = effective.get("ACTORS__DATADIRECTORY", "")
gw_port = effective.get("ACTORS__GATEWAY__PORT", "")
health_port = effective.get("ACTORS__HEALTH__PORT", "")
check(silo.get("build", {}).get("dockerfile") == "silo/Dockerfile", "compose silo must build silo/Dockerfile")
check(data_dir in volumes, f"ACTORS__DATADIRECTORY={data_dir} is not a VOLUME of silo/Dockerfile ({volumes})")
mounts = [v.split(":") for v in silo.get("volumes", [])]
check(any(m[1] == data_dir and m[0] in (compose.get("volumes") or {}) for m in mounts),
      f"compose silo must mount a named volume at {data_dir}: {silo.get('volumes')}")
for name, port in (("gateway", gw_port), ("health", health_port)):
    check(port in expose, f"{name} port {port} is not EXPOSEd ({sorted(expose)})")
    check(any(p.split(":")[-1] == port for p in silo.get("ports", [])), f"{name} port {port} is not published in compose ports")
check(effective.get("ACTORS__GATEWAY__BINDADDRESS") == "0.0.0.0", "the gateway must bind 0.0.0.0 in a container (the demo connects over the network)")
check(effective.get("ACTORS__HEALTH__BINDADDRESS") in ("0.0.0.0", "127.0.0.1"), "health bind address")
test = silo.get("healthcheck", {}).get("test", [])
check(test[:1] == ["CMD"] and test[1:] == healthcheck, f"compose healthcheck {test} differs from the Dockerfile HEALTHCHECK {healthcheck}")
check(healthcheck[:1] == ["bash"] and healthcheck[1].startswith(os.path.dirname(entrypoint[1]) + "/"),
      f"HEALTHCHECK {healthcheck} must be the bash probe shipped next to the ENTRYPOINT's {entrypoint[1]} (no second .NET process per probe)")
check(os.path.exists(os.path.join(root, "silo/Actors.Silo", os.path.basename(healthcheck[1]))), f"the probe {healthcheck[1]} is not in silo/Actors.Silo")

demo = compose["services"]["demo"]
denv = env_of(demo)
check(demo.get("depends_on", {}).get("silo", {}).get("condition") == "service_healthy", "demo must depend on silo being healthy")
check(denv.get("ACTORS__CLIENT__GATEWAYS__0") == f"silo:{gw_port}", f"demo gateway {denv.get('ACTORS__CLIENT__GATEWAYS__0')} != silo:{gw_port}")
check(denv.get("ACTORS__CLIENT__SECRET") == effective.get("ACTORS__GATEWAY__SECRET"), "demo secret differs from the silo's")
check(os.path.exists(os.path.join(root, demo["build"]["dockerfile"])), "demo Dockerfile missing")

if errors:
    print("\n".join("check-compose: FAIL: " + e for e in errors), file=sys.stderr)
    sys.exit(1)
check(build_run is not None and "-o /app" in build_run, "the build stage must publish to /app")
with open(os.path.join(work, "replay.sh"), "w") as f:
    f.write("set -euo pipefail\n" + "\n".join(replay) + "\n")
with open(os.path.join(work, "silo.env"), "w") as f:
    for k, v in effective.items():
        f.write(f"{k}={v}\n")
with open(os.path.join(work, "facts"), "w") as f:
    facts = {
        "data_dir": data_dir, "gw_port": gw_port, "health_port": health_port,
        "secret": effective.get("ACTORS__GATEWAY__SECRET", ""), "app_dir": os.path.dirname(entrypoint[1]),
        "uid": effective["APP_UID"],
        "healthcheck": " ".join(shlex.quote(a) for a in healthcheck),
        "entrypoint": " ".join(shlex.quote(a) for a in entrypoint),
    }
    for k, v in facts.items():
        f.write(f"{k}={shlex.quote(v)}\n")
print("check-compose: static checks passed: " + ", ".join(f"{k}={v}" for k, v in sorted(senv.items()) if "SECRET" not in k))
PY

# shellcheck disable=SC1091
. "$work/facts"
[ "$(id -u)" = 0 ] || { say "not root: skipping the process check (needs unshare and setpriv)"; exit 0; }

# ---- 2. the published silo with exactly the container environment -------------------------------------------------
for d in "$app_dir" "$data_dir"; do
  if [ -e "$d" ]; then fail "$d already exists on this machine; refusing to use it"; fi
done
# The Dockerfile's build stages, replayed: each stage in its own directory with only what its COPY lines copy (minus
# bin/obj, as .dockerignore), COPY --from between stages, and its RUN commands verbatim (restore on the project files
# alone, then publish to /app), so a missing COPY fails here as it would in docker build.
mkdir -p "$app_dir" "$data_dir"; created+=("$app_dir" "$data_dir")
say "build stages replayed: $(grep -c . "$work/replay.sh") steps, ending with: $(grep 'dotnet publish' "$work/replay.sh")"
(export root work; bash "$work/replay.sh") > "$work/publish.log" 2>&1 \
  || { cat "$work/publish.log"; fail "the Dockerfile's build stages (restore, publish) failed"; }
[ -f "$app_dir/Actors.Silo.dll" ] || fail "the ENTRYPOINT's $app_dir/Actors.Silo.dll is not in the publish output"
chmod -R a+rX "$app_dir"
chown "$uid" "$data_dir"   # as the Dockerfile does

mapfile -t envs < "$work/silo.env"
dotnet_dir=$(dirname "$(readlink -f "$(command -v dotnet)")")
# PATH locates dotnet on this machine (in the image it is on PATH too); HOME as for the image's app user.
run_env=(env -i "PATH=$dotnet_dir:/usr/bin:/bin" "HOME=/tmp" "${envs[@]}")
netns_run() { unshare --net --mount --fork sh -c "ip link set lo up && exec \"\$@\"" sh "$@"; }

say "starting the silo as uid $uid in a private network namespace: $entrypoint"
# One namespace for the silo and every probe: a small supervisor script runs inside it.
cat > "$work/inside.sh" <<EOF
set -u
cd "$app_dir"
setpriv --reuid=$uid --regid=$uid --clear-groups ${run_env[*]@Q} $entrypoint > "$work/silo.log" 2>&1 &
pid=\$!
ok=0
for i in \$(seq 1 120); do
  if setpriv --reuid=$uid --regid=$uid --clear-groups ${run_env[*]@Q} $healthcheck > "$work/health.out" 2>&1; then ok=1; break; fi
  kill -0 \$pid 2>/dev/null || break
  sleep 0.5
done
[ \$ok = 1 ] || { echo "health check never passed"; cat "$work/health.out"; cat "$work/silo.log"; kill -KILL \$pid; exit 1; }
python3 - "$gw_port" "$secret" "$protocol_version" <<'PY' || { kill -KILL \$pid; exit 1; }
import socket, struct, sys
port, secret, version = int(sys.argv[1]), sys.argv[2], int(sys.argv[3])
def hello(s):
    b = s.encode()
    body = struct.pack("<IH", 0x52544341, version) + struct.pack("<I", len(b)) + b
    return struct.pack("<IB", len(body) + 1, 1) + body
def kind_after(s):
    c = socket.create_connection(("127.0.0.1", port), timeout=5)
    c.sendall(hello(s))
    head = c.recv(5)
    c.close()
    return head[4] if len(head) == 5 else None
assert kind_after(secret) == 2, "gateway did not accept the compose secret"
assert kind_after(secret + "-wrong") == 3, "gateway did not reject a wrong secret"
print("check-compose: gateway on port %d accepts the compose secret and rejects another" % port)
PY
[ -f "$data_dir/silo.lock" ] || { echo "no lock file in $data_dir"; kill -KILL \$pid; exit 1; }
[ "\$(stat -c %u "$data_dir/silo.lock")" = "$uid" ] || { echo "lock file not owned by uid $uid"; kill -KILL \$pid; exit 1; }
# A second silo with the same environment (same data directory) must refuse to start, naming the directory.
if timeout 30 setpriv --reuid=$uid --regid=$uid --clear-groups ${run_env[*]@Q} $entrypoint > "$work/second.log" 2>&1; then
  echo "a second silo on $data_dir started"; kill -KILL \$pid; exit 1
fi
grep -q "Actors:DataDirectory '$data_dir' is in use by another silo" "$work/second.log" \
  || { echo "the second silo failed without the data-directory message:"; cat "$work/second.log"; kill -KILL \$pid; exit 1; }
kill -TERM \$pid
wait \$pid
echo "exit=\$?" > "$work/exit"
EOF
netns_run bash "$work/inside.sh" || { cat "$work/silo.log" 2>/dev/null; fail "the silo did not pass the process check"; }

grep -q "Healthy" "$work/health.out" || fail "health output lacks Healthy: $(cat "$work/health.out")"
grep -q "Data directory $data_dir" "$work/health.out" || fail "health does not report data directory $data_dir"
grep -q "0.0.0.0:$gw_port" "$work/health.out" || fail "health does not report the gateway on 0.0.0.0:$gw_port"
grep -q "exit=0" "$work/exit" || fail "the silo exited with $(cat "$work/exit") after SIGTERM"
grep -q "Gateway on 0.0.0.0:$gw_port stopped" "$work/silo.log" || fail "no graceful gateway stop in the log"
say "second silo on $data_dir refused: $(head -c 300 "$work/second.log")"
say "health: $(tr -d '\n ' < "$work/health.out" | cut -c1-200)"
say "silo log (first lines):"; head -n 8 "$work/silo.log" | sed 's/^/  /'
say "PASS: published silo started with exactly the compose environment as uid $uid, healthy at :$health_port$( \
  ) via the compose health check, gateway :$gw_port with the compose secret, data in $data_dir, clean SIGTERM exit"
