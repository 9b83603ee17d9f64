package org.livingevidence.notify.subscriptions;

import io.micronaut.http.HttpResponse;
import io.micronaut.http.annotation.Body;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Get;
import io.micronaut.http.annotation.PathVariable;
import io.micronaut.http.annotation.Post;
import java.net.URI;
import java.security.SecureRandom;
import java.time.Clock;
import java.util.HexFormat;
import org.livingevidence.support.problems.InputProblem;

@Controller("/api/v1/subscriptions")
public class SubscriptionController {

    private static final SecureRandom RANDOM = new SecureRandom();

    private final SubscriptionRepository repository;
    private final Clock clock;

    SubscriptionController(SubscriptionRepository repository, Clock clock) {
        this.repository = repository;
        this.clock = clock;
    }

    /** Creates a subscription; the response is the only time its signing secret is shown. */
    @Post
    HttpResponse<Subscription> subscribe(@Body SubscriptionRequest request) {
        if (request == null) {
            throw InputProblem.invalid("body", "a JSON subscription is required");
        }
        request.validate();
        byte[] id = new byte[8];
        RANDOM.nextBytes(id);
        Subscription subscription = new Subscription("sub_" + HexFormat.of().formatHex(id), request.questionIds(),
                request.shiftTypesOrAll(), request.webhook().url(), WebhookSecrets.generate(),
                Subscription.Status.ACTIVE, clock.instant(), 0, null);
        repository.insert(subscription);
        return HttpResponse.created(subscription, URI.create("/api/v1/subscriptions/" + subscription.id()));
    }

    @Get("/{id}")
    Subscription get(@PathVariable String id) {
        return repository.find(id).map(Subscription::withoutSecret)
                .orElseThrow(() -> InputProblem.notFound("subscription", id));
    }
}
