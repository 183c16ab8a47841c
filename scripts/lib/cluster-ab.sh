# Shared by issue 13's side-by-side scripts (scripts/cluster-spin-ab.sh, scripts/entry-sync-ceiling.sh); source it.
# cluster_ab_run BENCH RESULTS SECONDS VARIANT [NAME=VALUE...]: one run of issue 13's comparison (BENCH, a
# scripts/cluster-bench.sh, with --phases durable --rounds 2 --callers 256 --replication-factor 3: its own PostgreSQL and
# silos) with the NAME=VALUE pairs in its environment; appends "VARIANT one-silo three-silos" (second-round calls/s) to
# RESULTS and prints the rates, the ratio, the CPU lines and the fsync counters (the replicas' syncs and the silos' journal fsyncs). Exits the script when a run printed no rates.
cluster_ab_run() {
  local bench="$1" results="$2" seconds="$3" variant="$4" log one three
  shift 4
  log="$(mktemp)"
  env "$@" bash "${bench}" --phases durable --rounds 2 --seconds "${seconds}" --callers 256 --replication-factor 3 >"${log}" 2>&1
  one="$(grep -A3 'measuring r2-one' "${log}" | sed -n 's/.*durable deposits, 1 silo: \([0-9,]*\) calls.*/\1/p' | tr -d ,)"
  three="$(grep -A3 'measuring r2-three' "${log}" | sed -n 's/.*each caller on its owner.s gateway: \([0-9,]*\) calls.*/\1/p' | tr -d ,)"
  if [[ -z "${one}" || -z "${three}" ]]; then
    echo "$(basename "$0"): run ${variant} printed no second-round rates; its output:" >&2
    cat "${log}" >&2
    exit 1
  fi
  echo "${variant} ${one} ${three}" >>"${results}"
  echo "${variant}: 1 silo ${one}, 3 silos ${three} calls/s = $(python3 -c "print(f'{${three}/${one}:.0%}')"); $(uptime | sed 's/.*load/load/')"
  grep -A1 -E 'measuring r2-' "${log}" | grep 'CPU ms' | sed 's/^ */    /'
  grep -E 'per grain write: fsyncs|journal fsyncs' "${log}" | sed 's/^ */    /' || true
  rm -f "${log}"
}
