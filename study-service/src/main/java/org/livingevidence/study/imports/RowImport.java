package org.livingevidence.study.imports;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;
import io.micronaut.security.authentication.Authentication;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micronaut.context.annotation.Value;
import jakarta.inject.Singleton;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Semaphore;
import org.livingevidence.study.outcomes.OutcomeRecordEntry;
import org.livingevidence.study.outcomes.OutcomeRecordRequest;
import org.livingevidence.support.digest.Sha256;
import org.livingevidence.support.problems.InputProblem;
import org.livingevidence.support.problems.MalformedBodyHandler;
import org.livingevidence.support.problems.Problem.FieldError;

/**
 * Stores parsed import rows as outcome records of one question, in batches, each row on its own (one bad row does
 * not stop the others) and atomically with its event. A row's idempotency key is a digest of the question and the
 * row, so uploading the same rows again changes nothing (they come back UNCHANGED).
 */
@Singleton
class RowImport {

    /** Rows checked and written together. */
    static final int BATCH = 500;

    private final OutcomeRecordEntry entry;
    private final ObjectMapper mapper;
    /**
     * Batches written at once, across every upload on this instance; the others wait their turn, in order. Uploads in
     * parallel beyond it add no speed on a few cores, and every write they add is one a curator's record waits behind
     * (the embedded MongoDB server runs one command at a time per collection): docs/performance.md.
     */
    private final Semaphore writers;

    private final ImportPace pace;

    RowImport(OutcomeRecordEntry entry, ObjectMapper mapper, @Value("${evidence.imports.concurrent-writes:2}") int concurrentWrites,
              ImportPace pace, MeterRegistry registry) {
        if (concurrentWrites < 1) {
            throw new IllegalArgumentException("evidence.imports.concurrent-writes must be at least 1, not " + concurrentWrites);
        }
        this.entry = entry;
        this.mapper = mapper;
        this.pace = pace;
        this.writers = new Semaphore(concurrentWrites, true);
        Gauge.builder("evidence.imports.writes.waiting", writers, Semaphore::getQueueLength)
                .description("import batches waiting for their turn to be written (evidence.imports.concurrent-writes)").register(registry);
    }

    ImportReport store(String questionId, List<ImportRows.Row> rows, Authentication curator, String keyOwner) {
        ImportReport.RowResult[] results = new ImportReport.RowResult[rows.size()];
        List<Integer> readable = new ArrayList<>();
        List<OutcomeRecordEntry.Candidate> candidates = new ArrayList<>();
        for (int i = 0; i < rows.size(); i++) {
            ImportRows.Row row = rows.get(i);
            try {
                candidates.add(candidate(questionId, row));
                readable.add(i);
            } catch (RowRefused refused) {
                results[i] = rejected(row, refused.errors);
            }
        }
        // Stored in batches: each batch's checks and writes are a few round trips, whatever its size.
        for (int from = 0; from < candidates.size(); from += BATCH) {
            int to = Math.min(candidates.size(), from + BATCH);
            List<OutcomeRecordEntry.Added> added;
            pace.awaitTurn(to - from);
            writers.acquireUninterruptibly();
            try {
                added = entry.addAll(questionId, candidates.subList(from, to), curator, keyOwner,
                        org.livingevidence.support.outbox.Outbox.Lane.BULK);
            } finally {
                writers.release();
            }
            for (int n = from; n < to; n++) {
                ImportRows.Row row = rows.get(readable.get(n));
                OutcomeRecordEntry.Added a = added.get(n - from);
                results[readable.get(n)] = a.refused() != null ? rejected(row, errorsOf(a.refused()))
                        : new ImportReport.RowResult(row.number(), a.created().replayed() ? ImportReport.RowStatus.UNCHANGED
                        : ImportReport.RowStatus.ACCEPTED, a.created().entity().recordId(), List.of());
            }
        }
        return ImportReport.of(List.of(results));
    }

    /** A row that cannot become a request, with why. */
    private static final class RowRefused extends Exception {
        private final List<FieldError> errors;

        RowRefused(List<FieldError> errors) {
            super(null, null, false, false);
            this.errors = errors;
        }
    }

    /** The row as a request, with its idempotency key: a digest of the question and the row. */
    private OutcomeRecordEntry.Candidate candidate(String questionId, ImportRows.Row row) throws RowRefused {
        if (row.unreadable() != null) {
            throw new RowRefused(List.of(new FieldError("row", row.unreadable())));
        }
        try {
            OutcomeRecordRequest request = mapper.treeToValue(row.body(), OutcomeRecordRequest.class);
            if (request == null) {
                throw new RowRefused(List.of(new FieldError("row", "is empty")));
            }
            String key = "import-" + Sha256.hex(questionId + "\n" + mapper.writeValueAsString(row.body())).substring(0, 32);
            return new OutcomeRecordEntry.Candidate(request, key);
        } catch (JsonMappingException e) {
            String field = MalformedBodyHandler.fieldPath(e);
            String message = e instanceof UnrecognizedPropertyException ? "is not a known field (see the documented columns)"
                    : e.getOriginalMessage().lines().findFirst().orElse("");
            throw new RowRefused(List.of(new FieldError(field.isEmpty() ? "row" : field, message)));
        } catch (JsonProcessingException e) {
            throw new RowRefused(List.of(new FieldError("row", e.getOriginalMessage())));
        }
    }

    private static List<FieldError> errorsOf(InputProblem problem) {
        return problem.errors().isEmpty() ? List.of(new FieldError("row", problem.getMessage())) : problem.errors();
    }

    private static ImportReport.RowResult rejected(ImportRows.Row row, List<FieldError> errors) {
        return new ImportReport.RowResult(row.number(), ImportReport.RowStatus.REJECTED, null, errors);
    }

}
