#!/usr/bin/env bash
# Checks docker-compose.yml (the three-silo cluster) without a Docker engine, by running its topology as processes:
#   1. static agreement: every silo has its own name and named volume at the data directory, the same cluster id and
#      cluster secret, cluster mode on, a connection string naming the postgres service with its user, password and
#      database, the silo port EXPOSEd by silo/Dockerfile; the demo lists every silo's gateway with the gateway secret;
#   2. the topology as processes, one network namespace per compose service joined by a bridge (like compose's
#      network), each with the service's host name (UTS namespace) and an /etc/hosts resolving the service names:
#      PostgreSQL 15 with the compose service's user, password and database; the published silo three times with
#      EXACTLY its compose environment (image ENV overlaid by compose's environment), except the data directory, which
#      is a directory per silo instead of the /data volume; the demo with its compose environment. Checks: every silo
#      passes the compose health check; the cluster table lists three Active silos at <hostname>:11111 and every
#      partition owned, spread over the three; the demo's workload over the three gateways verifies; `docker compose
#      stop silo-2` (SIGTERM) hands its partitions off and exits 0 within stop_grace_period; its restart on its volume
#      rejoins and takes partitions again; the demo verifies again; SIGTERM stops every silo with exit 0.
# Needs root (ip netns, unshare), python3 with PyYAML, PostgreSQL 15 binaries (/usr/lib/postgresql/15/bin) and psql.
set -euo pipefail
cd "$(dirname "$0")/.."
root=$(pwd)
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1
compose_file=${COMPOSE_FILE_CLUSTER:-docker-compose.yml}
pg_bin=/usr/lib/postgresql/15/bin

fail() { echo "check-compose-cluster: FAIL: $*" >&2; exit 1; }
say() { echo "check-compose-cluster: $*"; }
[ "$(id -u)" = 0 ] || fail "needs root (network namespaces)"
[ -x "$pg_bin/initdb" ] || fail "PostgreSQL 15 is not installed ($pg_bin); apt-get install postgresql-15"

work=$(mktemp -d)
chmod 755 "$work"
tag="ac$$"
namespaces=()
pids=()
cleanup() {
  for pid in "${pids[@]}"; do kill -KILL "$pid" 2>/dev/null || true; done
  if [ -f "$work/pg/data/postmaster.pid" ]; then
    ip netns exec "$tag-postgres" runuser -u postgres -- "$pg_bin/pg_ctl" -D "$work/pg/data" -m immediate -w stop >/dev/null 2>&1 || true
  fi
  for ns in "${namespaces[@]}"; do ip netns del "$ns" 2>/dev/null || true; rm -rf "/etc/netns/$ns"; done
  rm -rf "$work"
}
trap cleanup EXIT
trap "exit 143" INT TERM

# ---- 1. static agreement -----------------------------------------------------------------------------------------
python3 - "$root" "$work" "$compose_file" <<'PY'
import os, re, shlex, sys, yaml
root, work, compose_file = sys.argv[1:4]
sys.path.insert(0, os.path.join(root, "scripts", "lib"))
from compose_support import BASE_IMAGE_ENV, RuntimeStage, dockerfile_lines, env_of
compose = yaml.safe_load(open(os.path.join(root, compose_file)))
errors = []
def check(ok, msg):
    if not ok: errors.append(msg)

# The silo image's runtime ENV and EXPOSE (the last stage of silo/Dockerfile).
runtime = RuntimeStage(dockerfile_lines(root))
image_env, expose, base_env = runtime.env, runtime.expose, BASE_IMAGE_ENV

