# Reproduces the living estimate of question q_837c59eeaecfcc42 with metafor.
# Death within three years (Local therapy plus systemic therapy versus systemic therapy alone)
# Records: 4 active, as exported at 2026-12-02T06:59:26.066329926Z.
# Effect measure RR, pooled on the log scale; conclusions from the random-effects model; tau^2 estimator DL; Wald intervals at 95%.
#
# Run:   Rscript metafor.R records.csv
# Needs: R and metafor (install.packages("metafor")). Compare the printed figures with the estimate event
#        (GET /api/v1/questions/q_837c59eeaecfcc42/estimate on analysis-service, or evidence.pooled-estimates.v1): they agree to 1e-6.
# Not reproduced here: certainty, conclusions and trial sequential analysis.

suppressPackageStartupMessages(library(metafor))
args <- commandArgs(trailingOnly = TRUE)
dat <- read.csv(if (length(args) >= 1) args[1] else "records.csv", stringsAsFactors = FALSE)
level <- 95
shift <- 0  # the null on the analysis scale
k <- nrow(dat)
fe <- rma(yi - shift, vi, data = dat, method = "FE", level = level)
# metafor needs two studies for a between-study variance and for t with k - 1 df; so does the service
re <- rma(yi - shift, vi, data = dat, method = if (k >= 2) "DL" else "FE",
          test = "z", level = level)
pred <- predict(re)
transf <- exp
got <- numeric(0)
show <- function(name, value) {
  got[name] <<- value
  cat(sprintf("%-36s %.15g\n", name, value))
}
show("k", k)
for (m in list(list("fixedEffect", fe), list("randomEffects", re))) {
  fit <- m[[2]]
  show(paste0(m[[1]], ".estimate"), coef(fit) + shift)
  show(paste0(m[[1]], ".standardError"), fit$se)
  show(paste0(m[[1]], ".ciLower"), fit$ci.lb + shift)
  show(paste0(m[[1]], ".ciUpper"), fit$ci.ub + shift)
  show(paste0(m[[1]], ".zValue"), fit$zval)
  show(paste0(m[[1]], ".pValue"), fit$pval)
  show(paste0(m[[1]], ".natural.estimate"), transf(coef(fit) + shift))
  show(paste0(m[[1]], ".natural.ciLower"), transf(fit$ci.lb + shift))
  show(paste0(m[[1]], ".natural.ciUpper"), transf(fit$ci.ub + shift))
}
show("heterogeneity.q", re$QE)
if (k >= 2) {
  show("heterogeneity.pValue", re$QEp)
  show("heterogeneity.iSquared", re$I2)
  show("heterogeneity.hSquared", re$H2)
  show("heterogeneity.tau2", re$tau2)
  show("predictionInterval.lower", pred$pi.lb + shift)
  show("predictionInterval.upper", pred$pi.ub + shift)
  # the service solves the Q-profile bounds exactly and without metafor's default search cap (tau2.max = 100)
  tau2ci <- confint(re, control = list(tau2.max = 1e12, tol = 1e-12, maxiter = 10000))$random["tau^2", ]
  show("tau2ConfidenceInterval.lower", tau2ci[["ci.lb"]])
  show("tau2ConfidenceInterval.upper", tau2ci[["ci.ub"]])
}
