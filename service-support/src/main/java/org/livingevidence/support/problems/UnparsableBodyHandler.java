package org.livingevidence.support.problems;

import io.micronaut.http.HttpRequest;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.annotation.Produces;
import io.micronaut.http.server.exceptions.ExceptionHandler;
import io.micronaut.json.JsonSyntaxException;
import jakarta.inject.Singleton;

/** A body that is not JSON at all (Micronaut reports it before Jackson maps anything). */
@Produces(Problem.MEDIA_TYPE)
@Singleton
public class UnparsableBodyHandler implements ExceptionHandler<JsonSyntaxException, HttpResponse<Problem>> {

    @Override
    public HttpResponse<Problem> handle(HttpRequest request, JsonSyntaxException e) {
        return MalformedBodyHandler.describe(request, e, "body");
    }
}
