package org.livingevidence.analysis.projections;

import com.mongodb.client.MongoCollection;
import com.mongodb.client.MongoDatabase;
import com.mongodb.client.model.Filters;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micronaut.context.annotation.Value;
import jakarta.annotation.PreDestroy;
import jakarta.inject.Singleton;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.bson.Document;
import org.livingevidence.contracts.Topics;
import org.livingevidence.support.events.GroupCaughtUp;
import org.livingevidence.support.events.KafkaSettings;
import org.livingevidence.support.mongo.CreateOnce;
import org.livingevidence.support.work.PollingWorker;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A rebuild of the projections from the topics publishes nothing while it replays what was published before it began:
 * a question's records spread over the topics would otherwise get an estimate per poll batch, the early ones pooling
 * only part of its records, each alerted to subscribers if its conclusion differed. Instead batches fold their changes
 * in quietly ({@link AnalysisEventHandler}); once the consumer group has consumed both topics up to where they ended
 * when the rebuild began, and the estimate history has read what was published before then ({@link PublishedEstimates},
 * read meanwhile), each projection continues the numbering of its question's latest published estimate, each question
 * whose latest published estimate no longer says what its records say gets one estimate, and the service publishes as
 * usual from then on.
 *
 * <p>A start is a rebuild when the database holds no projection, or holds the marker of a rebuild that has not ended
 * (an instance stopped mid-rebuild goes on quietly after a restart, instead of publishing the rest of the replay).
 */
@Singleton
public class Rebuild implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(Rebuild.class);
    /**
     * How often the end is looked for: each look asks the broker for the estimate history's offsets, and once it has
     * read what it must, for the replay's (one admin client each, kept until met).
     */
    private static final Duration CHECK_EVERY = Duration.ofMillis(250);
    static final String COLLECTION = "rebuild";
    private static final String MARKER = "rebuild";

    private final MongoCollection<Document> markers;
    private final ProjectionRepository projections;
    private final PublishedEstimates published;
    private final AnalysisEventHandler handler;
    private final KafkaSettings kafka;
    private final String group;
    private Boolean rebuilding;
    private GroupCaughtUp replayed;
    private GroupCaughtUp historyRead;
    private boolean historyLogged;
    private PollingWorker ending;
    private volatile String waitingFor = "the consumer group to consume the topics up to where they ended at its start";
    private volatile boolean ended;
    private volatile boolean markerLeft;
    private boolean closed;
    private long began;

    Rebuild(MongoDatabase database, ProjectionRepository projections, PublishedEstimates published, AnalysisEventHandler handler,
            KafkaSettings kafka, MeterRegistry registry, @Value("${kafka.consumer-group:analysis-service}") String group) {
        this.markers = database.getCollection(COLLECTION);
        this.projections = projections;
        this.published = published;
        this.handler = handler;
        this.kafka = kafka;
        this.group = group;
        Gauge.builder("evidence.analysis.rebuilding", handler, h -> h.folding() ? 1 : 0)
                .description("1 while a rebuild replays the topics without publishing, until its end has published").register(registry);
    }

    /**
     * Decides, once, before the consumer's first session, whether this start is a rebuild; if it is, batches fold
     * quietly until the group has consumed the topics up to where they end now.
     */
    public synchronized boolean begin() {
        if (closed) {
            throw new IllegalStateException("the service is stopping");
        }
        if (rebuilding == null) {
            boolean unfinished = markers.find(Filters.eq("_id", MARKER)).first() != null;
            boolean rebuild = unfinished || projections.isEmpty();
            if (rebuild) {
                began = System.nanoTime();
                CreateOnce.insert(markers, new Document("_id", MARKER).append("since", java.util.Date.from(Instant.now())));
                replayed = GroupCaughtUp.on(kafka, group, List.of(Topics.QUESTIONS, Topics.OUTCOME_RECORDS));
                replayed.waitingFor(); // the first check fixes the end to reach: the topics' ends now
                historyRead = published.caughtUp();
                historyRead.waitingFor(); // likewise for the estimates published so far, read meanwhile
                handler.foldQuietly();
                ending = new PollingWorker("rebuild-end", CHECK_EVERY, this::endWhenReplayed);
                ending.start();
                LOG.info("rebuilding the projections from the topics ({}): estimates wait until the replay has caught up",
                        unfinished ? "a rebuild that had not ended" : "an empty database");
            }
            rebuilding = rebuild;
        }
        return rebuilding;
    }

    /** Whether {@link #begin} has decided if this start is a rebuild (until then nothing may publish). */
    public synchronized boolean decided() {
        return rebuilding != null;
    }

    private boolean endWhenReplayed() {
        if (ended) {
            if (markerLeft) {
                // Retried by the worker until it goes: a marker left behind would make every later start a rebuild.
                markers.deleteOne(Filters.eq("_id", MARKER));
                markerLeft = false;
            }
            return false;
        }
        Optional<String> history = historyRead.waitingFor();
        if (history.isEmpty() && !historyLogged) {
            historyLogged = true;
            LOG.info("rebuild: the estimates published before it are known ({} s from its start)", seconds(System.nanoTime() - began));
        }
        Optional<String> waiting = history.isPresent() ? history : replayed.waitingFor();
        waitingFor = waiting.orElse("its end: publishing what the replay folded in");
        if (waiting.isPresent()) {
            LOG.debug("rebuild waiting for {}", waiting.get());
            return false;
        }
        long replayedAt = System.nanoTime();
        int[] questions = {0};
        int published = handler.publishFolded(() -> {
            List<String> ids = projections.questionIds();
            questions[0] = ids.size();
            return ids;
        });
        ended = true;
        markerLeft = true;
        LOG.info("rebuild caught up with the topics: {} of {} questions got a new estimate; publishing as usual now"
                        + " (replayed in {} s from the start, its end took {} s)", published, questions[0],
                seconds(replayedAt - began), seconds(System.nanoTime() - replayedAt));
        return true;
    }

    private static String seconds(long nanos) {
        return String.format(java.util.Locale.ROOT, "%.1f", nanos / 1e9);
    }

    /** Whether the service is stopping: a rebuild does not begin then. */
    public synchronized boolean closed() {
        return closed;
    }

    /** While the projections are being rebuilt: what the rebuild waits for (readiness shows it); empty otherwise. */
    public Optional<String> underWay() {
        return handler.folding() ? Optional.of(waitingFor) : Optional.empty();
    }

    @PreDestroy
    @Override
    public synchronized void close() {
        closed = true;
        if (ending != null) {
            ending.close();
            replayed.close();
            historyRead.close();
        }
    }
}
