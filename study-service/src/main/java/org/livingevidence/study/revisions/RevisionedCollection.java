package org.livingevidence.study.revisions;

import com.mongodb.ErrorCategory;
import com.mongodb.MongoWriteException;
import com.mongodb.client.MongoCollection;
import com.mongodb.client.model.Filters;
import com.mongodb.client.model.Updates;
import com.mongodb.client.result.UpdateResult;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;
import java.util.function.Predicate;
import org.bson.Document;
import org.bson.conversions.Bson;
import org.livingevidence.support.mongo.PayloadDocuments;
import org.livingevidence.support.outbox.Outbox;
import org.livingevidence.support.paging.Page;
import org.livingevidence.support.paging.PageRequest;
import org.livingevidence.support.problems.InputProblem;

/**
 * A collection of curated entities whose every change is a new immutable revision. One document per entity holds
 * the current revision (its payload fields at the top level, for queries), every revision in order
 * ({@value #REVISIONS}), and the events still to publish ({@link Outbox#FIELD}). A write touches that one document
 * only, so the revision, its history entry and its event are stored together or not at all, and an update is
 * conditional on the revision it was based on (optimistic concurrency, no lost update).
 *
 * @param <T> the event payload describing one revision; it carries its own revision number and revisedAt
 */
public final class RevisionedCollection<T extends Record> {

    static final String REVISIONS = "revisions";
    /** Fingerprint of the request that created the entity under an Idempotency-Key. */
    static final String IDEMPOTENCY = "idempotencyFingerprint";
    /** revisedAt and createdAt as epoch milliseconds: ISO strings of varying precision do not sort. */
    public static final String REVISED_AT_MILLIS = "revisedAtMillis";
    public static final String CREATED_AT_MILLIS = "createdAtMillis";

    private final MongoCollection<Document> collection;
    private final Class<T> type;
    private final Outbox outbox;
    private final String what;
    private final Function<T, String> eventKey;
    private final Function<T, Long> revisionOf;
    private final Function<T, Instant> revisedAtOf;

    /**
     * @param what     how errors name the entity ("question")
     * @param eventKey the Kafka key of the entity's events
     */
    public RevisionedCollection(MongoCollection<Document> collection, Class<T> type, Outbox outbox, String what,
                                Function<T, String> eventKey, Function<T, Long> revisionOf, Function<T, Instant> revisedAtOf) {
        this.collection = collection;
        this.type = type;
        this.outbox = outbox;
        this.what = what;
        this.eventKey = eventKey;
        this.revisionOf = revisionOf;
        this.revisedAtOf = revisedAtOf;
    }

    /** The Idempotency-Key a create was sent with, and the fingerprint of its request. */
    public record Idempotency(String key, String fingerprint) {
    }

    /** The result of a create: the first revision, and whether it was stored by an earlier request with the same key. */
    public record Created<T>(T entity, boolean replayed) {
    }

    /**
     * Stores revision 1 and its event. With a fingerprint (the request was sent with an Idempotency-Key and the id
     * derives from that key), a second create of the same id returns the first one's result instead of failing,
     * unless the request differs.
     */
    public Created<T> create(String id, T first, Idempotency idempotency) {
        String idempotencyFingerprint = idempotency == null ? null : idempotency.fingerprint();
        Document document = PayloadDocuments.toDocument(id, first);
        Document entry = new Document(document);
        entry.remove("_id");
        document.put(REVISIONS, List.of(entry));
        document.put(CREATED_AT_MILLIS, revisedAtOf.apply(first).toEpochMilli());
        document.put(REVISED_AT_MILLIS, revisedAtOf.apply(first).toEpochMilli());
        if (idempotencyFingerprint != null) {
            document.put(IDEMPOTENCY, idempotencyFingerprint);
        }
        document.put(Outbox.FIELD, outbox.initial(List.of(outbox.event(first, eventKey.apply(first)))));
        try {
            collection.insertOne(document);
        } catch (MongoWriteException e) {
            if (idempotencyFingerprint == null || e.getError().getCategory() != ErrorCategory.DUPLICATE_KEY) {
                throw e;
            }
            Document existing = collection.find(Filters.eq("_id", id)).first();
            if (existing == null || !idempotencyFingerprint.equals(existing.getString(IDEMPOTENCY))) {
                throw InputProblem.idempotencyKeyReused(idempotency.key());
            }
            return new Created<>(history(existing).get(0), true);
        }
        outbox.written();
        return new Created<>(first, false);
    }

