#!/usr/bin/env bash
# The long reminder soak (issue #11): 10,000 reminders in the write-ahead log (SyncPolicy Always) with Orleans's
# minimum period of one minute, each firing 10 times (about 11 minutes), on the system clock. Prints the tick lateness
# (grain receipt minus schedule point) p50 / p99 / max and the load average; fails only if a reminder misses ticks.
# CI runs the same test in its short form (1 s period, 2 ticks).
#
#   scripts/reminder-soak.sh [reminders] [ticks] [period-seconds]      defaults 10000 10 60
#
# Run it on a quiet machine (uptime below 1.5) for figures worth quoting. CONFIGURATION defaults to Release.
set -euo pipefail

root="$(cd "$(dirname "$0")/.." && pwd)"
project="$root/tests/Actors.Persistence.Wal.Tests/Actors.Persistence.Wal.Tests.csproj"
configuration="${CONFIGURATION:-Release}"

echo "reminder soak: ${1:-10000} reminders, ${2:-10} ticks, period ${3:-60} s; load before: $(cat /proc/loadavg)"
dotnet build "$project" -c "$configuration" --nologo -v quiet
ACTORS_REMINDER_SOAK_REMINDERS="${1:-10000}" ACTORS_REMINDER_SOAK_TICKS="${2:-10}" ACTORS_REMINDER_SOAK_PERIOD_SECONDS="${3:-60}" \
  dotnet test "$project" -c "$configuration" --no-build --nologo \
    --filter "FullyQualifiedName~ReminderSoakTests" --logger "console;verbosity=detailed" | grep -E "reminders,|Passed!|Failed!|Error|Assert"
