#!/usr/bin/env bash
# Checks deploy/k8s/ without a Kubernetes cluster.
#   1. `kubectl kustomize deploy/k8s` renders the kustomization offline (YAML well-formed, every resource listed and
#      parsed), when kubectl is installed; `kubectl apply --dry-run` needs an API server, so it is not used;
#   2. static agreement between the manifests, silo/Dockerfile and the silo program (python3 with PyYAML): every
#      ACTORS__ variable an ActorsSiloOptions setting; container ports equal to the image's configured ports; probes on
#      the health path and the http port; the volume at the image's data directory; the headless service publishing
#      not-ready addresses; selectors matching the pod labels; Orleans's Kubernetes hosting given what it needs (POD_NAME,
#      POD_NAMESPACE, POD_IP, the orleans/serviceId and orleans/clusterId labels equal to the configured ids, a service
#      account whose Role grants get/list/watch/patch on pods); every secret key present in secret.example.yaml; the
#      pod user the image's; the replication factor no more than the replicas; the demo Job's gateways the silo pods'.
set -euo pipefail
cd "$(dirname "$0")/.."
if command -v kubectl >/dev/null 2>&1; then
  kubectl kustomize deploy/k8s > /dev/null || { echo "check-k8s: FAIL: kubectl kustomize deploy/k8s" >&2; exit 1; }
  echo "check-k8s: kubectl $(kubectl version --client 2>/dev/null | head -1 | sed 's/Client Version: //') kustomize deploy/k8s: renders"
else
  echo "check-k8s: kubectl not installed: the kustomization is not rendered (static checks only)"
fi
python3 - <<'PY'
import glob, re, shlex, sys, yaml
docs = {}
for path in sorted(p for p in glob.glob("deploy/k8s/*.yaml") if not p.endswith("kustomization.yaml")):
    for doc in yaml.safe_load_all(open(path)):
        if doc:
            for key in ("apiVersion", "kind", "metadata"):
                if key not in doc:
                    sys.exit(f"check-k8s: FAIL: {path}: a document without {key}")
            docs[(doc["kind"], doc["metadata"]["name"])] = doc
errors = []
def check(ok, msg):
    if not ok: errors.append(msg)

# The image's ENV (silo/Dockerfile's last stage) and the program's settings.
stage = re.split(r"(?m)^FROM ", open("silo/Dockerfile").read().replace("\\\n", " "))[-1]
image = {}
for line in stage.splitlines():
    if line.startswith("ENV "):
        image.update(t.split("=", 1) for t in shlex.split(line[4:]))
options = open("silo/Actors.Orleans.Silo/Options/ActorsSiloOptions.cs").read()
settings = {m.upper() for m in re.findall(r"public\s+[\w.<>?]+\s+(\w+)\s*\{\s*get;", options)}
default = lambda name: (re.search(rf"public const int Default{name} = (\d+);", options) or [None, None])[1]

sts = docs[("StatefulSet", "actors-silo")]
spec, pod = sts["spec"], sts["spec"]["template"]["spec"]
labels = sts["spec"]["template"]["metadata"]["labels"]
check(spec["selector"]["matchLabels"].items() <= labels.items(), "StatefulSet selector does not match its pod labels")
headless = docs.get(("Service", spec["serviceName"]))
check(headless is not None and headless["spec"].get("clusterIP") == "None", f"serviceName {spec['serviceName']} must be a headless service")
check(headless is not None and headless["spec"].get("publishNotReadyAddresses") is True, "the headless service must publish not-ready addresses")
for (kind, name), doc in docs.items():
    if kind in ("Service", "PodDisruptionBudget") and name.startswith("actors-") and name != "actors-postgres":
        selector = doc["spec"]["selector"]
        selector = selector.get("matchLabels", selector)
        check(selector.items() <= labels.items(), f"{kind} {name} selector {selector} does not select the silo pods")

container = pod["containers"][0]
env = {e["name"]: e for e in container["env"]}
effective = {**image, **{k: e["value"] for k, e in env.items() if "value" in e}}
for name in env:
    if name.startswith("ACTORS__"):
        check(name[len("ACTORS__"):].split("__")[0] in settings, f"{name} is not an ActorsSiloOptions setting")
ports = {p["name"]: p["containerPort"] for p in container["ports"]}
for port_name, setting in (("silo", "SILOPORT"), ("gateway", "GATEWAYPORT"), ("http", "HTTPPORT")):
    configured = effective.get(f"ACTORS__{setting}") or default(setting.title().replace("port", "Port"))
    check(str(ports.get(port_name)) == str(configured), f"container port '{port_name}' {ports.get(port_name)} differs from ACTORS__{setting} {configured}")
