#!/usr/bin/env bash
# Drives a running stack and prints figures for docs/performance.md.
# Usage: benchmarks/load.sh <scenario> [--name value ...]   (from the repository root; start ./local-stack first)
set -euo pipefail
cd "$(dirname "$0")/.."
./mvnw -q -B -ntp -pl benchmarks -am install -DskipTests
cp="benchmarks/target/classes:$(cat benchmarks/target/runtime.classpath)"
# The driver shares the cores with the stack it measures: C1 only and the serial collector make its own JIT and
# collector take less of them (docs/performance.md, "The load driver's own CPU"). EVIDENCE_DRIVER_JVM_OPTIONS replaces them.
exec java ${EVIDENCE_DRIVER_JVM_OPTIONS:--Xmx2g -XX:TieredStopAtLevel=1 -XX:+UseSerialGC} -cp "$cp" org.livingevidence.benchmarks.load.LoadDriver "$@"