    /**
     * Stores {@code next} as the revision after {@code current}, with its event, unless another writer got there
     * first (then 412: nothing is overwritten).
     */
    public T revise(String id, T current, T next) {
        Document nextDocument = PayloadDocuments.toDocument(id, next);
        nextDocument.remove("_id");
        List<Bson> updates = new ArrayList<>();
        nextDocument.forEach((field, value) -> updates.add(Updates.set(field, value)));
        // Fields the new revision no longer has (set to null) must not linger from the old one.
        Set<String> gone = new HashSet<>(PayloadDocuments.toDocument(id, current).keySet());
        gone.removeAll(nextDocument.keySet());
        gone.remove("_id");
        gone.forEach(field -> updates.add(Updates.unset(field)));
        updates.add(Updates.set(REVISED_AT_MILLIS, revisedAtOf.apply(next).toEpochMilli()));
        updates.add(Updates.push(REVISIONS, nextDocument));
        updates.add(outbox.append(List.of(outbox.event(next, eventKey.apply(next)))));
        UpdateResult result = collection.updateOne(
                Filters.and(Filters.eq("_id", id), Filters.eq("revision", revisionOf.apply(current))), Updates.combine(updates));
        if (result.getMatchedCount() == 0) {
            long now = find(id).map(revisionOf).orElseThrow(() -> InputProblem.notFound(what, id));
            throw InputProblem.staleRevision(what, id, String.valueOf(revisionOf.apply(current)), now);
        }
        outbox.written();
        return next;
    }

    public Optional<T> find(String id) {
        return Optional.ofNullable(collection.find(Filters.eq("_id", id)).first()).map(d -> PayloadDocuments.fromDocument(d, type));
    }

    /** The entity as it stood at {@code asOf}: its latest revision made by then; empty if it did not exist yet. */
    public Optional<T> find(String id, Instant asOf) {
        if (asOf == null) {
            return find(id);
        }
        return Optional.ofNullable(collection.find(Filters.eq("_id", id)).first()).flatMap(d -> asOf(d, asOf));
    }

    /** Every revision, oldest first; empty if the entity does not exist. */
    public List<T> history(String id) {
        Document document = collection.find(Filters.eq("_id", id)).first();
        return document == null ? List.of() : history(document);
    }

    /** One page of current entities matching {@code filter}, in the database's order. */
    public Page<T> page(Bson filter, PageRequest request) {
        long total = collection.countDocuments(filter);
        List<T> items = collection.find(filter).sort(request.sort()).skip(request.offset()).limit(request.limit())
                .map(d -> PayloadDocuments.fromDocument(d, type)).into(new ArrayList<>());
        return new Page<>(items, total);
    }

    /**
     * One page of entities as they stood at {@code asOf}. The scope filter picks candidate documents on fields
     * that never change (the question an outcome record belongs to); the state filter applies to the past state,
     * and sorting happens in memory, so as-of lists suit audits rather than hot paths.
     */
    public Page<T> pageAsOf(Bson scope, Instant asOf, Predicate<T> state, SortOrder<T> order, PageRequest request) {
        List<SortOrder.Dated<T>> all = new ArrayList<>();
        for (Document d : collection.find(Filters.and(scope, Filters.lte(CREATED_AT_MILLIS, asOf.toEpochMilli())))) {
            asOf(d, asOf).filter(state).ifPresent(t -> all.add(new SortOrder.Dated<>(d.getLong(CREATED_AT_MILLIS), t)));
        }
        all.sort(order.comparator(request.sortName(), request.descending()));
        int from = Math.min(request.offset(), all.size());
        List<T> items = all.subList(from, Math.min(all.size(), from + request.limit())).stream().map(SortOrder.Dated::entity).toList();
        return new Page<>(items, all.size());
    }

    private Optional<T> asOf(Document document, Instant asOf) {
        T found = null;
        for (T revision : history(document)) {
            if (!revisedAtOf.apply(revision).isAfter(asOf)) {
                found = revision;
            }
        }
        return Optional.ofNullable(found);
    }

    private List<T> history(Document document) {
        return document.getList(REVISIONS, Document.class).stream().map(d -> PayloadDocuments.fromDocument(d, type)).toList();
    }
}
