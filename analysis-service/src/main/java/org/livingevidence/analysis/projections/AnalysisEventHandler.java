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
import org.livingevidence.support.events.Failures;
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
    /**
     * A question with at most this many changes in a batch that also holds larger ones is written first: a curator
     * enters records one or two at a time, an import hundreds.
     */
    static final int FEW_CHANGES = 2;

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
    /**
     * While a rebuild replays the topics ({@link Rebuild}), batches fold their changes into the projections without
     * publishing; the lock lets the rebuild's end wait for a batch under way before it publishes what was folded.
     */
    private volatile boolean quiet;
    private final java.util.concurrent.locks.ReentrantReadWriteLock mode = new java.util.concurrent.locks.ReentrantReadWriteLock();
    /** Questions quiet batches wrote since the end of a rebuild began: its last pass, under the lock, looks at them again. */
    private final java.util.Set<String> foldedSince = java.util.concurrent.ConcurrentHashMap.newKeySet();

    private final io.micrometer.core.instrument.Counter endPassSkipped;

    AnalysisEventHandler(ProjectionRepository repository, Outbox outbox, Clock clock, MeterRegistry registry,
                         @Value("${evidence.conclusions.hysteresis-z:0.1}") double hysteresisZ) {
        this.repository = repository;
        this.outbox = outbox;
        this.clock = clock;
        this.hysteresis = new Hysteresis(hysteresisZ);
        this.analysisTime = Timer.builder("evidence.analysis.estimate").description("time to recompute a question's estimate")
                .register(registry);
        this.endPassSkipped = io.micrometer.core.instrument.Counter.builder("evidence.analysis.rebuild.skipped")
                .description("questions the end of a rebuild could not publish (logged); they go out with their next change")
                .register(registry);
    }

    @Override
    public void handle(IncomingEvent event) {
        handleAll(List.of(event));
    }

    /**
     * Applies a batch once per question: each question's projection is read once, every newer revision in the batch
     * is applied in order, one estimate follows (listing every change in {@code triggers}), and the questions' writes
     * go out together: in two writes when questions with {@link #FEW_CHANGES} or fewer come with larger ones, the
     * few first. A question with more changes than one estimate may list gets one estimate per
     * {@link FieldLimits#TRIGGERS_PER_ESTIMATE} of them.
     */
    @Override
    public void handleAll(List<IncomingEvent> events) {
        Map<String, List<Object>> byQuestion = new LinkedHashMap<>();
        java.util.Set<String> interactive = new java.util.HashSet<>();
        for (IncomingEvent event : events) {
            String questionId = switch (event.type()) {
                case QUESTION_REVISED -> {
                    QuestionRevised q = event.payload(QuestionRevised.class);
                    byQuestion.computeIfAbsent(q.questionId(), id -> new ArrayList<>()).add(q);
                    yield q.questionId();
                }
                case OUTCOME_RECORD_REVISED -> {
                    OutcomeRecordRevised r = event.payload(OutcomeRecordRevised.class);
                    byQuestion.computeIfAbsent(r.questionId(), id -> new ArrayList<>()).add(r);
                    yield r.questionId();
                }
                default -> {
                    LOG.debug("ignoring {}", event.type());
                    yield null;
                }
            };
            if (questionId != null && !event.bulk()) {
                interactive.add(questionId);
            }
        }
        if (byQuestion.isEmpty()) {
            return;
        }
        mode.readLock().lock();
        try {
            boolean folding = quiet;
            // A quiet batch continues no numbering: the estimate history may still be being read. The end does.
            Map<String, ProjectionRepository.Loaded> loaded = repository.loadAll(byQuestion.keySet(),
                    folding ? ProjectionRepository.Continuing.NONE : ProjectionRepository.Continuing.NEW);
            List<Map.Entry<String, List<Object>>> few = new ArrayList<>();
            List<Map.Entry<String, List<Object>>> many = new ArrayList<>();
            for (Map.Entry<String, List<Object>> question : byQuestion.entrySet()) {
                (question.getValue().size() <= FEW_CHANGES ? few : many).add(question);
            }
            try {
                if (!folding && !few.isEmpty() && !many.isEmpty()) {
                    // A curator's record among an import's: its question is computed and written first, in a write
                    // of its own, so that its estimate goes out without waiting for the import's questions. A failure
                    // of the second part (its write, a question refused for backpressure, or one another writer kept
                    // changing) repeats the batch, and the first part's changes are then no longer newer: nothing is
                    // written or published twice.
                    save(few, loaded, false, interactive);
                    save(many, loaded, false, interactive);
                } else {
                    save(new ArrayList<>(byQuestion.entrySet()), loaded, folding, interactive);
                }
            } finally {
                // After the writes (some may have landed before a failure), so a pass that began before them sees them.
                if (folding) {
                    foldedSince.addAll(byQuestion.keySet());
                }
            }
        } finally {
            mode.readLock().unlock();
        }
    }

    /** How often a batch's questions that another writer changed meanwhile are read and applied again at once. */
    static final int SAVE_ATTEMPTS = 3;

    /**
     * Writes the questions' changes. A question another writer changed since it was read (the {@link
     * org.livingevidence.support.events.InteractiveLane} applying a person's record first, another instance) is read
     * and applied again here, where only its changes still newer are written, rather than by the consumer, which would
     * pause the partition and handle the whole poll again.
     */
    private void save(List<Map.Entry<String, List<Object>>> questions, Map<String, ProjectionRepository.Loaded> loaded, boolean folding,
                      java.util.Set<String> interactive) {
        List<Map.Entry<String, List<Object>>> pending = questions;
        Map<String, ProjectionRepository.Loaded> current = loaded;
        for (int attempt = 1; ; attempt++) {
            try {
                repository.saveAll(changes(pending, current, folding, interactive));
                return;
            } catch (ProjectionRepository.ConcurrentProjectionUpdate e) {
                if (attempt == SAVE_ATTEMPTS) {
                    throw e;
                }
                java.util.Set<String> lost = java.util.Set.copyOf(e.questionIds());
                pending = pending.stream().filter(q -> lost.contains(q.getKey())).toList();
                current = repository.loadAll(pending.stream().map(Map.Entry::getKey).toList(),
                        folding ? ProjectionRepository.Continuing.NONE : ProjectionRepository.Continuing.NEW);
            }
        }
    }

    /**
     * The writes that apply (or fold in) each question's changes; a question's estimates wait in the relay's bulk lane
     * unless one of its changes is not an import's ({@link IncomingEvent#bulk}), so that the estimate a curator
     * waits for goes out ahead of an import's.
     */
    private List<ProjectionRepository.Save> changes(List<Map.Entry<String, List<Object>>> questions,
                                                    Map<String, ProjectionRepository.Loaded> loaded, boolean folding,
                                                    java.util.Set<String> interactive) {
        List<ProjectionRepository.Save> saves = new ArrayList<>();
        for (Map.Entry<String, List<Object>> question : questions) {
            ProjectionRepository.Loaded current = loaded.get(question.getKey());
            if (current.unpublishedBytes() >= MAX_UNPUBLISHED_CHARS) {
                throw new TransientFailure.Backpressure("question " + question.getKey() + " has " + current.unpublishedBytes()
                        + " characters of events waiting to be published; its next events wait for them");
            }
            Optional<ProjectionRepository.Save> save = folding ? fold(current.projection(), question.getValue())
                    : apply(current.projection(), question.getValue());
            save.map(s -> s.over(current.projection()).in(interactive.contains(question.getKey()) ? Outbox.Lane.INTERACTIVE : Outbox.Lane.BULK))
                    .ifPresent(saves::add);
        }
        return saves;
    }

    /** From now until {@link #publishFolded}, batches fold their changes in without publishing (a rebuild replays). */
    void foldQuietly() {
        quiet = true;
    }

    boolean folding() {
        return quiet;
    }

    /**
     * Ends quiet folding: publishes, for each question, one estimate where what it would publish now differs from its
     * latest published one (changes folded in since, or figures that differ), and from then on every batch publishes
     * as usual. A first pass over {@code questionIds} runs while batches go on folding; the second, over the
     * questions they wrote meanwhile, holds the lock, so no batch publishes a question whose folded changes are not
     * yet listed, and the consumer waits only for that short pass. Returns how many questions it published.
     */
    int publishFolded(java.util.function.Supplier<List<String>> questionIds) {
        foldedSince.clear();
        int published = publishFolded(questionIds.get());
        mode.writeLock().lock();
        try {
            published += publishFolded(List.copyOf(foldedSince));
            quiet = false;
            foldedSince.clear();
            return published;
        } finally {
            mode.writeLock().unlock();
        }
    }

    private static final int PAGE = 100;

    private int publishFolded(List<String> questionIds) {
        int published = 0;
        for (int from = 0; from < questionIds.size(); from += PAGE) {
            published += publishFoldedPage(questionIds.subList(from, Math.min(questionIds.size(), from + PAGE)));
        }
        return published;
    }

    private int publishFoldedPage(List<String> questionIds) {
        for (int attempt = 1; ; attempt++) {
            List<ProjectionRepository.Save> saves = new ArrayList<>();
            for (ProjectionRepository.Loaded loaded : repository.loadAll(questionIds, ProjectionRepository.Continuing.ALL).values()) {
                // Numbering continues from the latest published estimate even where nothing is published now.
                Optional<ProjectionRepository.Save> continued = loaded.continued()
                        ? Optional.of(new ProjectionRepository.Save(loaded.projection(), List.of(), true)) : Optional.empty();
                try {
                    // The end publishes every question at once: behind any estimate a person waits for.
                    publishIfChanged(loaded.projection()).or(() -> continued).map(s -> s.over(loaded.projection()).in(Outbox.Lane.BULK))
                            .ifPresent(saves::add);
                } catch (RuntimeException e) {
                    skipOrRethrow(loaded.projection().questionId(), e);
                    continued.ifPresent(saves::add);
                }
            }
            try {
                repository.saveAll(saves);
                return (int) saves.stream().filter(save -> !save.events().isEmpty()).count();
            } catch (ProjectionRepository.ConcurrentProjectionUpdate e) {
                // A batch, or another instance ending its own rebuild, wrote some of them first: read them again.
                if (attempt == 10) {
                    throw e;
                }
            } catch (RuntimeException e) {
                if (Failures.isTransient(e) || questionIds.size() == 1) {
                    skipOrRethrow(questionIds.get(0), e);
                    return 0;
                }
                // One question's write the server refuses (a document over its size limit) must not hold the others.
                int published = 0;
                for (String questionId : questionIds) {
                    published += publishFoldedPage(List.of(questionId));
                }
                return published;
            }
        }
    }

    /**
     * An outage or a stop is waited out (the end of the rebuild is tried again from the start); anything else is one
     * question's problem: it is logged and counted, and the question goes out with its next change, as a batch would
     * set it aside (numbered on from its latest published estimate, as a projection without numbering always is).
     */
    private void skipOrRethrow(String questionId, RuntimeException e) {
        if (Failures.isTransient(e) || Failures.isInterruption(e)) {
            throw e;
        }
        endPassSkipped.increment();
        LOG.error("the rebuild's end could not publish question {}; its changes go out with its next change", questionId, e);
    }

    /** The write that publishes the question's folded state, or nothing when its latest estimate already says it. */
    private Optional<ProjectionRepository.Save> publishIfChanged(QuestionProjection projection) {
        if (projection.question() == null) {
            return Optional.empty();
        }
        PooledEstimateComputed latest = projection.latestEstimate();
        if (projection.activeRecords().isEmpty()) {
            // As a batch retracting a question's last record does: no estimate, and none kept as the latest.
            return latest == null ? Optional.empty()
                    : Optional.of(new ProjectionRepository.Save(projection.withEstimate(null, projection.lastConclusion()), List.of()));
        }
        List<Trigger> triggers = new ArrayList<>(LatestEstimateDiff.unpublishedChanges(projection, true));
        if (LatestEstimateDiff.questionDiffers(projection)) {
            triggers.add(questionTrigger(projection));
        }
        if (triggers.isEmpty()) {
            PooledEstimateComputed now = EstimateCalculator.estimate(projection, List.of(questionTrigger(projection)), clock.instant(),
                    looksOf(projection));
            if (LatestEstimateDiff.sameFigures(latest, now)) {
                return Optional.empty();
            }
            // Same records, other figures: a question setting, or a new release's statistics.
            triggers.add(questionTrigger(projection));
        }
        List<OutboxEvent> owed = new ArrayList<>();
        QuestionProjection next = publishInChunks(projection, triggers, owed);
        return Optional.of(new ProjectionRepository.Save(next, owed));
    }

    /**
     * The projection with estimates listing {@code triggers}, at most {@link FieldLimits#TRIGGERS_PER_ESTIMATE} each:
     * one estimate, or for more changes than one may list (a rebuild's folded changes, many records held until
     * their question arrived) one per part, all of the same state, so that together they list every change.
     */
    private QuestionProjection publishInChunks(QuestionProjection projection, List<Trigger> triggers, List<OutboxEvent> owed) {
        QuestionProjection next = projection;
        int limit = FieldLimits.TRIGGERS_PER_ESTIMATE;
        for (int from = 0; from < triggers.size(); from += limit) {
            next = recompute(next, triggers.subList(from, Math.min(triggers.size(), from + limit)), owed);
        }
        return next;
    }

    private static Trigger questionTrigger(QuestionProjection projection) {
        return new Trigger(Trigger.Kind.QUESTION, projection.questionId(), projection.question().revision(),
                projection.question().title(), Trigger.Change.REVISED);
    }

    /**
     * A quiet batch: the changes are folded in without an estimate, however many there are; the rebuild's end
     * publishes what they add up to ({@link #publishFolded}).
     */
    private Optional<ProjectionRepository.Save> fold(QuestionProjection projection, List<Object> changes) {
        QuestionProjection next = applyChanges(projection, changes, List.of(), false, new ArrayList<>());
        return next == projection ? Optional.empty() : Optional.of(new ProjectionRepository.Save(next, List.of()));
    }

    /** The write that applies {@code changes} to {@code projection}, or nothing when none of them is newer. */
    private Optional<ProjectionRepository.Save> apply(QuestionProjection projection, List<Object> changes) {
        List<OutboxEvent> owed = new ArrayList<>();
        // Usually none: records held until their question arrived, or folded by a rebuild this batch ends for the question.
        List<Trigger> carried = LatestEstimateDiff.unpublishedChanges(projection);
        QuestionProjection next = applyChanges(projection, changes, carried, true, owed);
        return next == projection ? Optional.empty() : Optional.of(new ProjectionRepository.Save(next, owed));
    }

    /**
     * {@code projection} with every newer change applied in order; when {@code estimating}, with an estimate (owed to
     * {@code owed}) after each {@link FieldLimits#TRIGGERS_PER_ESTIMATE} changes and at the end, the first one also
     * listing {@code carried} (changes applied earlier and not yet published) ahead of its own. The same projection
     * when nothing was newer.
     */
    private QuestionProjection applyChanges(QuestionProjection projection, List<Object> changes, List<Trigger> carried,
                                            boolean estimating, List<OutboxEvent> owed) {
        QuestionProjection next = projection;
        Map<String, RecordState> pendingRecords = new LinkedHashMap<>();
        Map<String, Long> held = new HashMap<>();
        projection.records().forEach(r -> held.put(r.recordId(), r.revision()));
        List<Trigger> triggers = new ArrayList<>(carried);
        int own = 0;
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
                own++;
                if (triggers.size() >= FieldLimits.TRIGGERS_PER_ESTIMATE) {
                    next = next.withRecords(pendingRecords.values());
                    next = estimating ? publishInChunks(next, triggers, owed) : next;
                    pendingRecords.clear();
                    triggers = new ArrayList<>();
                    own = 0;
                }
            }
        }
        if (own > 0) {
            next = next.withRecords(pendingRecords.values());
            next = estimating ? publishInChunks(next, triggers, owed) : next;
        }
        return next;
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
        PooledEstimateComputed estimate = EstimateCalculator.estimate(projection, List.copyOf(triggers), clock.instant(), looksOf(projection));
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

    private LookCache looksOf(QuestionProjection projection) {
        return projection.question().settings().tsa() == null ? new LookCache()
                : looks.computeIfAbsent(projection.questionId(), id -> new LookCache());
    }

}
