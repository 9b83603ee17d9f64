package org.livingevidence.analysis.projections;

import io.micronaut.context.annotation.Value;
import jakarta.inject.Singleton;
import java.time.Clock;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.List;
import java.util.Optional;
import org.livingevidence.analysis.pooling.EstimateCalculator;
import org.livingevidence.analysis.pooling.ShiftDetector;
import org.livingevidence.analysis.projections.QuestionProjection.QuestionState;
import org.livingevidence.analysis.projections.QuestionProjection.RecordState;
import org.livingevidence.contracts.FieldLimits;
import org.livingevidence.contracts.events.Conclusion;
import org.livingevidence.contracts.events.ConclusionShifted;
import org.livingevidence.contracts.events.OutcomeRecordRevised;
import org.livingevidence.contracts.events.ReportedOutcome;
import org.livingevidence.contracts.events.PooledEstimateComputed;
import org.livingevidence.contracts.events.QuestionRevised;
import org.livingevidence.contracts.events.Trigger;
import org.livingevidence.metaanalysis.conclusions.Hysteresis;
import org.livingevidence.metaanalysis.sequential.LookCache;
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
    /**
     * What a question's document may hold of unpublished events (characters of JSON): estimates list every study's
     * contribution, so at 5,000 studies each is about 2 MB, and this keeps the document far below MongoDB's 16 MB.
     */
    static final long MAX_UNPUBLISHED_CHARS = 6L * 1024 * 1024;

    private final ProjectionRepository repository;
    private final Outbox outbox;
    private final Clock clock;
    private final Hysteresis hysteresis;
    private final Timer analysisTime;
    /**
     * Each question's sequential looks from its last estimate, so a new record fits one look, not all of them. Only
     * a cache: an evicted or restarted one is rebuilt by the next estimate. Bounded, least recently used first out.
     */
    private final Map<String, LookCache> looks = java.util.Collections.synchronizedMap(new LinkedHashMap<>(256, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, LookCache> eldest) {
            return size() > LOOK_CACHES;
        }
    });
    private static final int LOOK_CACHES = 2_000;

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
        handleAll(List.of(event));
    }

    /**
     * Applies a batch once per question: each question's projection is read once, every newer revision in the batch
     * is applied in order, one estimate follows (listing every change in {@code triggers}), and all the questions'
     * writes go out together. A question with more changes than one estimate may list gets one estimate per
     * {@link FieldLimits#TRIGGERS_PER_ESTIMATE} of them.
     */
    @Override
    public void handleAll(List<IncomingEvent> events) {
        Map<String, List<Object>> byQuestion = new LinkedHashMap<>();
        for (IncomingEvent event : events) {
            switch (event.type()) {
                case QUESTION_REVISED -> {
                    QuestionRevised q = event.payload(QuestionRevised.class);
                    byQuestion.computeIfAbsent(q.questionId(), id -> new ArrayList<>()).add(q);
                }
                case OUTCOME_RECORD_REVISED -> {
                    OutcomeRecordRevised r = event.payload(OutcomeRecordRevised.class);
                    byQuestion.computeIfAbsent(r.questionId(), id -> new ArrayList<>()).add(r);
                }
                default -> LOG.debug("ignoring {}", event.type());
            }
        }
        if (byQuestion.isEmpty()) {
            return;
        }
        Map<String, ProjectionRepository.Loaded> loaded = repository.loadAllForUpdate(byQuestion.keySet());
        List<ProjectionRepository.Save> saves = new ArrayList<>();
        for (Map.Entry<String, List<Object>> question : byQuestion.entrySet()) {
            ProjectionRepository.Loaded current = loaded.get(question.getKey());
            if (current.unpublishedBytes() >= MAX_UNPUBLISHED_CHARS) {
                throw new TransientFailure.Backpressure("question " + question.getKey() + " has " + current.unpublishedBytes()
                        + " characters of events waiting to be published; its next events wait for them");
            }
            Optional<ProjectionRepository.Save> save = apply(current.projection(), question.getValue());
            save.ifPresent(saves::add);
        }
        repository.saveAll(saves);
    }

    /** The write that applies {@code changes} to {@code projection}, or nothing when none of them is newer. */
    private Optional<ProjectionRepository.Save> apply(QuestionProjection projection, List<Object> changes) {
        QuestionProjection next = projection;
        List<OutboxEvent> owed = new ArrayList<>();
        Map<String, RecordState> pendingRecords = new LinkedHashMap<>();
        Map<String, Long> held = new HashMap<>();
        projection.records().forEach(r -> held.put(r.recordId(), r.revision()));
        List<Trigger> triggers = new ArrayList<>();
        for (Object change : changes) {
            Trigger trigger = null;
            if (change instanceof QuestionRevised q) {
                QuestionState known = next.question();
                if (known == null || known.revision() < q.revision()) {
                    next = next.withRecords(pendingRecords.values()).withQuestion(new QuestionState(q.revision(), q.title(),
                            q.effectMeasure(), q.benefitDirection(), q.settings(), q.tags(), q.pico() == null ? null : q.pico().outcome()));
                    pendingRecords.clear();
                    trigger = new Trigger(Trigger.Kind.QUESTION, q.questionId(), q.revision(), q.title(), Trigger.Change.REVISED);
                }
            } else if (change instanceof OutcomeRecordRevised r) {
                Long revision = held.get(r.recordId());
                if (revision == null || revision < r.revision()) {
                    Trigger.Change how = r.status() == OutcomeRecordRevised.RecordStatus.RETRACTED ? Trigger.Change.RETRACTED
                            : revision != null ? Trigger.Change.REVISED : Trigger.Change.ADDED;
                    held.put(r.recordId(), r.revision());
                    pendingRecords.put(r.recordId(), new RecordState(r.recordId(), r.revision(), r.status(), r.studyLabel(),
                            r.publicationYear(), r.studyDesign(), r.derived().estimate(), r.derived().standardError(),
                            r.reported() instanceof ReportedOutcome.EventsAndTotals t ? new RecordState.Counts(t.eventsIntervention(),
                                    t.totalIntervention(), t.eventsComparator(), t.totalComparator()) : null, org.livingevidence.analysis.plots.DerivationNote.of(r.derived())));
                    trigger = new Trigger(Trigger.Kind.OUTCOME_RECORD, r.recordId(), r.revision(), r.studyLabel(), how);
                }
            }
            if (trigger != null) {
                triggers.add(trigger);
                if (triggers.size() == FieldLimits.TRIGGERS_PER_ESTIMATE) {
                    next = recompute(next.withRecords(pendingRecords.values()), triggers, owed);
                    pendingRecords.clear();
                    triggers = new ArrayList<>();
                }
            }
        }
        if (!triggers.isEmpty()) {
            next = recompute(next.withRecords(pendingRecords.values()), triggers, owed);
        }
        return next == projection ? Optional.empty() : Optional.of(new ProjectionRepository.Save(next, owed));
    }

    /** The projection with its next estimate, adding what it owes (the estimate, and any shift) to {@code owed}. */
    private QuestionProjection recompute(QuestionProjection projection, List<Trigger> triggers, List<OutboxEvent> owed) {
        if (projection.question() == null) {
            // Records that arrive before their question (they travel on different topics) are held until the
            // question's event says how to pool and what benefit means.
            LOG.info("question {} not yet known; holding {} record revisions", projection.questionId(), triggers.size());
            return projection;
        }
        if (projection.activeRecords().isEmpty()) {
            return projection.withEstimate(null, projection.lastConclusion());
        }
        long started = System.nanoTime();
        LookCache questionLooks = projection.question().settings().tsa() == null ? new LookCache()
                : looks.computeIfAbsent(projection.questionId(), id -> new LookCache());
        PooledEstimateComputed estimate = EstimateCalculator.estimate(projection, List.copyOf(triggers), clock.instant(), questionLooks);
        analysisTime.record(System.nanoTime() - started, java.util.concurrent.TimeUnit.NANOSECONDS);
        owed.add(outbox.event(estimate, estimate.questionId()));
        Conclusion before = projection.latestEstimate() == null ? null : projection.latestEstimate().conclusion();
        Optional<ConclusionShifted> shift = ShiftDetector.detect(projection.lastConclusion(), before, estimate,
                EstimateCalculator.frame(projection.question()), hysteresis);
        shift.ifPresent(sh -> owed.add(outbox.event(sh, sh.questionId())));
        // Subscribers keep the conclusion they were last told of until a shift clears the hysteresis margin.
        boolean newBaseline = projection.lastConclusion() == null || shift.isPresent();
        return projection.withEstimate(estimate, newBaseline ? estimate.conclusion() : projection.lastConclusion());
    }

}