services = compose["services"]
silos = sorted(n for n, s in services.items() if s.get("build", {}).get("dockerfile") == "silo/Dockerfile")
check(len(silos) == 3, f"expected three silo services, found {silos}")
pg = services.get("postgres", {})
pg_env = env_of(pg)
check(str(pg.get("image", "")).startswith("postgres:15"), f"postgres service image {pg.get('image')} is not postgres:15")
effective = {}
for name in silos:
    s = services[name]
    env = {**base_env, **image_env, **env_of(s)}
    effective[name] = env
    check(s.get("hostname") == name, f"{name}: hostname must be the service name (peers reach it by it), is {s.get('hostname')}")
    check(env.get("ACTORS__CLUSTER__ENABLED") == "true", f"{name}: ACTORS__CLUSTER__ENABLED must be true")
    data = env.get("ACTORS__DATADIRECTORY", "")
    mounts = [v.split(":") for v in s.get("volumes", [])]
    check(any(m[1] == data and m[0] in (compose.get("volumes") or {}) for m in mounts), f"{name}: needs a named volume at {data}")
    check(s.get("depends_on", {}).get("postgres", {}).get("condition") == "service_healthy", f"{name}: must wait for postgres to be healthy")
    cs = dict(p.split("=", 1) for p in env.get("ACTORS__CLUSTER__CONNECTIONSTRING", "").split(";") if "=" in p)
    check(cs.get("Host") == "postgres", f"{name}: the connection string must name the postgres service, names {cs.get('Host')}")
    check(cs.get("Username") == pg_env.get("POSTGRES_USER") and cs.get("Password") == pg_env.get("POSTGRES_PASSWORD")
          and cs.get("Database") == pg_env.get("POSTGRES_DB"), f"{name}: connection string user/password/database differ from the postgres service's")
    check(env.get("ACTORS__CLUSTER__PORT") in expose, f"{name}: silo port {env.get('ACTORS__CLUSTER__PORT')} is not EXPOSEd by silo/Dockerfile ({sorted(expose)})")
    check(env.get("ACTORS__CLUSTER__BINDADDRESS") == "0.0.0.0" and env.get("ACTORS__GATEWAY__BINDADDRESS") == "0.0.0.0",
          f"{name}: silo and gateway must bind 0.0.0.0 (peers and clients connect over the network)")
    check(any(v[1] == data for v in mounts) and len({m[0] for m in mounts}) == len(mounts), f"{name}: volume list {mounts}")
names = [effective[n].get("ACTORS__SILONAME") for n in silos]
check(len(set(names)) == len(names) and None not in names, f"silo names must be unique: {names}")
vols = [services[n]["volumes"][0].split(":")[0] for n in silos]
check(len(set(vols)) == len(vols), f"each silo needs its own volume: {vols}")
for key in ("ACTORS__CLUSTER__CLUSTERID", "ACTORS__CLUSTER__SECRET", "ACTORS__GATEWAY__SECRET", "ACTORS__CLUSTER__CONNECTIONSTRING"):
    check(len({effective[n].get(key) for n in silos}) == 1, f"{key} differs between silos")
demo = services["demo"]
denv = env_of(demo)
gateways = sorted(v for k, v in denv.items() if k.startswith("ACTORS__CLIENT__GATEWAYS__"))
check(gateways == sorted(f"{n}:{effective[n]['ACTORS__GATEWAY__PORT']}" for n in silos), f"demo gateways {gateways} are not every silo's gateway")
check(denv.get("ACTORS__CLIENT__SECRET") == effective[silos[0]].get("ACTORS__GATEWAY__SECRET"), "demo secret differs from the silos' gateway secret")
check(all(demo.get("depends_on", {}).get(n, {}).get("condition") == "service_healthy" for n in silos), "demo must wait for every silo to be healthy")
if errors:
    print("\n".join("check-compose-cluster: FAIL: " + e for e in errors), file=sys.stderr)
    sys.exit(1)
grace = {n: str(services[n].get("stop_grace_period", "10s")).rstrip("s") for n in silos}
with open(os.path.join(work, "facts"), "w") as f:
    f.write(f"silos={shlex.quote(' '.join(silos))}\n")
    f.write(f"pg_user={shlex.quote(pg_env['POSTGRES_USER'])}\npg_password={shlex.quote(pg_env['POSTGRES_PASSWORD'])}\npg_db={shlex.quote(pg_env['POSTGRES_DB'])}\n")
    f.write(f"cluster_id={shlex.quote(effective[silos[0]]['ACTORS__CLUSTER__CLUSTERID'])}\n")
    f.write(f"silo_port={shlex.quote(effective[silos[0]]['ACTORS__CLUSTER__PORT'])}\n")
    f.write(f"gateway_port={shlex.quote(effective[silos[0]]['ACTORS__GATEWAY__PORT'])}\n")
    f.write(f"grace={shlex.quote(grace[silos[-1]])}\n")
for n in silos:
    with open(os.path.join(work, f"{n}.env"), "w") as f:
        for k, v in effective[n].items():
            if k == "ACTORS__DATADIRECTORY":
                v = os.path.join(work, f"{n}-data")   # the one override: a directory per silo instead of the /data volume
            f.write(f"{k}={v}\n")
with open(os.path.join(work, "demo.env"), "w") as f:
    for k, v in denv.items():
        f.write(f"{k}={v}\n")
print("check-compose-cluster: static checks passed: silos " + ", ".join(silos) + f"; cluster '{effective[silos[0]]['ACTORS__CLUSTER__CLUSTERID']}'; demo gateways " + ", ".join(gateways))
PY
# shellcheck disable=SC1090
. "$work/facts"
read -r -a silo_list <<< "$silos"

