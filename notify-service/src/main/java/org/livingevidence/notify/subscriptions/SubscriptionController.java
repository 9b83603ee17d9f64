package org.livingevidence.notify.subscriptions;

import io.micronaut.context.annotation.Value;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.annotation.Body;
import io.micronaut.http.annotation.Controller;
import io.swagger.v3.oas.annotations.media.Content;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import io.micronaut.http.annotation.Delete;
import io.micronaut.http.annotation.Get;
import io.micronaut.http.annotation.PathVariable;
import io.micronaut.http.annotation.Post;
import io.micronaut.scheduling.TaskExecutors;
import io.micronaut.scheduling.annotation.ExecuteOn;
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
import org.livingevidence.support.security.Caller;
import org.livingevidence.support.security.Roles;

@Controller("/api/v1/subscriptions")
@Secured({Roles.SUBSCRIBER, Roles.ADMIN})
@ExecuteOn(TaskExecutors.BLOCKING)
public class SubscriptionController {

    /** A new secret, shown once; the previous one keeps signing until {@code previousSecretExpiresAt}. */
    record RotatedSecret(String subscriptionId, String secret, Instant previousSecretExpiresAt) {
    }

    /** A new link, shown once; the previous one stops working now. */
    record RotatedLink(String subscriptionId, String url) {
    }

    private final SubscriptionRepository repository;
    private final SubscriberAccess access;
    private final WebhookAddressGuard addressGuard;
    private final EmailConfirmations confirmations;
    private final PublicLinks links;
    private final Clock clock;
    private final Duration secretOverlap;

    SubscriptionController(SubscriptionRepository repository, SubscriberAccess access, WebhookAddressGuard addressGuard,
                           EmailConfirmations confirmations, PublicLinks links, Clock clock,
                           @Value("${evidence.delivery.secret-overlap:24h}") Duration secretOverlap) {
        this.repository = repository;
        this.access = access;
        this.addressGuard = addressGuard;
        this.confirmations = confirmations;
        this.links = links;
        this.clock = clock;
        this.secretOverlap = secretOverlap;
    }

    /**
     * Creates a subscription owned by the caller. The response is the only time its signing secret, its feed URL and
     * its unsubscribe link are shown (only digests or ciphertexts are stored). An email subscription stays
     * PENDING_CONFIRMATION until the link emailed to the address is followed; it receives no alert before.
     */
    @Post
    @ApiResponse(responseCode = "201", description = "Created: the subscription, with its secrets shown this once",
            content = @Content(mediaType = "application/json", schema = @Schema(implementation = SubscriptionView.class)))
    HttpResponse<SubscriptionView> subscribe(@Body @Nullable SubscriptionRequest request, Authentication caller) {
        if (request == null) {
            throw InputProblem.invalid("body", "a JSON subscription is required");
        }
        request.validate();
        if (request.webhook() != null) {
            addressGuard.refuseUnsafe("webhook.url", request.webhook().url());
        }
        boolean webhook = request.channel() == Subscription.Channel.WEBHOOK;
        boolean email = request.channel() == Subscription.Channel.EMAIL;
        String id = "sub_" + HexFormat.of().formatHex(SubscriptionTokens.randomBytes(8));
        String feedToken = SubscriptionTokens.newToken(id);
        String unsubscribeToken = SubscriptionTokens.newToken(id);
        String secret = webhook ? SubscriptionTokens.newSecret() : null;
        Subscription subscription = new Subscription(id, Caller.of(caller).principalId(), request.questionIds(),
                request.tags() == null ? null : request.tags().stream().distinct().sorted().toList(),
                request.kindsOrDefault(), request.estimateMovedBy(), request.channel(),
                webhook ? request.webhook().url() : null, email ? request.email().address().strip() : null,
                secret, null, null, SubscriptionTokens.digest(feedToken), unsubscribeToken,
                SubscriptionTokens.digest(unsubscribeToken), null, null, null,
                email ? Subscription.Status.PENDING_CONFIRMATION : Subscription.Status.ACTIVE, clock.instant(), 0, null);
        repository.insert(subscription);
        if (email) {
            confirmations.request(subscription);
        }
        return HttpResponse.created(SubscriptionView.view(subscription, new SubscriptionView.Issued(secret,
                links.subscriptionFeed(id, feedToken), links.unsubscribe(unsubscribeToken))), URI.create("/api/v1/subscriptions/" + id));
    }

    /** The caller's subscriptions (every subscription for an administrator), without secrets. */
    @Get
    List<SubscriptionView> mine(Authentication caller) {
        return repository.ownedBy(Caller.isAdmin(caller) ? null : Caller.of(caller).principalId()).stream()
                .map(SubscriptionView::of).toList();
    }

    @Get("/{id}")
    SubscriptionView get(@PathVariable String id, Authentication caller) {
        return SubscriptionView.of(access.require(id, caller));
    }

    /** Stops the subscription; its delivery log and feed stay readable. */
    @Delete("/{id}")
    HttpResponse<Void> cancel(@PathVariable String id, Authentication caller) {
        access.require(id, caller);
        repository.disable(id, "cancelled by its subscriber");
        return HttpResponse.noContent();
    }

    /** Sends a new confirmation link to a pending email subscription's address (the earlier link stops working). */
    @Post("/{id}/confirmation")
    HttpResponse<SubscriptionView> resendConfirmation(@PathVariable String id, Authentication caller) {
        Subscription current = access.require(id, caller);
        if (current.status() != Subscription.Status.PENDING_CONFIRMATION) {
            throw InputProblem.conflict("status", "subscription " + id + " is " + current.status() + ", not waiting for confirmation");
        }
        confirmations.request(current);
        return HttpResponse.accepted().body(SubscriptionView.of(current));
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
        String secret = SubscriptionTokens.newSecret();
        Instant previousExpiresAt = clock.instant().plus(secretOverlap);
        if (!repository.rotateSecret(current, secret, previousExpiresAt)) {
            throw InputProblem.conflict("secret", "another rotation of this secret happened at the same time; read the subscription and try again");
        }
        return new RotatedSecret(id, secret, previousExpiresAt);
    }

    /** A new feed URL, shown in this response only; the old one stops working at once. */
    @Post("/{id}/feed-token-rotation")
    RotatedLink rotateFeedToken(@PathVariable String id, Authentication caller) {
        access.require(id, caller);
        String token = SubscriptionTokens.newToken(id);
        repository.replaceFeedTokenDigest(id, SubscriptionTokens.digest(token));
        return new RotatedLink(id, links.subscriptionFeed(id, token));
    }

    /** A new unsubscribe link for the emails from now on, shown in this response; the old one stops working at once. */
    @Post("/{id}/unsubscribe-token-rotation")
    RotatedLink rotateUnsubscribeToken(@PathVariable String id, Authentication caller) {
        access.require(id, caller);
        String token = SubscriptionTokens.newToken(id);
        repository.replaceUnsubscribeToken(id, token);
        return new RotatedLink(id, links.unsubscribe(token));
    }
}
