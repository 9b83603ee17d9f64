#!/usr/bin/env bash
# Runs a load scenario (benchmarks/load.sh) against a running ./local-stack and prints the CPU seconds each JVM of
# the stack spent meanwhile: the per-record costs docs/deployment.md sizes deployments from.
# Usage: benchmarks/cpu-share.sh <scenario> [--name value ...]   (from the repository root)
set -euo pipefail
cd "$(dirname "$0")/.."
ticks=$(getconf CLK_TCK)

# "<pid> <main class> <cpu ticks>" for every JVM on this machine.
snapshot() {
  for pid in $(pgrep -x java); do
    main=$(tr '\0' '\n' < "/proc/$pid/cmdline" 2>/dev/null | awk 'after_cp == 1 { after_cp = 2; next } after_cp == 2 && !/^-/ { print; exit } $0 == "-cp" || $0 == "-classpath" { after_cp = 1 }')
    cpu=$(awk '{ print $14 + $15 }' "/proc/$pid/stat" 2>/dev/null) || continue
    echo "$pid ${main:-?} $cpu"
  done
}

./mvnw -q -B -ntp -pl benchmarks -am install -DskipTests
before=$(snapshot)
started=$(date +%s.%N)
benchmarks/load.sh "$@"
ended=$(date +%s.%N)
after=$(snapshot)

echo
printf 'CPU while the scenario ran (%.1f s wall, %s cores):\n' "$(echo "$ended - $started" | bc)" "$(nproc)"
join <(echo "$before" | sort) <(echo "$after" | sort) | awk -v t="$ticks" '
  { cpu = ($5 - $3) / t; total += cpu; printf "  %-60s %8.1f s\n", $2, cpu }
  END { printf "  %-60s %8.1f s\n", "all", total }'
