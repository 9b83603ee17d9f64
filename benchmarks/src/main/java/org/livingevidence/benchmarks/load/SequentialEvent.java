package org.livingevidence.benchmarks.load;

import java.time.Duration;
import java.util.List;

/**
 * Issue 13's "one event on a question with k = 5,000 and a trial sequential plan", as a curator sees it: one question
 * with a trial sequential analysis plan (REML, HKSJ) is filled by an import to {@code --records} (5,000, the most a
 * question takes) less {@code --singles} (20); then the singles are entered one at a time, each published after all
 * the others (the living case: one look is added at the end) and entered once the previous one's estimate is out, so
 * the last one is the k-th. Prints each one's submit-to-estimate latency, split by stage. The computation alone is
 * JMH's {@code SequentialLookBenchmark}.
 */
final class SequentialEvent implements Scenario {

    /** Rows per upload: well within an import's limits. */
    private static final int UPLOAD = 1_000;

    @Override
    public void run(Stack stack, Arguments arguments) throws Exception {
        String run = arguments.get("run", Long.toString(System.currentTimeMillis(), 36));
        int records = arguments.getInt("records", 5_000);
        int singles = arguments.getInt("singles", 20);
        int imported = records - singles;
        SyntheticRecords data = new SyntheticRecords(run, run.hashCode()).latestFrom(imported);
        Curation curation = new Curation(stack, data);
        List<String> question = curation.questions(1, true);
        try (EstimateWatcher watcher = new EstimateWatcher(stack.kafka())) {
            long start = System.nanoTime();
            for (int from = 0; from < imported; from += UPLOAD) {
                curation.upload(question.get(0), curation.importBody(from, Math.min(UPLOAD, imported - from)));
            }
            EstimateWatcher.await(() -> watcher.k(question.get(0)) >= imported, Duration.ofMinutes(15),
                    "the question's estimate to count its records");
            System.out.printf("%,d records imported into one question with a trial sequential plan: %.1f s to its estimate%n",
                    imported, (watcher.reachedAt(question.get(0), imported) - start) / 1e9);
            SteadyRate.Measured measured = new SteadyRate.Measured();
            for (int i = 0; i < singles; i++) {
                measured.add(SteadyRate.measure(curation, watcher, question, 1, 1, imported + i));
            }
            System.out.printf("one record at a time, k = %,d to %,d, submit to estimate event: %s%n", imported + 1, records,
                    measured.total().summary());
            measured.printStages();
            measured.printSlowest(arguments.getInt("slowest", 0));
        }
    }
}
