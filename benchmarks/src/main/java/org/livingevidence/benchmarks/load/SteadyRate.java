package org.livingevidence.benchmarks.load;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;
import java.util.Map;

/**
 * Issue 13's latency figure: records entered one at a time at {@code --rate} per second (20) for {@code --seconds}
 * (30, as docs/performance.md measures it: k grows with the run, and the latency with k), round-robin over
 * {@code --questions} questions (10); the time from sending each record to the first estimate event whose triggers
 * name it. The first {@code --warm-up} seconds (5) of the same load are not counted.
 */
final class SteadyRate implements Scenario {

    @Override
    public void run(Stack stack, Arguments arguments) throws Exception {
        String run = arguments.get("run", Long.toString(System.currentTimeMillis(), 36));
        Curation curation = new Curation(stack, new SyntheticRecords(run, run.hashCode()));
        List<String> questions = curation.questions(arguments.getInt("questions", 10), false);
        try (EstimateWatcher watcher = new EstimateWatcher(stack.kafka())) {
            int rate = arguments.getInt("rate", 20);
            // The same load, not counted, first: this driver's own JIT compilation and its consumer's first fetches
            // would otherwise show up as the first records' latency.
            int warmUp = arguments.getInt("warm-up", 5);
            measure(curation, watcher, questions, rate, warmUp, 0);
            int seconds = arguments.getInt("seconds", 30);
            Measured measured = measure(curation, watcher, questions, rate, seconds, rate * warmUp);
            System.out.printf("%d records/s for %d s over %d questions, submit to estimate event: %s%n",
                    rate, seconds, questions.size(), measured.total().summary());
            measured.printStages();
            measured.printSlowest(arguments.getInt("slowest", 0));
        }
    }

    /** Submit-to-estimate latencies, and the same split into stages ({@link EstimateWatcher.Stages}). */
    record Measured(Latencies total, Latencies answered, Latencies relayed, Latencies computed, Latencies published, Latencies read,
                    List<String> records) {

        Measured() {
            this(new Latencies(), new Latencies(), new Latencies(), new Latencies(), new Latencies(), new Latencies(), new ArrayList<>());
        }

        void add(Measured other) {
            other.total.forEach(total::add);
            other.answered.forEach(answered::add);
            other.relayed.forEach(relayed::add);
            other.computed.forEach(computed::add);
            other.published.forEach(published::add);
            other.read.forEach(read::add);
            records.addAll(other.records);
        }

        /** The {@code count} slowest records, each with its stages: where a tail comes from. */
        void printSlowest(int count) {
            if (count <= 0) {
                return;
            }
            System.out.printf("  slowest %d (total ms; stages ms: to record event / to computed / to estimate event / to driver; sent at):%n", count);
            records.stream().sorted(java.util.Comparator.reverseOrder()).limit(count)
                    .forEach(line -> System.out.println("    " + line));
        }

        void printStages() {
            System.out.printf("  submit to record event (study-service, its outbox relay): %s%n", relayed.summary());
            System.out.printf("    of which submit to answered (study-service's write, the HTTP exchange): %s%n", answered.summary());
            System.out.printf("  record event to estimate computed (topic backlog, analysis-service): %s%n", computed.summary());
            System.out.printf("  estimate computed to estimate event (analysis-service's outbox relay): %s%n", published.summary());
            System.out.printf("  estimate event to read by this driver (broker, the driver's consumer): %s%n", read.summary());
        }
    }

    /** Enters records at {@code rate} per second and returns each one's submit-to-estimate latency. */
    static Measured measure(Curation curation, EstimateWatcher watcher, List<String> questions, int rate, int seconds, int firstRecord)
            throws Exception {
        Map<String, Long> sentAt = new ConcurrentHashMap<>();
        Map<String, Long> sentAtMillis = new ConcurrentHashMap<>();
        Map<String, Long> answeredAfter = new ConcurrentHashMap<>();
        long interval = 1_000_000_000L / rate;
        long start = System.nanoTime();
        int count = rate * seconds;
        for (int i = 0; i < count; i++) {
            long due = start + i * interval;
            long wait = due - System.nanoTime();
            if (wait > 0) {
                Thread.sleep(wait / 1_000_000, (int) (wait % 1_000_000));
            }
            long sent = System.nanoTime();
            long sentMillis = System.currentTimeMillis();
            String recordId = curation.record(questions.get(i % questions.size()), firstRecord + i);
            answeredAfter.put(recordId, System.currentTimeMillis() - sentMillis);
            sentAt.put(recordId, sent);
            sentAtMillis.put(recordId, sentMillis);
        }
        EstimateWatcher.await(() -> sentAt.keySet().stream().allMatch(id -> watcher.seen(id) != null), Duration.ofMinutes(5),
                "an estimate for every record");
        Measured measured = new Measured();
        List<String> ids = new ArrayList<>(sentAt.keySet());
        for (String id : ids) {
            double total = (watcher.seen(id) - sentAt.get(id)) / 1e6;
            measured.total().add(total);
            measured.answered().add(answeredAfter.get(id));
            EstimateWatcher.Stages stages = watcher.stages(id, sentAtMillis.get(id));
            // Zero-padded so that sorting the lines sorts by total.
            measured.records().add(String.format("%09.1f  %s  %s", total, stages == null ? "-" : stages.relayed() + " / "
                    + stages.computed() + " / " + stages.published() + " / " + stages.read(),
                    java.time.Instant.ofEpochMilli(sentAtMillis.get(id))));
            if (stages != null) {
                measured.relayed().add(stages.relayed());
                measured.computed().add(stages.computed());
                measured.published().add(stages.published());
                measured.read().add(stages.read());
            }
        }
        return measured;
    }
}
