# Writes local-therapy-example.rm5: a small RevMan 5 review file in RevMan's published XML format, made up for
# the worked example in docs/interoperability.md (no real review's data). Its trials' figures are taken from the
# seed abstracts (Shien 2025, Zou 2025) or are fictitious and labelled so.
#
# The pooled results stored in the file are the ones RevMan 5 computes for these data and methods (Deeks & Higgins,
# "Statistical algorithms in Review Manager 5", 2010): inverse-variance weights; random effects by DerSimonian and
# Laird; 0.5 added to every cell of a table with a zero cell; Wald intervals and z tests. RevMan itself does not run
# here, so metafor computes them with those conventions; a living question imported from the file must match them.
#
# Run from the repository root:  Rscript docs/examples/revman/make-worked-example.R
suppressPackageStartupMessages(library(metafor))
out <- "docs/examples/revman/local-therapy-example.rm5"
num <- function(x) if (is.na(x)) "" else sprintf("%.17g", x)
attrs <- function(...) {
  a <- list(...)
  paste(sprintf('%s="%s"', names(a), vapply(a, function(v) if (is.numeric(v)) num(v) else as.character(v), "")), collapse = " ")
}

studies <- data.frame(
  id = c("STD-Shien-2025", "STD-Zou-2025", "STD-Trial-A-2019", "STD-Trial-B-2021", "STD-Trial-C-2022", "STD-Trial-D-2023",
         "STD-Trial-E-2018", "STD-Trial-F-2020", "STD-Trial-G-2024"),
  name = c("Shien 2025 (JCOG1017)", "Zou 2025", "Trial A 2019 (fictitious)", "Trial B 2021 (fictitious)",
           "Trial C 2022 (fictitious)", "Trial D 2023 (fictitious)", "Trial E 2018 (fictitious)",
           "Trial F 2020 (fictitious)", "Trial G 2024 (fictitious)"),
  year = c(2025, 2025, 2019, 2021, 2022, 2023, 2018, 2020, 2024), stringsAsFactors = FALSE)

# 1.1 Overall survival, generic inverse variance (log HR and SE as a review team enters them), random effects.
# Shien 2025: HR 0.86, 90% CI 0.69 to 1.07; Zou 2025: HR 0.48, p = 0.003 (two-sided).
giv <- data.frame(study = c("STD-Shien-2025", "STD-Zou-2025", "STD-Trial-A-2019"),
                  hr = c(0.86, 0.48, 0.95),
                  se = c((log(1.07) - log(0.69)) / (2 * qnorm(0.95)), abs(log(0.48)) / qnorm(1 - 0.003 / 2), 0.15))
giv_fit <- rma(log(giv$hr), sei = giv$se, method = "DL")

# 1.2 Death within three years, dichotomous, risk ratio, inverse variance, random effects, two subgroups.
dich <- data.frame(study = c("STD-Trial-A-2019", "STD-Trial-B-2021", "STD-Trial-C-2022", "STD-Trial-D-2023"),
                   subgroup = c("Resection of the primary tumour", "Resection of the primary tumour",
                                "Ablation of metastases", "Ablation of metastases"),
                   e1 = c(12, 30, 0, 60), n1 = c(100, 250, 40, 400), e2 = c(30, 41, 3, 58), n2 = c(100, 248, 41, 398),
                   stringsAsFactors = FALSE)
dich_es <- escalc("RR", ai = e1, n1i = n1, ci = e2, n2i = n2, data = dich, add = 1/2, to = "only0")
dich_fit <- rma(yi, vi, data = dich_es, method = "DL")

# 1.3 Quality of life at 12 months (FACT-B, 0 to 144, higher is better), continuous, mean difference, fixed effect.
cont <- data.frame(study = c("STD-Trial-E-2018", "STD-Trial-F-2020", "STD-Trial-G-2024"),
                   m1 = c(102.3, 99.0, 105.2), s1 = c(15.1, 14.2, 17.0), n1 = c(60, 45, 120),
                   m2 = c(98.7, 97.5, 100.1), s2 = c(16.4, 13.9, 18.3), n2 = c(58, 47, 118))
cont_es <- escalc("MD", m1i = m1, sd1i = s1, n1i = n1, m2i = m2, sd2i = s2, n2i = n2, data = cont)
cont_fit <- rma(yi, vi, data = cont_es, method = "FE")

