package org.livingevidence.benchmarks;

import java.util.List;
import java.util.concurrent.TimeUnit;
import org.livingevidence.metaanalysis.pooling.CiMethod;
import org.livingevidence.metaanalysis.pooling.RandomEffects;
import org.livingevidence.metaanalysis.pooling.RandomEffectsResult;
import org.livingevidence.metaanalysis.pooling.StudyEffect;
import org.livingevidence.metaanalysis.pooling.Tau2Method;
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
 * One full random-effects analysis as analysis-service runs it per event: REML tau², HKSJ interval, prediction
 * intervals (metafor's and Riley's) and the Q-profile CI of tau², plus I² and H².
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
public class FullAnalysisBenchmark {

    @Param({"10", "100", "1000"})
    int k;

    List<StudyEffect> studies;

    @Setup
    public void setUp() {
        studies = SyntheticStudies.of(k);
    }

    @Benchmark
    public RandomEffectsResult remlHksjWithIntervals() {
        return RandomEffects.fit(studies, Tau2Method.REML, CiMethod.HKSJ, 0.95);
    }
}
