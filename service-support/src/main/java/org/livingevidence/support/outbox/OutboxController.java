package org.livingevidence.support.outbox;

import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Get;
import io.micronaut.scheduling.TaskExecutors;
import io.micronaut.scheduling.annotation.ExecuteOn;
import io.micronaut.security.annotation.Secured;
import java.util.List;
import org.livingevidence.support.security.Roles;

/** Operators' view of the outbox: events Kafka refused for good, with their error. */
@Controller("/api/v1/admin/outbox")
@Secured(Roles.ADMIN)
@ExecuteOn(TaskExecutors.BLOCKING)
public class OutboxController {

    private final ParkedEvents parked;

    OutboxController(ParkedEvents parked) {
        this.parked = parked;
    }

    /** Newest first, at most 500. */
    @Get("/parked")
    List<ParkedEvents.ParkedEvent> parked() {
        return parked.latest(500);
    }
}
