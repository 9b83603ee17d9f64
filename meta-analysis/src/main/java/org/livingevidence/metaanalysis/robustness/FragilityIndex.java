package org.livingevidence.metaanalysis.robustness;

import java.util.List;
import org.livingevidence.metaanalysis.derivation.TwoByTwoTable;
import org.livingevidence.metaanalysis.pooling.FixedEffect;
import org.livingevidence.metaanalysis.pooling.NeighbouringFits;
import org.livingevidence.metaanalysis.pooling.PooledEstimate;
import org.livingevidence.metaanalysis.pooling.RandomEffects;
import org.livingevidence.metaanalysis.pooling.SignificanceTest;

/**
 * The meta-analytic fragility index (Atal et al. 2019, J Clin Epidemiol 111:32): how many participants of the
 * included trials would need another outcome for the meta-analysis to change side of the significance threshold.
 * Atal et al.'s iterative procedure as their published code runs it (iatal/fragility_ma, and Lin's R package
 * fragility, {@code frag.ma}): a change moves the effect either up (one more event in the intervention arm, or one
 * fewer in the comparator arm) or down (the opposite). A significant result is pushed towards the null (up when its
 * interval lies below it, down otherwise); a non-significant one is pushed each way in turn and the smaller count
 * kept. At each step every change of the allowed direction, in either arm of any trial, is tried, and the one that
 * brings the interval's limit on the far side closest to the other side of the null is made (pushing up: the largest
 * upper limit of an interval below the null, or the largest lower limit of one spanning it; pushing down, the mirror
 * image), then the question's model refitted, until the conclusion changes. The search is greedy, so the index is the
 * number of changes along that path (Atal et al.'s definition), an upper bound on the fewest changes that could do it.
 * Each table is derived as its record is (0.5 added to a table with a zero cell; a trial with no events, or only
 * events, in both arms drops out of a ratio). The fragility quotient is the index over all participants.
 *
 * <p>The trials are pooled by the question's model (inverse variance), as Lin's package and Atal's "Inverse" setting
 * pool them; Atal's application defaults to Mantel-Haenszel, which the engine does not use for questions.
 */
public final class FragilityIndex {

    /** One trial's events and totals per arm. */
    public record Table(double eventsIntervention, double totalIntervention, double eventsComparator, double totalComparator) {
    }

    /**
     * @param index    the number of event-status changes that change the conclusion; null when {@code maxSteps} changes
     *                 did not
     * @param quotient the index over all participants
     * @param becomes  true when the changes make the result significant, false when they make it non-significant
     */
    public record Result(Integer index, Double quotient, boolean becomesSignificant, int participants) {
    }

    private FragilityIndex() {
    }

    /** @param maxSteps stop searching after this many changes (the index is then reported as not found) */
    public static Result of(List<Table> tables, TwoByTwoTable.Measure measure, NewStudyThreshold.Model model, int maxSteps) {
        int participants = 0;
        for (Table t : tables) {
            participants += (int) Math.round(t.totalIntervention() + t.totalComparator());
        }
        Evaluation evaluation = new Evaluation(tables.size(), model);
        PooledEstimate now = evaluation.pooled(effects(tables, measure), -1, null);
        boolean significant = now != null && now.pValue() < model.alpha();
        Integer index;
        if (significant) {
            index = search(tables, measure, evaluation, maxSteps, true, now.estimate() < 0);
        } else {
            // The estimate's own direction first (as Lin's frag.ma does); the other then only needs to beat it.
            boolean firstUp = now != null && now.estimate() > 0;
            Integer first = search(tables, measure, evaluation, maxSteps, false, firstUp);
            int otherSteps = first == null ? maxSteps : first - 1;
            Integer other = otherSteps < 1 ? null : search(tables, measure, evaluation, otherSteps, false, !firstUp);
            index = other != null ? other : first;
        }
        return new Result(index, index == null ? null : (double) index / participants, !significant, participants);
    }

    /** Steps along one direction until the conclusion changes; null when {@code maxSteps} do not get there. */
    private static Integer search(List<Table> tables, TwoByTwoTable.Measure measure, Evaluation evaluation, int maxSteps,
                                  boolean significant, boolean up) {
        int k = tables.size();
        Table[] current = tables.toArray(Table[]::new);
        // Each table's effect and variance, kept between candidates: a candidate changes one table only.
        double[][] effects = effects(tables, measure);
        double alpha = evaluation.model.alpha();
        // Moving up, the limit to raise is the upper one of an interval below the null (a significant result) or the
        // lower one of an interval that spans it; moving down, the mirror image.
        boolean upperLimit = significant == up;
        for (int step = 1; step <= maxSteps; step++) {
            Evaluation.Step candidates = evaluation.step(effects);
            double bestLimit = Double.NaN;
            boolean found = false;
            int bestTrial = -1;
            Table bestTable = null;
            double[] bestEffect = null;
            // The comparator arm's changes first, trial by trial, then the intervention arm's; of equals the first is
            // kept: Lin's frag.ma tries them in this order, and Atal et al.'s code breaks ties the same way.
            for (int n = 0; n < 2 * k; n++) {
                int i = n % k;
                Table changed = change(current[i], up, n >= k);
                if (changed != null) {
                    double[] effect = effect(measure, changed);
                    SignificanceTest candidate = candidates.test(i, effect);
                    if (candidate == null) {
                        continue;
                    }
                    double halfWidth = evaluation.critical(candidate.degreesOfFreedom()) * candidate.standardError();
                    double limit = upperLimit ? candidate.estimate() + halfWidth : candidate.estimate() - halfWidth;
                    if (!Double.isNaN(limit) && (!found || (up ? limit > bestLimit : limit < bestLimit))) {
                        bestLimit = limit;
                        found = true;
                        bestTrial = i;
                        bestTable = changed;
                        bestEffect = effect;
                    }
                }
            }
            if (bestTrial < 0) {
                return null;
            }
            current[bestTrial] = bestTable;
            effects[bestTrial] = bestEffect;
            // The conclusion is judged as the question's estimate is: by the model's own fit, not the search's.
            PooledEstimate changed = evaluation.pooled(effects, -1, null);
            if ((changed.pValue() < alpha) != significant) {
                return step;
            }
        }
        return null;
    }

