#!/usr/bin/env bash
# Runs the JMH benchmark of the engine and times metafor on the same data, in one run.
# Usage: benchmarks/run.sh   (from the repository root; metafor timing needs apt-get install r-cran-metafor)
set -euo pipefail
cd "$(dirname "$0")/.."
./mvnw -q -B -ntp -pl benchmarks -am package -DskipTests
cp="benchmarks/target/classes:$(cat benchmarks/target/runtime.classpath)"
java -cp "$cp" org.openjdk.jmh.Main FullAnalysisBenchmark "$@"
if command -v Rscript > /dev/null; then
  Rscript benchmarks/metafor-timing.R
else
  echo "Rscript not found: skipping the metafor comparison"
fi
