package org.livingevidence.notify.feeds;

import io.micronaut.core.annotation.Nullable;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.MediaType;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Get;
import io.micronaut.http.annotation.PathVariable;
import io.micronaut.http.annotation.QueryValue;
import io.micronaut.scheduling.TaskExecutors;
import io.micronaut.scheduling.annotation.ExecuteOn;
import io.micronaut.security.annotation.Secured;
import io.micronaut.security.rules.SecurityRule;
import java.util.List;
import java.util.Optional;
import org.livingevidence.notify.PublicLinks;
import org.livingevidence.notify.alerts.QuestionFeedEntries;
import org.livingevidence.notify.delivery.Delivery;
import org.livingevidence.notify.delivery.DeliveryRepository;
import org.livingevidence.notify.questions.QuestionDirectory;
import org.livingevidence.notify.subscriptions.SubscriptionRepository;
import org.livingevidence.support.problems.InputProblem;

/**
 * Atom feeds, readable in any feed reader: a question's changes (a read like any other: open, or READER where reads
 * are protected) and a subscription's own alerts (its URL carries the subscription's feed token, since feed readers
 * cannot send an API key; only the token's digest is stored).
 */
@Controller("/feeds")
@ExecuteOn(TaskExecutors.BLOCKING)
public class FeedController {

    static final String ATOM = "application/atom+xml";
    private static final int ENTRIES = 50;

    private final QuestionFeedEntries questionEntries;
    private final QuestionDirectory questions;
    private final SubscriptionRepository subscriptions;
    private final DeliveryRepository deliveries;
    private final PublicLinks links;

    FeedController(QuestionFeedEntries questionEntries, QuestionDirectory questions, SubscriptionRepository subscriptions,
                   DeliveryRepository deliveries, PublicLinks links) {
        this.questionEntries = questionEntries;
        this.questions = questions;
        this.subscriptions = subscriptions;
        this.deliveries = deliveries;
        this.links = links;
    }

    /** The question's conclusion shifts and new studies, newest first. */
    @Get(value = "/questions/{questionId}", produces = ATOM)
    HttpResponse<String> question(@PathVariable String questionId) {
        List<String> bodies = questionEntries.latest(questionId, ENTRIES).stream().map(QuestionFeedEntries.Entry::body).toList();
        Optional<QuestionDirectory.QuestionEntry> question = questions.find(questionId);
        if (question.isEmpty() && bodies.isEmpty()) {
            throw InputProblem.notFound("question", questionId);
        }
        String title = question.map(QuestionDirectory.QuestionEntry::title).orElse(questionId);
        return HttpResponse.ok(AtomFeeds.render("urn:living-evidence:question:" + questionId,
                "Evidence changes: " + title, links.questionFeed(questionId), bodies, links)).contentType(MediaType.of(ATOM));
    }

    /** The subscription's alerts, whatever its channel, newest first. */
    @Get(value = "/subscriptions/{subscriptionId}", produces = ATOM)
    @Secured(SecurityRule.IS_ANONYMOUS)
    HttpResponse<String> subscription(@PathVariable String subscriptionId, @Nullable @QueryValue String token) {
        subscriptions.find(subscriptionId).filter(s -> subscriptions.feedTokenMatches(s, token))
                .orElseThrow(() -> InputProblem.notFound("subscription feed", subscriptionId));
        List<String> bodies = deliveries.latestForSubscription(subscriptionId, ENTRIES).stream()
                .filter(d -> d.kind() == Delivery.Kind.ALERT).map(Delivery::body).toList();
        return HttpResponse.ok(AtomFeeds.render("urn:living-evidence:subscription:" + subscriptionId,
                "Evidence alerts of subscription " + subscriptionId, links.subscriptionFeed(subscriptionId, token), bodies, links))
                .contentType(MediaType.of(ATOM));
    }
}
