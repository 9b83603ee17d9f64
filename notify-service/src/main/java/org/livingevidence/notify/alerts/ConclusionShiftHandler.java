package org.livingevidence.notify.alerts;

import jakarta.inject.Singleton;
import java.time.Clock;
import org.livingevidence.contracts.alerts.Alert;
import org.livingevidence.contracts.events.ConclusionShifted;
import org.livingevidence.notify.delivery.Delivery;
import org.livingevidence.notify.delivery.DeliveryRepository;
import org.livingevidence.notify.questions.QuestionDirectory;
import org.livingevidence.notify.subscriptions.Subscription;
import org.livingevidence.notify.subscriptions.SubscriptionRepository;

/** Turns a conclusion shift into one delivery per interested subscription, and an entry of the question's feed. */
@Singleton
public class ConclusionShiftHandler {

    private final SubscriptionRepository subscriptions;
    private final DeliveryRepository deliveries;
    private final QuestionDirectory questions;
    private final QuestionFeedEntries feed;
    private final AlertComposer composer;
    private final Clock clock;

    ConclusionShiftHandler(SubscriptionRepository subscriptions, DeliveryRepository deliveries, QuestionDirectory questions,
                           QuestionFeedEntries feed, AlertComposer composer, Clock clock) {
        this.subscriptions = subscriptions;
        this.deliveries = deliveries;
        this.questions = questions;
        this.feed = feed;
        this.composer = composer;
        this.clock = clock;
    }

    /** Returns whether a delivery is now pending. */
    boolean handle(ConclusionShifted shift) {
        QuestionDirectory.QuestionEntry question = questions.describe(shift.questionId(), shift.questionTitle(), shift.questionTags());
        Alert alert = composer.conclusionShifted(shift, question);
        String body = AlertComposer.json(alert);
        feed.add(shift.questionId(), shift.shiftId(), body);
        boolean stored = false;
        for (Subscription subscription : subscriptions.following(shift.questionId(), question.tags())) {
            // A subscription hears of changes after it was made, not of the history a replay brings back.
            if (subscription.wantsAny(alert.data().shiftTypes()) && !shift.occurredAt().isBefore(subscription.createdAt())) {
                stored |= deliveries.insertIfAbsent(Delivery.of(subscription, shift.shiftId(), shift.questionId(), body, clock.instant()));
            }
        }
        return stored;
    }
}
