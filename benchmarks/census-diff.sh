#!/usr/bin/env bash
# Prints what the embedded MongoDB server did between two copies of its command census
# (EVIDENCE_MONGO_CENSUS=<file> EVIDENCE_LOCAL_MONGO=memory ./local-stack; copy the file before and after a load run):
# per database.collection and command, the commands, the documents they carried, the milliseconds spent in them
# (including waits for the collection's lock), and the share of all the server's command time; largest first.
# Usage: benchmarks/census-diff.sh <before> <after> [records]   (records: adds the microseconds per record)
set -euo pipefail
before=$1 after=$2 records=${3:-0}
printf '%-50s %9s %9s %8s %6s %10s\n' command commands documents ms share us/record
awk -v records="$records" '
  /^#/ { next }
  FNR == NR { c[$1" "$2] = $3; d[$1" "$2] = $4; m[$1" "$2] = $5; next }
  { k = $1" "$2; dc = $3 - c[k]; dd = $4 - d[k]; dm = $5 - m[k]
    if (dc > 0) { n++; key[n] = k; cs[n] = dc; ds[n] = dd; ms[n] = dm; total += dm } }
  END {
    for (i = 1; i <= n; i++)
      printf "%-50s %9d %9d %8d %5.1f%% %10s\n", key[i], cs[i], ds[i], ms[i], total ? 100 * ms[i] / total : 0,
        (records > 0 ? sprintf("%.1f", 1000 * ms[i] / records) : "-")
    printf "%-50s %9s %9s %8d %6s %10s\n", "all", "", "", total, "", (records > 0 ? sprintf("%.1f", 1000 * total / records) : "-")
  }' "$before" "$after" | sort -k5,5nr -s
