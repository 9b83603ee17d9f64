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
 * Atal et al.'s iterative procedure: at each step, among every single event-status change (one more or one fewer
 * event, in either arm of any trial), take the one that moves the p-value most towards the other side (the largest p
 * for a significant result, the smallest for a non-significant one), refit the question's model, and count steps
 * until the conclusion changes. Each table is derived as its record is (0.5 added to a table with a zero cell; a
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
        int k = tables.size();
        Table[] current = tables.toArray(Table[]::new);
        // Each table's effect and variance, kept between candidates: a candidate changes one table only.
        double[][] effects = new double[k][];
        int participants = 0;
        for (int i = 0; i < k; i++) {
            Table t = current[i];
            participants += (int) Math.round(t.totalIntervention() + t.totalComparator());
            effects[i] = effect(measure, t);
        }
        Evaluation evaluation = new Evaluation(k, model);
        double p = evaluation.pValue(effects, -1, null);
        boolean significant = p < model.alpha();
        for (int step = 1; step <= maxSteps; step++) {
            double bestP = Double.NaN;
            int bestTrial = -1;
            Table bestTable = null;
            double[] bestEffect = null;
            for (int i = 0; i < k; i++) {
                for (Table changed : changes(current[i])) {
                    double[] effect = effect(measure, changed);
                    double candidate = evaluation.pValue(effects, i, effect);
                    if (!Double.isNaN(candidate) && (Double.isNaN(bestP) || (significant ? candidate > bestP : candidate < bestP))) {
                        bestP = candidate;
                        bestTrial = i;
                        bestTable = changed;
                        bestEffect = effect;
                    }
                }
            }
            if (bestTrial < 0) {
                break;
            }
            current[bestTrial] = bestTable;
            effects[bestTrial] = bestEffect;
            if ((bestP < model.alpha()) != significant) {
                return new Result(step, (double) step / participants, !significant, participants);
            }
        }
        return new Result(null, null, !significant, participants);
    }

    /** One more or one fewer event in either arm, within 0 and the arm's size. */
    private static List<Table> changes(Table t) {
        List<Table> changes = new ArrayList<>(4);
        if (t.eventsIntervention() + 1 <= t.totalIntervention()) {
            changes.add(new Table(t.eventsIntervention() + 1, t.totalIntervention(), t.eventsComparator(), t.totalComparator()));
        }
        if (t.eventsIntervention() - 1 >= 0) {
            changes.add(new Table(t.eventsIntervention() - 1, t.totalIntervention(), t.eventsComparator(), t.totalComparator()));
        }
        if (t.eventsComparator() + 1 <= t.totalComparator()) {
            changes.add(new Table(t.eventsIntervention(), t.totalIntervention(), t.eventsComparator() + 1, t.totalComparator()));
        }
        if (t.eventsComparator() - 1 >= 0) {
            changes.add(new Table(t.eventsIntervention(), t.totalIntervention(), t.eventsComparator() - 1, t.totalComparator()));
        }
        return changes;
    }

    /** A table's effect and variance as its record's derivation gives them; null when it has none (no events in either arm). */
    private static double[] effect(TwoByTwoTable.Measure measure, Table t) {
        return TwoByTwoTable.effect(measure, t.eventsIntervention(), t.totalIntervention(), t.eventsComparator(), t.totalComparator());
    }

    /** The model's p-value for these tables; NaN when no table gives an effect. */
    static double pValue(List<Table> tables, TwoByTwoTable.Measure measure, NewStudyThreshold.Model model) {
        double[][] effects = tables.stream().map(t -> effect(measure, t)).toArray(double[][]::new);
        return new Evaluation(tables.size(), model).pValue(effects, -1, null);
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

        double pValue(double[][] effects, int replaced, double[] replacement) {
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
                return Double.NaN;
            }
            double[] ys = n == y.length ? y : java.util.Arrays.copyOf(y, n);
            double[] vs = n == v.length ? v : java.util.Arrays.copyOf(v, n);
            double level = 1 - model.alpha();
            PooledEstimate pooled = model.randomEffects() ? RandomEffects.pooled(ys, vs, model.tau2Method(), model.ciMethod(), level)
                    : FixedEffect.pooled(ys, vs, level);
            return pooled.pValue();
        }
    }
}
