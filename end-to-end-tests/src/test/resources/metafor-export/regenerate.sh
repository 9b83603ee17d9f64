#!/usr/bin/env bash
# Regenerates the metafor fixture of ReviewInteroperabilityTest: imports the worked RevMan example into a running
# stack (./local-stack), exports analysis 1.2's records and R script, and runs the script with R (Rscript with metafor).
# Tests compare the committed output with the living estimate; they never need R.
#   usage: end-to-end-tests/src/test/resources/metafor-export/regenerate.sh [study-service URL]
set -euo pipefail
cd "$(dirname "$0")"
study="${1:-http://localhost:8081}"
auth="authorization: Bearer ${EVIDENCE_ADMIN_KEY:-lek_local-admin-key-for-development-only}"
question=$(curl -fsS -H "$auth" -H 'content-type: application/xml' \
  --data-binary @../../../../../docs/examples/revman/local-therapy-example.rm5 "$study/api/v1/reviews/import?analysis=1.2" \
  | python3 -c 'import json,sys; print(json.load(sys.stdin)["analyses"][1]["questionId"])')
curl -fsS -o records.csv "$study/api/v1/questions/$question/export/records.csv"
curl -fsS -o metafor.R "$study/api/v1/questions/$question/export/metafor.R"
Rscript metafor.R records.csv > metafor-output.txt
echo "fixture written for $question: records.csv, metafor.R, metafor-output.txt"
