# Sourced by the timing scripts: refuse_when_loaded NAME exits 1 when the 1-minute load average is 1.5 or more (a
# timing taken then is noise), unless FORCE=1. Prints the load it saw either way.
refuse_when_loaded() {
  local name="$1" load
  load="$(cut -d' ' -f1 /proc/loadavg)"
  if [[ "${FORCE:-0}" != 1 ]] && awk -v l="${load}" 'BEGIN { exit !(l >= 1.5) }'; then
    echo "${name}: load average ${load} >= 1.5: figures would be noise (FORCE=1 to run anyway)" >&2
    exit 1
  fi
  echo "${name}: load average ${load} at the start" >&2
}
