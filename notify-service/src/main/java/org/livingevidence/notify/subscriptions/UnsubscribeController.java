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
import java.util.Optional;

/**
 * The unsubscribe link of every email. GET shows a confirmation button (mail scanners follow links, and a GET must
 * not cancel anything); POST cancels, which is also RFC 8058 one-click unsubscribe from the mail client.
 */
@Controller("/unsubscribe")
@Secured(SecurityRule.IS_ANONYMOUS)
@ExecuteOn(TaskExecutors.BLOCKING)
public class UnsubscribeController {

    private final SubscriptionRepository subscriptions;

    UnsubscribeController(SubscriptionRepository subscriptions) {
        this.subscriptions = subscriptions;
    }

    @Get(produces = MediaType.TEXT_HTML)
    HttpResponse<String> confirm(@Nullable @QueryValue String token) {
        Optional<Subscription> subscription = byToken(token);
        if (subscription.isEmpty()) {
            return HttpResponse.<String>notFound().body(HtmlPages.page("This unsubscribe link is not valid."));
        }
        return HttpResponse.ok(HtmlPages.page("Stop the alerts of subscription " + HtmlPages.escape(subscription.get().id()) + "?"
                + "<form method=\"post\"><button type=\"submit\">Unsubscribe</button></form>"));
    }

    @Post(produces = MediaType.TEXT_HTML, consumes = {MediaType.APPLICATION_FORM_URLENCODED, MediaType.TEXT_PLAIN, MediaType.ALL})
    HttpResponse<String> unsubscribe(@Nullable @QueryValue String token) {
        Optional<Subscription> subscription = byToken(token);
        if (subscription.isEmpty()) {
            return HttpResponse.<String>notFound().body(HtmlPages.page("This unsubscribe link is not valid."));
        }
        subscriptions.disable(subscription.get().id(), "unsubscribed from an email");
        return HttpResponse.ok(HtmlPages.page("You are unsubscribed: no more alerts will be sent to this subscription."));
    }

    private Optional<Subscription> byToken(String token) {
        return SubscriptionTokens.subscriptionId(token).flatMap(subscriptions::find)
                .filter(s -> SubscriptionTokens.matches(token, s.unsubscribeTokenDigest()));
    }
}
