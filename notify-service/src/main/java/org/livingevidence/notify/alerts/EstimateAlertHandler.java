package org.livingevidence.notify.alerts;

import jakarta.inject.Singleton;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.livingevidence.contracts.alerts.Alert;
import org.livingevidence.contracts.alerts.AlertKind;
import org.livingevidence.contracts.events.PooledEstimateComputed;
import org.livingevidence.contracts.events.Trigger;
import org.livingevidence.notify.delivery.Delivery;
import org.livingevidence.notify.delivery.DeliveryRepository;
import org.livingevidence.notify.questions.QuestionDirectory;
import org.livingevidence.notify.subscriptions.Subscription;
import org.livingevidence.notify.subscriptions.SubscriptionRepository;

/**
 * Recognises NEW_STUDY (a record was added) and ESTIMATE_MOVED (the estimate moved by more than the subscription's
 * relative amount since it was last told) in the pooled-estimate stream. The delivery is stored before the baseline
 * moves: a crash in between is repaired by the event's redelivery, which decides the same way and finds the
 * delivery already there.
 */
@Singleton
public class EstimateAlertHandler {

    private final SubscriptionRepository subscriptions;
    private final DeliveryRepository deliveries;
    private final QuestionDirectory questions;
    private final QuestionFeedEntries feed;
    private final EstimateBaselines baselines;
    private final AlertComposer composer;
    private final Clock clock;

    EstimateAlertHandler(SubscriptionRepository subscriptions, DeliveryRepository deliveries, QuestionDirectory questions,
                         QuestionFeedEntries feed, EstimateBaselines baselines, AlertComposer composer, Clock clock) {
        this.subscriptions = subscriptions;
        this.deliveries = deliveries;
        this.questions = questions;
        this.feed = feed;
        this.baselines = baselines;
        this.composer = composer;
        this.clock = clock;
    }

    /** Returns whether a delivery is now pending. */
    boolean handle(PooledEstimateComputed estimate) {
        QuestionDirectory.QuestionEntry question = questions.describe(estimate.questionId(), estimate.questionTitle(),
                estimate.questionTags());
        boolean newStudy = estimate.allTriggers().stream().anyMatch(Trigger::addsRecord);
        if (newStudy) {
            feed.add(estimate.questionId(), AlertComposer.estimateAlertId(estimate),
                    AlertComposer.json(composer.estimateUpdated(estimate, question, List.of(AlertKind.NEW_STUDY), null)));
        }
        boolean stored = false;
        for (Subscription subscription : subscriptions.following(estimate.questionId(), question.tags())) {
            boolean wantsMoves = subscription.kinds().contains(AlertKind.ESTIMATE_MOVED);
            if (!wantsMoves && !subscription.kinds().contains(AlertKind.NEW_STUDY)) {
                continue;
            }
            List<AlertKind> kinds = new ArrayList<>();
            boolean afterSubscribing = !estimate.computedAt().isBefore(subscription.createdAt());
            if (newStudy && afterSubscribing && subscription.kinds().contains(AlertKind.NEW_STUDY)) {
                kinds.add(AlertKind.NEW_STUDY);
            }
            Optional<EstimateBaselines.Baseline> baseline = wantsMoves
                    ? baselines.find(subscription.id(), estimate.questionId()) : Optional.empty();
            boolean moved = baseline.isPresent() && baseline.get().estimateVersion() < estimate.estimateVersion()
                    && AlertComposer.relativeMove(baseline.get().conclusion().estimate(), estimate.conclusion().estimate())
                    > subscription.estimateMovedBy();
            if (moved && afterSubscribing) {
                kinds.add(AlertKind.ESTIMATE_MOVED);
            }
            if (!kinds.isEmpty()) {
                Alert alert = composer.estimateUpdated(estimate, question, kinds,
                        baseline.map(EstimateBaselines.Baseline::conclusion).orElse(null));
                stored |= deliveries.insertIfAbsent(Delivery.of(subscription, AlertComposer.estimateAlertId(estimate),
                        estimate.questionId(), AlertComposer.json(alert), clock.instant()));
            }
            // The first estimate a subscription sees is its baseline; after that, only what it was told of.
            if (wantsMoves && (baseline.isEmpty() || !kinds.isEmpty())) {
                baselines.advance(subscription.id(), estimate.questionId(), estimate);
            }
        }
        return stored;
    }
}
