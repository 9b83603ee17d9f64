package org.livingevidence.support.problems;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonMappingException;
import io.micronaut.context.annotation.Replaces;
import io.micronaut.core.convert.exceptions.ConversionErrorException;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.annotation.Produces;
import io.micronaut.http.server.exceptions.ConversionErrorHandler;
import io.micronaut.http.server.exceptions.ExceptionHandler;
import jakarta.inject.Singleton;
import java.util.List;
import java.util.stream.Collectors;

/**
 * A body that is not JSON, or JSON of the wrong shape: 400, naming the JSON path of the offending value as
 * Jackson located it.
 */
@Produces(Problem.MEDIA_TYPE)
@Singleton
@Replaces(ConversionErrorHandler.class)
public class MalformedBodyHandler implements ExceptionHandler<ConversionErrorException, HttpResponse<Problem>> {

    @Override
    public HttpResponse<Problem> handle(HttpRequest request, ConversionErrorException e) {
        return describe(request, e, e.getArgument().getName());
    }

    static HttpResponse<Problem> describe(HttpRequest<?> request, Throwable e, String fallbackField) {
        Throwable cause = e;
        while (cause != null && !(cause instanceof JsonProcessingException)) {
            cause = cause.getCause();
        }
        String field = fallbackField;
        String message = e.getMessage();
        if (cause instanceof JsonMappingException mapping && !mapping.getPath().isEmpty()) {
            field = fieldPath(mapping);
            message = mapping.getOriginalMessage();
        } else if (cause instanceof JsonProcessingException json) {
            message = json.getOriginalMessage();
        }
        message = firstLine(message);
        return ProblemResponses.of(request, 400, ProblemTypes.MALFORMED, "Malformed request",
                "the request body could not be read: " + message, List.of(new Problem.FieldError(field, message)));
    }

    /** The JSON path Jackson located a mapping error at, as errors[].field names it: {@code reported.lower}, {@code tags[2]}. */
    public static String fieldPath(JsonMappingException mapping) {
        return mapping.getPath().stream()
                .map(ref -> ref.getFieldName() != null ? ref.getFieldName() : "[" + ref.getIndex() + "]")
                .collect(Collectors.joining(".")).replace(".[", "[");
    }

    private static String firstLine(String message) {
        if (message == null) {
            return "unreadable value";
        }
        int newline = message.indexOf('\n');
        return newline < 0 ? message : message.substring(0, newline);
    }
}
