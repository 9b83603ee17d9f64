package org.livingevidence.benchmarks.load;

import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * Issue 13's fairness figure: while {@code --questions} x {@code --records} (200 x 100) are imported on other
 * questions, a curator enters one record per second on question X; the submit-to-estimate latency of X's records.
 */
final class CuratorDuringImport implements Scenario {

    @Override
    public void run(Stack stack, Arguments arguments) throws Exception {
        String run = arguments.get("run", Long.toString(System.currentTimeMillis(), 36));
        Curation curation = new Curation(stack, new SyntheticRecords(run + "x", run.hashCode()));
        List<String> questionX = curation.questions(1, false);
        try (EstimateWatcher watcher = new EstimateWatcher(stack.kafka())) {
            CompletableFuture<BulkImport.Result> bulk = CompletableFuture.supplyAsync(() -> {
                try {
                    return BulkImport.run(stack, arguments.getInt("questions", 200), arguments.getInt("records", 100),
                            arguments.getInt("parallel", 4), run, false);
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
            });
            Thread.sleep(2_000); // the import is under way
            SteadyRate.Measured measured = new SteadyRate.Measured();
            int n = 0;
            while (!bulk.isDone()) {
                measured.add(SteadyRate.measure(curation, watcher, questionX, 1, 1, n++));
            }
            bulk.join().print();
            System.out.printf("single records on another question during the import: %s%n", measured.total().summary());
            measured.printStages();
            measured.printSlowest(arguments.getInt("slowest", 0));
        }
    }
}
