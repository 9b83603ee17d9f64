#!/usr/bin/env Rscript
# Golden random-effects results for every tau^2 estimator, Wald and Knapp-Hartung (HKSJ) intervals, prediction
# intervals and the Q-profile CI of tau^2. Run from the repository root:
#   Rscript meta-analysis/src/test/r/generate-random-effects-fixtures.R
# Iterative estimators and root finding use metafor with tightened convergence (threshold/tol 1e-12), so that a
# fixture is the converged solution rather than wherever metafor's default tolerance (1e-5) happened to stop.
suppressPackageStartupMessages({ library(metafor); library(jsonlite) })
out_dir <- "meta-analysis/src/test/resources/metafor"
ctrl <- list(threshold = 1e-12, tol = 1e-12, maxiter = 10000)
num <- function(x) if (is.null(x) || length(x) == 0 || is.na(x)) NULL else unname(as.numeric(x))

one <- function(yi, vi, method, test) {
  fit <- rma(yi, vi, method = method, test = test, control = ctrl)
  pred <- predict(fit)
  k <- length(yi)
  res <- list(method = method, test = test, estimate = num(fit$beta[1]), se = num(fit$se), ciLower = num(fit$ci.lb),
    ciUpper = num(fit$ci.ub), statistic = num(fit$zval), p = num(fit$pval), tau2 = num(fit$tau2),
    iSquared = num(fit$I2), hSquared = num(fit$H2), piLower = num(pred$pi.lb), piUpper = num(pred$pi.ub))
  if (k >= 3 && test == "z") {
    crit <- qt(0.975, k - 2)
    res$rileyLower <- num(fit$beta[1] - crit * sqrt(fit$se^2 + fit$tau2))
    res$rileyUpper <- num(fit$beta[1] + crit * sqrt(fit$se^2 + fit$tau2))
  }
  if (k >= 2 && test == "z") {
    ci <- confint(fit, control = list(tol = 1e-12, tau2.max = 1e7))
    res$tau2CiLower <- num(ci$random["tau^2", "ci.lb"])
    res$tau2CiUpper <- num(ci$random["tau^2", "ci.ub"])
  }
  res
}

fixture <- function(name, yi, vi, note) {
  results <- list()
  for (method in c("DL", "REML", "ML", "PM", "EB", "SJ", "HE", "HS")) {
    for (test in c("z", "knha")) {
      if (length(yi) == 1 && test == "knha") next
      results[[length(results) + 1]] <- one(yi, vi, method, test)
    }
  }
  doc <- list(name = name, note = note, metafor = as.character(packageVersion("metafor")),
    studies = lapply(seq_along(yi), function(i) list(id = paste0("s", i), yi = yi[i], vi = vi[i])), results = results)
  write(toJSON(doc, auto_unbox = TRUE, digits = NA, pretty = TRUE), file.path(out_dir, paste0("re-", name, ".json")))
}

bcg <- escalc(measure = "RR", ai = tpos, bi = tneg, ci = cpos, di = cneg, data = dat.bcg)
fixture("bcg", as.numeric(bcg$yi), as.numeric(bcg$vi), "dat.bcg, log risk ratios")
norm <- escalc(measure = "MD", m1i = m1i, sd1i = sd1i, n1i = n1i, m2i = m2i, sd2i = sd2i, n2i = n2i, data = dat.normand1999)
fixture("normand1999", as.numeric(norm$yi), as.numeric(norm$vi), "dat.normand1999, mean differences")
shien_se <- (log(1.07) - log(0.69)) / (2 * qnorm(0.95))
zou_se <- abs(log(0.48)) / qnorm(1 - 0.003 / 2)
fixture("seed-two", c(log(0.86), log(0.48)), c(shien_se^2, zou_se^2), "k = 2")
fixture("homogeneous", c(-0.2, -0.25, -0.18, -0.22), c(0.02, 0.03, 0.025, 0.04), "tau2 at zero for most estimators")
fixture("equal-variances", c(0.1, 0.4, -0.2, 0.3, 0.0), rep(0.05, 5), "all variances equal")
fixture("single", log(0.86), shien_se^2, "k = 1")