pooled <- function(fit, natural) {
  w <- weights(fit)
  attrs(CHI2 = fit$QE, CI_END = natural(fit$ci.ub), CI_START = natural(fit$ci.lb), CI_STUDY = 95, CI_TOTAL = 95,
        DF = fit$k - 1, EFFECT_SIZE = natural(coef(fit)[[1]]), ESTIMABLE = "YES", I2 = fit$I2, P_CHI2 = fit$QEp,
        P_Z = fit$pval, TAU2 = fit$tau2, TOTALS = "YES", WEIGHT = sum(w), Z = fit$zval)
}
study_ci <- function(y, se, natural) list(EFFECT_SIZE = natural(y), CI_START = natural(y - qnorm(0.975) * se),
                                          CI_END = natural(y + qnorm(0.975) * se))

lines <- c('<?xml version="1.0" encoding="UTF-8" standalone="no"?>',
  '<COCHRANE_REVIEW DESCRIPTION="Worked example" ID="0000000000000000001" REVMAN_SUB_VERSION="5.4.1" REVMAN_VERSION="5" STAGE="R" TYPE="INTERVENTION">',
  '<COVER_SHEET>',
  '<TITLE>Local therapy of the primary tumour or of metastases for metastatic breast cancer (worked example)</TITLE>',
  '</COVER_SHEET>',
  '<MAIN_TEXT><SUMMARY><TITLE>[Plain language title]</TITLE><SUMMARY_BODY><P>Not part of the example.</P></SUMMARY_BODY></SUMMARY></MAIN_TEXT>',
  '<STUDIES_AND_REFERENCES>', '<STUDIES>', '<INCLUDED_STUDIES>')
for (i in seq_len(nrow(studies))) {
  lines <- c(lines, sprintf('<STUDY DATA_SOURCE="PUB" ID="%s" NAME="%s" YEAR="%d"><REFERENCE PRIMARY="YES" TYPE="JOURNAL_ARTICLE"><IDENTIFIERS/></REFERENCE></STUDY>',
                            studies$id[i], studies$name[i], studies$year[i]))
}
lines <- c(lines, '</INCLUDED_STUDIES>', '</STUDIES>', '</STUDIES_AND_REFERENCES>',
  '<ANALYSES_AND_DATA CALCULATED_DATA="YES">', '<COMPARISON ID="CMP-001" NO="1">',
  '<NAME>Local therapy plus systemic therapy versus systemic therapy alone</NAME>')

# 1.1
lines <- c(lines, sprintf('<IV_OUTCOME %s ID="CMP-001.01" LOG_DATA="YES" NO="1" RANDOM="YES" SCALE="10.0" SORT_BY="STUDY" STUDIES="%d" SUBGROUPS="NO">',
                          pooled(giv_fit, exp), nrow(giv)),
  '<NAME>Overall survival</NAME>', '<GROUP_LABEL_1>Local therapy</GROUP_LABEL_1>', '<GROUP_LABEL_2>Systemic therapy alone</GROUP_LABEL_2>',
  '<GRAPH_LABEL_1>Favours local therapy</GRAPH_LABEL_1>', '<GRAPH_LABEL_2>Favours systemic therapy alone</GRAPH_LABEL_2>',
  '<EFFECT_MEASURE>Hazard Ratio</EFFECT_MEASURE>')
w <- weights(giv_fit)
for (i in seq_len(nrow(giv))) {
  ci <- study_ci(log(giv$hr[i]), giv$se[i], exp)
  lines <- c(lines, sprintf('<IV_DATA %s/>', attrs(CI_END = ci$CI_END, CI_START = ci$CI_START, EFFECT_SIZE = ci$EFFECT_SIZE,
                                                   ESTIMABLE = "YES", ORDER = i, SE = giv$se[i], STUDY_ID = giv$study[i], WEIGHT = w[[i]])))
}
lines <- c(lines, '</IV_OUTCOME>')

# 1.2
lines <- c(lines, sprintf('<DICH_OUTCOME %s EFFECT_MEASURE="RR" EVENTS_1="%d" EVENTS_2="%d" ID="CMP-001.02" METHOD="IV" NO="2" RANDOM="YES" SORT_BY="STUDY" STUDIES="%d" SUBGROUPS="YES" SWAP_EVENTS="NO" TOTAL_1="%d" TOTAL_2="%d">',
                          pooled(dich_fit, exp), sum(dich$e1), sum(dich$e2), nrow(dich), sum(dich$n1), sum(dich$n2)),
  '<NAME>Death within three years</NAME>', '<GROUP_LABEL_1>Local therapy</GROUP_LABEL_1>', '<GROUP_LABEL_2>Systemic therapy alone</GROUP_LABEL_2>',
  '<GRAPH_LABEL_1>Favours local therapy</GRAPH_LABEL_1>', '<GRAPH_LABEL_2>Favours systemic therapy alone</GRAPH_LABEL_2>')