for svc in (headless, docs[("Service", "actors-gateway")]):
    for port in svc["spec"]["ports"]:
        check(port["targetPort"] in ports, f"service {svc['metadata']['name']} port {port} targets no container port")
health = effective.get("ACTORS__HEALTHPATH", "/health")
for probe in ("readinessProbe", "startupProbe"):
    get = container.get(probe, {}).get("httpGet", {})
    check(get.get("path") == health and get.get("port") == "http", f"{probe} must GET {health} on the http port")
check(effective.get("ACTORS__BINDADDRESS") == "0.0.0.0" and effective.get("ACTORS__HTTPBINDADDRESS") == "0.0.0.0", "silo, gateway and http must bind 0.0.0.0 (the image's ENV)")
mounts = {m["name"]: m["mountPath"] for m in container.get("volumeMounts", [])}
claims = {c["metadata"]["name"] for c in spec.get("volumeClaimTemplates", [])}
check(any(mounts.get(c) == effective.get("ACTORS__DATADIRECTORY") for c in claims), f"no volume claim mounted at the data directory {effective.get('ACTORS__DATADIRECTORY')}")
check(pod.get("securityContext", {}).get("runAsUser") == 1654, "the pod must run as the image's user (APP_UID 1654)")
check(pod.get("terminationGracePeriodSeconds", 30) >= 30, "terminationGracePeriodSeconds below 30 s cuts a graceful stop short")

# Orleans's Kubernetes hosting.
if effective.get("ACTORS__KUBERNETESHOSTING") == "true":
    for var, field in (("POD_NAME", "metadata.name"), ("POD_NAMESPACE", "metadata.namespace"), ("POD_IP", "status.podIP")):
        check(env.get(var, {}).get("valueFrom", {}).get("fieldRef", {}).get("fieldPath") == field, f"{var} must come from {field}")
    check(labels.get("orleans/serviceId") == effective.get("ACTORS__SERVICEID", "actors"), "label orleans/serviceId must equal ACTORS__SERVICEID")
    check(labels.get("orleans/clusterId") == effective.get("ACTORS__CLUSTERID", "actors"), "label orleans/clusterId must equal ACTORS__CLUSTERID")
    account = pod.get("serviceAccountName")
    check(("ServiceAccount", account) in docs, f"service account {account} is not defined")
    bindings = [d for (k, _), d in docs.items() if k == "RoleBinding" and any(s.get("name") == account for s in d["subjects"])]
    verbs = set()
    for b in bindings:
        role = docs.get(("Role", b["roleRef"]["name"]), {"rules": []})
        for rule in role["rules"]:
            if "pods" in rule["resources"]:
                verbs |= set(rule["verbs"])
    check({"get", "list", "watch", "patch"} <= verbs, f"the service account's roles grant {sorted(verbs)} on pods; Orleans's Kubernetes hosting needs get, list, watch, patch")

secret = docs[("Secret", "actors")]["stringData"]
for (kind, name), doc in docs.items():
    for match in re.finditer(r"secretKeyRef: \{'name': 'actors', 'key': '([^']+)'\}", str(doc).replace('"', "'")):
        check(match.group(1) in secret, f"{kind} {name} uses secret key {match.group(1)}, absent from secret.example.yaml")
if "ACTORS__REPLICATIONFACTOR" in effective:
    check(int(effective["ACTORS__REPLICATIONFACTOR"]) <= spec["replicas"], "the replication factor exceeds the replicas")
job = docs.get(("Job", "actors-demo"))
if job:
    demo_env = {e["name"]: e.get("value", "") for e in job["spec"]["template"]["spec"]["containers"][0].get("env", [])}
    for gateway in demo_env.get("ACTORS_DEMO_GATEWAYS", "").split(","):
        host, _, port = gateway.rpartition(":")
        check(re.fullmatch(rf"{sts['metadata']['name']}-(\d+)\.{spec['serviceName']}", host) and int(host.split(".")[0].rsplit("-", 1)[1]) < spec["replicas"],
              f"demo gateway {gateway} is not a silo pod under {spec['serviceName']}")
        check(port == str(ports["gateway"]), f"demo gateway {gateway}: the gateway port is {ports['gateway']}")
if errors:
    print("\n".join("check-k8s: FAIL: " + e for e in errors), file=sys.stderr)
    sys.exit(1)
print(f"check-k8s: PASS: {len(docs)} resources; StatefulSet {sts['metadata']['name']} x{spec['replicas']} behind headless {spec['serviceName']}, "
      f"ports {ports}, probes on {health}, volume at {effective.get('ACTORS__DATADIRECTORY')}, Kubernetes hosting {effective.get('ACTORS__KUBERNETESHOSTING')}")
PY
