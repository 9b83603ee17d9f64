package org.livingevidence.analysis;

import io.micronaut.context.annotation.Value;
import io.micronaut.context.event.StartupEvent;
import io.micronaut.runtime.event.annotation.EventListener;
import jakarta.inject.Singleton;
import java.util.List;
import java.util.Optional;
import org.livingevidence.analysis.projections.Rebuild;
import org.livingevidence.analysis.projections.AnalysisEventHandler;
import org.livingevidence.contracts.Topics;
import org.livingevidence.support.events.EventConsumers;

/**
 * Starts the consumer of questions and outcome records (the outbox relay starts by itself), once it is known whether
 * this start is a {@link Rebuild} (an empty database, or a rebuild that had not ended): then batches fold quietly from
 * the first one on, while the estimate history is read beside them.
 */
@Singleton
class AnalysisStartup {

    private final AnalysisEventHandler handler;
    private final EventConsumers consumers;
    private final Rebuild rebuild;
    private final String group;

    AnalysisStartup(AnalysisEventHandler handler, EventConsumers consumers, Rebuild rebuild,
                    @Value("${kafka.consumer-group:analysis-service}") String group) {
        this.handler = handler;
        this.consumers = consumers;
        this.rebuild = rebuild;
        this.group = group;
    }

    @EventListener
    void onStartup(StartupEvent event) {
        // Asked on the consumer's thread, so a MongoDB outage at start is retried there like any other failure.
        consumers.start(group, List.of(Topics.QUESTIONS, Topics.OUTCOME_RECORDS), handler, () -> {
            if (rebuild.closed()) {
                return Optional.of("the service to stop");
            }
            rebuild.begin();
            return Optional.empty();
        });
    }
}
