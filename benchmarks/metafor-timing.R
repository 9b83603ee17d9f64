#!/usr/bin/env Rscript
# Times metafor on the same analyses as FullAnalysisBenchmark: rma(REML, test = "knha"), predict() and confint()
# on the deterministic studies of SyntheticStudies.java. Prints microseconds per analysis for each k.
suppressPackageStartupMessages(library(metafor))
studies <- function(k) { i <- seq_len(k); list(yi = -0.3 + 0.4 * sin(i), vi = 0.02 + 0.1 * (i %% 7) / 7) }
analysis <- function(d) {
  fit <- rma(d$yi, d$vi, method = "REML", test = "knha")
  list(predict(fit), confint(fit), fit$tau2)
}
for (k in c(10, 100, 1000)) {
  d <- studies(k)
  for (w in 1:3) analysis(d)                      # warm-up
  reps <- if (k >= 1000) 3 else 100
  elapsed <- system.time(for (r in seq_len(reps)) analysis(d))[["elapsed"]]
  fit <- rma(d$yi, d$vi, method = "REML", test = "knha")
  cat(sprintf("metafor k=%d: %.1f us per analysis (%d reps); tau2=%.10f estimate=%.10f\n",
              k, elapsed / reps * 1e6, reps, fit$tau2, fit$beta[1]))
}