# ---- 2. the topology as processes -------------------------------------------------------------------------------
say "publishing the silo and the demo (Release, as the Dockerfiles do)"
dotnet publish silo/Actors.Silo/Actors.Silo.csproj -c Release -o "$work/app" > "$work/publish-silo.log" 2>&1 || { cat "$work/publish-silo.log"; fail "silo publish failed"; }
dotnet publish client-demo/Actors.ClientDemo/Actors.ClientDemo.csproj -c Release -o "$work/demo" > "$work/publish-demo.log" 2>&1 || { cat "$work/publish-demo.log"; fail "demo publish failed"; }
chmod -R a+rX "$work/app" "$work/demo"

# The network: a hub namespace with a bridge; one namespace per service with eth0 on the bridge and its own /etc/hosts.
services_all=(postgres "${silo_list[@]}" demo)
ip netns add "$tag-hub"; namespaces+=("$tag-hub")
ip netns exec "$tag-hub" ip link add br0 type bridge
ip netns exec "$tag-hub" ip link set br0 up
hosts="127.0.0.1 localhost"$'\n'
i=10
for svc in "${services_all[@]}"; do
  hosts+="10.77.0.$i $svc"$'\n'
  i=$((i + 1))
done
i=10
for svc in "${services_all[@]}"; do
  ns="$tag-$svc"
  ip netns add "$ns"; namespaces+=("$ns")
  mkdir -p "/etc/netns/$ns"
  printf '%s' "$hosts" > "/etc/netns/$ns/hosts"
  ip netns exec "$tag-hub" ip link add "v$i" type veth peer name eth0 netns "$ns"
  ip netns exec "$tag-hub" ip link set "v$i" master br0 up
  ip netns exec "$ns" ip addr add "10.77.0.$i/24" dev eth0
  ip netns exec "$ns" ip link set eth0 up
  ip netns exec "$ns" ip link set lo up
  i=$((i + 1))
done
in_ns() { local svc=$1; shift; ip netns exec "$tag-$svc" unshare --uts sh -c 'hostname "$0"; exec "$@"' "$svc" "$@"; }

# PostgreSQL as the postgres service: its user (superuser), password (scram) and database, listening on the network.
mkdir -p "$work/pg"; chown postgres "$work/pg"
printf '%s\n' "$pg_password" > "$work/pg/pw"; chown postgres "$work/pg/pw"
runuser -u postgres -- "$pg_bin/initdb" -D "$work/pg/data" -U "$pg_user" --pwfile="$work/pg/pw" --auth-local=trust --auth-host=scram-sha-256 --no-sync > "$work/pg/initdb.log" 2>&1 \
  || { cat "$work/pg/initdb.log"; fail "initdb failed"; }
echo "host all all 10.77.0.0/24 scram-sha-256" >> "$work/pg/data/pg_hba.conf"
ip netns exec "$tag-postgres" runuser -u postgres -- "$pg_bin/pg_ctl" -D "$work/pg/data" -l "$work/pg/log" -w -t 120 \
  -o "-p 5432 -k $work/pg -c listen_addresses=*" start > /dev/null || { cat "$work/pg/log"; fail "PostgreSQL did not start"; }
ip netns exec "$tag-postgres" runuser -u postgres -- "$pg_bin/createdb" -h "$work/pg" -U "$pg_user" "$pg_db"
psql_table() { ip netns exec "$tag-demo" env PGPASSWORD="$pg_password" psql -h postgres -U "$pg_user" -d "$pg_db" -At -F ' ' -c "$1"; }
say "postgres: 10.77.0.10:5432, user $pg_user, database $pg_db ($(psql_table 'select version()' | cut -d, -f1))"

