package org.livingevidence.notify.alerts;

import jakarta.inject.Singleton;
import org.livingevidence.contracts.events.ConclusionShifted;
import org.livingevidence.contracts.events.PooledEstimateComputed;
import org.livingevidence.contracts.events.QuestionRevised;
import org.livingevidence.notify.delivery.DeliveryWorker;
import org.livingevidence.notify.questions.QuestionDirectory;
import org.livingevidence.support.events.EventHandler;
import org.livingevidence.support.events.IncomingEvent;

/** Routes notify-service's three input topics: questions (titles, tags), estimates and conclusion shifts. */
@Singleton
public class NotifyEventHandler implements EventHandler {

    private final QuestionDirectory questions;
    private final ConclusionShiftHandler shifts;
    private final EstimateAlertHandler estimates;
    private final DeliveryWorker worker;

    NotifyEventHandler(QuestionDirectory questions, ConclusionShiftHandler shifts, EstimateAlertHandler estimates,
                       DeliveryWorker worker) {
        this.questions = questions;
        this.shifts = shifts;
        this.estimates = estimates;
        this.worker = worker;
    }

    @Override
    public void handle(IncomingEvent event) {
        boolean pending = switch (event.type()) {
            case QUESTION_REVISED -> {
                questions.record(event.payload(QuestionRevised.class));
                yield false;
            }
            case POOLED_ESTIMATE_COMPUTED -> estimates.handle(event.payload(PooledEstimateComputed.class));
            case CONCLUSION_SHIFTED -> shifts.handle(event.payload(ConclusionShifted.class));
            default -> false;
        };
        if (pending) {
            worker.wake();
        }
    }
}
