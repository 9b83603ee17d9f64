package org.livingevidence.support.paging;

import com.mongodb.client.model.Sorts;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.bson.conversions.Bson;
import org.livingevidence.support.problems.InputProblem;
import org.livingevidence.support.problems.Problem.FieldError;

/**
 * Offset paging and sorting of a list endpoint, from the query parameters {@code offset}, {@code limit} and
 * {@code sort} (a field name, {@code -} in front for descending). Ties are broken by {@code _id} so pages never
 * overlap or skip.
 *
 * @param sortField the API name of the sort field, with its sign
 */
public record PageRequest(int offset, int limit, String sortField, Bson sort) {

    public static final int DEFAULT_LIMIT = 50;
    public static final int MAX_LIMIT = 500;

    /**
     * @param sortable API sort names mapped to document fields; the first is the default
     */
    public static PageRequest of(Integer offset, Integer limit, String sort, Map<String, String> sortable) {
        List<FieldError> errors = new ArrayList<>();
        int from = offset == null ? 0 : offset;
        int size = limit == null ? DEFAULT_LIMIT : limit;
        if (from < 0) {
            errors.add(new FieldError("offset", "must be 0 or more, was " + from));
        }
        if (size < 1 || size > MAX_LIMIT) {
            errors.add(new FieldError("limit", "must lie between 1 and " + MAX_LIMIT + ", was " + size));
        }
        String requested = sort == null || sort.isBlank() ? sortable.keySet().iterator().next() : sort.strip();
        boolean descending = requested.startsWith("-");
        String name = descending ? requested.substring(1) : requested;
        String field = sortable.get(name);
        if (field == null) {
            errors.add(new FieldError("sort", "must be one of " + sortable.keySet() + ", with '-' in front for descending; was " + requested));
        }
        if (!errors.isEmpty()) {
            throw InputProblem.invalid(errors);
        }
        Bson order = descending ? Sorts.orderBy(Sorts.descending(field), Sorts.descending("_id"))
                : Sorts.orderBy(Sorts.ascending(field), Sorts.ascending("_id"));
        return new PageRequest(from, size, requested, order);
    }

    public boolean descending() {
        return sortField.startsWith("-");
    }

    public String sortName() {
        return descending() ? sortField.substring(1) : sortField;
    }
}
