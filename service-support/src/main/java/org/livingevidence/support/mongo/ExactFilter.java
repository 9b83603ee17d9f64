package org.livingevidence.support.mongo;

import org.bson.Document;
import org.bson.conversions.Bson;

/**
 * A conditional write's filter, {@code {_id: id, field: value}}, as one flat document. The driver renders
 * {@code Filters.and(...)} as {@code {$and: [...]}}, which real MongoDB plans the same way but mongo-java-server
 * cannot serve from an index (it uses one only for a query on exactly the index's keys), so every such write would
 * scan its collection. With a unique index on {@code {_id, field}} the embedded server finds the document directly.
 */
public final class ExactFilter {

    private ExactFilter() {
    }

    public static Bson idAnd(Object id, String field, Object value) {
        return new Document("_id", id).append(field, value);
    }
}
