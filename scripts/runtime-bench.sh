#!/usr/bin/env bash
# The long form of the runtime-core benchmarks and interleaving tests (issue 18). Run on an idle machine: every figure
# is printed with the load average, and figures taken under load are noise.
#
#   scripts/runtime-bench.sh [all|memory|idle|scale|collect|soak|interleavings]     default: all
#
# Environment: ACTIVATIONS (1000000), SOAK_MINUTES (10), SCALE_ROUNDS (3 alternations of 10k and 1M),
# ACTORS_INTERLEAVING_BOUND (4, for 'interleavings'). Exit code 0 only when every soak had no timeout and no error.
set -euo pipefail

what="${1:-all}"
root="$(cd "$(dirname "$0")/.." && pwd)"
activations="${ACTIVATIONS:-1000000}"
minutes="${SOAK_MINUTES:-10}"
alternations="${SCALE_ROUNDS:-3}"
status=0

dotnet build "$root/tests/Actors.Runtime.Benchmarks/Actors.Runtime.Benchmarks.csproj" -c Release --nologo -v quiet
bench() { dotnet "$root/tests/Actors.Runtime.Benchmarks/bin/Release/net10.0/Actors.Runtime.Benchmarks.dll" "$@"; }
echo "load average at start: $(cut -d' ' -f1-3 /proc/loadavg)"

if [[ "$what" == all || "$what" == memory ]]; then
  bench memory --activations "$activations"
fi

if [[ "$what" == all || "$what" == idle ]]; then
  bench idle --activations "$activations" --seconds 60
  bench idle --activations "$activations" --seconds 60 --metrics 1
fi

if [[ "$what" == all || "$what" == scale ]]; then
  # Separate processes, alternating, so both sizes see the same machine conditions; compare the medians.
  for _ in $(seq "$alternations"); do
    # The summary line ("scale: N activations: median ..."); the program's last line is only "done".
    bench scale --activations 10000 --seconds 10 --rounds 5 | grep -E '\] scale: '
    bench scale --activations "$activations" --seconds 10 --rounds 5 | grep -E '\] scale: '
  done
fi

if [[ "$what" == all || "$what" == collect ]]; then
  bench collect --activations "$activations" --age 60 --settle 60
fi

if [[ "$what" == all || "$what" == soak ]]; then
  bench soak --grains 1000 --inflight 64 --minutes "$minutes" || status=1
  bench soak --grains "$activations" --inflight 64 --minutes "$minutes" --resident "$activations" || status=1
fi

if [[ "$what" == all || "$what" == interleavings ]]; then
  ACTORS_INTERLEAVING_BOUND="${ACTORS_INTERLEAVING_BOUND:-4}" dotnet test "$root/tests/Actors.Runtime.Tests" --nologo \
    --filter "FullyQualifiedName~Actors.Runtime.Tests.Interleaving" --logger "console;verbosity=normal" || status=1
fi

echo "load average at end: $(cut -d' ' -f1-3 /proc/loadavg)"
exit "$status"
