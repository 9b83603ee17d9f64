package org.livingevidence.notify.subscriptions;

import io.micronaut.context.annotation.Value;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.annotation.Body;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Delete;
import io.micronaut.http.annotation.Get;
import io.micronaut.http.annotation.PathVariable;
import io.micronaut.http.annotation.Post;
import io.micronaut.security.annotation.Secured;
import io.micronaut.security.authentication.Authentication;
import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HexFormat;
import java.util.List;
import org.livingevidence.notify.PublicLinks;
import org.livingevidence.notify.delivery.WebhookAddressGuard;
import org.livingevidence.support.problems.InputProblem;
import org.livingevidence.support.security.Roles;

@Controller("/api/v1/subscriptions")
@Secured({Roles.SUBSCRIBER, Roles.ADMIN})
public class SubscriptionController {

    /** A new secret, shown once; the previous one keeps signing until {@code previousSecretExpiresAt}. */
    record RotatedSecret(String subscriptionId, String secret, Instant previousSecretExpiresAt) {
    }

    private final SubscriptionRepository repository;
    private final SubscriberAccess access;
    private final WebhookAddressGuard addressGuard;
    private final PublicLinks links;
    private final Clock clock;
    private final Duration secretOverlap;

    SubscriptionController(SubscriptionRepository repository, SubscriberAccess access, WebhookAddressGuard addressGuard,
                           PublicLinks links, Clock clock, @Value("${evidence.delivery.secret-overlap:24h}") Duration secretOverlap) {
        this.repository = repository;
        this.access = access;
        this.addressGuard = addressGuard;
        this.links = links;
        this.clock = clock;
        this.secretOverlap = secretOverlap;
    }

    /**
     * Creates a subscription owned by the caller. The response is the only time its signing secret is shown; it
     * also carries the subscription's feed URL, which holds a token of its own.
     */
    @Post
    HttpResponse<SubscriptionView> subscribe(@Body SubscriptionRequest request, Authentication caller) {
        if (request == null) {
            throw InputProblem.invalid("body", "a JSON subscription is required");
        }
        request.validate();
        if (request.webhook() != null) {
            addressGuard.refuseUnsafe("webhook.url", request.webhook().url());
        }
        boolean webhook = request.channel() == Subscription.Channel.WEBHOOK;
        Subscription subscription = new Subscription("sub_" + HexFormat.of().formatHex(WebhookSecrets.randomBytes(8)),
                caller.getName(), request.questionIds(), request.tags() == null ? null : request.tags().stream().distinct().sorted().toList(),
                request.kindsOrDefault(), request.estimateMovedBy(), request.channel(),
                webhook ? request.webhook().url() : null, request.email() == null ? null : request.email().address().strip(),
                webhook ? WebhookSecrets.generate() : null, null, null, WebhookSecrets.feedToken(),
                Subscription.Status.ACTIVE, clock.instant(), 0, null);
        repository.insert(subscription);
        return HttpResponse.created(SubscriptionView.withSecret(subscription, links), URI.create("/api/v1/subscriptions/" + subscription.id()));
    }

    /** The caller's subscriptions (every subscription for an administrator), without secrets. */
    @Get
    List<SubscriptionView> mine(Authentication caller) {
        return repository.ownedBy(SubscriberAccess.isAdmin(caller) ? null : caller.getName()).stream()
                .map(s -> SubscriptionView.of(s, links)).toList();
    }

    @Get("/{id}")
    SubscriptionView get(@PathVariable String id, Authentication caller) {
        return SubscriptionView.of(access.require(id, caller), links);
    }

    /** Stops the subscription; its delivery log and feed stay readable. */
    @Delete("/{id}")
    HttpResponse<Void> cancel(@PathVariable String id, Authentication caller) {
        access.require(id, caller);
        repository.disable(id, "cancelled by its subscriber");
        return HttpResponse.noContent();
    }

    /**
     * Issues a new webhook secret, shown in this response only. Until the overlap ends, every webhook carries a
     * signature with each secret, so receivers can switch over without losing an alert.
     */
    @Post("/{id}/secret-rotation")
    RotatedSecret rotate(@PathVariable String id, Authentication caller) {
        Subscription current = access.require(id, caller);
        if (current.channel() != Subscription.Channel.WEBHOOK) {
            throw InputProblem.conflict("channel", "only webhook subscriptions have a signing secret");
        }
        String secret = WebhookSecrets.generate();
        Instant previousExpiresAt = clock.instant().plus(secretOverlap);
        if (!repository.rotateSecret(current, secret, previousExpiresAt)) {
            throw InputProblem.conflict("secret", "another rotation of this secret happened at the same time; read the subscription and try again");
        }
        return new RotatedSecret(id, secret, previousExpiresAt);
    }
}
