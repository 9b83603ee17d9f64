#!/usr/bin/env bash
# Drives a running stack and prints figures for docs/performance.md.
# Usage: benchmarks/load.sh <scenario> [--name value ...]   (from the repository root; start ./local-stack first)
set -euo pipefail
cd "$(dirname "$0")/.."
./mvnw -q -B -ntp -pl benchmarks -am install -DskipTests
cp="benchmarks/target/classes:$(cat benchmarks/target/runtime.classpath)"
exec java -Xmx2g -cp "$cp" org.livingevidence.benchmarks.load.LoadDriver "$@"
