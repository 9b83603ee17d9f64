package org.livingevidence.benchmarks.load;

import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

/**
 * A flood of uploads: {@code --uploads} (100) imports of {@code --rows} (300) rows each sent at once, none retried,
 * while a curator enters one record every 250 ms. Prints how the uploads were answered (accepted, turned away with
 * 429) and how long the curator's records took: study-service must turn the excess away rather than let it hold the
 * request threads the curator needs.
 */
final class UploadFlood implements Scenario {

    @Override
    public void run(Stack stack, Arguments arguments) throws Exception {
        int uploads = arguments.getInt("uploads", 100);
        int rows = arguments.getInt("rows", 300);
        String run = arguments.get("run", Long.toString(System.currentTimeMillis(), 36));
        Curation curation = new Curation(stack, new SyntheticRecords(run + "f", run.hashCode()));
        List<String> questions = curation.questions(2, false);
        String flooded = questions.get(0);
        String curated = questions.get(1);
        String body = curation.importBody(0, rows);
        curation.record(curated, 0); // the curator's path is warm before the flood

        Latencies accepted = new Latencies();
        Latencies turnedAway = new Latencies();
        Latencies curator = new Latencies();
        List<Integer> otherStatuses = new ArrayList<>();
        ExecutorService senders = Executors.newFixedThreadPool(uploads);
        List<Future<?>> sent = new ArrayList<>();
        for (int i = 0; i < uploads; i++) {
            sent.add(senders.submit(() -> {
                long start = System.nanoTime();
                HttpResponse<String> response = stack.post(stack.study(), "/api/v1/questions/" + flooded + "/outcome-records/import",
                        "application/x-ndjson", body);
                double millis = (System.nanoTime() - start) / 1e6;
                switch (response.statusCode()) {
                    case 200 -> accepted.add(millis);
                    case 429 -> turnedAway.add(millis);
                    default -> {
                        synchronized (otherStatuses) {
                            otherStatuses.add(response.statusCode());
                        }
                    }
                }
                return null;
            }));
        }
        Thread.sleep(500); // the uploads have arrived
        int n = 1;
        do {
            long start = System.nanoTime();
            curation.record(curated, n++);
            curator.add((System.nanoTime() - start) / 1e6);
            Thread.sleep(250);
        } while (sent.stream().anyMatch(f -> !f.isDone()));
        for (Future<?> f : sent) {
            f.get();
        }
        senders.shutdown();
        senders.awaitTermination(1, TimeUnit.MINUTES);
        System.out.printf("%d uploads of %d rows sent at once: %d accepted, %d turned away with 429, other answers %s%n",
                uploads, rows, accepted.count(), turnedAway.count(), otherStatuses);
        System.out.println("  accepted, upload to answer:    " + accepted.summary());
        System.out.println("  turned away, upload to answer: " + turnedAway.summary());
        System.out.println("  a curator's record meanwhile, submit to answer: " + curator.summary());
    }
}
