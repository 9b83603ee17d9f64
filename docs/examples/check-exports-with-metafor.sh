#!/usr/bin/env bash
# Checks the R export against metafor for every tau^2 estimator and interval method: on a running stack
# (./local-stack), defines one odds-ratio question per combination (alpha 0.10), imports six trials (one with a zero
# cell), waits for each estimate, posts it back to study-service's export and runs the exported script with R,
# which prints the largest relative difference from the published figures and fails beyond 1e-6.
# Needs R with metafor (apt-get install r-cran-metafor), curl and python3.
#   usage: docs/examples/check-exports-with-metafor.sh [study-service URL] [analysis-service URL]
set -euo pipefail
study="${1:-http://localhost:8081}"
analysis="${2:-http://localhost:8082}"
auth="authorization: Bearer ${EVIDENCE_ADMIN_KEY:-lek_local-admin-key-for-development-only}"
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
trials='studyLabel,form,measure,eventsIntervention,totalIntervention,eventsComparator,totalComparator
A,EVENTS_AND_TOTALS,OR,5,50,12,48
B,EVENTS_AND_TOTALS,OR,20,200,18,190
C,EVENTS_AND_TOTALS,OR,0,30,4,31
D,EVENTS_AND_TOTALS,OR,40,120,60,118
E,EVENTS_AND_TOTALS,OR,7,80,9,75
F,EVENTS_AND_TOTALS,OR,33,300,70,310'
failed=0
for estimator in DL REML ML PM EB SJ HE HS; do
  for interval in WALD HKSJ; do
    question=$(curl -fsS -H "$auth" -H 'content-type: application/json' "$study/api/v1/questions" -d "{\"title\": \"Export check $estimator $interval\",
      \"pico\": {\"population\": \"p\", \"intervention\": \"i\", \"comparator\": \"c\", \"outcome\": \"o\"}, \"effectMeasure\": \"OR\",
      \"benefitDirection\": \"LOWER\", \"settings\": {\"alpha\": 0.1, \"model\": \"RANDOM\", \"tau2Estimator\": \"$estimator\", \"ciMethod\": \"$interval\"}}" \
      | python3 -c 'import json,sys; print(json.load(sys.stdin)["questionId"])')
    printf '%s\n' "$trials" | curl -fsS -o /dev/null -H "$auth" -H 'content-type: text/csv' --data-binary @- "$study/api/v1/questions/$question/outcome-records/import"
    for _ in $(seq 1 100); do
      if curl -fsS -o "$work/estimate.json" "$analysis/api/v1/questions/$question/estimate" 2>/dev/null \
         && python3 -c 'import json,sys; sys.exit(0 if json.load(open(sys.argv[1]))["k"] == 6 else 1)' "$work/estimate.json"; then break; fi
      sleep 0.2
    done
    for file in records.csv metafor.R; do
      curl -fsS -H 'content-type: application/json' --data-binary @"$work/estimate.json" -o "$work/$file" "$study/api/v1/questions/$question/export/$file"
    done
    if result=$(cd "$work" && Rscript metafor.R records.csv 2>&1 | tail -2 | tr '\n' ' '); then
      echo "$estimator $interval: $result"
    else
      echo "$estimator $interval: FAILED $result"; failed=1
    fi
  done
done
exit $failed
