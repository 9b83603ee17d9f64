package org.livingevidence.analysis.estimates;

import com.mongodb.client.MongoCollection;
import com.mongodb.client.MongoDatabase;
import com.mongodb.client.model.Filters;
import com.mongodb.client.model.IndexModel;
import com.mongodb.client.model.IndexOptions;
import com.mongodb.client.model.Indexes;
import com.mongodb.MongoBulkWriteException;
import com.mongodb.bulk.BulkWriteError;
import com.mongodb.client.model.InsertManyOptions;
import com.mongodb.client.model.Projections;
import com.mongodb.client.model.Sorts;
import io.micronaut.context.annotation.Value;
import io.micronaut.context.event.StartupEvent;
import io.micronaut.runtime.event.annotation.EventListener;
import jakarta.inject.Singleton;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.bson.Document;
import org.livingevidence.contracts.EventType;
import org.livingevidence.contracts.Topics;
import org.livingevidence.contracts.events.PooledEstimateComputed;
import org.livingevidence.analysis.projections.PublishedEstimates;
import org.livingevidence.support.events.EventConsumers;
import org.livingevidence.support.events.GroupCaughtUp;
import org.livingevidence.support.events.KafkaSettings;
import org.livingevidence.support.events.EventHandler;
import org.livingevidence.support.events.IncomingEvent;
import org.livingevidence.support.mongo.MongoIndexes;
import org.livingevidence.support.mongo.CreateOnce;
import org.livingevidence.support.mongo.PayloadDocuments;

/**
 * Every estimate version of every question, as published: analysis-service reads its own estimate topic back (its own
 * consumer group) and keeps each event under its question and version, so earlier versions have stable URLs. Reading
 * the topic, rather than writing beside the projection, keeps one write per save and makes the history what
 * integrators received; a replay, or a new instance with an empty database, rebuilds it. Insert-only: the first event
 * kept under a version stays (a redelivery changes nothing; other content under the same version is logged).
 */
@Singleton
public class EstimateHistory implements PublishedEstimates {

    private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(EstimateHistory.class);
    public static final String COLLECTION = "estimate_history";

    private final MongoCollection<Document> history;
    private final EventConsumers consumers;
    private final KafkaSettings kafka;
    private final String group;

    EstimateHistory(MongoDatabase database, MongoIndexes indexes, EventConsumers consumers, KafkaSettings kafka,
                    @Value("${kafka.consumer-group:analysis-service}") String group) {
        this.history = database.getCollection(COLLECTION);
        this.consumers = consumers;
        this.kafka = kafka;
        this.group = group + "-estimate-history";
        indexes.ensure(history, List.of(new IndexModel(Indexes.ascending("questionId", "estimateVersion"),
                new IndexOptions().name("question_version"))));
    }

    @EventListener
    void onStartup(StartupEvent event) {
        consumers.start(group, List.of(Topics.POOLED_ESTIMATES), new EventHandler() {
            @Override
            public void handle(IncomingEvent incoming) {
                handleAll(List.of(incoming));
            }

            @Override
            public void handleAll(List<IncomingEvent> events) {
                keepAll(events.stream().filter(e -> e.type() == EventType.POOLED_ESTIMATE_COMPUTED)
                        .map(e -> e.payload(PooledEstimateComputed.class)).toList());
            }
        });
    }

    /**
     * Met once the history holds every estimate published before it was first asked: what a rebuilt projection
     * continues from ({@link PublishedEstimates}) must be known before the rebuild publishes.
     */
    @Override
    public GroupCaughtUp caughtUp() {
        return GroupCaughtUp.on(kafka, group, List.of(Topics.POOLED_ESTIMATES));
    }

