package org.livingevidence.study.revisions;

import io.micronaut.http.HttpRequest;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.annotation.Produces;
import io.micronaut.http.server.exceptions.ExceptionHandler;
import jakarta.inject.Singleton;
import org.livingevidence.support.problems.InputProblem;
import org.livingevidence.support.problems.Problem;
import org.livingevidence.support.problems.ProblemResponses;

/** The HTTP edge of the revision store: its exceptions become problem+json here and nowhere else. */
final class RevisionProblems {

    private RevisionProblems() {
    }

    private static HttpResponse<Problem> of(HttpRequest<?> request, InputProblem problem) {
        return ProblemResponses.of(request, problem.status(), problem.type(), problem.title(), problem.getMessage(), problem.errors());
    }

    /** 412: the If-Match revision is not the current one. */
    @Produces(Problem.MEDIA_TYPE)
    @Singleton
    static class Stale implements ExceptionHandler<RevisionedCollection.StaleRevision, HttpResponse<Problem>> {
        @Override
        public HttpResponse<Problem> handle(HttpRequest request, RevisionedCollection.StaleRevision e) {
            return of(request, InputProblem.staleRevision(e.what(), e.id(), String.valueOf(e.given()), e.current()));
        }
    }

    /** 422: an Idempotency-Key seen before came with a different request. */
    @Produces(Problem.MEDIA_TYPE)
    @Singleton
    static class KeyReused implements ExceptionHandler<RevisionedCollection.KeyReused, HttpResponse<Problem>> {
        @Override
        public HttpResponse<Problem> handle(HttpRequest request, RevisionedCollection.KeyReused e) {
            return of(request, InputProblem.idempotencyKeyReused(e.key()));
        }
    }

    /** 404: the entity went away between reading and writing it. */
    @Produces(Problem.MEDIA_TYPE)
    @Singleton
    static class Missing implements ExceptionHandler<RevisionedCollection.Missing, HttpResponse<Problem>> {
        @Override
        public HttpResponse<Problem> handle(HttpRequest request, RevisionedCollection.Missing e) {
            return of(request, InputProblem.notFound(e.what(), e.id()));
        }
    }
}
