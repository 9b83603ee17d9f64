package org.livingevidence.study.revisions;

import io.micronaut.http.HttpHeaders;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.MutableHttpResponse;
import java.net.URI;
import java.util.List;
import java.util.function.Function;
import org.livingevidence.support.problems.InputProblem;

/** The HTTP shape of revisioned entities: every response names the revision it shows in its ETag. */
public final class RevisionResponses {

    private RevisionResponses() {
    }

    /** 201 with the entity's location; a replayed create (same Idempotency-Key) says so. */
    public static <T> HttpResponse<T> created(RevisionedCollection.Created<T> created, String location, Function<T, Long> revision) {
        MutableHttpResponse<T> response = HttpResponse.created(created.entity(), URI.create(location))
                .header(HttpHeaders.ETAG, ETags.of(revision.apply(created.entity())));
        return created.replayed() ? response.header("Idempotent-Replayed", "true") : response;
    }

    public static <T> HttpResponse<T> current(T entity, long revision) {
        return HttpResponse.ok(entity).header(HttpHeaders.ETAG, ETags.of(revision));
    }

    /** Every revision, oldest first; 404 when there are none (the entity does not exist). */
    public static <T> List<T> history(List<T> revisions, String what, String id) {
        if (revisions.isEmpty()) {
            throw InputProblem.notFound(what, id);
        }
        return revisions;
    }
}
