package org.livingevidence.study.outcomes;

import io.micronaut.context.annotation.Value;
import io.micronaut.context.event.StartupEvent;
import io.micronaut.runtime.event.annotation.EventListener;
import jakarta.annotation.PreDestroy;
import jakarta.inject.Singleton;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.livingevidence.contracts.events.OutcomeRecordRevised;
import org.livingevidence.contracts.events.StudyRevised;
import org.livingevidence.study.studies.StudyRepository;
import org.livingevidence.study.revisions.RevisionedCollection;
import org.livingevidence.support.work.PollingWorker;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A retracted study's results no longer count: this sweep retracts every active outcome record that cites one, each
 * as a revision of its own (with its event) attributed to {@code system:study-retraction}. Each record is its own
 * document, so the cascade is several writes, not one; a sweep that is interrupted or loses a race with a curator
 * simply finds the remaining records on its next pass ({@code evidence.retraction-sweep.interval}), so the
 * registry converges.
 */
@Singleton
public class StudyRetractionSweep {

    static final String ATTRIBUTION = "system:study-retraction";
    private static final Logger LOG = LoggerFactory.getLogger(StudyRetractionSweep.class);

    private final StudyRepository studies;
    private final OutcomeRecordRepository records;
    private final OutcomeRecordEntry entry;
    private final PollingWorker worker;

    StudyRetractionSweep(StudyRepository studies, OutcomeRecordRepository records, OutcomeRecordEntry entry,
                         @Value("${evidence.retraction-sweep.interval:10s}") Duration interval) {
        this.studies = studies;
        this.records = records;
        this.entry = entry;
        this.worker = new PollingWorker("study-retraction-sweep", interval, this::sweep);
    }

    @EventListener
    void onStartup(StartupEvent event) {
        worker.start();
    }

    /** Retracts the records of retracted studies; true when it retracted any (then the worker looks again at once). */
    boolean sweep() {
        Map<String, StudyRevised> retracted = studies.retracted().stream()
                .collect(Collectors.toMap(StudyRevised::studyId, Function.identity()));
        if (retracted.isEmpty()) {
            return false;
        }
        List<OutcomeRecordRevised> stale = records.activeOfStudies(retracted.keySet());
        int done = 0;
        for (OutcomeRecordRevised record : stale) {
            StudyRevised study = retracted.get(record.studyId());
            String reason = "study " + study.studyId() + " was retracted" + (study.reason() == null ? "" : ": " + study.reason());
            try {
                entry.retract(record, reason, ATTRIBUTION);
                done++;
            } catch (RevisionedCollection.StaleRevision e) {
                // A curator revised it meanwhile (412): the next pass reads the new revision.
                LOG.info("record {} changed during the retraction sweep; it is retried on the next pass", record.recordId());
            }
        }
        return done > 0;
    }

    @PreDestroy
    void stop() {
        worker.close();
    }
}
