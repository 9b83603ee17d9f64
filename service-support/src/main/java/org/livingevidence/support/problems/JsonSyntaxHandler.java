package org.livingevidence.support.problems;

import com.fasterxml.jackson.core.JsonProcessingException;
import io.micronaut.context.annotation.Replaces;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.annotation.Produces;
import io.micronaut.http.server.exceptions.ExceptionHandler;
import io.micronaut.http.server.exceptions.JsonExceptionHandler;
import jakarta.inject.Singleton;

/** Replaces Micronaut's own handler for unparsable JSON so that it, too, answers problem+json. */
@Produces(Problem.MEDIA_TYPE)
@Singleton
@Replaces(JsonExceptionHandler.class)
public class JsonSyntaxHandler implements ExceptionHandler<JsonProcessingException, HttpResponse<Problem>> {

    @Override
    public HttpResponse<Problem> handle(HttpRequest request, JsonProcessingException e) {
        return MalformedBodyHandler.describe(request, e, "body");
    }
}
