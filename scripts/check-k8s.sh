#!/usr/bin/env bash
# Checks deploy/k8s/ without a Kubernetes cluster (static agreement between the manifests and the silo program):
# the StatefulSet's headless service (clusterIP None, not-ready addresses published), selectors of the services and the
# disruption budget matching the pod labels, container ports equal to the configured silo/gateway/health ports, the
# readiness probe on the health path and port, the volume claim mounted at the data directory, every ACTORS__CLUSTER__
# variable an existing ClusterOptions setting, every secret key present in secret.example.yaml, the advertised host
# under the headless service, the pod user the image's, and a termination grace period longer than the silo's own
# shutdown grace period. The cluster itself runs as processes in scripts/check-compose-cluster.sh (same program, same
# variables). Needs python3 with PyYAML.
set -euo pipefail
cd "$(dirname "$0")/.."
python3 - <<'PY'
import re, sys, yaml
docs = {}
for path in ("deploy/k8s/silo.yaml", "deploy/k8s/postgres.yaml", "deploy/k8s/secret.example.yaml"):
    for doc in yaml.safe_load_all(open(path)):
        if doc:
            docs[(doc["kind"], doc["metadata"]["name"])] = doc
errors = []
def check(ok, msg):
    if not ok: errors.append(msg)

sts = docs[("StatefulSet", "actors-silo")]
spec, pod = sts["spec"], sts["spec"]["template"]["spec"]
labels = sts["spec"]["template"]["metadata"]["labels"]
check(spec["selector"]["matchLabels"].items() <= labels.items(), "StatefulSet selector does not match its pod labels")
headless = docs.get(("Service", spec["serviceName"]))
check(headless is not None and headless["spec"].get("clusterIP") == "None", f"serviceName {spec['serviceName']} must be a headless service")
check(headless is not None and headless["spec"].get("publishNotReadyAddresses") is True, "the headless service must publish not-ready addresses (peers reach a joining silo)")
for kind, name in docs:
    if kind in ("Service", "PodDisruptionBudget") and name.startswith("actors-") and name != "actors-postgres":
        selector = docs[(kind, name)]["spec"]["selector"]
        selector = selector.get("matchLabels", selector)
        check(selector.items() <= labels.items(), f"{kind} {name} selector {selector} does not select the silo pods")
pdb = docs[("PodDisruptionBudget", "actors-silo")]
check(pdb["spec"].get("maxUnavailable") == 1, "the disruption budget should allow one silo down at a time")

container = pod["containers"][0]
env = {e["name"]: e for e in container["env"]}
value = lambda k: env[k].get("value")
ports = {p["name"]: p["containerPort"] for p in container["ports"]}
check(str(ports.get("gateway")) == value("ACTORS__GATEWAY__PORT"), "container port 'gateway' differs from ACTORS__GATEWAY__PORT")
check(str(ports.get("silo")) == value("ACTORS__CLUSTER__PORT"), "container port 'silo' differs from ACTORS__CLUSTER__PORT")
check(str(ports.get("http")) == value("ACTORS__HEALTH__PORT"), "container port 'http' differs from ACTORS__HEALTH__PORT")
for port in headless["spec"]["ports"]:
    check(port["targetPort"] in ports, f"headless service port {port} targets no container port")
for probe in ("readinessProbe", "startupProbe"):
    get = container.get(probe, {}).get("httpGet", {})
    check(get.get("path") == "/health" and get.get("port") == "http", f"{probe} must GET /health on the http port")
check("livenessProbe" not in container or container["livenessProbe"]["httpGet"]["path"] == "/health", "liveness probe path")
check(value("ACTORS__CLUSTER__ENABLED") == "true", "cluster mode must be on")
check(value("ACTORS__CLUSTER__BINDADDRESS") == "0.0.0.0" and value("ACTORS__GATEWAY__BINDADDRESS") == "0.0.0.0", "silo and gateway must bind 0.0.0.0")
check(value("ACTORS__SILONAME") == "$(POD_NAME)", "the silo name must be the pod name (it stays with the pod's volume)")
check(f".{spec['serviceName']}." in (value("ACTORS__CLUSTER__ADVERTISEDHOST") or ""), "the advertised host must be the pod's name under the headless service")
# Every ACTORS__CLUSTER__X is a ClusterOptions property (or the program's Enabled/ConnectionString switches).
options = set(re.findall(r"public\s+[\w.<>?]+\s+(\w+)\s*\{\s*get;\s*set;", open("src/Actors.Cluster/Options/ClusterOptions.cs").read()))
for name in env:
    if name.startswith("ACTORS__CLUSTER__"):
        setting = name[len("ACTORS__CLUSTER__"):]
        check(setting in {o.upper() for o in options} | {"ENABLED", "CONNECTIONSTRING"}, f"{name} is not a ClusterOptions setting ({sorted(options)})")
secret = docs[("Secret", "actors")]["stringData"]
for e in container["env"]:
    ref = e.get("valueFrom", {}).get("secretKeyRef")
    if ref:
        check(ref["name"] == "actors" and ref["key"] in secret, f"{e['name']}: secret key {ref} is not in secret.example.yaml")
mounts = {m["name"]: m["mountPath"] for m in container["volumeMounts"]}
claims = [c["metadata"]["name"] for c in spec["volumeClaimTemplates"]]
check(any(mounts.get(c) == value("ACTORS__DATADIRECTORY") for c in claims), "a volume claim template must be mounted at ACTORS__DATADIRECTORY")
dockerfile = open("silo/Dockerfile").read()
check(pod["securityContext"]["runAsUser"] == 1654, "the pod user must be the image's APP_UID (1654)")
check(all(str(p) in dockerfile for p in ports.values()), f"silo/Dockerfile must EXPOSE {sorted(ports.values())}")
grace = int(re.search(r"DefaultShutdownGracePeriodSeconds = (\d+)", open("src/Actors.Runtime/Options/SiloOptions.cs").read()).group(1))
check(pod["terminationGracePeriodSeconds"] > grace, f"terminationGracePeriodSeconds must exceed the silo's shutdown grace period ({grace} s)")
cs = dict(p.split("=", 1) for p in secret["cluster-connection-string"].split(";"))
pg = docs[("StatefulSet", "actors-postgres")]["spec"]["template"]["spec"]["containers"][0]
pg_env = {e["name"]: e.get("value") for e in pg["env"]}
check(("Service", cs["Host"]) in docs, f"the connection string's host {cs['Host']} is not a service")
check(cs["Username"] == pg_env["POSTGRES_USER"] and cs["Database"] == pg_env["POSTGRES_DB"] and cs["Password"] == secret["postgres-password"],
      "the connection string's user, database or password differ from postgres.yaml's")
if errors:
    print("\n".join("check-k8s: FAIL: " + e for e in errors), file=sys.stderr)
    sys.exit(1)
print(f"check-k8s: PASS: StatefulSet {sts['metadata']['name']} x{spec['replicas']} behind headless {spec['serviceName']}, ports {ports}, "
      f"probes on /health, volume at {value('ACTORS__DATADIRECTORY')}, grace {pod['terminationGracePeriodSeconds']} s > {grace} s, PDB maxUnavailable 1")
PY
