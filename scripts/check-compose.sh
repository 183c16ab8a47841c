#!/usr/bin/env bash
# Checks the compose topology of the Orleans silo without a container engine.
#   scripts/check-compose.sh [--file docker-compose.yml] [--silos N] [--keep]
#   1. lints both compose files: `docker compose config -q` when the engine's compose plugin is there, else Debian's
#      docker-compose 1.29 (`apt-get install docker-compose`) on a copy without the top-level `name` (the one key of
#      the current Compose specification it predates); the k8s manifests with scripts/check-k8s.sh;
#   2. builds the images' contents as the Dockerfiles' build stages do, each from a copy of exactly what its COPY
#      instructions take: silo/Actors.Orleans.Silo published to IMAGE/app and the demo grains to IMAGE/app/grains
#      (silo/Dockerfile), the demo client without silo/ (client-demo/Dockerfile: no silo, plain .NET runtime);
#   3. runs the file's topology as processes on loopback (scripts/lib/compose_processes.py): PostgreSQL 15 with the
#      postgres service's user, password and database, the first N silo services with the environment their containers
#      get (ports, addresses and paths remapped), their health checks, Orleans's membership table, the demo service
#      with its command against their gateways (VERDICT: PASS), a graceful stop.
# --silos defaults to 1 (a one-silo run leaves ACTORS__REPLICATIONCONNECTIONSTRING out); --silos 3 runs the file's three
# silos on the partitioned log. Needs root (runuser for PostgreSQL), PostgreSQL 15 binaries
# (/usr/lib/postgresql/15/bin, apt-get install postgresql-15) and python3 with PyYAML. Takes minutes: three Release
# publishes (about 10 minutes on a loaded 2-core machine), then about a minute of run.
set -euo pipefail
cd "$(dirname "$0")/.."
root=$(pwd)
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1

file=docker-compose.yml
silos=1
keep=
while [ $# -gt 0 ]; do
  case "$1" in
    --file) file=$2; shift 2 ;;
    --silos) silos=$2; shift 2 ;;
    --keep) keep=1; shift ;;
    *) echo "usage: scripts/check-compose.sh [--file docker-compose.yml] [--silos N] [--keep]" >&2; exit 2 ;;
  esac
done
say() { echo "check-compose: $*"; }
fail() { echo "check-compose: FAIL: $*" >&2; exit 1; }

work=$(mktemp -d /tmp/check-compose.XXXXXX)
chmod 755 "$work"
cleanup() { if [ -z "$keep" ]; then rm -rf "$work"; else say "kept $work"; fi; }
trap cleanup EXIT

# ---- 1. lint ------------------------------------------------------------------------------------------------------
for f in docker-compose.yml docker-compose.single.yml; do
  if docker compose version >/dev/null 2>&1; then
    docker compose -f "$f" config -q || fail "$f: docker compose config rejects it"
    say "$f: docker compose config -q: valid"
  elif command -v docker-compose >/dev/null 2>&1; then
    grep -v '^name:' "$f" > "$work/lint.yml"
    docker-compose -f "$work/lint.yml" --project-directory . config -q || fail "$f: docker-compose config rejects it"
    say "$f: docker-compose $(docker-compose version --short) config -q (without the top-level name): valid"
  else
    fail "neither 'docker compose' nor docker-compose is installed (apt-get install docker-compose)"
  fi
done
bash scripts/check-k8s.sh

# ---- 2. the images' contents ----------------------------------------------------------------------------------------
# Each Dockerfile's build context: exactly the files its COPY instructions (those without --from) take from the
# repository, bin/ and obj/ left out as .dockerignore does; then its publish commands' projects, published there.
stage() {  # stage DOCKERFILE DIR
  mkdir -p "$2"
  python3 - "$1" <<'PY' | while IFS= read -r source; do
import shlex, sys
for line in open(sys.argv[1]).read().replace("\\\n", " ").splitlines():
    if line.startswith("COPY ") and "--from" not in line:
        for source in shlex.split(line[5:])[:-1]:
            print(source.rstrip("/"))
PY
    [ -e "$source" ] || fail "$1 copies $source, which does not exist"
    tar --exclude='bin' --exclude='obj' -cf - "$source" | tar -xf - -C "$2"
  done
}
publish() {  # publish DIR PROJECT OUT [options]
  local dir=$1 project=$2 out=$3; shift 3
  (cd "$dir" && dotnet publish "$project" -c Release -o "$out" -v q -nologo "$@") >> "$work/publish.log" 2>&1 \
    || { tail -30 "$work/publish.log"; fail "publishing $project from the context of its Dockerfile"; }
}
say "publishing the silo and the demo grains from silo/Dockerfile's context, the demo from client-demo/Dockerfile's (Release)"
stage silo/Dockerfile "$work/silo-context"
publish "$work/silo-context" silo/Actors.Orleans.Silo/Actors.Orleans.Silo.csproj "$work/image/app" --no-self-contained
publish "$work/silo-context" client-demo/Actors.Orleans.Demo.Grains/Actors.Orleans.Demo.Grains.csproj "$work/image/app/grains"
stage client-demo/Dockerfile "$work/demo-context"
publish "$work/demo-context" client-demo/Actors.Orleans.ClientDemo/Actors.Orleans.ClientDemo.csproj "$work/demo" --no-self-contained
[ ! -e "$work/demo/Actors.Orleans.Silo.dll" ] || fail "the demo image would carry the silo (client-demo/Dockerfile copies silo/?)"
grep -q '"Microsoft.AspNetCore.App"' "$work/demo/Actors.Orleans.ClientDemo.runtimeconfig.json" \
  && fail "the demo needs ASP.NET Core: it would not run on the plain runtime image client-demo/Dockerfile uses"
say "silo image: $(ls "$work/image/app/grains" | grep -c '\.dll$') assemblies in app/grains; demo: no silo, plain .NET runtime"
chmod -R a+rX "$work"

# ---- 3. the topology as processes -----------------------------------------------------------------------------------
python3 scripts/lib/compose_processes.py --root "$root" --file "$file" --image "$work/image" --demo "$work/demo" --work "$work" --silos "$silos"
