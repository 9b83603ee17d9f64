package org.livingevidence.benchmarks;

import java.io.IOException;
import java.io.InputStream;
import java.util.concurrent.TimeUnit;
import org.livingevidence.contracts.EventJson;
import org.livingevidence.contracts.EventSchemas;
import org.livingevidence.contracts.EventType;
import org.livingevidence.contracts.events.OutcomeRecordRevised;
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
 * What each outcome record costs in validation against its contract, the largest part of a consumer's decoding in a
 * replay (issue 13): {@code parse}, as analysis-service decodes a record event, and {@code toValidatedJson}, as
 * study-service stages one. The record is a golden example, reported in the form named by {@code example}: the
 * eighth and last branch of the schema's {@code reported} outcome, and the first.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Fork(1)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@State(Scope.Benchmark)
public class OutcomeRecordDecodingBenchmark {

    @Param({"estimate-with-se", "ratio-with-90-percent-ci"})
    String example;

    private byte[] json;
    private OutcomeRecordRevised record;

    @Setup
    public void setUp() throws IOException {
        String resource = "/org/livingevidence/contracts/examples/outcome-record-revised/v1/" + example + ".json";
        try (InputStream in = OutcomeRecordDecodingBenchmark.class.getResourceAsStream(resource)) {
            json = in.readAllBytes();
        }
        record = EventJson.mapper().readValue(json, OutcomeRecordRevised.class);
    }

    @Benchmark
    public OutcomeRecordRevised parse() {
        return EventSchemas.parse(EventType.OUTCOME_RECORD_REVISED, json, OutcomeRecordRevised.class);
    }

    @Benchmark
    public String toValidatedJson() {
        return EventSchemas.toValidatedJson(record);
    }
}