    /**
     * The change of one arm of a table that moves its effect up (one more event with the intervention, one fewer
     * without) or down (the opposite); null where it would leave 0 or the arm's size.
     */
    private static Table change(Table t, boolean up, boolean interventionArm) {
        if (interventionArm) {
            double intervention = t.eventsIntervention() + (up ? 1 : -1);
            return intervention >= 0 && intervention <= t.totalIntervention()
                    ? new Table(intervention, t.totalIntervention(), t.eventsComparator(), t.totalComparator()) : null;
        }
        double comparator = t.eventsComparator() + (up ? -1 : 1);
        return comparator >= 0 && comparator <= t.totalComparator()
                ? new Table(t.eventsIntervention(), t.totalIntervention(), comparator, t.totalComparator()) : null;
    }

    private static double[][] effects(List<Table> tables, TwoByTwoTable.Measure measure) {
        return tables.stream().map(t -> effect(measure, t)).toArray(double[][]::new);
    }

    /** A table's effect and variance as its record's derivation gives them; null when it has none (no events in either arm). */
    private static double[] effect(TwoByTwoTable.Measure measure, Table t) {
        return TwoByTwoTable.effect(measure, t.eventsIntervention(), t.totalIntervention(), t.eventsComparator(), t.totalComparator());
    }

    /** The model's p-value for these tables; NaN when no table gives an effect. */
    static double pValue(List<Table> tables, TwoByTwoTable.Measure measure, NewStudyThreshold.Model model) {
        PooledEstimate pooled = new Evaluation(tables.size(), model).pooled(effects(tables, measure), -1, null);
        return pooled == null ? Double.NaN : pooled.pValue();
    }

    /** Refits the model with one table's effect replaced, reusing its arrays. */
    private static final class Evaluation {
        private final double[] y;
        private final double[] v;
        private final NewStudyThreshold.Model model;
        /** The interval's critical value by degrees of freedom (0: the normal), computed once each. */
        private final java.util.Map<Integer, Double> criticals = new java.util.HashMap<>();

        Evaluation(int k, NewStudyThreshold.Model model) {
            this.y = new double[k];
            this.v = new double[k];
            this.model = model;
        }

        double critical(int degreesOfFreedom) {
            return criticals.computeIfAbsent(degreesOfFreedom, df -> SignificanceTest.critical(df, model.alpha()));
        }

        /** The pooled estimate with table {@code replaced} replaced; null when no table gives an effect. */
        PooledEstimate pooled(double[][] effects, int replaced, double[] replacement) {
            int n = fill(effects, replaced, replacement);
            if (n == 0) {
                return null;
            }
            double level = 1 - model.alpha();
            return model.randomEffects() ? RandomEffects.pooled(ys(n), vs(n), model.tau2Method(), model.ciMethod(), level)
                    : FixedEffect.pooled(ys(n), vs(n), level);
        }

        /**
         * The candidates of one step: each replaces one table's effect of {@code effects}. A random-effects model refits
         * them as neighbours of these tables (the same figures as a refit, for a fraction of the cost).
         */
        Step step(double[][] effects) {
            if (!model.randomEffects()) {
                return (replaced, replacement) -> test(effects, replaced, replacement);
            }
            int n = fill(effects, -1, null);
            if (n == 0) {
                return (replaced, replacement) -> test(effects, replaced, replacement);
            }
            NeighbouringFits fits = new NeighbouringFits(ys(n), vs(n), model.tau2Method(), model.ciMethod());
            int[] position = new int[effects.length];
            int at = 0;
            for (int i = 0; i < effects.length; i++) {
                position[i] = effects[i] == null ? -1 : at++;
            }
            return (replaced, replacement) -> {
                int p = position[replaced];
                if (p < 0) {
                    return replacement == null ? fits.unchanged() : fits.adding(replacement[0], replacement[1]);
                }
                return replacement == null ? fits.removing(p) : fits.replacing(p, replacement[0], replacement[1]);
            };
        }

        /** One step's candidates, each a table's effect replaced (null: the table gives none). */
        interface Step {
            SignificanceTest test(int replaced, double[] replacement);
        }

        /** That estimate and its test's SE alone; null when no table gives an effect. */
        SignificanceTest test(double[][] effects, int replaced, double[] replacement) {
            int n = fill(effects, replaced, replacement);
            if (n == 0) {
                return null;
            }
            return model.randomEffects() ? RandomEffects.test(ys(n), vs(n), model.tau2Method(), model.ciMethod())
                    : FixedEffect.test(ys(n), vs(n));
        }

        private int fill(double[][] effects, int replaced, double[] replacement) {
            int n = 0;
            for (int i = 0; i < effects.length; i++) {
                double[] e = i == replaced ? replacement : effects[i];
                if (e != null) {
                    y[n] = e[0];
                    v[n] = e[1];
                    n++;
                }
            }
            return n;
        }

        private double[] ys(int n) {
            return n == y.length ? y : java.util.Arrays.copyOf(y, n);
        }

        private double[] vs(int n) {
            return n == v.length ? v : java.util.Arrays.copyOf(v, n);
        }
    }
}
