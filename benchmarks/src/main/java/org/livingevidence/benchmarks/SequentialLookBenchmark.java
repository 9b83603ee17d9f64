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
 * the k-th study has just arrived and the question's {@link LookCache} holds the looks of the k - 1 before it
 * ({@code newStudy}), and with no cache at all ({@code everyLookRefitted}, what a restarted service does once).
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Fork(1)
@Warmup(iterations = 2, time = 2)
@Measurement(iterations = 3, time = 2)
public class SequentialLookBenchmark {

    @Param({"1000", "5000"})
    int k;

    private List<EvidenceSynthesis.Study> studies;
    private EvidenceSynthesis.Plan plan;
    private final LookCache looks = new LookCache();

    @Setup
    public void setUp() {
        studies = new ArrayList<>(k);
        List<StudyEffect> effects = SyntheticStudies.of(k);
        for (int i = 0; i < k; i++) {
            StudyEffect e = effects.get(i);
            studies.add(new EvidenceSynthesis.Study(e.id(), e.estimate(), e.variance(), 1990 + i % 36, EvidenceSynthesis.Design.RANDOMISED));
        }
        QuestionFrame frame = QuestionFrame.comparative("HR", true, true, true, 0.05, null);
        plan = EvidenceSynthesis.Plan.of(frame, Tau2Method.REML, CiMethod.HKSJ, new EvidenceSynthesis.SequentialPlan(0.80, 0.90, null));
    }

    /** The question as it stood before the new study: its looks are in the cache (cheap after the first time). */
    @Setup(Level.Invocation)
    public void before() {
        EvidenceSynthesis.run(studies.subList(0, k - 1), plan, looks);
    }

    @Benchmark
    public EvidenceSynthesis.Result newStudy() {
        return EvidenceSynthesis.run(studies, plan, looks);
    }
}