w <- weights(dich_fit)
for (g in unique(dich$subgroup)) {
  rows <- which(dich$subgroup == g)
  lines <- c(lines, sprintf('<DICH_SUBGROUP ID="CMP-001.02.%02d" NO="%d">', match(g, unique(dich$subgroup)), match(g, unique(dich$subgroup))),
             sprintf('<NAME>%s</NAME>', g))
  for (i in rows) {
    ci <- study_ci(dich_es$yi[i], sqrt(dich_es$vi[i]), exp)
    lines <- c(lines, sprintf('<DICH_DATA %s/>', attrs(CI_END = ci$CI_END, CI_START = ci$CI_START, EFFECT_SIZE = ci$EFFECT_SIZE,
                                                       ESTIMABLE = "YES", EVENTS_1 = dich$e1[i], EVENTS_2 = dich$e2[i], ORDER = i,
                                                       SE = sqrt(dich_es$vi[i]), STUDY_ID = dich$study[i], TOTAL_1 = dich$n1[i],
                                                       TOTAL_2 = dich$n2[i], VAR = dich_es$vi[i], WEIGHT = w[[i]])))
  }
  lines <- c(lines, '</DICH_SUBGROUP>')
}
lines <- c(lines, '</DICH_OUTCOME>')

# 1.3
lines <- c(lines, sprintf('<CONT_OUTCOME %s EFFECT_MEASURE="MD" ID="CMP-001.03" NO="3" RANDOM="NO" SORT_BY="STUDY" STUDIES="%d" SUBGROUPS="NO" TOTAL_1="%d" TOTAL_2="%d" UNITS="points">',
                          pooled(cont_fit, identity), nrow(cont), sum(cont$n1), sum(cont$n2)),
  '<NAME>Quality of life at 12 months (FACT-B)</NAME>', '<GROUP_LABEL_1>Local therapy</GROUP_LABEL_1>', '<GROUP_LABEL_2>Systemic therapy alone</GROUP_LABEL_2>',
  '<GRAPH_LABEL_1>Favours systemic therapy alone</GRAPH_LABEL_1>', '<GRAPH_LABEL_2>Favours local therapy</GRAPH_LABEL_2>')
w <- weights(cont_fit)
for (i in seq_len(nrow(cont))) {
  ci <- study_ci(cont_es$yi[i], sqrt(cont_es$vi[i]), identity)
  lines <- c(lines, sprintf('<CONT_DATA %s/>', attrs(CI_END = ci$CI_END, CI_START = ci$CI_START, EFFECT_SIZE = ci$EFFECT_SIZE,
                                                     ESTIMABLE = "YES", MEAN_1 = cont$m1[i], MEAN_2 = cont$m2[i], ORDER = i,
                                                     SD_1 = cont$s1[i], SD_2 = cont$s2[i], SE = sqrt(cont_es$vi[i]),
                                                     STUDY_ID = cont$study[i], TOTAL_1 = cont$n1[i], TOTAL_2 = cont$n2[i], WEIGHT = w[[i]])))
}
lines <- c(lines, '</CONT_OUTCOME>')

# 1.4 O-E and variance data, which a living question cannot pool: listed, and refused when chosen.
lines <- c(lines, '<IPD_OUTCOME CI_STUDY="95" CI_TOTAL="95" ID="CMP-001.04" NO="4" RANDOM="NO" STUDIES="1">',
  '<NAME>Progression-free survival (O-E and variance)</NAME>', '<GROUP_LABEL_1>Local therapy</GROUP_LABEL_1>',
  '<GROUP_LABEL_2>Systemic therapy alone</GROUP_LABEL_2>', '<GRAPH_LABEL_1>Favours local therapy</GRAPH_LABEL_1>',
  '<GRAPH_LABEL_2>Favours systemic therapy alone</GRAPH_LABEL_2>', '<EFFECT_MEASURE>Peto Odds Ratio</EFFECT_MEASURE>',
  '<IPD_DATA ESTIMABLE="YES" O_E="-4.2" ORDER="1" STUDY_ID="STD-Trial-B-2021" VAR="18.5"/>', '</IPD_OUTCOME>')
lines <- c(lines, '</COMPARISON>', '</ANALYSES_AND_DATA>', '</COCHRANE_REVIEW>')
writeLines(lines, out, useBytes = TRUE)
cat("wrote", out, "\n")
print(giv_fit); print(dich_fit); print(cont_fit)
