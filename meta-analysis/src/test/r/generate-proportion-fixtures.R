#!/usr/bin/env Rscript
# Golden results for single-arm proportions judged against a reference proportion. Run from the repository root:
#   Rscript meta-analysis/src/test/r/generate-proportion-fixtures.R
# Proportions are pooled as logits (escalc measure "PLO"). The estimate, interval and tau^2 are those of
# rma(yi, vi); z and p test the pooled proportion against the reference p0, which is rma(yi - qlogis(p0), vi).
suppressPackageStartupMessages({ library(metafor); library(jsonlite) })
out_dir <- "meta-analysis/src/test/resources/metafor"
ctrl <- list(threshold = 1e-12, tol = 1e-12, maxiter = 10000)
num <- function(x) unname(as.numeric(x))

one <- function(dat, p0, method, test) {
  fit <- rma(yi, vi, data = dat, method = method, test = test, control = ctrl)
  shifted <- rma(yi - qlogis(p0), vi, data = dat, method = method, test = test, control = ctrl)
  list(method = method, test = test, reference = p0, estimate = num(fit$beta[1]), se = num(fit$se),
    ciLower = num(fit$ci.lb), ciUpper = num(fit$ci.ub), tau2 = num(fit$tau2),
    proportion = num(transf.ilogit(fit$beta[1])), proportionLower = num(transf.ilogit(fit$ci.lb)),
    proportionUpper = num(transf.ilogit(fit$ci.ub)), statistic = num(shifted$zval), p = num(shifted$pval))
}

fixture <- function(name, xi, ni, note, runs) {
  dat <- escalc(measure = "PLO", xi = xi, ni = ni)
  results <- lapply(runs, function(r) one(dat, r$p0, r$method, r$test))
  list(name = name, note = note, studies = lapply(seq_along(xi), function(i) list(id = paste0("s", i),
    events = xi[i], total = ni[i], yi = num(dat$yi[i]), vi = num(dat$vi[i]))), results = results)
}

runs <- list(list(p0 = 0.5, method = "FE", test = "z"), list(p0 = 0.5, method = "DL", test = "z"),
  list(p0 = 0.7, method = "REML", test = "z"), list(p0 = 0.7, method = "REML", test = "knha"))
doc <- list(metafor = as.character(packageVersion("metafor")), fixtures = list(
  fixture("pritz1997", dat.pritz1997$xi, dat.pritz1997$ni, "dat.pritz1997, with one study of 10 of 10 (0.5 added)", runs),
  fixture("mdrt-single", 28, 47, "k = 1: the MDRT seed, 28 of 47 on the same systemic therapy at 6 months",
    list(list(p0 = 0.5, method = "FE", test = "z"), list(p0 = 0.5, method = "DL", test = "z")))))
write(toJSON(doc, auto_unbox = TRUE, digits = NA, pretty = TRUE), file.path(out_dir, "proportion-reference.json"))
