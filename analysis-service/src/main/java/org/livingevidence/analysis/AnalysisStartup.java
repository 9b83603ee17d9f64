package org.livingevidence.analysis;

import io.micronaut.context.annotation.Value;
import io.micronaut.context.event.StartupEvent;
import io.micronaut.runtime.event.annotation.EventListener;
import jakarta.inject.Singleton;
import java.util.List;
import java.util.Optional;
import org.livingevidence.analysis.estimates.EstimateHistory;
import org.livingevidence.analysis.projections.Rebuild;
import org.livingevidence.analysis.projections.AnalysisEventHandler;
import org.livingevidence.contracts.Topics;
import org.livingevidence.support.events.EventConsumer;
import org.livingevidence.support.events.EventConsumers;

/**
 * Starts the consumer of questions and outcome records (the outbox relay starts by itself). When the start is a
 * {@link Rebuild} (an empty database, or a rebuild that had not ended) it first waits until the estimate history holds
 * what was published before: rebuilt projections continue each question's numbering from there
 * ({@code PublishedEstimates}). A database that holds projections starts at once: they carry their own numbering.
 */
@Singleton
class AnalysisStartup {

    private final AnalysisEventHandler handler;
    private final EventConsumers consumers;
    private final Rebuild rebuild;
    private final EstimateHistory history;
    private final String group;

    AnalysisStartup(AnalysisEventHandler handler, EventConsumers consumers, Rebuild rebuild,
                    EstimateHistory history, @Value("${kafka.consumer-group:analysis-service}") String group) {
        this.handler = handler;
        this.consumers = consumers;
        this.rebuild = rebuild;
        this.history = history;
        this.group = group;
    }

    @EventListener
    void onStartup(StartupEvent event) {
        consumers.start(group, List.of(Topics.QUESTIONS, Topics.OUTCOME_RECORDS), handler, new HistoryFirstOnARebuild());
    }

    /** Asked on the consumer's thread, so a MongoDB outage at start is retried there like any other failure. */
    private final class HistoryFirstOnARebuild implements EventConsumer.StartCondition {
        private final EventConsumer.StartCondition historyCaughtUp = history.caughtUp();

        @Override
        public Optional<String> waitingFor() {
            return rebuild.begin() ? historyCaughtUp.waitingFor() : Optional.empty();
        }
    }
}
