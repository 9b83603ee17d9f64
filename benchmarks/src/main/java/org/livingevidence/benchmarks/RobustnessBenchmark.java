package org.livingevidence.benchmarks;

import java.util.List;
import java.util.concurrent.TimeUnit;
import org.livingevidence.metaanalysis.conclusions.QuestionFrame;
import org.livingevidence.metaanalysis.pooling.CiMethod;
import org.livingevidence.metaanalysis.pooling.StudyEffect;
import org.livingevidence.metaanalysis.pooling.Tau2Method;
import org.livingevidence.metaanalysis.derivation.TwoByTwoTable;
import org.livingevidence.metaanalysis.robustness.FragilityIndex;
import org.livingevidence.metaanalysis.robustness.NewStudyThreshold;
import org.livingevidence.metaanalysis.synthesis.EvidenceSynthesis;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * What the robustness figures cost per event: the whole analysis of an estimate ({@code EvidenceSynthesis.run},
 * which now includes the new-study threshold) against the threshold alone, for a question's model at k studies.
 * The threshold's share of the analysis is {@code newStudyThreshold / analysisWithRobustness}; the analysis runs it
 * twice, against the null and against a minimal important difference of HR 0.9.
 *
 * <p>Run from the repository root, after {@code ./mvnw -pl benchmarks -am package -DskipTests}:
 * {@code java -cp "benchmarks/target/classes:$(cat benchmarks/target/runtime.classpath)" org.openjdk.jmh.Main RobustnessBenchmark}
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
public class RobustnessBenchmark {

    /** Studies; the fragility index is computed for up to 100 trials (analysis-service's cap), so it uses at most 100. */
    @Param({"100"})
    int k;

    @Param({"DL_WALD", "REML_HKSJ"})
    String model;

    List<EvidenceSynthesis.Study> studies;
    List<StudyEffect> effects;
    EvidenceSynthesis.Plan plan;
    NewStudyThreshold.Model thresholdModel;
    List<FragilityIndex.Table> tables;
    List<FragilityIndex.Table> nullTables;

    @Setup
    public void setUp() {
        effects = SyntheticStudies.of(k);
        studies = effects.stream().map(e -> new EvidenceSynthesis.Study(e.id(), e.estimate(), e.variance(), 2000,
                EvidenceSynthesis.Design.RANDOMISED)).toList();
        Tau2Method tau2 = model.startsWith("REML") ? Tau2Method.REML : Tau2Method.DL;
        CiMethod ci = model.endsWith("HKSJ") ? CiMethod.HKSJ : CiMethod.WALD;
        // With a minimal important difference, so that the analysis searches both thresholds (the null and the MID).
        QuestionFrame frame = QuestionFrame.comparative("HR", true, true, true, 0.05, 0.9);
        plan = EvidenceSynthesis.Plan.of(frame, tau2, ci, null);
        thresholdModel = new NewStudyThreshold.Model(true, tau2, ci, 0.05);
        // k two-arm trials of 60 to 200 participants per arm, 30% risk without and about 24% with the intervention
        java.util.Random random = new java.util.Random(17);
        tables = new java.util.ArrayList<>();
        nullTables = new java.util.ArrayList<>();
        for (int i = 0; i < Math.min(k, 100); i++) {
            int n = 60 + random.nextInt(141);
            nullTables.add(new FragilityIndex.Table(Math.round(n * (0.27 + 0.06 * random.nextGaussian())), n,
                    Math.round(n * (0.27 + 0.06 * random.nextGaussian())), n));
            tables.add(new FragilityIndex.Table(Math.round(n * (0.24 + 0.06 * random.nextGaussian())), n,
                    Math.round(n * (0.30 + 0.06 * random.nextGaussian())), n));
        }
    }

    /**
     * The fragility index of k trials' events and totals, up to the 20 changes analysis-service searches: these
     * trials' result is far from the threshold, so all 20 are searched (the worst case).
     */
    @Benchmark
    public FragilityIndex.Result fragilityIndex() {
        return FragilityIndex.of(tables, TwoByTwoTable.Measure.RR, thresholdModel, 20);
    }

    /**
     * The same for trials whose pooled result is a precise null: non-significant, so both directions are searched (the
     * second only as far as the first got).
     */
    @Benchmark
    public FragilityIndex.Result fragilityIndexNonSignificant() {
        return FragilityIndex.of(nullTables, TwoByTwoTable.Measure.RR, thresholdModel, 20);
    }

    @Benchmark
    public EvidenceSynthesis.Result analysisWithRobustness() {
        return EvidenceSynthesis.run(studies, plan);
    }

    @Benchmark
    public NewStudyThreshold.Result newStudyThreshold() {
        return NewStudyThreshold.of(effects, thresholdModel);
    }
}
