package org.livingevidence.contracts.events;

/**
 * How a question's studies are pooled and judged.
 *
 * @param alpha                       two-sided significance level of the conclusion, e.g. 0.05
 * @param model                       {@code RANDOM} or {@code FIXED}: which model the conclusion is drawn from
 * @param tau2Estimator               between-study variance estimator, e.g. {@code DL}
 * @param ciMethod                    {@code WALD} (normal)
 * @param minimalImportantDifference  on the measure's natural scale (e.g. HR 0.8), or null
 */
public record AnalysisSettings(double alpha, String model, String tau2Estimator, String ciMethod,
                               Double minimalImportantDifference) {

    public static AnalysisSettings defaults() {
        return new AnalysisSettings(0.05, "RANDOM", "DL", "WALD", null);
    }
}
