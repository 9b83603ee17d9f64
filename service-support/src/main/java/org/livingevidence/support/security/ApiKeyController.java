package org.livingevidence.support.security;

import io.micronaut.context.annotation.Requires;
import io.micronaut.security.token.validator.TokenValidator;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.annotation.Body;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Post;
import io.micronaut.security.annotation.Secured;
import java.util.ArrayList;
import java.util.List;
import org.livingevidence.support.problems.InputProblem;
import org.livingevidence.support.problems.Problem.FieldError;

/** Administrators issue API keys to curators, readers and subscribers; the key is in this response only. */
@Controller("/api/v1/api-keys")
@Requires(classes = TokenValidator.class)
@Secured(Roles.ADMIN)
class ApiKeyController {

    record IssueRequest(String name, List<String> roles) {
    }

    record IssuedKey(String name, List<String> roles, String apiKey) {
    }

    private final ApiKeys keys;

    ApiKeyController(ApiKeys keys) {
        this.keys = keys;
    }

    @Post
    HttpResponse<IssuedKey> issue(@Body IssueRequest request) {
        List<FieldError> errors = new ArrayList<>();
        if (request == null || request.name() == null || !request.name().matches("[A-Za-z0-9._@-]{1,100}")) {
            errors.add(new FieldError("name", "is required: 1 to 100 letters, digits, '.', '_', '@' or '-'"));
        }
        if (request == null || request.roles() == null || request.roles().isEmpty()
                || !Roles.ALL.containsAll(request.roles())) {
            errors.add(new FieldError("roles", "must list one or more of " + Roles.ALL));
        }
        if (!errors.isEmpty()) {
            throw InputProblem.invalid(errors);
        }
        List<String> roles = List.copyOf(request.roles());
        return HttpResponse.created(new IssuedKey(request.name(), roles, keys.issue(request.name(), roles)));
    }
}
