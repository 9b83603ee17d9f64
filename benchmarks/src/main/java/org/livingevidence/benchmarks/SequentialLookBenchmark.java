package org.livingevidence.benchmarks;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.livingevidence.metaanalysis.conclusions.QuestionFrame;
import org.livingevidence.metaanalysis.pooling.CiMethod;
import org.livingevidence.metaanalysis.pooling.StudyEffect;
import org.livingevidence.metaanalysis.pooling.Tau2Method;
import org.livingevidence.metaanalysis.sequential.LookCache;
import org.livingevidence.metaanalysis.synthesis.EvidenceSynthesis;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * What analysis-service computes for one event on a question with a trial sequential analysis plan (issue 13's
 * "one event at k = 5,000 with a TSA plan"): the whole {@link EvidenceSynthesis} of k studies, REML with HKSJ, when
 * the k-th study has just arrived and the question's {@link LookCache} holds the looks of the k - 1 before it.
 * Looks are in publication order, and the k - 1 studies are spread over 36 years.
 * <ul>
 *   <li>{@code newStudy}: the new study is the latest published (the living case): one look is added at the end;
 *   every look's boundary is still recomputed, since the required information moves with the estimated diversity.</li>
 *   <li>{@code olderStudyFound}: the new study was published in the middle of that span (an older trial found late):
 *   every look after it is refitted.</li>
 * </ul>
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Fork(1)
@Warmup(iterations = 2, time = 2)
@Measurement(iterations = 3, time = 2)
public class SequentialLookBenchmark {

    private static final int FIRST_YEAR = 1990;
    private static final int YEARS = 36;

    /** A question whose k - 1 studies are in its {@link LookCache}, and the same with one more study. */
    @State(Scope.Benchmark)
    public abstract static class Question {

        @Param({"1000", "5000"})
        int k;

        private List<EvidenceSynthesis.Study> before;
        private List<EvidenceSynthesis.Study> after;
        private EvidenceSynthesis.Plan plan;
        private final LookCache looks = new LookCache();

        /** The new study's publication year. */
        abstract int newStudyYear();

        @Setup
        public void setUp() {
            List<StudyEffect> effects = SyntheticStudies.of(k);
            before = new ArrayList<>(k - 1);
            for (int i = 0; i < k - 1; i++) {
                before.add(study(effects.get(i), FIRST_YEAR + i % YEARS));
            }
            after = new ArrayList<>(before);
            after.add(study(effects.get(k - 1), newStudyYear()));
            QuestionFrame frame = QuestionFrame.comparative("HR", true, true, true, 0.05, null);
            plan = EvidenceSynthesis.Plan.of(frame, Tau2Method.REML, CiMethod.HKSJ, new EvidenceSynthesis.SequentialPlan(0.80, 0.90, null));
        }

        /** The question as it stood before the new study: its looks are in the cache (cheap after the first time). */
        @Setup(Level.Invocation)
        public void before() {
            EvidenceSynthesis.run(before, plan, looks);
        }

        EvidenceSynthesis.Result withNewStudy() {
            return EvidenceSynthesis.run(after, plan, looks);
        }
    }

    public static class LatestPublished extends Question {
        @Override
        int newStudyYear() {
            return FIRST_YEAR + YEARS;
        }
    }

    public static class PublishedMidway extends Question {
        @Override
        int newStudyYear() {
            return FIRST_YEAR + YEARS / 2;
        }
    }

    private static EvidenceSynthesis.Study study(StudyEffect e, int year) {
        return new EvidenceSynthesis.Study(e.id(), e.estimate(), e.variance(), year, EvidenceSynthesis.Design.RANDOMISED);
    }

    @Benchmark
    public EvidenceSynthesis.Result newStudy(LatestPublished question) {
        return question.withNewStudy();
    }

    @Benchmark
    public EvidenceSynthesis.Result olderStudyFound(PublishedMidway question) {
        return question.withNewStudy();
    }
}