    /**
     * The latest version kept of each question: the top of the unbroken run of versions from its lowest kept one
     * (versions count up by one; the oldest may have aged out of the topic). A version above a gap is not continued
     * from: no instance publishes one, so it is forged or its predecessors were set aside, and continuing from it (up
     * to an overflow) would let one event steer the numbering and the shift baseline. It is logged.
     */
    @Override
    public Map<String, PooledEstimateComputed> latest(Collection<String> questionIds) {
        Map<String, java.util.TreeSet<Long>> versions = new HashMap<>();
        history.find(Filters.in("questionId", List.copyOf(questionIds))).projection(Projections.include("questionId", "estimateVersion"))
                .forEach(d -> versions.computeIfAbsent(d.getString("questionId"), q -> new java.util.TreeSet<>())
                        .add(((Number) d.get("estimateVersion")).longValue()));
        List<String> ids = new ArrayList<>();
        versions.forEach((questionId, kept) -> {
            long top = kept.first();
            for (long version : kept.tailSet(kept.first(), false)) {
                if (version != top + 1) {
                    LOG.warn("estimate versions of question {} above {} follow a gap (next kept: {}); numbering continues from {}",
                            questionId, top, version, top);
                    break;
                }
                top = version;
            }
            ids.add(questionId + "/" + top);
        });
        Map<String, PooledEstimateComputed> latest = new HashMap<>();
        if (!ids.isEmpty()) {
            history.find(Filters.in("_id", ids)).forEach(d -> {
                PooledEstimateComputed estimate = PayloadDocuments.fromDocument(d, PooledEstimateComputed.class);
                latest.put(estimate.questionId(), estimate);
            });
        }
        return latest;
    }

    /**
     * Keeps each version as first published, a batch in one unordered insert: a redelivery is a no-op, and a different
     * event under a version already kept (a replay whose numbering restarted, or a forged event) does not replace it;
     * it is logged instead.
     */
    void keepAll(List<PooledEstimateComputed> estimates) {
        if (estimates.isEmpty()) {
            return;
        }
        List<Document> documents = estimates.stream().map(e -> PayloadDocuments.toDocument(id(e), e)).toList();
        try {
            history.insertMany(documents, new InsertManyOptions().ordered(false));
        } catch (MongoBulkWriteException e) {
            // Not known to be durable (a write-concern error) is an outage to wait out, never a batch kept.
            for (BulkWriteError error : CreateOnce.duplicatesIn(e)) {
                PooledEstimateComputed estimate = estimates.get(error.getIndex());
                Document kept = history.find(Filters.eq("_id", id(estimate))).first();
                if (kept != null && !PayloadDocuments.fromDocument(kept, PooledEstimateComputed.class).equals(estimate)) {
                    LOG.warn("estimate {} of question {} arrived again with other content; the version first kept stays",
                            estimate.estimateVersion(), estimate.questionId());
                }
            }
        }
    }

    private static String id(PooledEstimateComputed estimate) {
        return estimate.questionId() + "/" + estimate.estimateVersion();
    }

    public Optional<PooledEstimateComputed> version(String questionId, long version) {
        Document found = history.find(Filters.eq("_id", questionId + "/" + version)).first();
        return Optional.ofNullable(found).map(d -> PayloadDocuments.fromDocument(d, PooledEstimateComputed.class));
    }

    /**
     * A question's versions from the newest, at most {@code limit}, older than {@code before} when given: each read
     * without its studies and trigger list (an estimate can carry thousands of each), as a list of versions needs.
     */
    public List<PooledEstimateComputed> versions(String questionId, Long before, int limit) {
        List<PooledEstimateComputed> versions = new ArrayList<>();
        history.find(before == null ? Filters.eq("questionId", questionId)
                        : Filters.and(Filters.eq("questionId", questionId), Filters.lt("estimateVersion", before)))
                .projection(Projections.include(SUMMARY_FIELDS))
                .sort(Sorts.descending("estimateVersion")).limit(limit)
                .forEach(d -> versions.add(PayloadDocuments.fromDocument(d, PooledEstimateComputed.class)));
        return versions;
    }

    private static final List<String> SUMMARY_FIELDS = List.of("questionId", "estimateVersion", "computedAt", "effectMeasure", "scale",
            "k", "fixedEffect", "randomEffects", "conclusion", "trigger");
}
