package org.livingevidence.infrastructure.mongo;

import de.bwaldvogel.mongo.bson.Document;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;

/**
 * Counts the commands the server handles, per database, collection and command: how many, how many documents they
 * carried (inserted, updated or deleted), and the time spent in them (including waits for a collection's lock).
 * Rewritten to a file every two seconds, so a load run can be measured by diffing two copies of it.
 * A profiling aid ({@code EVIDENCE_MONGO_CENSUS=<file>}), off by default.
 */
final class CommandCensus implements AutoCloseable {

    private static final List<String> DOCUMENT_LISTS = List.of("documents", "updates", "deletes");

    private final Map<String, Tally> tallies = new ConcurrentHashMap<>();
    private final Path file;
    private final Thread writer;

    private CommandCensus(Path file) {
        this.file = file;
        this.writer = new Thread(this::writeEveryTwoSeconds, "command-census");
        writer.setDaemon(true);
    }

    static CommandCensus writingTo(Path file) {
        CommandCensus census = new CommandCensus(file);
        census.writer.start();
        return census;
    }

    /** Stops writing (the file keeps the last counts). */
    @Override
    public void close() {
        writer.interrupt();
    }

    void count(String database, Document command, long nanos) {
        String name = command.keySet().iterator().next();
        Object collection = command.get(name);
        String key = database + "." + (collection instanceof String s ? s : "-") + " " + name;
        int documents = 0;
        for (String list : DOCUMENT_LISTS) {
            if (command.get(list) instanceof List<?> items) {
                documents += items.size();
            }
        }
        Tally tally = tallies.computeIfAbsent(key, k -> new Tally());
        tally.commands.increment();
        tally.documents.add(documents);
        tally.nanos.add(nanos);
    }

    private void writeEveryTwoSeconds() {
        while (true) {
            try {
                Thread.sleep(2_000);
                StringBuilder lines = new StringBuilder("# command  commands  documents  milliseconds\n");
                new TreeMap<>(tallies).forEach((key, t) -> lines.append(String.format("%s %d %d %d%n",
                        key, t.commands.sum(), t.documents.sum(), t.nanos.sum() / 1_000_000)));
                Files.writeString(file, lines);
            } catch (InterruptedException e) {
                return;
            } catch (IOException e) {
                System.err.println("command census: cannot write " + file + ": " + e);
            }
        }
    }

    private static final class Tally {
        final LongAdder commands = new LongAdder();
        final LongAdder documents = new LongAdder();
        final LongAdder nanos = new LongAdder();
    }
}
