package org.livingevidence.notify.subscriptions;

import io.micronaut.core.annotation.Nullable;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.MediaType;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Get;
import io.micronaut.http.annotation.Post;
import io.micronaut.http.annotation.QueryValue;
import io.micronaut.scheduling.TaskExecutors;
import io.micronaut.scheduling.annotation.ExecuteOn;
import io.micronaut.security.annotation.Secured;
import io.micronaut.security.rules.SecurityRule;

/**
 * The link in a confirmation email. GET only shows a button (mail scanners follow links, and must not subscribe
 * anyone); POST confirms, after which alerts flow to the address.
 */
@Controller("/subscriptions/confirm")
@Secured(SecurityRule.IS_ANONYMOUS)
@ExecuteOn(TaskExecutors.BLOCKING)
public class ConfirmationController {

    private final EmailConfirmations confirmations;

    ConfirmationController(EmailConfirmations confirmations) {
        this.confirmations = confirmations;
    }

    @Get(produces = MediaType.TEXT_HTML)
    HttpResponse<String> ask(@Nullable @QueryValue String token) {
        return confirmations.pending(token)
                .map(s -> HttpResponse.ok(HtmlPages.page("Send evidence alerts of subscription " + HtmlPages.escape(s.id())
                        + " to " + HtmlPages.escape(s.email()) + "?<form method=\"post\"><button type=\"submit\">Confirm</button></form>")))
                .orElseGet(() -> HttpResponse.<String>notFound().body(HtmlPages.page("This confirmation link is not valid.")));
    }

    @Post(produces = MediaType.TEXT_HTML, consumes = {MediaType.APPLICATION_FORM_URLENCODED, MediaType.TEXT_PLAIN, MediaType.ALL})
    HttpResponse<String> confirm(@Nullable @QueryValue String token) {
        return switch (confirmations.confirm(token)) {
            case CONFIRMED -> HttpResponse.ok(HtmlPages.page("Confirmed: evidence alerts will be sent to this address."));
            case ALREADY_ACTIVE -> HttpResponse.ok(HtmlPages.page("This subscription is already confirmed."));
            case EXPIRED -> HttpResponse.<String>status(io.micronaut.http.HttpStatus.GONE)
                    .body(HtmlPages.page("This confirmation link has expired; ask the subscriber to request a new one."));
            case INVALID -> HttpResponse.<String>notFound().body(HtmlPages.page("This confirmation link is not valid."));
        };
    }
}
