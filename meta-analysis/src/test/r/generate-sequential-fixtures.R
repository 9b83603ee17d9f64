#!/usr/bin/env Rscript
# Lan-DeMets O'Brien-Fleming boundaries from rpact (apt-get install r-cran-rpact), the reference for the
# trial sequential analysis. Run from the repository root:
#   Rscript meta-analysis/src/test/r/generate-sequential-fixtures.R
suppressPackageStartupMessages({ library(rpact); library(jsonlite) })
cases <- list(
  list(alpha = 0.05, rates = c(0.2, 0.45, 0.7, 1)),
  list(alpha = 0.05, rates = c(0.1, 0.3, 0.5, 0.8, 1)),
  list(alpha = 0.05, rates = c(0.05, 0.12, 0.4, 1)),
  list(alpha = 0.01, rates = c(0.33, 0.67, 1)),
  list(alpha = 0.05, rates = c(0.5, 1)))
out <- lapply(cases, function(c) {
  d <- getDesignGroupSequential(kMax = length(c$rates), alpha = c$alpha, sided = 2, typeOfDesign = "asOF",
                                informationRates = c$rates)
  list(alpha = c$alpha, fractions = c$rates, boundaries = as.numeric(d$criticalValues),
       spent = as.numeric(d$alphaSpent))
})
write(toJSON(list(rpact = as.character(packageVersion("rpact")), cases = out), auto_unbox = TRUE, digits = NA, pretty = TRUE),
      "meta-analysis/src/test/resources/metafor/sequential-boundaries.json")

# Futility (beta-spending) boundaries of one-sided designs with non-binding futility: rpact computes the drift
# ("shift") that makes the last boundaries meet; the tests give our recursion that drift and rpact's efficacy
# boundaries and expect rpact's futility boundaries back.
futility <- list(
  list(alpha = 0.025, beta = 0.2, rates = c(0.2, 0.45, 0.7, 1)),
  list(alpha = 0.025, beta = 0.2, rates = c(0.1, 0.3, 0.5, 0.8, 1)),
  list(alpha = 0.025, beta = 0.1, rates = c(0.33, 0.67, 1)),
  list(alpha = 0.005, beta = 0.1, rates = c(0.25, 0.5, 0.75, 1)),
  list(alpha = 0.025, beta = 0.2, rates = c(0.5, 1)))
out <- lapply(futility, function(c) {
  d <- getDesignGroupSequential(kMax = length(c$rates), alpha = c$alpha, beta = c$beta, sided = 1,
                                typeOfDesign = "asOF", typeBetaSpending = "bsOF", bindingFutility = FALSE,
                                informationRates = c$rates)
  list(alpha = c$alpha, beta = c$beta, fractions = c$rates, efficacy = as.numeric(d$criticalValues),
       futility = I(as.numeric(d$futilityBounds)), betaSpent = as.numeric(d$betaSpent),
       drift = sqrt(getDesignCharacteristics(d)$shift))
})
write(toJSON(list(rpact = as.character(packageVersion("rpact")), cases = out), auto_unbox = TRUE, digits = NA, pretty = TRUE),
      "meta-analysis/src/test/resources/metafor/sequential-futility.json")
