package org.livingevidence.contracts.events;

/**
 * How a question's studies are pooled and judged.
 *
 * @param alpha                       two-sided significance level of the conclusion, e.g. 0.05
 * @param model                       which model the conclusion is drawn from
 * @param tau2Estimator               between-study variance estimator, e.g. {@code DL}
 * @param ciMethod                    how the pooled estimate's interval is computed
 * @param minimalImportantDifference  on the measure's natural scale (e.g. HR 0.8, or a proportion of 0.65), or null
 * @param tsa                         trial sequential analysis plan, or null for none
 * @param referenceProportion         for a single-arm proportion (PLO), the proportion the pooled one is judged
 *                                    against, such as a historical control rate; null for comparative measures
 * @param baselineRisk                for HR, RR, OR and RD: the comparator group's risk over a time frame, from
 *                                    which estimates state absolute effects per 1,000; null for none
 */
public record AnalysisSettings(double alpha, Model model, Tau2Estimator tau2Estimator, CiMethod ciMethod,
                               Double minimalImportantDifference, SequentialPlan tsa, Double referenceProportion,
                               BaselineRisk baselineRisk) {

    /** Settings without a baseline risk. */
    public AnalysisSettings(double alpha, Model model, Tau2Estimator tau2Estimator, CiMethod ciMethod,
                            Double minimalImportantDifference, SequentialPlan tsa, Double referenceProportion) {
        this(alpha, model, tau2Estimator, ciMethod, minimalImportantDifference, tsa, referenceProportion, null);
    }

    /**
     * The risk of the outcome without the intervention, as a GRADE summary of findings states it.
     *
     * @param risk      between 0 and 1, e.g. 0.20 for 200 per 1,000
     * @param timeFrame over what time, in words ("5 years")
     */
    public record BaselineRisk(double risk, String timeFrame) {
    }

    /** Which model a conclusion is drawn from. */
    public enum Model { RANDOM, FIXED }

    /** Between-study variance estimators, named as metafor names them. */
    public enum Tau2Estimator { DL, REML, ML, PM, EB, SJ, HE, HS }

    /** {@code WALD}: normal quantiles; {@code HKSJ}: Hartung-Knapp-Sidik-Jonkman, t with k - 1 df. */
    public enum CiMethod { WALD, HKSJ }

    /** Settings of a comparative measure, which has no reference proportion. */
    public AnalysisSettings(double alpha, Model model, Tau2Estimator tau2Estimator, CiMethod ciMethod,
                            Double minimalImportantDifference, SequentialPlan tsa) {
        this(alpha, model, tau2Estimator, ciMethod, minimalImportantDifference, tsa, null, null);
    }

    /**
     * @param anticipatedEffect the effect worth detecting, on the natural scale (an HR of 0.80)
     * @param power             1 - beta, e.g. 0.90
     */
    public record SequentialPlan(double anticipatedEffect, double power) {
    }

    public static AnalysisSettings defaults() {
        return new AnalysisSettings(0.05, Model.RANDOM, Tau2Estimator.DL, CiMethod.WALD, null, null);
    }
}
