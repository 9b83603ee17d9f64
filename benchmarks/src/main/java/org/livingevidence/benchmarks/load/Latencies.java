package org.livingevidence.benchmarks.load;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/** Latency samples in milliseconds, summarised as the driver prints them. */
final class Latencies {

    private final List<Double> millis = Collections.synchronizedList(new ArrayList<>());

    void add(double valueMillis) {
        millis.add(valueMillis);
    }

    void forEach(java.util.function.DoubleConsumer action) {
        synchronized (millis) {
            millis.forEach(action::accept);
        }
    }

    int count() {
        return millis.size();
    }

    double percentile(double p) {
        List<Double> sorted;
        synchronized (millis) {
            sorted = new ArrayList<>(millis);
        }
        if (sorted.isEmpty()) {
            return Double.NaN;
        }
        Collections.sort(sorted);
        int index = (int) Math.ceil(p / 100.0 * sorted.size()) - 1;
        return sorted.get(Math.max(0, Math.min(sorted.size() - 1, index)));
    }

    double max() {
        return percentile(100);
    }

    long countAbove(double thresholdMillis) {
        synchronized (millis) {
            return millis.stream().filter(m -> m > thresholdMillis).count();
        }
    }

    String summary() {
        return String.format("n=%d p50=%.1f ms p99=%.1f ms max=%.1f ms", count(), percentile(50), percentile(99), max());
    }
}
