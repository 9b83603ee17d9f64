#!/usr/bin/env Rscript
# metafor's forest() for the studies of one living estimate, to set beside the engine's SVG forest plot.
# Usage: curl -s localhost:8082/api/v1/questions/$Q/estimate > estimate.json
#        Rscript docs/plots/make-metafor-forest.R estimate.json forest-metafor.png
suppressPackageStartupMessages({ library(metafor); library(jsonlite) })
args <- commandArgs(trailingOnly = TRUE)
e <- fromJSON(args[1])
method <- sub("^RANDOM_", "", e$randomEffects$method)
test <- if (grepl("_HKSJ$", method)) "knha" else "z"
method <- sub("_HKSJ$", "", method)
s <- e$studies
fit <- rma(yi = s$estimate, sei = s$standardError, method = method, test = test, slab = s$studyLabel)
png(args[2], width = 960, height = 260 + 30 * nrow(s), res = 96)
forest(fit, atransf = if (e$scale == "LOG") exp else NULL, addpred = TRUE, header = c("Study", paste(e$effectMeasure, "[95% CI]")),
       showweights = TRUE)
invisible(dev.off())
cat("tau2", fit$tau2, "estimate", fit$b[1], "ci", fit$ci.lb, fit$ci.ub, "\n")
