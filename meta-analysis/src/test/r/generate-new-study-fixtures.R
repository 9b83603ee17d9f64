#!/usr/bin/env Rscript
# Golden values for the new-study threshold (Sutton et al. 2007; Langan et al. 2012), found independently of the
# engine: metafor refits the model with one more study, and uniroot finds the standard error at which its p-value
# crosses alpha. Run from the repository root:  Rscript meta-analysis/src/test/r/generate-new-study-fixtures.R
suppressPackageStartupMessages({ library(metafor); library(jsonlite) })
out <- "meta-analysis/src/test/resources/metafor/new-study-threshold.json"

bcg <- escalc(measure = "RR", ai = tpos, bi = tneg, ci = cpos, di = cneg, data = dat.bcg)
datasets <- list(
  bcg = list(yi = as.numeric(bcg$yi), vi = as.numeric(bcg$vi)),
  # the seed abstracts' two overall-survival hazard ratios (Shien 2025 with its 90% CI, Zou 2025 from p = 0.003)
  seeds = list(yi = c(log(0.86), log(0.48)),
               vi = c(((log(1.07) - log(0.69)) / (2 * qnorm(0.95)))^2, (abs(log(0.48)) / qnorm(1 - 0.003 / 2))^2)),
  # five small trials whose fixed-effect result is significant and random-effects result is not
  small = list(yi = c(-0.45, -0.10, -0.62, 0.05, -0.30), vi = c(0.04, 0.05, 0.09, 0.03, 0.06)))
models <- list(list(name = "FE", method = "FE", test = "z"), list(name = "DL", method = "DL", test = "z"),
               list(name = "REML", method = "REML", test = "z"), list(name = "DL-HKSJ", method = "DL", test = "knha"),
               list(name = "PM", method = "PM", test = "z"))
fit <- function(yi, vi, m) rma(yi, vi, method = m$method, test = m$test, control = list(threshold = 1e-12, tol = 1e-12, maxiter = 10000))

cases <- list()
for (d in names(datasets)) for (m in models) {
  y <- datasets[[d]]$yi; v <- datasets[[d]]$vi
  for (alpha in c(0.05, 0.10)) {
    if (m$test == "knha" && length(y) < 2) next
    now <- fit(y, v, m)
    significant <- now$pval < alpha
    effect <- if (significant) 0 else as.numeric(coef(now))
    changes <- function(se) (fit(c(y, effect), c(v, se^2), m)$pval < alpha) != significant
    # every grid SE from the smallest up changes the conclusion until the first that does not
    grid <- exp(seq(log(min(sqrt(v), now$se) / 1e4), log(max(sqrt(v)) * 1e3), length.out = 64))
    hits <- vapply(grid, changes, logical(1))
    first.not <- which(!hits)[1]
    threshold <- NA
    anyStandardError <- all(hits)
    someStandardErrors <- !is.na(first.not) && first.not == 1 && any(hits)
    if (!is.na(first.not) && first.not > 1) {
      i <- first.not - 1
      g <- function(logse) fit(c(y, effect), c(v, exp(2 * logse)), m)$pval - alpha
      threshold <- exp(uniroot(g, c(log(grid[i]), log(grid[i + 1])), tol = 1e-12)$root)
    }
    cases[[length(cases) + 1]] <- list(dataset = d, model = m$name, alpha = alpha, yi = y, vi = v,
      significant = significant, effect = effect, maxStandardError = threshold,
      anyStandardError = anyStandardError, someStandardErrors = someStandardErrors)
  }
}
write(toJSON(list(metafor = as.character(packageVersion("metafor")), cases = cases), auto_unbox = TRUE, digits = NA,
             pretty = TRUE, na = "null"), out)
cat("wrote", length(cases), "cases to", out, "\n")
