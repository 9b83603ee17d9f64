package org.livingevidence.analysis.estimates;

import java.util.ArrayList;
import java.util.List;
import org.livingevidence.analysis.pooling.EstimateCalculator;
import org.livingevidence.analysis.projections.QuestionProjection;
import org.livingevidence.analysis.projections.QuestionProjection.RecordState;
import org.livingevidence.contracts.events.EffectMeasure;
import org.livingevidence.metaanalysis.conclusions.QuestionFrame;
import org.livingevidence.metaanalysis.pooling.StudyEffect;
import org.livingevidence.metaanalysis.robustness.ExtendedFunnel;
import org.livingevidence.metaanalysis.robustness.NewStudyThreshold;
import org.livingevidence.metaanalysis.synthesis.EvidenceSynthesis;
import org.livingevidence.support.problems.InputProblem;

/**
 * A question's extended funnel plot as data (Langan et al. 2012): for new studies of standard errors from near 0 to a
 * fifth beyond the least precise study's, the effects that would leave the updated interval entirely below the
 * reference (the null, or the minimal important difference), spanning it, or entirely above it. Effects are on the
 * analysis scale (log ratios) with the natural scale beside them.
 *
 * @param against   {@code NULL} or {@code MID}
 * @param reference the value the interval is judged against, natural scale
 * @param model     the question's model as its estimates name it ({@code FIXED_IV}, {@code RANDOM_REML_HKSJ}, ...)
 * @param studies   the studies pooled now, for the funnel's points
 */
public record ExtendedFunnelView(String questionId, EffectMeasure measure, EffectMeasure.Scale scale, Against against,
                                 double reference, String model, double alpha, List<Point> studies, List<Row> rows) {

    /** What the interval is judged against. */
    public enum Against { NULL, MID }

    /** One study now pooled. */
    public record Point(String recordId, String studyLabel, double estimate, double standardError) {
    }

    /** One standard error's segments, in order of effect. */
    public record Row(double standardError, List<Segment> segments) {
    }

    /** Effects (analysis scale, then natural) giving one status of the updated interval. */
    public record Segment(double fromEffect, double toEffect, double naturalFrom, double naturalTo, ExtendedFunnel.Status status) {
    }

    static final int MAX_STUDIES = 2_000;
    static final int MAX_ROWS = 100;
    static final int MAX_POINTS = 1_000;
    /**
     * The work of one view: rows x points refits of the model with k + 1 studies (plus a few dozen per boundary), at
     * most this many study-refits: a fraction of a second with DL, up to about a second with REML and HKSJ.
     */
    static final long MAX_WORK = 10_000_000;
    /**
     * And at most this long: a refit of an iterative estimator that does not converge (very uneven standard errors)
     * can take a thousand iterations, which the work limit does not count.
     */
    static final java.time.Duration TIME_BUDGET = java.time.Duration.ofSeconds(5);

    /** A validated request: what {@link #compute} will do, checked before any of it is queued. */
    record Request(QuestionProjection projection, QuestionProjection.QuestionState question, List<RecordState> active,
                   Against against, int rows, int points) {

        ExtendedFunnelView compute() {
            return of(this);
        }
    }

    static Request request(QuestionProjection projection, Against against, int rows, int points) {
        if (rows < 1 || rows > MAX_ROWS) {
            throw InputProblem.invalid("rows", "must be between 1 and " + MAX_ROWS);
        }
        if (points < 2 || points > MAX_POINTS) {
            throw InputProblem.invalid("points", "must be between 2 and " + MAX_POINTS);
        }
        QuestionProjection.QuestionState question = projection.question();
        List<RecordState> active = projection.activeRecords();
        if (question == null || active.isEmpty()) {
            throw InputProblem.notFound("estimate for question", projection.questionId());
        }
        if (active.size() > MAX_STUDIES) {
            throw InputProblem.invalid("questionId", "has " + active.size() + " studies; the extended funnel is computed for up to "
                    + MAX_STUDIES);
        }
        long work = (long) rows * points * (active.size() + 1);
        if (work > MAX_WORK) {
            throw InputProblem.invalid("points", String.format(java.util.Locale.ROOT, "%d rows x %d points x %d studies is more than this "
                    + "endpoint computes (%,d); ask for fewer rows or points", rows, points, active.size() + 1, MAX_WORK));
        }
        QuestionFrame frame = EstimateCalculator.frame(question);
        if (frame == null) {
            throw InputProblem.invalid("questionId", "has no conclusion to judge (a proportion without a reference proportion)");
        }
        if (against == Against.MID && frame.minimalImportantDifference() == null) {
            throw InputProblem.invalid("against", "MID needs the question to set settings.minimalImportantDifference");
        }
        return new Request(projection, question, active, against, rows, points);
    }

    private static ExtendedFunnelView of(Request request) {
        QuestionProjection.QuestionState question = request.question();
        QuestionFrame frame = EstimateCalculator.frame(question);
        Against against = request.against();
        int rows = request.rows();
        int points = request.points();
        EvidenceSynthesis.Plan plan = EstimateCalculator.plan(question);
        NewStudyThreshold.Model model = new NewStudyThreshold.Model(plan.randomEffects(), plan.tau2Method(), plan.ciMethod(), plan.alpha());
        double reference = against == Against.MID ? frame.analysis(frame.minimalImportantDifference()) : 0;
        List<StudyEffect> studies = new ArrayList<>();
        List<Point> studyPoints = new ArrayList<>();
        double low = reference;
        double high = reference;
        double maxSe = 0;
        for (RecordState r : request.active()) {
            double y = frame.testScale(r.estimate());
            studies.add(new StudyEffect(r.recordId(), y, r.standardError() * r.standardError()));
            studyPoints.add(new Point(r.recordId(), r.studyLabel(), r.estimate(), r.standardError()));
            low = Math.min(low, y);
            high = Math.max(high, y);
            maxSe = Math.max(maxSe, r.standardError());
        }
        // As Stata's extfunnel: half the effects' range beyond them on each side (three SEs when they agree).
        double margin = high > low ? (high - low) / 2 : 3 * maxSe;
        low -= margin;
        high += margin;
        List<Row> result = new ArrayList<>(rows);
        long deadline = System.nanoTime() + TIME_BUDGET.toNanos();
        for (int i = 1; i <= rows; i++) {
            double se = 1.2 * maxSe * i / rows;
            ExtendedFunnel.Row row;
            try {
                row = ExtendedFunnel.row(studies, model, reference, se, low, high, points, deadline);
            } catch (ExtendedFunnel.OverBudget e) {
                throw InputProblem.invalid("points", "this question's model took longer than " + TIME_BUDGET.toSeconds()
                        + " seconds for " + rows + " rows of " + points + " points; ask for fewer rows or points");
            }
            result.add(new Row(se, row.segments().stream().map(s -> new Segment(analysis(frame, s.fromEffect()), analysis(frame, s.toEffect()),
                    frame.natural(s.fromEffect()), frame.natural(s.toEffect()), s.status())).toList()));
        }
        String name = plan.randomEffects() ? "RANDOM_" + plan.tau2Method().name() + (plan.ciMethod().name().equals("HKSJ") ? "_HKSJ" : "")
                : "FIXED_IV";
        return new ExtendedFunnelView(request.projection().questionId(), question.effectMeasure(), question.effectMeasure().scale(), against,
                frame.natural(reference), name, plan.alpha(), studyPoints, result);
    }

    /** A test-scale value on the analysis scale (they differ only for a proportion, by its reference's logit). */
    private static double analysis(QuestionFrame frame, double testScale) {
        return testScale + frame.nullOnAnalysisScale();
    }
}
