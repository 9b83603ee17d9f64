#!/usr/bin/env Rscript
# Golden values for the derivations that metafor's escalc() computes (2x2 tables, single-arm proportions,
# means). Run from the repository root:  Rscript meta-analysis/src/test/r/generate-derivation-fixtures.R
suppressPackageStartupMessages({ library(metafor); library(jsonlite) })
out <- "meta-analysis/src/test/resources/metafor/derivations.json"

row <- function(kind, inputs, measure, fit) list(kind = kind, measure = measure, inputs = inputs,
  yi = unname(as.numeric(fit$yi)), vi = unname(as.numeric(fit$vi)))

cases <- list()
tables <- list(c(12, 100, 20, 98), c(0, 50, 6, 52), c(7, 40, 0, 41), c(30, 30, 25, 31), c(4, 1021, 9, 1020))
for (t in tables) {
  inputs <- list(eventsIntervention = t[1], totalIntervention = t[2], eventsComparator = t[3], totalComparator = t[4])
  for (m in c("RR", "OR", "RD")) {
    fit <- escalc(measure = m, ai = t[1], n1i = t[2], ci = t[3], n2i = t[4])
    cases[[length(cases) + 1]] <- row("twoByTwo", inputs, m, fit)
  }
}
# Single-arm proportions: 28/47 is the MDRT seed study (Rozenblit et al.); 0/20 and 20/20 need the correction.
for (p in list(c(28, 47), c(22, 34), c(1, 4), c(0, 20), c(20, 20))) {
  inputs <- list(events = p[1], total = p[2])
  for (m in c("PLO", "PFT")) {
    fit <- escalc(measure = m, xi = p[1], ni = p[2])
    cases[[length(cases) + 1]] <- row("proportion", inputs, m, fit)
  }
}
for (mm in list(c(5.2, 1.1, 30, 4.6, 1.3, 32), c(120, 15, 12, 131, 18, 10), c(0.3, 0.9, 200, 0.1, 1.0, 190))) {
  inputs <- list(meanIntervention = mm[1], sdIntervention = mm[2], nIntervention = mm[3],
                 meanComparator = mm[4], sdComparator = mm[5], nComparator = mm[6])
  for (m in c("MD", "SMD")) {
    fit <- escalc(measure = m, m1i = mm[1], sd1i = mm[2], n1i = mm[3], m2i = mm[4], sd2i = mm[5], n2i = mm[6])
    cases[[length(cases) + 1]] <- row("means", inputs, m, fit)
  }
}
# Back-transformation of Freeman-Tukey values (Miller 1978, as metafor's transf.ipft).
ipft <- lapply(list(c(0.3, 47), c(0.9, 47), c(0.05, 20), c(1.5, 20)), function(v)
  list(value = v[1], n = v[2], proportion = transf.ipft(v[1], v[2])))
write(toJSON(list(metafor = as.character(packageVersion("metafor")), cases = cases, ipft = ipft),
             auto_unbox = TRUE, digits = NA, pretty = TRUE), out)

# Pooled single-arm proportions (MDRT seed subgroups: 22/34 HR+/HER2-, 5/9 HER2+, 1/4 TNBC), back-transformed;
# the analysis endpoint's test quotes these figures.
for (m in c("PLO", "PFT")) {
  d <- escalc(measure = m, xi = c(22, 5, 1), ni = c(34, 9, 4))
  fit <- rma(yi, vi, data = d, method = "DL")
  back <- if (m == "PLO") transf.ilogit else function(x) transf.ipft.hm(x, targs = list(ni = c(34, 9, 4)))
  cat(sprintf("%s: estimate %.15g se %.15g tau2 %.15g proportion %.15g (%.15g to %.15g)\n", m, fit$beta[1], fit$se, fit$tau2,
              back(fit$beta[1]), back(fit$ci.lb), back(fit$ci.ub)))
}
