package org.livingevidence.support.problems;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.List;

/**
 * An RFC 7807 (RFC 9457) problem details body, served as {@code application/problem+json}, with the fields at
 * fault listed in {@code errors}.
 */
@JsonInclude(JsonInclude.Include.NON_EMPTY)
public record Problem(String type, String title, int status, String detail, String instance, List<FieldError> errors) {

    public static final String MEDIA_TYPE = "application/problem+json";

    /** One field at fault: a JSON path into the request body ({@code reported.lower}) or a parameter name. */
    public record FieldError(String field, String message) {
    }
}
