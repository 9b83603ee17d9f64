package org.livingevidence.benchmarks.load;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

/**
 * Issue 13's bulk figures: {@code --questions} questions (200) with {@code --records} records each (100), uploaded
 * as JSON Lines imports, {@code --parallel} (4) at a time. Prints how fast study-service accepted the rows and how
 * fast the whole pipeline turned them into estimates: from the first upload to the moment every question's
 * estimate on {@code evidence.pooled-estimates.v1} counted all its records. {@code --questions 1 --records 5000}
 * is the one-question case. {@code --timeline true} also lists when each estimate of the run was first read here
 * (seconds from the first upload, question, studies counted) and when the last upload was answered: where an import's
 * end-to-end time goes after study-service has accepted it.
 */
final class BulkImport implements Scenario {

    @Override
    public void run(Stack stack, Arguments arguments) throws Exception {
        Result result = run(stack, arguments.getInt("questions", 200), arguments.getInt("records", 100),
                arguments.getInt("parallel", 4), arguments.get("run", Long.toString(System.currentTimeMillis(), 36)),
                arguments.isTrue("timeline"));
        result.print();
    }

    record Result(int questions, int records, double acceptSeconds, double endToEndSeconds, List<String> timeline) {
        void print() {
            int total = questions * records;
            if (!timeline.isEmpty()) {
                System.out.printf("estimates read (s from the first upload, question#studies); every upload answered at %.3f s:%n", acceptSeconds);
                timeline.forEach(line -> System.out.println("  " + line));
            }
            System.out.printf("bulk import of %,d records (%d questions x %d):%n", total, questions, records);
            System.out.printf("  accepted by study-service: %.1f s, %,.0f rows/s%n", acceptSeconds, total / acceptSeconds);
            System.out.printf("  import to last estimate:   %.1f s, %,.0f records/s end to end%n", endToEndSeconds, total / endToEndSeconds);
        }
    }

    static Result run(Stack stack, int questionCount, int records, int parallel, String run, boolean timeline) throws Exception {
        Curation curation = new Curation(stack, new SyntheticRecords(run, run.hashCode()));
        List<String> questions = curation.questions(questionCount, false);
        List<String> bodies = new ArrayList<>(questionCount);
        for (int q = 0; q < questionCount; q++) {
            bodies.add(curation.importBody(q * records, records));
        }
        try (EstimateWatcher watcher = new EstimateWatcher(stack.kafka())) {
            ExecutorService uploads = Executors.newFixedThreadPool(parallel);
            long start = System.nanoTime();
            List<Future<Integer>> accepted = new ArrayList<>();
            for (int q = 0; q < questionCount; q++) {
                String question = questions.get(q);
                String body = bodies.get(q);
                accepted.add(uploads.submit(() -> curation.upload(question, body)));
            }
            int rows = 0;
            for (Future<Integer> f : accepted) {
                rows += f.get();
            }
            long acceptedAt = System.nanoTime();
            uploads.shutdown();
            if (rows != questionCount * records) {
                throw new IllegalStateException("only " + rows + " rows were accepted");
            }
            EstimateWatcher.await(() -> questions.stream().allMatch(q -> watcher.k(q) >= records), Duration.ofMinutes(15),
                    "every question's estimate to count its records");
            long done = questions.stream().mapToLong(q -> watcher.reachedAt(q, records)).max().orElseThrow();
            uploads.awaitTermination(1, TimeUnit.SECONDS);
            return new Result(questionCount, records, (acceptedAt - start) / 1e9, (done - start) / 1e9,
                    timeline ? watcher.timeline(start) : List.of());
        }
    }
}
