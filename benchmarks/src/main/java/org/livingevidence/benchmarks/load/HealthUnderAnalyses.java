package org.livingevidence.benchmarks.load;

import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Issue 11's figure: how fast analysis-service's {@code /health} answers while {@code --clients} callers (20) keep
 * posting stateless analyses of {@code --studies} studies (2,000) each, for {@code --seconds} (30). Callers turned away
 * with 429 wait as the answer's {@code Retry-After} says, as a well-behaved client does; with
 * {@code --ignore-retry-after true} they try again after 20 ms, so the service also has to turn away a flood.
 */
final class HealthUnderAnalyses implements Scenario {

    @Override
    public void run(Stack stack, Arguments arguments) throws Exception {
        int clients = arguments.getInt("clients", 20);
        boolean ignoreRetryAfter = arguments.isTrue("ignore-retry-after");
        int studies = arguments.getInt("studies", 2000);
        long seconds = arguments.getInt("seconds", 30);
        String body = Stack.JSON.writeValueAsString(analysisOf(studies));
        long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
        Latencies analyses = new Latencies();
        Latencies health = new Latencies();
        AtomicInteger refused = new AtomicInteger();
        AtomicInteger failed = new AtomicInteger();
        ExecutorService pool = Executors.newFixedThreadPool(clients + 1);
        for (int c = 0; c < clients; c++) {
            pool.submit(() -> {
                while (System.nanoTime() < end) {
                    long start = System.nanoTime();
                    HttpResponse<String> response = stack.post(stack.analysis(), "/api/v1/analyses", "application/json", body);
                    if (response.statusCode() == 200) {
                        analyses.add((System.nanoTime() - start) / 1e6);
                    } else if (response.statusCode() == 429) {
                        refused.incrementAndGet();
                        long retryAfterMillis = response.headers().firstValue("Retry-After").map(Long::parseLong).orElse(1L) * 1000;
                        Thread.sleep(ignoreRetryAfter ? 20 : retryAfterMillis);
                    } else {
                        failed.incrementAndGet();
                    }
                }
                return null;
            });
        }
        pool.submit(() -> {
            Thread.sleep(2000); // let the analyses pile up first
            while (System.nanoTime() < end) {
                long start = System.nanoTime();
                HttpResponse<String> response = stack.send(HttpRequest.newBuilder(stack.analysis().resolve("/health")).GET());
                health.add((System.nanoTime() - start) / 1e6);
                if (response.statusCode() != 200) {
                    failed.incrementAndGet();
                }
                Thread.sleep(50);
            }
            return null;
        });
        pool.shutdown();
        pool.awaitTermination(seconds + 600, TimeUnit.SECONDS);
        System.out.printf("analyses of %d studies, %d callers for %d s (%s): %d answered (%.1f/s), %d turned away with 429, %d failed%n",
                studies, clients, seconds, ignoreRetryAfter ? "retrying 429s after 20 ms" : "honouring Retry-After", analyses.count(), analyses.count() / (double) seconds, refused.get(), failed.get());
        System.out.println("  analysis latency: " + analyses.summary());
        System.out.println("  /health latency:  " + health.summary() + String.format(", %d of %d over 100 ms",
                health.countAbove(100), health.count()));
    }

    static Map<String, Object> analysisOf(int k) {
        List<Map<String, Object>> studies = new ArrayList<>(k);
        for (int i = 1; i <= k; i++) {
            Map<String, Object> study = new LinkedHashMap<>();
            study.put("label", "Synthetic " + i);
            study.put("year", 2000 + i % 26);
            study.put("estimate", -0.3 + 0.4 * Math.sin(i));
            study.put("standardError", Math.sqrt(0.02 + 0.1 * (i % 7) / 7.0));
            studies.add(study);
        }
        Map<String, Object> request = new LinkedHashMap<>();
        request.put("measure", "HR");
        request.put("tau2Estimator", "REML");
        request.put("ciMethod", "HKSJ");
        request.put("studies", studies);
        return request;
    }
}