declare -A silo_pid
start_silo() {
  local svc=$1
  mkdir -p "$work/$svc-data"
  mapfile -t envs < "$work/$svc.env"
  # A simple command in the background (not the in_ns function, which would run in a subshell), so $! is the process
  # that becomes the silo through exec: SIGTERM reaches the silo itself, as docker's stop signal does.
  # shellcheck disable=SC2016
  ip netns exec "$tag-$svc" unshare --uts sh -c 'hostname "$0"; cd "$1"; shift; exec "$@"' "$svc" "$work/app" \
    env -i "PATH=$(dirname "$(readlink -f "$(command -v dotnet)")"):/usr/bin:/bin" "HOME=/tmp" "${envs[@]}" dotnet "$work/app/Actors.Silo.dll" >> "$work/$svc.log" 2>&1 &
  silo_pid[$svc]=$!
  pids+=("$!")
}
health() { local svc=$1; mapfile -t envs < "$work/$svc.env"; in_ns "$svc" env -i "PATH=/usr/bin:/bin" "${envs[@]}" bash "$work/app/healthcheck.sh"; }
wait_healthy() {
  local svc=$1
  for _ in $(seq 1 240); do
    if health "$svc" > "$work/$svc.health" 2>&1; then return 0; fi
    kill -0 "${silo_pid[$svc]}" 2>/dev/null || { tail -30 "$work/$svc.log"; fail "$svc exited before it became healthy"; }
    sleep 0.5
  done
  tail -30 "$work/$svc.log"; fail "$svc never passed the compose health check: $(cat "$work/$svc.health")"
}
wait_table() {
  local what=$1 query=$2 expected=$3
  for _ in $(seq 1 240); do
    [ "$(psql_table "$query" 2>/dev/null)" = "$expected" ] && return 0
    sleep 0.5
  done
  fail "$what: '$query' gave '$(psql_table "$query")', expected '$expected'"
}
run_demo() {
  mapfile -t envs < "$work/demo.env"
  in_ns demo env -i "PATH=$(dirname "$(readlink -f "$(command -v dotnet)")"):/usr/bin:/bin" "HOME=/tmp" "${envs[@]}" \
    dotnet "$work/demo/Actors.ClientDemo.dll" --duration 3 > "$work/demo-$1.log" 2>&1 || { cat "$work/demo-$1.log"; fail "the demo failed ($1)"; }
  say "demo ($1): $(grep -E 'acknowledged|PASS|verified' "$work/demo-$1.log" | tail -1)"
}

for svc in "${silo_list[@]}"; do start_silo "$svc"; done
for svc in "${silo_list[@]}"; do wait_healthy "$svc"; done
say "three silos healthy by the compose health check: $(for s in "${silo_list[@]}"; do head -c 120 "$work/$s.health"; echo; done | tr '\n' ' ')"
silos_q="select string_agg(name || '@' || silo_endpoint || '/' || coalesce(gateway_endpoint, '-') || ':' || status, ' ' order by name) from actors_silos where cluster_id = '$cluster_id' and status = 1"
expected_silos=$(for s in "${silo_list[@]}"; do printf '%s@%s:%s/%s:%s:1 ' "$s" "$s" "$silo_port" "$s" "$gateway_port"; done)
wait_table "three Active silos at their host names" "$silos_q" "${expected_silos% }"
spread_q="select count(distinct owner) || ' ' || count(*) filter (where owner is null or state <> 0) from actors_partitions where cluster_id = '$cluster_id'"
wait_table "every partition owned, spread over the three silos" "$spread_q" "3 0"
say "cluster table: $(psql_table "select sum(n) || ' partitions: ' || string_agg(owner || '=' || n, ', ') from (select owner, count(*) n from actors_partitions where cluster_id = '$cluster_id' group by owner order by owner) t")"

run_demo "three silos"

# docker compose stop silo-2: SIGTERM, then the stop grace period.
last=${silo_list[-1]}
kill -TERM "${silo_pid[$last]}"
for _ in $(seq 1 $((grace * 2))); do kill -0 "${silo_pid[$last]}" 2>/dev/null || break; sleep 0.5; done
kill -0 "${silo_pid[$last]}" 2>/dev/null && fail "$last did not stop within stop_grace_period ${grace}s"
wait "${silo_pid[$last]}" && code=0 || code=$?
[ "$code" = 0 ] || { tail -30 "$work/$last.log"; fail "$last exited with $code after SIGTERM"; }
wait_table "$last Left with no partitions" "select (select status from actors_silos where cluster_id = '$cluster_id' and name = '$last') || ' ' || (select count(*) from actors_partitions where cluster_id = '$cluster_id' and owner = '$last')" "3 0"
say "stop $last: exit 0, handed its partitions off, row Left ($(grep -c 'handed\|hand-off\|Handed' "$work/$last.log" || true) hand-off log lines)"

start_silo "$last"
wait_healthy "$last"
wait_table "every partition owned, spread over the three silos again" "$spread_q" "3 0"
say "restart $last on its volume: rejoined, owns $(psql_table "select count(*) from actors_partitions where cluster_id = '$cluster_id' and owner = '$last'") partitions again"
run_demo "after a stop and restart"

for svc in "${silo_list[@]}"; do kill -TERM "${silo_pid[$svc]}"; done
for svc in "${silo_list[@]}"; do
  wait "${silo_pid[$svc]}" && code=0 || code=$?
  [ "$code" = 0 ] || { tail -30 "$work/$svc.log"; fail "$svc exited with $code after SIGTERM"; }
done
say "PASS: $compose_file as processes: postgres + ${silo_list[*]} (compose environment, own host names and network) + demo twice; graceful stop hands partitions off; restart rejoins; clean SIGTERM exits"
