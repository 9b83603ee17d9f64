package org.livingevidence.metaanalysis.robustness;

import java.util.ArrayList;
import java.util.List;
import org.livingevidence.metaanalysis.pooling.PooledEstimate;
import org.livingevidence.metaanalysis.pooling.SignificanceTest;
import org.livingevidence.metaanalysis.pooling.StudyEffect;

/**
 * The extended funnel plot's regions (Langan et al. 2012, J Clin Epidemiol 65:511; the R and Stata {@code extfunnel}):
 * for a new study of a given standard error, which effects would leave the updated interval entirely below a
 * reference value, spanning it, or entirely above it. The reference is the null for significance, or a minimal
 * important difference. The question's model is refitted with the new study at every point, a random-effects model
 * re-estimating tau² with it, so under random effects a region can be bounded on both sides: an extreme study inflates
 * tau² enough to widen the interval again.
 *
 * <p>Each row scans the effects on an even grid and bisects every change of status to a relative 1e-12 of the range
 * (several between two points, one after the other). A region that starts and ends between two points of the same
 * status is not seen, as a plotted contour would not show it: more points find narrower ones.
 */
public final class ExtendedFunnel {

    /** Where the updated interval lies relative to the reference. */
    public enum Status { BELOW, SPANS, ABOVE }

    /** Effects from {@code fromEffect} to {@code toEffect} (test scale) that give one status. */
    public record Segment(double fromEffect, double toEffect, Status status) {
    }

    /** One standard error's segments, in order of effect. */
    public record Row(double standardError, List<Segment> segments) {

        public Row {
            segments = List.copyOf(segments);
        }

        /** The status of a new study with this effect, as the row's segments give it. */
        public Status statusAt(double effect) {
            for (Segment s : segments) {
                if (effect <= s.toEffect()) {
                    return s.status();
                }
            }
            return segments.get(segments.size() - 1).status();
        }
    }

    /** The row's work went past its deadline. */
    public static final class OverBudget extends RuntimeException {
        OverBudget() {
            super("the extended funnel row took longer than its budget", null, false, false);
        }
    }

    private ExtendedFunnel() {
    }

    /** As {@link #row(List, NewStudyThreshold.Model, double, double, double, double, int, long)} without a deadline. */
    public static Row row(List<StudyEffect> studies, NewStudyThreshold.Model model, double reference, double standardError,
                          double low, double high, int points) {
        return row(studies, model, reference, standardError, low, high, points, Long.MAX_VALUE);
    }

    /**
     * @param studies   the effects pooled, on the test scale
     * @param reference the value the interval is judged against, same scale
     * @param points    effects scanned from {@code low} to {@code high}, at least 2
     * @param deadline  {@link System#nanoTime()} past which the row stops with {@link OverBudget} (a refit of an
     *                  iterative estimator that does not converge can take a thousand iterations)
     */
    public static Row row(List<StudyEffect> studies, NewStudyThreshold.Model model, double reference, double standardError,
                          double low, double high, int points, long deadline) {
        if (points < 2 || !(high > low) || !(standardError > 0)) {
            throw new IllegalArgumentException("a row needs two or more points over a range, and a positive standard error");
        }
        Refits withNew = new Refits(studies, model, deadline);
        List<Segment> segments = new ArrayList<>();
        double step = (high - low) / (points - 1);
        double from = low;
        double previousEffect = low;
        Status previous = withNew.status(reference, low, standardError);
        for (int i = 1; i < points; i++) {
            double effect = i == points - 1 ? high : low + i * step;
            Status now = withNew.status(reference, effect, standardError);
            // Between two points the status may change more than once (a band narrower than the step): each boundary
            // is bisected in turn, and the status just past it decides whether another follows before this point.
            double left = previousEffect;
            while (previous != now) {
                Boundary b = boundary(withNew, reference, standardError, left, previous, effect, (high - low) * 1e-12);
                segments.add(new Segment(from, b.at(), previous));
                from = b.at();
                left = b.pastIt();
                previous = b.statusPastIt();
            }
            previousEffect = effect;
        }
        segments.add(new Segment(from, high, previous));
        return new Row(standardError, segments);
    }

    /** Where a status ends: the boundary, and the first point found past it with its status. */
    private record Boundary(double at, double pastIt, Status statusPastIt) {
    }

    /** Bisects between an effect with status {@code atLow} and a higher one without it. */
    private static Boundary boundary(Refits withNew, double reference, double standardError, double low, Status atLow, double high,
                                     double tolerance) {
        Status atHigh = withNew.status(reference, high, standardError);
        while (high - low > tolerance) {
            double middle = (low + high) / 2;
            Status s = withNew.status(reference, middle, standardError);
            if (s == atLow) {
                low = middle;
            } else {
                high = middle;
                atHigh = s;
            }
        }
        return new Boundary((low + high) / 2, high, atHigh);
    }

    /** The status of the updated interval, from {@link ModelWithNewStudy}'s refits. */
    private static final class Refits {
        private final ModelWithNewStudy refits;
        private final long deadline;

        Refits(List<StudyEffect> studies, NewStudyThreshold.Model model, long deadline) {
            this.refits = new ModelWithNewStudy(studies, model);
            this.deadline = deadline;
        }

        Status status(double reference, double effect, double standardError) {
            if (deadline != Long.MAX_VALUE && System.nanoTime() - deadline > 0) {
                throw new OverBudget();
            }
            SignificanceTest t = refits.refit(effect, standardError);
            double half = refits.halfWidth(t);
            return t.estimate() + half < reference ? Status.BELOW : t.estimate() - half > reference ? Status.ABOVE : Status.SPANS;
        }
    }

    /** The same status by the model's full fit (what the tests hold a row's refits to). */
    static Status status(List<StudyEffect> withNew, NewStudyThreshold.Model model, double reference, double effect, double standardError) {
        withNew.set(withNew.size() - 1, new StudyEffect("new study", effect, standardError * standardError));
        PooledEstimate p = NewStudyThreshold.pool(withNew, model);
        return p.ciUpper() < reference ? Status.BELOW : p.ciLower() > reference ? Status.ABOVE : Status.SPANS;
    }
}
