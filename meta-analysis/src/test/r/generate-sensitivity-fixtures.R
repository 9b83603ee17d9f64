#!/usr/bin/env Rscript
# Golden values for Egger's regression test, leave-one-out, cumulative meta-analysis, subgroup analysis and
# Mantel-Haenszel pooling. Run from the repository root:
#   Rscript meta-analysis/src/test/r/generate-sensitivity-fixtures.R
suppressPackageStartupMessages({ library(metafor); library(jsonlite) })
out <- "meta-analysis/src/test/resources/metafor/sensitivity.json"
ctrl <- list(threshold = 1e-12, tol = 1e-12, maxiter = 10000)
num <- function(x) unname(as.numeric(x))

bcg <- escalc(measure = "RR", ai = tpos, bi = tneg, ci = cpos, di = cneg, data = dat.bcg)
fit <- rma(yi, vi, data = bcg, method = "REML", control = ctrl)
fe <- rma(yi, vi, data = bcg, method = "FE")

# Classic Egger test: weighted regression of yi on sei (model = "lm").
eg <- regtest(fe, model = "lm", predictor = "sei")
egger <- list(statistic = num(eg$zval), p = num(eg$pval), df = num(eg$dfs), limitEstimate = num(eg$est))

l1 <- leave1out(fit, control = ctrl)
loo <- lapply(seq_len(nrow(bcg)), function(i) list(estimate = num(l1$estimate[i]), se = num(l1$se[i]),
  ciLower = num(l1$ci.lb[i]), ciUpper = num(l1$ci.ub[i]), p = num(l1$pval[i]), tau2 = num(l1$tau2[i]),
  q = num(l1$Q[i]), iSquared = num(l1$I2[i])))

ord <- order(bcg$year)
# metafor sorts by the values given in `order` (a sort key, not a permutation); order() is stable for ties.
cu <- cumul(fit, order = bcg$year)
cumulative <- lapply(seq_len(nrow(bcg)), function(i) list(estimate = num(cu$estimate[i]), se = num(cu$se[i]),
  ciLower = num(cu$ci.lb[i]), ciUpper = num(cu$ci.ub[i]), tau2 = num(cu$tau2[i])))

# Subgroups by allocation method: a separate REML model per subgroup, then Q-between over the subgroup
# estimates (fixed-effect test of their equality), the convention of the Cochrane Handbook and RevMan.
groups <- unique(bcg$alloc)
per <- lapply(groups, function(g) {
  f <- rma(yi, vi, data = bcg, subset = alloc == g, method = "REML", control = ctrl)
  list(group = g, k = f$k, estimate = num(f$beta[1]), se = num(f$se), tau2 = num(f$tau2))
})
between <- rma(sapply(per, `[[`, "estimate"), sei = sapply(per, `[[`, "se"), method = "FE")
subgroups <- list(groups = per, qBetween = num(between$QE), df = length(groups) - 1, p = num(between$QEp))

mh <- lapply(c("OR", "RR", "RD"), function(m) {
  f <- rma.mh(ai = tpos, bi = tneg, ci = cpos, di = cneg, data = dat.bcg, measure = m)
  list(measure = m, estimate = num(f$beta[1]), se = num(f$se), ciLower = num(f$ci.lb), ciUpper = num(f$ci.ub),
       z = num(f$zval), p = num(f$pval), q = num(f$QE))
})

doc <- list(metafor = as.character(packageVersion("metafor")),
  studies = lapply(seq_len(nrow(bcg)), function(i) list(id = paste0("s", i), yi = num(bcg$yi[i]), vi = num(bcg$vi[i]),
    year = bcg$year[i], alloc = bcg$alloc[i], tpos = bcg$tpos[i], tneg = bcg$tneg[i], cpos = bcg$cpos[i], cneg = bcg$cneg[i])),
  egger = egger, leaveOneOut = loo, cumulativeOrder = ord - 1, cumulative = cumulative, subgroups = subgroups,
  mantelHaenszel = mh)
write(toJSON(doc, auto_unbox = TRUE, digits = NA, pretty = TRUE), out)
