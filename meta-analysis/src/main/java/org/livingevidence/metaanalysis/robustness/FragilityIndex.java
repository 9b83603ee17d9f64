package org.livingevidence.metaanalysis.robustness;

import java.util.ArrayList;
import java.util.List;
import org.livingevidence.metaanalysis.derivation.TwoByTwoTable;
import org.livingevidence.metaanalysis.pooling.FixedEffect;
import org.livingevidence.metaanalysis.pooling.PooledEstimate;
import org.livingevidence.metaanalysis.pooling.RandomEffects;

/**
 * The meta-analytic fragility index (Atal et al. 2019, J Clin Epidemiol 111:32): how many participants of the
 * included trials would need another outcome for the meta-analysis to change side of the significance threshold.
 * Atal et al.'s iterative procedure, with their directions: a change moves the effect either up (one more event in
 * the intervention arm, or one fewer in the comparator arm) or down (the opposite). A significant result is pushed
 * towards the null (up when its estimate lies below it, down otherwise); a non-significant one is pushed each way in
 * turn and the smaller count kept. At each step the change of the allowed direction, in either arm of any trial, that
 * moves the p-value most towards the other side of the threshold (the largest p for a significant result, the smallest
 * for a non-significant one) is made and the question's model refitted, until the conclusion changes. The search is
 * greedy, so the index is the number of changes along that path (Atal et al.'s definition), an upper bound on the
 * fewest changes that could do it. Each table is derived as its record is (0.5 added to a table with a zero cell; a
 * trial with no events, or only events, in both arms drops out of a ratio). The fragility quotient is the index over
 * all participants.
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
            Integer up = search(tables, measure, evaluation, maxSteps, false, true);
            Integer down = search(tables, measure, evaluation, maxSteps, false, false);
            index = up == null ? down : down == null ? up : Math.min(up, down);
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
        for (int step = 1; step <= maxSteps; step++) {
            double bestP = Double.NaN;
            int bestTrial = -1;
            Table bestTable = null;
            double[] bestEffect = null;
            for (int i = 0; i < k; i++) {
                for (Table changed : changes(current[i], up)) {
                    double[] effect = effect(measure, changed);
                    PooledEstimate candidate = evaluation.pooled(effects, i, effect);
                    double p = candidate == null ? Double.NaN : candidate.pValue();
                    if (!Double.isNaN(p) && (Double.isNaN(bestP) || (significant ? p > bestP : p < bestP))) {
                        bestP = p;
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
            if ((bestP < alpha) != significant) {
                return step;
            }
        }
        return null;
    }

    /**
     * The changes of one table that move its effect up (one more event with the intervention, one fewer without) or
     * down (the opposite), within 0 and each arm's size.
     */
    private static List<Table> changes(Table t, boolean up) {
        List<Table> changes = new ArrayList<>(2);
        double intervention = t.eventsIntervention() + (up ? 1 : -1);
        double comparator = t.eventsComparator() + (up ? -1 : 1);
        if (intervention >= 0 && intervention <= t.totalIntervention()) {
            changes.add(new Table(intervention, t.totalIntervention(), t.eventsComparator(), t.totalComparator()));
        }
        if (comparator >= 0 && comparator <= t.totalComparator()) {
            changes.add(new Table(t.eventsIntervention(), t.totalIntervention(), comparator, t.totalComparator()));
        }
        return changes;
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

        Evaluation(int k, NewStudyThreshold.Model model) {
            this.y = new double[k];
            this.v = new double[k];
            this.model = model;
        }

        /** The pooled estimate with table {@code replaced} replaced; null when no table gives an effect. */
        PooledEstimate pooled(double[][] effects, int replaced, double[] replacement) {
            int n = 0;
            for (int i = 0; i < effects.length; i++) {
                double[] e = i == replaced ? replacement : effects[i];
                if (e != null) {
                    y[n] = e[0];
                    v[n] = e[1];
                    n++;
                }
            }
            if (n == 0) {
                return null;
            }
            double[] ys = n == y.length ? y : java.util.Arrays.copyOf(y, n);
            double[] vs = n == v.length ? v : java.util.Arrays.copyOf(v, n);
            double level = 1 - model.alpha();
            return model.randomEffects() ? RandomEffects.pooled(ys, vs, model.tau2Method(), model.ciMethod(), level)
                    : FixedEffect.pooled(ys, vs, level);
        }
    }
}
