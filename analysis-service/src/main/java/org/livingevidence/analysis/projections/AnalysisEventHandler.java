package org.livingevidence.analysis.projections;

import io.micronaut.context.annotation.Value;
import jakarta.inject.Singleton;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.livingevidence.analysis.pooling.EstimateCalculator;
import org.livingevidence.analysis.pooling.ShiftDetector;
import org.livingevidence.analysis.projections.QuestionProjection.QuestionState;
import org.livingevidence.analysis.projections.QuestionProjection.RecordState;
import org.livingevidence.contracts.events.ConclusionShifted;
import org.livingevidence.contracts.events.OutcomeRecordRevised;
import org.livingevidence.contracts.events.PooledEstimateComputed;
import org.livingevidence.contracts.events.QuestionRevised;
import org.livingevidence.contracts.events.Trigger;
import org.livingevidence.metaanalysis.conclusions.Hysteresis;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import org.livingevidence.support.events.EventHandler;
import org.livingevidence.support.events.TransientFailure;
import org.livingevidence.support.events.IncomingEvent;
import org.livingevidence.support.outbox.Outbox;
import org.livingevidence.support.outbox.OutboxEvent;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Applies question and outcome-record revisions to the question's projection, recomputes the pooled estimate, and
 * owes the estimate (and any conclusion shift) as events, all in one write. A revision not newer than the one held
 * changes nothing, so replays and redeliveries are harmless.
 */
@Singleton
public class AnalysisEventHandler implements EventHandler {

    private static final Logger LOG = LoggerFactory.getLogger(AnalysisEventHandler.class);
    /** Estimates of one question that may wait for the relay at once (each lists every study's contribution). */
    static final int MAX_UNPUBLISHED_ESTIMATES = 2;

    private final ProjectionRepository repository;
    private final Outbox outbox;
    private final Clock clock;
    private final Hysteresis hysteresis;
    private final Timer analysisTime;

    AnalysisEventHandler(ProjectionRepository repository, Outbox outbox, Clock clock, MeterRegistry registry,
                         @Value("${evidence.conclusions.hysteresis-z:0.1}") double hysteresisZ) {
        this.repository = repository;
        this.outbox = outbox;
        this.clock = clock;
        this.hysteresis = new Hysteresis(hysteresisZ);
        this.analysisTime = Timer.builder("evidence.analysis.estimate").description("time to recompute a question's estimate")
                .register(registry);
    }

    @Override
    public void handle(IncomingEvent event) {
        switch (event.type()) {
            case QUESTION_REVISED -> onQuestion(event.payload(QuestionRevised.class));
            case OUTCOME_RECORD_REVISED -> onRecord(event.payload(OutcomeRecordRevised.class));
            default -> LOG.debug("ignoring {}", event.type());
        }
    }

    void onQuestion(QuestionRevised q) {
        QuestionProjection projection = load(q.questionId());
        if (projection.question() != null && projection.question().revision() >= q.revision()) {
            return;
        }
        QuestionProjection updated = projection.withQuestion(new QuestionState(q.revision(), q.title(), q.effectMeasure(),
                q.benefitDirection(), q.settings(), q.tags()));
        recomputeAndSave(updated, new Trigger("QUESTION", q.questionId(), q.revision(), q.title(), "REVISED"));
    }

    void onRecord(OutcomeRecordRevised r) {
        QuestionProjection projection = load(r.questionId());
        Optional<RecordState> held = projection.record(r.recordId());
        if (held.isPresent() && held.get().revision() >= r.revision()) {
            return;
        }
        String change = r.status() == OutcomeRecordRevised.RecordStatus.RETRACTED ? "RETRACTED"
                : held.isPresent() ? "REVISED" : "ADDED";
        QuestionProjection updated = projection.withRecord(new RecordState(r.recordId(), r.revision(), r.status(),
                r.studyLabel(), r.publicationYear(), r.studyDesign(), r.derived().estimate(), r.derived().standardError()));
        recomputeAndSave(updated, new Trigger("OUTCOME_RECORD", r.recordId(), r.revision(), r.studyLabel(), change));
    }

    /**
     * The question's projection, unless its estimates are piling up unpublished (the relay cannot reach Kafka): then
     * the event waits, so the document that holds them stays far below MongoDB's 16 MB limit.
     */
    private QuestionProjection load(String questionId) {
        ProjectionRepository.Loaded loaded = repository.loadForUpdate(questionId);
        if (loaded.unpublishedEstimates() >= MAX_UNPUBLISHED_ESTIMATES) {
            throw new TransientFailure("question " + questionId + " has " + loaded.unpublishedEstimates()
                    + " estimates waiting to be published; its next event waits for them");
        }
        return loaded.projection();
    }

    private void recomputeAndSave(QuestionProjection projection, Trigger trigger) {
        List<OutboxEvent> events = new ArrayList<>();
        QuestionProjection next = projection;
        if (projection.question() == null) {
            // The record arrived before its question (they travel on different topics): hold it until the
            // question says how to pool and what benefit means.
            LOG.info("question {} not yet known; holding record {}", projection.questionId(), trigger.id());
        } else if (projection.activeRecords().isEmpty()) {
            next = projection.withEstimate(null, projection.lastConclusion());
        } else {
            long started = System.nanoTime();
            PooledEstimateComputed estimate = EstimateCalculator.estimate(projection, trigger, clock.instant());
            analysisTime.record(System.nanoTime() - started, java.util.concurrent.TimeUnit.NANOSECONDS);
            events.add(outbox.event(estimate, estimate.questionId()));
            Optional<ConclusionShifted> shift = ShiftDetector.detect(projection.lastConclusion(), estimate,
                    EstimateCalculator.frame(projection.question()), hysteresis);
            shift.ifPresent(s -> events.add(outbox.event(s, s.questionId())));
            // Subscribers keep the conclusion they were last told of until a shift clears the hysteresis margin.
            boolean newBaseline = projection.lastConclusion() == null || shift.isPresent();
            next = projection.withEstimate(estimate, newBaseline ? estimate.conclusion() : projection.lastConclusion());
        }
        repository.save(next, events);
    }
}
