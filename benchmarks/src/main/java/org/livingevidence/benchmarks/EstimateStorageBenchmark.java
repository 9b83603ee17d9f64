package org.livingevidence.benchmarks;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.InputStream;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import org.bson.Document;
import org.livingevidence.contracts.EventJson;
import org.livingevidence.contracts.EventSchemas;
import org.livingevidence.contracts.EventType;
import org.livingevidence.contracts.events.PooledEstimateComputed;
import org.livingevidence.support.mongo.PayloadDocuments;
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
 * The serialisation an estimate of k studies goes through in analysis-service besides its statistics (issue 13's
 * one question of 5,000 records, where these dominated the profile): {@code toDocument}, the document a projection
 * or the estimate history stores; {@code toValidatedJson}, the event as the outbox stages it; {@code parse}, the
 * event as a consumer decodes and validates it (the estimate history reads every estimate back). The estimate is the
 * contract's golden example with its studies replaced by k synthetic ones.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Fork(1)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@State(Scope.Benchmark)
public class EstimateStorageBenchmark {

    private static final String EXAMPLE =
            "/org/livingevidence/contracts/examples/pooled-estimate-computed/v1/two-studies-fixed.json";

    @Param({"100", "5000"})
    int k;

    private PooledEstimateComputed estimate;
    private byte[] json;

    @Setup
    public void setUp() throws IOException {
        ObjectNode example;
        try (InputStream in = EstimateStorageBenchmark.class.getResourceAsStream(EXAMPLE)) {
            example = (ObjectNode) EventJson.mapper().readTree(in);
        }
        JsonNode template = example.get("studies").get(0);
        ArrayNode studies = example.putArray("studies");
        SplittableRandom random = new SplittableRandom(13);
        for (int i = 0; i < k; i++) {
            ObjectNode study = template.deepCopy();
            study.put("recordId", "r-" + i).put("studyLabel", "Study " + i + " (" + (1990 + i % 36) + ")")
                    .put("estimate", random.nextGaussian(-0.2, 0.3)).put("standardError", 0.05 + random.nextDouble() * 0.3)
                    .put("weightFixed", random.nextDouble() * 100.0 / k).put("weightRandom", random.nextDouble() * 100.0 / k);
            studies.add(study);
        }
        example.put("k", k);
        estimate = EventJson.mapper().treeToValue(example, PooledEstimateComputed.class);
        json = EventSchemas.toValidatedJson(estimate).getBytes(java.nio.charset.StandardCharsets.UTF_8);
    }

    @Benchmark
    public Document toDocument() {
        return PayloadDocuments.toDocument(estimate.questionId(), estimate);
    }

    @Benchmark
    public String toValidatedJson() {
        return EventSchemas.toValidatedJson(estimate);
    }

    @Benchmark
    public PooledEstimateComputed parse() {
        return EventSchemas.parse(EventType.POOLED_ESTIMATE_COMPUTED, json, PooledEstimateComputed.class);
    }
}
