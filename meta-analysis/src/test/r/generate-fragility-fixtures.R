#!/usr/bin/env Rscript
# Golden values for the meta-analytic fragility index (Atal et al. 2019), computed with metafor rather than the engine:
# escalc (0.5 added to tables with a zero cell, double-zero trials dropped) and rma refit after every candidate change.
# Atal et al.'s directions: "up" moves are one more event in the intervention arm or one fewer in the comparator arm,
# "down" moves the opposite. A significant result is pushed towards the null (up when its estimate is below it); a
# non-significant one is pushed each way and the smaller count kept. At each step the move that brings the interval's
# limit on the far side closest to the other side of the null is kept, as Atal et al.'s code (iatal/fragility_ma) and
# Lin's frag.ma do: pushing up, the largest upper limit (significant start) or lower limit (not significant); pushing
# down, the smallest lower or upper limit. Candidates: the comparator arm trial by trial, then the intervention arm; the
# first of equals kept (Lin's order; Atal's code breaks ties the same way).
# Run from the repository root:  Rscript meta-analysis/src/test/r/generate-fragility-fixtures.R
suppressPackageStartupMessages({ library(metafor); library(jsonlite) })
out <- "meta-analysis/src/test/resources/metafor/fragility.json"

datasets <- list(
  # fictitious trials of the RevMan worked example (docs/examples/revman), one with a zero cell
  worked = data.frame(e1 = c(12, 30, 0, 60), n1 = c(100, 250, 40, 400), e2 = c(30, 41, 3, 58), n2 = c(100, 248, 41, 398)),
  # five moderate trials with a clear effect
  clear = data.frame(e1 = c(15, 22, 9, 31, 12), n1 = c(120, 150, 80, 200, 95), e2 = c(28, 35, 18, 45, 20), n2 = c(118, 152, 79, 205, 97)),
  # three small trials, not significant
  small = data.frame(e1 = c(4, 7, 3), n1 = c(30, 35, 25), e2 = c(7, 9, 5), n2 = c(31, 34, 26)),
  # a trial without events in either arm, which drops out of a ratio until a change gives it one
  zeros = data.frame(e1 = c(0, 10, 6), n1 = c(30, 90, 60), e2 = c(0, 21, 14), n2 = c(31, 92, 61)))
models <- list(list(name = "FE", method = "FE", test = "z"), list(name = "DL", method = "DL", test = "z"),
               list(name = "REML", method = "REML", test = "z"), list(name = "DL-HKSJ", method = "DL", test = "knha"))

pooled <- function(d, measure, m) {
  es <- escalc(measure, ai = d$e1, n1i = d$n1, ci = d$e2, n2i = d$n2, add = 1/2, to = "only0", drop00 = measure != "RD")
  es <- es[!is.na(es$yi), ]
  if (nrow(es) == 0) return(NULL)
  if (m$test == "knha" && nrow(es) < 2) return(rma(yi, vi, data = es, method = "FE"))
  suppressWarnings(rma(yi, vi, data = es, method = m$method, test = m$test,
                       control = list(threshold = 1e-12, tol = 1e-12, maxiter = 10000)))
}

search <- function(d, measure, m, alpha, significant, up, max.steps) {
  for (step in seq_len(max.steps)) {
    best <- NA; best.d <- NULL
    for (change in if (up) list(c(0, -1), c(1, 0)) else list(c(0, 1), c(-1, 0))) for (i in seq_len(nrow(d))) {
      cand <- d
      cand$e1[i] <- cand$e1[i] + change[1]; cand$e2[i] <- cand$e2[i] + change[2]
      if (cand$e1[i] < 0 || cand$e1[i] > cand$n1[i] || cand$e2[i] < 0 || cand$e2[i] > cand$n2[i]) next
      fit <- pooled(cand, measure, m)
      limit <- if (is.null(fit)) NA else if (significant == up) fit$ci.ub else fit$ci.lb
      if (!is.na(limit) && (is.na(best) || (if (up) limit > best else limit < best))) { best <- limit; best.d <- cand }
    }
    if (is.na(best)) return(NA)
    d <- best.d
    if ((pooled(d, measure, m)$pval < alpha) != significant) return(step)
  }
  NA
}

fragility <- function(d, measure, m, alpha, max.steps = 60) {
  now <- pooled(d, measure, m)
  significant <- now$pval < alpha
  if (significant) return(list(index = search(d, measure, m, alpha, TRUE, coef(now) < 0, max.steps), significant = TRUE))
  up <- search(d, measure, m, alpha, FALSE, TRUE, max.steps)
  down <- search(d, measure, m, alpha, FALSE, FALSE, max.steps)
  list(index = suppressWarnings(min(c(up, down), na.rm = TRUE)) |> (\(x) if (is.infinite(x)) NA else x)(), significant = FALSE)
}

cases <- list()
for (name in names(datasets)) for (measure in c("RR", "OR", "RD")) for (m in models) {
  d <- datasets[[name]]
  f <- fragility(d, measure, m, 0.05)
  cases[[length(cases) + 1]] <- list(dataset = name, measure = measure, model = m$name, alpha = 0.05,
    eventsIntervention = d$e1, totalIntervention = d$n1, eventsComparator = d$e2, totalComparator = d$n2,
    significant = f$significant, index = f$index)
}
write(toJSON(list(metafor = as.character(packageVersion("metafor")), cases = cases), auto_unbox = TRUE, digits = NA,
             pretty = TRUE, na = "null"), out)
cat("wrote", length(cases), "cases to", out, "\n")
