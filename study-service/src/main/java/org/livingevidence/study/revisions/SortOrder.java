package org.livingevidence.study.revisions;

import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Function;

/**
 * The ways a list of revisioned entities can be sorted: each API sort name maps to a document field (for current
 * state, sorted by the database) and to a comparator (for past state, sorted in memory). Every list can sort by
 * {@code createdAt} and {@code revisedAt}; the first entry is the default.
 */
public final class SortOrder<T> {

    private final Map<String, String> fields = new LinkedHashMap<>();
    private final Map<String, Comparator<Dated<T>>> comparators = new LinkedHashMap<>();

    /** An entity as it stood at a past time, with when it was created. */
    public record Dated<T>(long createdAtMillis, T entity) {
    }

    public SortOrder(Function<T, java.time.Instant> revisedAt) {
        fields.put("createdAt", RevisionedCollection.CREATED_AT_MILLIS);
        comparators.put("createdAt", Comparator.comparingLong(Dated::createdAtMillis));
        fields.put("revisedAt", RevisionedCollection.REVISED_AT_MILLIS);
        comparators.put("revisedAt", Comparator.comparing(d -> revisedAt.apply(d.entity())));
    }

    /** Adds a sort on a payload field (nulls last in memory; the database puts them first). */
    public <U extends Comparable<? super U>> SortOrder<T> and(String name, Function<T, U> value) {
        fields.put(name, name);
        comparators.put(name, Comparator.comparing(d -> value.apply(d.entity()), Comparator.nullsLast(Comparator.naturalOrder())));
        return this;
    }

    public Map<String, String> fields() {
        return fields;
    }

    Comparator<Dated<T>> comparator(String name, boolean descending) {
        Comparator<Dated<T>> c = comparators.get(name);
        return descending ? c.reversed() : c;
    }
}
