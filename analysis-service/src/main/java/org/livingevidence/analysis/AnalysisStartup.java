package org.livingevidence.analysis;

import io.micronaut.context.annotation.Value;
import io.micronaut.context.event.StartupEvent;
import io.micronaut.runtime.event.annotation.EventListener;
import jakarta.inject.Singleton;
import java.util.List;
import org.livingevidence.analysis.projections.AnalysisEventHandler;
import org.livingevidence.contracts.Topics;
import org.livingevidence.support.events.EventConsumers;

/** Starts the consumer of questions and outcome records (the outbox relay starts by itself). */
@Singleton
class AnalysisStartup {

    private final AnalysisEventHandler handler;
    private final EventConsumers consumers;
    private final String group;

    AnalysisStartup(AnalysisEventHandler handler, EventConsumers consumers,
                    @Value("${kafka.consumer-group:analysis-service}") String group) {
        this.handler = handler;
        this.consumers = consumers;
        this.group = group;
    }

    @EventListener
    void onStartup(StartupEvent event) {
        consumers.start(group, List.of(Topics.QUESTIONS, Topics.OUTCOME_RECORDS), handler);
    }
}
