#!/usr/bin/env Rscript
# Regenerates the golden fixtures that the Java engine is compared against (to 1e-6 relative).
# Run from the repository root:  Rscript meta-analysis/src/test/r/generate-fixtures.R
# Needs: apt-get install r-cran-metafor r-cran-jsonlite. The tests read the committed JSON; they never run R.
suppressPackageStartupMessages({ library(metafor); library(jsonlite) })

out_dir <- "meta-analysis/src/test/resources/metafor"
dir.create(out_dir, showWarnings = FALSE, recursive = TRUE)

num <- function(x) if (is.null(x) || length(x) == 0 || is.na(x)) NULL else unname(as.numeric(x))

pooled <- function(fit) list(
  estimate = num(fit$beta[1]), se = num(fit$se), ciLower = num(fit$ci.lb), ciUpper = num(fit$ci.ub),
  z = num(fit$zval), p = num(fit$pval))

fixture <- function(name, yi, vi, level = 95, note = "") {
  fe <- rma(yi, vi, method = "FE", level = level)
  dl <- rma(yi, vi, method = "DL", level = level)
  k <- length(yi)
  het <- list(q = num(dl$QE), df = k - 1, tau2 = num(dl$tau2))
  if (k > 1) {
    het$pValue <- num(dl$QEp); het$iSquared <- num(dl$I2); het$hSquared <- num(dl$H2)
  }
  doc <- list(
    name = name, note = note, metafor = as.character(packageVersion("metafor")), level = level / 100,
    studies = lapply(seq_len(k), function(i) list(id = paste0("s", i), yi = yi[i], vi = vi[i])),
    fixed = pooled(fe), random = pooled(dl), heterogeneity = het,
    weightsFixed = I(unname(as.numeric(weights(fe)))), weightsRandom = I(unname(as.numeric(weights(dl)))))
  write(toJSON(doc, auto_unbox = TRUE, digits = NA, pretty = TRUE, null = "null"),
        file.path(out_dir, paste0(name, ".json")))
}

bcg <- escalc(measure = "RR", ai = tpos, bi = tneg, ci = cpos, di = cneg, data = dat.bcg)
fixture("bcg-log-rr", as.numeric(bcg$yi), as.numeric(bcg$vi), note = "dat.bcg, log risk ratios (Colditz 1994)")
fixture("bcg-log-rr-90", as.numeric(bcg$yi), as.numeric(bcg$vi), level = 90, note = "dat.bcg at a 90% level")

norm <- escalc(measure = "MD", m1i = m1i, sd1i = sd1i, n1i = n1i, m2i = m2i, sd2i = sd2i, n2i = n2i, data = dat.normand1999)
fixture("normand1999-md", as.numeric(norm$yi), as.numeric(norm$vi), note = "dat.normand1999, mean differences")

# The two seed studies with a CI or a two-sided p: Shien 2025 (HR 0.86, 90% CI 0.69-1.07), Zou 2025 (HR 0.48, p = 0.003).
shien_se <- (log(1.07) - log(0.69)) / (2 * qnorm(0.95))
zou_se <- abs(log(0.48)) / qnorm(1 - 0.003 / 2)
fixture("seed-two-studies", c(log(0.86), log(0.48)), c(shien_se^2, zou_se^2), note = "k = 2, heterogeneous")
fixture("single-study", log(0.86), shien_se^2, note = "k = 1: no heterogeneity")
fixture("identical-studies", rep(log(0.7), 4), rep(0.04, 4), note = "identical estimates and variances: Q = 0, tau2 = 0")
fixture("homogeneous-tau2-zero", c(-0.2, -0.25, -0.18, -0.22), c(0.02, 0.03, 0.025, 0.04), note = "Q < df: DL truncates tau2 at 0")
fixture("extreme-weights", c(0.1, -0.5, 0.3, 2.0), c(1e-6, 0.5, 2, 10), note = "one study dominates the weights")
